from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    cdb_completeness = fields.Integer(
        related="partner_id.cdb_completeness", string="CDB Completeness"
    )
    cdb_missing = fields.Char(related="partner_id.cdb_missing", string="CDB Missing")

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if {"occupation_id", "partner_id"} & set(vals):
            self._cdb_sync_occupation()
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_create_dealer_memo(self):
        """The deal is agreed: the customer database must be filled first."""
        action = super().action_create_dealer_memo()
        self._cdb_check_customer()
        return action

    def action_open_customer_cdb(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(_("Link the customer to the opportunity first."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "res_id": self.partner_id.id,
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _cdb_check_customer(self):
        for lead in self:
            if not lead.partner_id:
                raise UserError(
                    _(
                        "Link the customer to %(lead)s and fill in their customer "
                        "database (CDB) first.",
                        lead=lead.name,
                    )
                )
            lead.partner_id._check_cdb_complete()

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        # a customer created from the lead gets the occupation asked on it (no extra
        # write: lead creation stays as cheap as it was)
        values = super()._prepare_customer_values(
            partner_name, is_company=is_company, parent_id=parent_id
        )
        if not is_company and self.occupation_id:
            values["occupation_id"] = self.occupation_id.id
        return values

    def _cdb_sync_occupation(self):
        """The occupation asked on the lead is the customer's, until they have one."""
        for lead in self.filtered(
            lambda lead: (
                lead.occupation_id
                and lead.partner_id
                and not lead.partner_id.occupation_id
            )
        ):
            lead.partner_id.occupation_id = lead.occupation_id
