from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestMotorcycleColour(DayaCrmCommon):
    def test_colours_of_type(self):
        self.assertEqual(
            self.type_beat.motor_color_ids, self.color_black | self.color_red
        )
        self.assertEqual(len(self.type_beat.product_variant_ids), 2)

    def test_colour_restricted_to_type(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        lead = Lead.create(
            self._lead_vals(
                name="BeAT red",
                motor_type_id=self.type_beat.id,
                motor_color_id=self.color_red.id,
            )
        )
        variant = lead.motor_product_id
        self.assertEqual(variant.product_tmpl_id, self.type_beat)
        self.assertIn(
            self.color_red,
            variant.product_template_attribute_value_ids.product_attribute_value_id,
        )
        with self.assertRaises(ValidationError) as err:
            Lead.create(
                self._lead_vals(
                    name="BeAT cream",
                    motor_type_id=self.type_beat.id,
                    motor_color_id=self.color_cream.id,
                )
            )
        self.assertIn("not sold in", str(err.exception))
        with self.assertRaises(ValidationError):
            lead.write(
                {
                    "motor_type_id": self.type_scoopy.id,
                    "motor_color_id": self.color_black.id,
                }
            )

    def test_form_type_then_colour(self):
        form = Form(self.env["crm.lead"].with_user(self.user_sales_a))
        form.name = "Walk-in"
        form.lead_category = "prospect"
        form.payment_type = "cash"
        form.occupation_id = self.occupation
        form.motor_type_id = self.type_scoopy
        self.assertEqual(
            set(form.motor_color_allowed_ids._get_ids()),
            set((self.color_cream | self.color_red).ids),
        )
        form.motor_color_id = self.color_cream
        form.motor_type_id = self.type_beat  # cream is not a BeAT colour
        self.assertFalse(form.motor_color_id)
        form.motor_color_id = self.color_red
        lead = form.save()
        self.assertEqual(lead.motor_product_id.product_tmpl_id, self.type_beat)
