from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestCodeMap(DayaCrmCommon):
    """Issue 12: the main dealer's codes (leasing short names, colour codes and
    names, product codes) mapped by data the PIC CRM keeps."""

    def _values(self, code="ADR-T"):
        return {"code_type": "leasing", "code": code, "leasing_id": self.leasing.id}

    def test_pic_crm_keeps_the_mappings(self):
        for user in (self.user_pic_h1_a, self.user_pic_h23_a):
            with self.subTest(user=user.login):
                Map = self.env["daya.code.map"].with_user(user)
                mapping = Map.create(self._values(f"ADR-{user.id}"))
                mapping.write({"code": f"  adr-{user.id}x "})
                self.assertEqual(mapping.code_key, f"ADR-{user.id}X")
                color = Map.create(
                    {
                        "code_type": "color",
                        "code": f"Merah {user.id}",
                        "color_id": self.color_red.id,
                    }
                )
                (mapping | color).unlink()
                self.assertFalse(mapping.exists())

    def test_salesperson_reads_but_does_not_edit(self):
        mapping = self.env["daya.code.map"].create(self._values())
        for user in (self.user_sales_a, self.user_adh_a):
            with self.subTest(user=user.login):
                Map = self.env["daya.code.map"].with_user(user)
                self.assertEqual(Map.browse(mapping.id).leasing_id, self.leasing)
                with self.assertRaises(AccessError):
                    Map.create(self._values("ADR-SF"))
                with self.assertRaises(AccessError):
                    Map.browse(mapping.id).write({"code": "ADR-SF"})
                with self.assertRaises(AccessError):
                    Map.browse(mapping.id).unlink()

    def test_shipped_leasing_short_names(self):
        table = self.env["daya.code.map"]._daya_code_table(["leasing"])
        for code, xmlid in (
            ("ADIRA", "partner_leasing_adira"),
            ("FIF", "partner_leasing_fif"),
            ("WOM", "partner_leasing_wom"),
            ("MUF", "partner_leasing_muf"),
        ):
            self.assertEqual(
                table[("leasing", code)], self.env.ref(f"daya_base.{xmlid}")
            )

    def test_bad_mappings_refused(self):
        Map = self.env["daya.code.map"].with_user(self.user_pic_h1_a)
        other = self.env["product.attribute"].create({"name": "T Size"})
        size = self.env["product.attribute.value"].create(
            {"name": "XL", "attribute_id": other.id}
        )
        helmet = self.env["product.product"].create({"name": "T Helmet"})
        for values, message in (
            (
                dict(self._values(), leasing_id=self.user_sales_a.partner_id.id),
                "not a leasing company",
            ),
            ({"code_type": "color", "code": "Hitam T"}, "choose the Colour"),
            (
                {"code_type": "color", "code": "XL", "color_id": size.id},
                "not a value of the Colour",
            ),
            (
                {"code_type": "product", "code": "HLM", "product_id": helmet.id},
                "not a motorcycle type",
            ),
        ):
            with (
                self.subTest(message=message),
                self.assertRaises(ValidationError) as caught,
            ):
                Map.create(values)
            self.assertIn(message, caught.exception.args[0])
        Map.create(self._values("ADR-T"))
        self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            Map.create(self._values(" adr-t"))
            self.env.flush_all()
