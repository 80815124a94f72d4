from odoo import fields, models


class DayaDmsWorkOrder(models.Model):
    """A workshop visit recorded in the DMS (a work order, PKB): the service
    history of the motorcycle, from the workshop's own records."""

    _name = "daya.dms.work.order"
    _description = "DMS Workshop Visit"
    _inherit = ["daya.branch.mixin"]
    _order = "service_date desc, id desc"

    name = fields.Char(string="Work Order", required=True, readonly=True)
    backend_id = fields.Many2one(
        "daya.dms.backend", string="DMS Connection", readonly=True, ondelete="set null"
    )
    frame_number = fields.Char(readonly=True, index=True)
    unit_sale_id = fields.Many2one(
        "daya.unit.sale", string="Motorcycle", readonly=True, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index=True
    )
    service_date = fields.Date(readonly=True)
    license_plate = fields.Char(readonly=True)
    odometer = fields.Integer(string="Odometer (km)", readonly=True)
    pit_type = fields.Char(string="PIT", readonly=True)
    status = fields.Char(readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    kind = fields.Selection(
        [("kpb", "KPB"), ("regular", "Regular")], required=True, readonly=True
    )
    kpb_number = fields.Integer(string="KPB", readonly=True)
    wor_lead_id = fields.Many2one(
        "daya.wor.lead", string="Workshop Lead Closed", readonly=True, index=True
    )

    _sql_constraints = [
        (
            "name_uniq",
            "unique(name)",
            "A DMS work order with this number is already recorded.",
        ),
    ]
