from odoo.tests import HttpCase, tagged

from .common import DayaCdbCommon


@tagged("post_install", "-at_install")
class TestCdbValidationTours(HttpCase, DayaCdbCommon):
    def test_customer_corrects_and_reviewer_approves(self):
        validation = self._send(self.customer)
        token = validation.sudo().access_token
        self.start_tour(
            f"/cdb/validate/{token}", "daya_cdb_validation_customer_tour", timeout=120
        )
        validation.invalidate_recordset()
        self.assertEqual(validation.state, "submitted")
        corrected = validation.line_ids.filtered(
            lambda line: line.answer == "corrected"
        )
        self.assertEqual(corrected.mapped("field_name"), ["email"])
        self.assertEqual(corrected.new_value, "budi.baru@example.com")
        self.assertEqual(self.customer.email, "budi@example.com", "not written yet")
        self.assertEqual(validation.reviewer_id, self.user_admin_stnk_a)

        self.user_admin_stnk_a.password = "t_stnk_a"
        self.start_tour(
            f"/web#id={validation.id}&model=daya.cdb.validation&view_type=form",
            "daya_cdb_validation_review_tour",
            login="t_stnk_a",
            timeout=120,
        )
        validation.invalidate_recordset()
        self.customer.invalidate_recordset()
        self.assertEqual(validation.state, "approved")
        self.assertEqual(self.customer.email, "budi.baru@example.com")
        self.assertEqual(corrected.decided_by_id, self.user_admin_stnk_a)
