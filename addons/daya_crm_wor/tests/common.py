from datetime import date, datetime

from odoo.addons.daya_crm_leads.tests.common import DayaCrmCommon


class WorCommon(DayaCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch_a.write({"booking_capacity": 2, "tz": "Asia/Jakarta"})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Agus", "mobile": "0813-1111-2222"}
        )
        cls.unit = cls._unit("MH1WOR0001", cls.customer)
        cls.Wor = cls.env["daya.wor.lead"]
        cls.Booking = cls.env["daya.service.booking"]

    @classmethod
    def _unit(cls, frame, customer, branch=None):
        return cls.env["daya.unit.sale"].create(
            {
                "partner_id": customer.id,
                "branch_id": (branch or cls.branch_a).id,
                "product_id": cls.type_beat.product_variant_ids[0].id,
                "frame_number": frame,
                "sale_date": date(2026, 1, 5),
                "payment_type": "cash",
            }
        )

    @staticmethod
    def _utc(*args):
        """A Jakarta local time (UTC+7) as the naive UTC datetime Odoo stores."""
        local = datetime(*args)
        return local.replace(hour=local.hour - 7)
