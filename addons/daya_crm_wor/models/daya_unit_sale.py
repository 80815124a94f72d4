from odoo import api, fields, models

from .daya_wor_lead import KPB_VALID_MONTHS


class DayaUnitSale(models.Model):
    _inherit = "daya.unit.sale"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        units = super().create(vals_list)
        units.filtered("delivery_date")._daya_create_kpb_leads()
        return units

    def write(self, vals):
        delivered_now = (
            self.filtered(lambda unit: not unit.delivery_date)
            if vals.get("delivery_date")
            else self.browse()
        )
        res = super().write(vals)
        delivered_now._daya_create_kpb_leads()
        return res

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _daya_create_kpb_leads(self):
        """A delivered motorcycle (recorded or imported) gets a workshop lead for
        each free service (KPB 1-4) whose coupon is still valid: the workshop's
        own lifecycle, whether or not the follow-up schedule is installed.

        A system step: whoever records the delivery (a sales admin, an import)
        need not have the right to create workshop leads."""
        today = fields.Date.context_today(self)
        Wor = self.env["daya.wor.lead"].sudo()
        # the coupons still valid, reckoned once per sale date and coupon: a
        # batch of deliveries shares a few sale dates
        valid = {}
        by_type = {wor_type: [] for wor_type in KPB_VALID_MONTHS}
        for unit in self:
            for wor_type, unit_ids in by_type.items():
                key = (unit.sale_date, wor_type)
                if key not in valid:
                    valid[key] = Wor._kpb_valid_until(*key) >= today
                if valid[key]:
                    unit_ids.append(unit.id)
        # one search and one create for the four coupons of the whole batch
        Wor._get_or_create_for_units(
            {wor_type: self.browse(unit_ids) for wor_type, unit_ids in by_type.items()}
        )
