from datetime import date, datetime, timedelta

from odoo.addons.daya_base.tests.common import DayaCrmCommon

# the tests run on Monday 2 March 2026, 08:00 in Jakarta (01:00 UTC)
NOW = "2026-03-02 01:00:00"


class WorCommon(DayaCrmCommon):
    """Branch A (Jakarta time) takes 2 motorcycles per slot of an hour, Monday to
    Saturday 08:00-16:00 and Sunday 08:00-12:00; a customer with a motorcycle sold
    on 5 January 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Wor = cls.env["daya.wor.lead"]
        cls.Booking = cls.env["daya.service.booking"]
        cls.branch_a.booking_attendance_ids.write({"daya_booking_capacity": 2})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Agus Workshop",
                "mobile": "0813-1111-2222",
                "street": "Jl. Cibaduyut 12",
                "city": "Bandung",
            }
        )
        cls.unit = cls._unit("MH1WOR0001", cls.customer)

    @classmethod
    def _unit(cls, frame, customer, branch=None, sale_date=None):
        return cls.env["daya.unit.sale"].create(
            {
                "partner_id": customer.id,
                "branch_id": (branch or cls.branch_a).id,
                "product_id": cls.type_beat.product_variant_ids[0].id,
                "frame_number": frame,
                "sale_date": sale_date or date(2026, 1, 5),
                "payment_type": "cash",
            }
        )

    @classmethod
    def _customer(cls, index):
        return cls.env["res.partner"].create(
            {"name": f"Customer {index}", "mobile": f"0813-2222-{index:04d}"}
        )

    @classmethod
    def _lead(cls, wor_type="kpb2", unit=None, **values):
        unit = unit or cls.unit
        return cls.Wor.create(
            dict(
                {
                    "partner_id": unit.partner_id.id,
                    "unit_sale_id": unit.id,
                    "branch_id": unit.branch_id.id,
                    "wor_type": wor_type,
                },
                **values,
            )
        )

    @staticmethod
    def _utc(*args):
        """A Jakarta time (UTC+7) as the naive UTC datetime Odoo stores."""
        return datetime(*args) - timedelta(hours=7)
