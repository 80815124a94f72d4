from odoo import fields, models


class DayaFollowupWrongNumber(models.TransientModel):
    _name = "daya.followup.wrong.number"
    _description = "Correct a Customer's Phone Number"

    task_id = fields.Many2one("daya.followup.task", required=True, readonly=True)
    partner_id = fields.Many2one(related="task_id.partner_id")
    old_mobile = fields.Char(related="task_id.partner_id.mobile", string="Wrong Number")
    mobile = fields.Char(
        string="Correct Number", help="Leave empty when no other number is known."
    )

    def action_confirm(self):
        self.ensure_one()
        if self.mobile:
            # validated and normalized by the customer (ValidationError if wrong)
            self.task_id.partner_id.write({"mobile": self.mobile})
        self.task_id._record_result("wrong_number", note=self.mobile or False)
        return {"type": "ir.actions.act_window_close"}
