import re
from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

# the first sale the dealer's records hold
FIRST_SALE_DATE = date(2000, 1, 1)
# a frame number (nomor rangka) as stamped: letters, digits and dashes
FRAME_NUMBER_RE = re.compile(r"[A-Z0-9-]{1,30}")
# how a motorcycle is paid (the sale, the lead, the dealer memo)
PAYMENT_TYPES = [("cash", "Cash"), ("credit", "Credit")]


class DayaUnitSale(models.Model):
    """A sold motorcycle: the start of every after-sales schedule."""

    _name = "daya.unit.sale"
    _description = "Unit Sale"
    _inherit = ["daya.branch.mixin", "mail.thread"]
    _order = "sale_date desc, id desc"
    _rec_name = "frame_number"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    branch_id = fields.Many2one(required=True)
    company_id = fields.Many2one(related="branch_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product",
        string="Motorcycle",
        required=True,
        domain="[('product_tmpl_id.is_motorcycle', '=', True)]",
    )
    motor_type_id = fields.Many2one(
        related="product_id.product_tmpl_id", string="Motorcycle Type", store=True
    )
    frame_number = fields.Char(required=True, copy=False, tracking=True)
    engine_number = fields.Char(copy=False, tracking=True)
    sale_date = fields.Date(required=True, index=True, tracking=True)
    delivery_date = fields.Date(index=True, tracking=True)
    stnk_ready_date = fields.Date(string="STNK Ready Date", index=True, tracking=True)
    payment_type = fields.Selection(PAYMENT_TYPES, required=True, default="cash")
    leasing_id = fields.Many2one(
        "res.partner", domain="[('is_leasing_company', '=', True)]"
    )
    tenor = fields.Integer(help="Credit duration in months.")
    currency_id = fields.Many2one(related="daya_currency_id", string="Currency")
    down_payment = fields.Monetary()
    user_id = fields.Many2one("res.users", string="Salesperson", index=True)
    is_premium = fields.Boolean(
        string="Premium Customer",
        help="Premium customers are called when their STNK is ready; regular "
        "customers get an SMS.",
    )
    origin = fields.Selection(
        [("memo", "Dealer Memo"), ("import", "Import")],
        required=True,
        default="memo",
    )

    _sql_constraints = [
        (
            "frame_number_uniq",
            "unique(frame_number)",
            "A motorcycle with this frame number is already recorded.",
        ),
    ]

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("frame_number")
    def _check_frame_number(self):
        for sale in self:
            if not FRAME_NUMBER_RE.fullmatch(sale.frame_number or ""):
                raise ValidationError(
                    _(
                        "Frame Number: enter the frame number stamped on the "
                        "motorcycle, 1 to 30 letters, digits or dashes (not "
                        '"%(value)s").',
                        value=sale.frame_number or "",
                    )
                )

    @api.constrains("sale_date", "delivery_date", "stnk_ready_date")
    def _check_dates(self):
        last = fields.Date.context_today(self) + timedelta(days=1)
        for sale in self:
            if not FIRST_SALE_DATE <= sale.sale_date <= last:
                raise ValidationError(
                    _(
                        "Sale Date: %(date)s is outside the accepted range, from "
                        "%(first)s to %(last)s (a sale is not in the future).",
                        date=format_date(self.env, sale.sale_date),
                        first=format_date(self.env, FIRST_SALE_DATE),
                        last=format_date(self.env, last),
                    )
                )
            for fname in ("delivery_date", "stnk_ready_date"):
                day = sale[fname]
                if day and day > last + timedelta(days=365):
                    raise ValidationError(
                        _(
                            "%(field)s: %(date)s is outside the accepted range, "
                            "from the sale date to %(last)s.",
                            field=self._fields[fname]._description_string(self.env),
                            date=format_date(self.env, day),
                            last=format_date(self.env, last + timedelta(days=365)),
                        )
                    )
            if sale.delivery_date and sale.delivery_date < sale.sale_date:
                raise ValidationError(
                    _("The delivery date cannot be before the sale date.")
                )
            if sale.stnk_ready_date and sale.stnk_ready_date < sale.sale_date:
                raise ValidationError(
                    _("The STNK ready date cannot be before the sale date.")
                )

    @api.constrains("payment_type", "leasing_id")
    def _check_leasing(self):
        for sale in self:
            if sale.payment_type == "credit" and not sale.leasing_id:
                raise ValidationError(_("A credit purchase needs its leasing company."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for fname in ("frame_number", "engine_number"):
                if isinstance(vals.get(fname), str):
                    vals[fname] = vals[fname].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        for fname in ("frame_number", "engine_number"):
            if isinstance(vals.get(fname), str):
                vals[fname] = vals[fname].strip().upper()
        return super().write(vals)
