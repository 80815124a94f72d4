from odoo import _, fields, models
from odoo.exceptions import AccessError

from .res_partner import LEAD_PERSONAL_FIELDS


class CrmLead(models.Model):
    _inherit = "crm.lead"

    daya_anonymized_at = fields.Datetime(
        string="Anonymized On",
        readonly=True,
        copy=False,
        help="The person's data on this lead was erased (UU PDP): irreversible.",
    )

    def write(self, vals):
        if "daya_anonymized_at" in vals and not self.env.su:
            raise AccessError(_("Only an anonymization marks a lead anonymized."))
        return super().write(vals)

    def _daya_wipe_personal_data(self):
        """Erase the person's data the leads hold (their contact data, free text
        and the tracked old values); the lead's facts (type, dates, stage, branch)
        stay for the figures. A system step (sudo): the caller approved it."""
        leads = self.sudo().with_context(active_test=False, tracking_disable=True)
        if not leads:
            return
        vals = {
            fname: False for fname in LEAD_PERSONAL_FIELDS if fname in leads._fields
        }
        vals.update(name=_("Anonymized lead"), daya_anonymized_at=fields.Datetime.now())
        leads.write(vals)
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "crm.lead"), ("res_id", "in", leads.ids)])
        )
        self.env["mail.tracking.value"].sudo().search(
            [("mail_message_id", "in", messages.ids)]
        ).unlink()
        messages.write({"body": _("<p>(anonymized)</p>"), "email_from": False})

    def _daya_expired_lost_leads(self, cutoff, limit):
        """Lost leads of no customer record (the prospect's data typed on the lead
        only), untouched since ``cutoff`` and not erased yet; a customer's leads go
        with the customer (``res.partner._daya_expired_prospects``)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("active", "=", False),
                    ("partner_id", "=", False),
                    ("daya_anonymized_at", "=", False),
                    ("write_date", "<", cutoff),
                ],
                limit=limit,
                order="id",
            )
        )
