import re
import secrets
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.daya_base.tests.common import NIK_MAN

from .common import DayaCdbCommon


@tagged("post_install", "-at_install")
class TestValidationPage(HttpCase, DayaCdbCommon):
    """The customer's page through the real route."""

    def setUp(self):
        super().setUp()
        self.validation = self._send(self.customer)
        self.token = self.validation.sudo().access_token

    def _get(self, token):
        return self.url_open(f"/cdb/validate/{token}")

    def _post(self, token, data, csrf=True):
        data = dict(data)
        if csrf:
            page = self._get(token)
            data["csrf_token"] = re.search(
                r'name="csrf_token" value="([^"]+)"', page.text
            ).group(1)
        return self.url_open(f"/cdb/validate/{token}", data=data)

    def _is_neutral(self, response):
        self.assertEqual(response.status_code, 404)
        self.assertIn("o_daya_cdb_neutral", response.text)
        self.assertNotIn(self.customer.name, response.text)
        self.assertNotIn('name="csrf_token"', response.text, "no form")
        # the page, but the session's CSRF token of the layout
        return re.sub(r'csrf_token: "\w+"', "", response.text)

    def test_page_shows_13_items_nik_masked(self):
        response = self._get(self.token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text.count('class="card mb-3 o_daya_cdb_item'), 13)
        self.assertIn("Budi Santoso", response.text)
        self.assertNotIn(NIK_MAN, response.text, "the NIK is masked")
        self.assertIn("3273••••••••0001", response.text)
        self.assertIn('name="csrf_token"', response.text)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertEqual(response.headers["Referrer-Policy"], "no-referrer")
        self.assertIn('name="viewport"', response.text, "usable on a phone")
        if "id_ID" in dict(self.env["res.lang"].get_installed()):
            self.assertIn("Sudah benar", response.text)
            self.assertIn("Perbaiki", response.text)

    def test_token_is_random_and_long(self):
        other = self._send(self.customer_bare).sudo()
        self.assertGreaterEqual(len(self.token), 43)  # 256 bits, URL-safe
        self.assertNotEqual(self.token, other.access_token)
        self.assertEqual(
            self.validation.sudo().access_token_hash,
            self.env["daya.cdb.validation"]._hash_token(self.token),
        )

    def test_guessed_tokens_get_the_neutral_page(self):
        guesses = [
            secrets.token_urlsafe(32),
            self.token[:-1] + ("A" if self.token[-1] != "A" else "B"),
            self.token[:20],
            self.token + "x",
            self.validation.sudo().access_token_hash,
            "' OR 1=1 --",
        ]
        pages = {self._is_neutral(self._get(guess)) for guess in guesses}
        self.assertEqual(len(pages), 1, "the same page whatever the guess")
        self.assertEqual(self.validation.state, "sent")

    def test_expired_used_and_wrong_tokens_look_the_same(self):
        wrong = self._is_neutral(self._get(secrets.token_urlsafe(32)))
        # expired
        self.validation.sudo().expires_at = fields.Datetime.now() - timedelta(seconds=1)
        expired = self._is_neutral(self._get(self.token))
        self.assertEqual(expired, wrong)
        # used
        buyer = self.env["res.partner"].create(
            self._cdb_vals(
                name="Second Buyer",
                nik="3273010202910003",
                birthdate="1991-02-02",
                mobile="0812-1212-3434",
            )
        )
        validation = self._send(buyer)
        token = validation.sudo().access_token
        response = self._post(token, self._form_answers(partner=buyer))
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_daya_cdb_thanks", response.text)
        used = self._is_neutral(self._get(token))
        self.assertEqual(used, wrong)
        # a used token can't submit again either
        with mute_logger("odoo.http"):
            again = self.url_open(f"/cdb/validate/{token}", data={"consent": "1"})
        self.assertIn(again.status_code, (400, 404))
        self.assertEqual(len(validation.line_ids), 15)

    def test_token_of_another_request(self):
        # the same customer's newer request ends the older one
        newer = self._send(self.customer)
        self._is_neutral(self._get(self.token))
        newer_token = newer.sudo().access_token
        # sending again replaces the link of the request; the sender sees the new
        # link once, in the answer (it is stored nowhere)
        action = newer.with_user(self.user_admin_stnk_a).action_resend()
        self._is_neutral(self._get(newer_token))
        response = self._get(action["context"]["daya_cdb_token"])
        self.assertEqual(response.status_code, 200)
        # a request's token opens that request only
        bare = self._send(self.customer_bare)
        page = self._get(bare.sudo().access_token)
        self.assertIn("Bare Customer", page.text)
        self.assertNotIn("Budi Santoso", page.text)

    def test_submit_with_correction_goes_to_review(self):
        post = self._form_answers({"email": "budi.lain@example.com"})
        response = self._post(self.token, post)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_daya_cdb_thanks", response.text)
        self.validation.invalidate_recordset()
        self.assertEqual(self.validation.state, "submitted")
        line = self.validation.line_ids.filtered(
            lambda line: line.answer == "corrected"
        )
        self.assertEqual(line.new_value, "budi.lain@example.com")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.email, "budi@example.com")

    @mute_logger("odoo.http")
    def test_csrf(self):
        post = self._form_answers({"email": "csrf@example.com"})
        response = self._post(self.token, post, csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self._post(
            self.token, dict(post, csrf_token="0" * 40 + "o9999999999"), csrf=False
        )
        self.assertEqual(response.status_code, 400)
        self.validation.invalidate_recordset()
        self.assertEqual(self.validation.state, "sent")
        self.assertEqual(self._post(self.token, post).status_code, 200)

    def test_missing_data_must_be_filled_in(self):
        validation = self._send(self.customer_bare)
        token = validation.sudo().access_token
        page = self._get(token)
        # nothing to confirm for what we don't have: only "correct it", checked
        self.assertNotIn('id="o_daya_cdb_confirm_email"', page.text)
        self.assertIn('id="o_daya_cdb_confirm_name"', page.text)
        response = self._post(token, self._form_answers(partner=self.customer_bare))
        self.assertEqual(response.text.count('o_daya_cdb_error"'), 12)
        validation.invalidate_recordset()
        self.assertEqual(validation.state, "sent")

    def test_invalid_answers_are_refused_and_escaped(self):
        post = self._form_answers(
            {"name": "<script>alert('x')</script>", "nik": "1234", "mobile": "12"},
            consent=False,
        )
        post["answer_email"] = "maybe"
        post["customer_note"] = "<img src=x onerror=alert(1)>"
        response = self._post(self.token, post)
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("o_daya_cdb_errors", text)
        self.assertNotIn("<script>alert", text)
        self.assertIn("&lt;script&gt;", text)
        self.assertNotIn("<img src=x", text)
        self.assertEqual(
            text.count('o_daya_cdb_error"'), 4
        )  # nik, mobile, email, consent
        self.validation.invalidate_recordset()
        self.assertEqual(self.validation.state, "sent")
        self.assertFalse(self.validation.line_ids)

    def test_no_lockout_per_address(self):
        """Issue 11.13: customers behind one carrier-NAT address are not locked out
        by others' wrong links (a 256-bit token needs no limiter, see the readme),
        and a wrong link writes nothing."""
        before = self.env["ir.model"].search_count([])
        for _i in range(12):
            self._is_neutral(self._get(secrets.token_urlsafe(32)))
        response = self._get(self.token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Budi Santoso", response.text)
        self.assertNotIn("daya.cdb.validation.attempt", self.env)
        self.assertEqual(self.env["ir.model"].search_count([]), before)

    def test_long_answers_are_refused_not_echoed(self):
        """Issue 11.13: a 2 MB answer gets a clear error, and the page does not
        send it back."""
        post = self._form_answers({"city": "x" * 2_000_000}, consent=True)
        post["customer_note"] = "y" * 2_000_000
        response = self._post(self.token, post)
        self.assertEqual(response.status_code, 200)
        self.assertLess(len(response.content), 200_000)
        self.assertIn("256", response.text)
        self.assertIn("2000000", response.text)
        self.assertNotIn("x" * 300, response.text)
        self.assertNotIn("y" * 1100, response.text)
        self.validation.invalidate_recordset()
        self.assertEqual(self.validation.state, "sent")
