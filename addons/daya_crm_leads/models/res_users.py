from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    sales_memo_ids = fields.One2many("daya.sales.memo", "user_id", string="Sales Memos")
    distributed_sales_memo_count = fields.Integer(
        compute="_compute_distributed_sales_memo_count",
        store=True,
        help="Sales memos distributed to this salesperson and not used yet.",
    )

    @api.depends("sales_memo_ids.state")
    def _compute_distributed_sales_memo_count(self):
        counts = self.env["daya.sales.memo"]._distributed_count_by_user(self)
        for user in self:
            user.distributed_sales_memo_count = counts.get(user.id, 0)
