from markupsafe import escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .res_partner import CDB_FIELD_SELECTION, CDB_ITEM_SELECTION

# Changed only by the customer's submission and the review buttons.
PROTECTED_LINE_FIELDS = {
    "validation_id",
    "item",
    "field_name",
    "old_value_raw",
    "new_value_raw",
    "answer",
    "decision",
    "decided_by_id",
    "decided_at",
}


class DayaCdbValidationLine(models.Model):
    """The customer's answer on one customer field, and the reviewer's decision."""

    _name = "daya.cdb.validation.line"
    _description = "CDB Validation Answer"
    _order = "validation_id, sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    validation_id = fields.Many2one(
        "daya.cdb.validation",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    branch_id = fields.Many2one(related="validation_id.branch_id", store=True)
    partner_id = fields.Many2one(related="validation_id.partner_id")
    validation_state = fields.Selection(related="validation_id.state")
    item = fields.Selection(CDB_ITEM_SELECTION, required=True)
    field_name = fields.Selection(
        CDB_FIELD_SELECTION, string="Customer Field", required=True
    )
    field_label = fields.Char(string="Field", compute="_compute_field_label")
    old_value_raw = fields.Char(string="Old Value (stored)")
    new_value_raw = fields.Char(string="New Value (stored)")
    old_value = fields.Char(compute="_compute_display_values")
    new_value = fields.Char(compute="_compute_display_values")
    answer = fields.Selection(
        [("confirmed", "Confirmed"), ("corrected", "Corrected")],
        string="Customer's Answer",
        required=True,
    )
    decision = fields.Selection([("approve", "Approved"), ("reject", "Rejected")])
    decided_by_id = fields.Many2one("res.users")
    decided_at = fields.Datetime(string="Decided On")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("field_name")
    def _compute_field_label(self):
        labels = self.validation_id._cdb_input_labels()
        for line in self:
            line.field_label = labels.get(line.field_name, line.field_name)

    @api.depends("field_name", "old_value_raw", "new_value_raw")
    def _compute_display_values(self):
        Validation = self.env["daya.cdb.validation"]
        for line in self:
            line.old_value = Validation._cdb_display(
                line.field_name, line.old_value_raw
            )
            line.new_value = Validation._cdb_display(
                line.field_name, line.new_value_raw
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(_("The answers come from the customer's validation page."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and PROTECTED_LINE_FIELDS & set(vals):
            raise UserError(
                _("The answers are approved or rejected with the review buttons.")
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_approve(self):
        self.validation_id._check_can_review()
        self._decide("approve")
        self.validation_id._finalize()
        return True

    def action_reject(self):
        self.validation_id._check_can_review()
        self._decide("reject")
        self.validation_id._finalize()
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _decide(self, decision):
        """Approve (write the customer) or reject (keep the old data) corrections,
        logging who decided what and when. The caller checked the reviewer."""
        if not self:
            return
        if self.filtered(lambda line: line.answer != "corrected"):
            raise UserError(_("Only the data the customer corrected is decided on."))
        if self.filtered("decision"):
            raise UserError(_("This correction was already decided on."))
        if decision == "approve":
            for validation in self.validation_id:
                lines = self.filtered(
                    lambda line, v=validation: line.validation_id == v
                )
                lines._apply_to_partner()
        self.sudo().write(
            {
                "decision": decision,
                "decided_by_id": self.env.user.id,
                "decided_at": fields.Datetime.now(),
            }
        )
        for validation in self.validation_id:
            lines = self.filtered(lambda line, v=validation: line.validation_id == v)
            validation.message_post(
                # the values are the customer's text: escaped, never HTML
                body=escape(self._decision_message(lines, decision)),
                subtype_xmlid="mail.mt_note",
            )

    def _apply_to_partner(self):
        """Write the approved corrections of one validation on its customer, with
        the reviewer's rights."""
        validation = self.validation_id
        validation.ensure_one()
        partner = validation.partner_id
        vals = {
            line.field_name: validation._cdb_from_raw(
                line.field_name, line.new_value_raw
            )
            for line in self
        }
        if vals.get("nik"):
            # the customer's NIK may already belong to another customer
            other = (
                self.env["res.partner"]
                .with_context(active_test=False)
                .search([("nik", "=", vals["nik"]), ("id", "!=", partner.id)], limit=1)
            )
            if other:
                raise UserError(
                    _(
                        "The NIK %(nik)s the customer entered already belongs to "
                        "%(other)s: reject it or merge the customers first.",
                        nik=vals["nik"],
                        other=other.display_name,
                    )
                )
        mismatches = partner._cdb_nik_mismatches(
            vals.get("nik", partner.nik),
            vals.get("birthdate", partner.birthdate),
            partner.gender,
        )
        if mismatches and validation.nik_mismatch_confirmed:
            vals["nik_mismatch_confirmed"] = True
        partner.write(vals)

    def _decision_message(self, lines, decision):
        parts = [
            _(
                "%(field)s: %(old)s → %(new)s",
                field=line.field_label,
                old=line.old_value or "-",
                new=line.new_value or "-",
            )
            for line in lines
        ]
        if decision == "approve":
            return _("Approved, written on the customer: %s", "; ".join(parts))
        return _("Rejected, the customer keeps the old data: %s", "; ".join(parts))
