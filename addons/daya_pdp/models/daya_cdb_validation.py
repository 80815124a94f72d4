from odoo import api, fields, models

# What the validation page's consent covers (see its checkbox: "registration,
# service reminders and offers").
VALIDATION_PAGE_PURPOSES = ("service_reminder", "marketing")


class DayaCdbValidation(models.Model):
    _inherit = "daya.cdb.validation"

    def _submit_customer_answers(self, answers, new_values, note=None):
        """The consent the customer gives on the validation page is recorded in the
        consent log, per purpose (the customer is the author: no user)."""
        res = super()._submit_customer_answers(answers, new_values, note=note)
        self.env["daya.consent"].sudo().create(
            [
                {
                    "partner_id": self.partner_id.id,
                    "purpose": purpose,
                    "state": "given",
                    "channel": "validation_page",
                    "date": self.consent_at or fields.Datetime.now(),
                    "user_id": False,
                    "branch_id": self.branch_id.id,
                    "note": self.name,
                }
                for purpose in VALIDATION_PAGE_PURPOSES
            ]
        )
        return res

    @api.model
    def _daya_expired_answers(self, cutoff, limit):
        """Closed validations whose answers are past their retention."""
        return self.sudo().search(
            [
                ("state", "in", ("approved", "rejected", "expired")),
                ("line_ids", "!=", False),
                "|",
                ("reviewed_at", "<", cutoff),
                "&",
                ("reviewed_at", "=", False),
                ("expires_at", "<", cutoff),
            ],
            limit=limit,
            order="id",
        )

    def _daya_purge_answers(self):
        """Erase the answers (old and new values) and the customer's note; the
        validation's dates and outcome stay for the figures."""
        self.line_ids.unlink()
        self.write({"customer_note": False})
