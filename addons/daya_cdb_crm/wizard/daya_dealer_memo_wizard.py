from odoo import models


class DayaDealerMemoWizard(models.TransientModel):
    _inherit = "daya.dealer.memo.wizard"

    def action_process(self):
        # checked again here: the wizard may be reached without the lead's button
        self.lead_id._cdb_check_customer()
        return super().action_process()
