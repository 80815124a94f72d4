from odoo import http
from odoo.http import request

NEUTRAL_STATUS = 404
SECURITY_HEADERS = {
    # the token is in the address: keep it out of caches, referrers and indexes
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Frame-Options": "DENY",
}


class CdbValidationController(http.Controller):
    @http.route(
        "/cdb/validate/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=True,
    )
    def cdb_validate(self, token, **post):
        """The customer's page: check the 13 items of their data and submit.

        A wrong, expired or used token gets the same neutral page and status. No
        limit per address: a 256-bit token cannot be guessed, and a limit per
        address would lock out the customers sharing a carrier's NAT address
        (see readme/DESCRIPTION.rst)."""
        validation = request.env["daya.cdb.validation"]._get_by_token(token)
        if not validation:
            return self._render(
                "daya_cdb_validation.cdb_validation_neutral", {}, NEUTRAL_STATUS
            )
        lang = validation.customer_lang
        request.update_context(lang=lang)
        validation = validation.with_context(lang=lang)
        errors = None
        if request.httprequest.method == "POST":
            errors, answers, new_values = validation._parse_customer_answers(post)
            if not errors:
                validation._submit_customer_answers(
                    answers, new_values, note=post.get("customer_note")
                )
                return self._render(
                    "daya_cdb_validation.cdb_validation_thanks",
                    {"company_name": validation.company_id.name},
                )
        values = validation._customer_page_values(
            post if errors is not None else None, errors
        )
        return self._render("daya_cdb_validation.cdb_validation_page", values)

    def _render(self, template, values, status=200):
        if "company_name" not in values:
            # a page of no request: the same for every wrong link
            request.update_context(
                lang=request.env["daya.cdb.validation"]._public_lang()
            )
            values = dict(values, company_name=request.env.company.sudo().name)
        response = request.render(template, values, status=status)
        response.headers.update(SECURITY_HEADERS)
        return response
