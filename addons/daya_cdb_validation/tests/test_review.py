from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import DayaCdbCommon


@tagged("post_install", "-at_install")
class TestCdbReview(DayaCdbCommon):
    def _submit(self, validation, corrections=None, partner=None):
        """What the customer's page does with their form."""
        validation = validation.sudo()
        errors, answers, new_values = validation._parse_customer_answers(
            self._form_answers(corrections, partner=partner or validation.partner_id)
        )
        self.assertFalse(errors)
        validation._submit_customer_answers(answers, new_values)
        return validation.with_env(self.env)

    def _line(self, validation, fname):
        return validation.line_ids.filtered(lambda line: line.field_name == fname)

    # ------------------------------------------------------------
    # sending
    # ------------------------------------------------------------

    def test_send_link_by_email(self):
        validation = self._send(self.customer)
        self.assertEqual(validation.state, "sent")
        self.assertEqual(validation.branch_id, self.branch_a)
        expected = fields.Datetime.now() + timedelta(days=14)
        self.assertAlmostEqual(
            validation.expires_at, expected, delta=timedelta(minutes=5)
        )
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.customer.ids)], order="id desc", limit=1
        )
        self.assertIn(f"/cdb/validate/{validation.sudo().access_token}", mail.body_html)
        self.assertFalse(mail.model, "the link stays out of the record's chatter")
        if "id_ID" in dict(self.env["res.lang"].get_installed()):
            self.assertIn("Periksa data saya", mail.body_html)

    def test_validity_is_configurable(self):
        self.env["ir.config_parameter"].set_param(
            "daya_cdb_validation.validity_days", "3"
        )
        validation = self._send(self.customer)
        expected = fields.Datetime.now() + timedelta(days=3)
        self.assertAlmostEqual(
            validation.expires_at, expected, delta=timedelta(minutes=5)
        )

    def test_who_sends(self):
        with self.assertRaises(UserError):
            self._send(self.customer, user=self.user_sales_admin_a)
        with self.assertRaises(AccessError):
            self.env["daya.cdb.validation"].with_user(self.user_sales_a).create(
                {"partner_id": self.customer.id}
            )

    def test_new_request_ends_the_previous_one(self):
        first = self._send(self.customer)
        second = self._send(self.customer)
        self.assertEqual(first.state, "expired")
        self.assertFalse(first.sudo().access_token)
        self.assertEqual(second.state, "sent")

    def test_cron_expires_links(self):
        validation = self._send(self.customer)
        validation.sudo().expires_at = fields.Datetime.now() - timedelta(minutes=1)
        fresh = self._send(self.customer_bare)
        self.env["daya.cdb.validation"]._cron_expire()
        self.assertEqual(validation.state, "expired")
        self.assertFalse(validation.sudo().access_token)
        self.assertEqual(fresh.state, "sent")

    # ------------------------------------------------------------
    # routing
    # ------------------------------------------------------------

    def test_review_routing_by_branch_structure(self):
        # branch A has an ADH, an Admin STNK and a Sales Admin: Admin STNK reviews
        self.assertTrue(self.branch_a.has_full_structure)
        validation = self._send(self.customer)
        self.assertEqual(validation.reviewer_id, self.user_admin_stnk_a)
        # branch B has no full structure: its PIC CRM reviews
        self.assertFalse(self.branch_b.has_full_structure)
        validation_b = self._send(self.customer_bare, user=self.user_pic_h1_b)
        self.assertEqual(validation_b.branch_id, self.branch_b)
        self.assertEqual(validation_b.reviewer_id, self.user_pic_h1_b)
        # branch A loses its Admin STNK: the PIC CRM reviews from then on
        self.user_admin_stnk_a.write(
            {"branch_ids": [(4, self.branch_b.id)], "branch_id": self.branch_b.id}
        )
        self.assertFalse(self.branch_a.has_full_structure)
        other = self.env["res.partner"].create({"name": "Other"})
        validation_a = self._send(other, user=self.user_adh_a)
        self.assertEqual(validation_a.reviewer_id, self.user_pic_h1_a)

    def test_branch_without_role_goes_to_branch_head(self):
        self.user_pic_h1_b.active = False
        validation = self._send(self.customer_bare, user=self.user_branch_head_b)
        self.assertEqual(validation.reviewer_id, self.user_branch_head_b)

    def test_reviewer_found_at_submission(self):
        """A new branch without a PIC CRM nor head: the reviewer is looked up again
        when the customer submits."""
        branch_c = self.env["daya.branch"].create(
            {"name": "Test Sumedang", "code": "TSMD"}
        )
        group = self.env.ref("daya_base.group_daya_admin_stnk")
        stnk_c = self.env["res.users"].create(
            {
                "name": "STNK C",
                "login": "t_stnk_c",
                "email": "t_stnk_c@example.com",
                "branch_id": branch_c.id,
                "groups_id": [(6, 0, group.ids)],
            }
        )
        validation = self._send(self.customer, user=stnk_c)
        self.assertFalse(validation.reviewer_id)
        pic_c = self.env["res.users"].create(
            {
                "name": "PIC C",
                "login": "t_pich1_c",
                "branch_id": branch_c.id,
                "groups_id": [
                    (6, 0, self.env.ref("daya_base.group_daya_pic_crm_h1").ids)
                ],
            }
        )
        validation = self._submit(validation, {"social_media": "@c"})
        self.assertEqual(validation.reviewer_id, pic_c)

    # ------------------------------------------------------------
    # review
    # ------------------------------------------------------------

    def test_answers_go_to_review_then_per_field_decision(self):
        validation = self._send(self.customer)
        validation = self._submit(
            validation,
            {
                "email": "budi.new@example.com",
                "city": "Cimahi",
                "monthly_expense": "3m_5m",
            },
        )
        self.assertEqual(validation.state, "submitted")
        self.assertTrue(validation.submitted_at and validation.consent_at)
        self.assertFalse(validation.sudo().access_token, "the link is used up")
        self.assertEqual(len(validation.line_ids), 15)
        self.assertEqual(validation.corrected_count, 3)
        # nothing written on the customer before the review
        self.assertEqual(self.customer.email, "budi@example.com")
        self.assertEqual(self.customer.city, "Bandung")
        self.assertEqual(
            validation.activity_ids.user_id, self.user_admin_stnk_a, "reviewer's to-do"
        )
        # old and new values side by side
        email = self._line(validation, "email")
        self.assertEqual(
            (email.old_value, email.new_value),
            ("budi@example.com", "budi.new@example.com"),
        )
        expense = self._line(validation, "monthly_expense")
        self.assertEqual(expense.new_value, "Rp 3-5 million")
        street = self._line(validation, "street")
        self.assertEqual(
            street.answer, "confirmed", "only the city of the address changed"
        )

        # someone else may not decide
        with self.assertRaises(UserError):
            email.with_user(self.user_sales_admin_a).action_approve()

        reviewer = self.user_admin_stnk_a
        email.with_user(reviewer).action_approve()
        self.assertEqual(self.customer.email, "budi.new@example.com")
        self.assertEqual(email.decision, "approve")
        self.assertEqual(email.decided_by_id, reviewer)
        self.assertTrue(email.decided_at)
        self.assertEqual(validation.state, "submitted", "two corrections still open")

        self._line(validation, "city").with_user(reviewer).action_reject()
        self.assertEqual(self.customer.city, "Bandung", "rejected: old data kept")
        with self.assertRaises(UserError):
            self._line(validation, "city").with_user(reviewer).action_approve()

        expense.with_user(reviewer).action_approve()
        self.assertEqual(self.customer.monthly_expense, "3m_5m")
        self.assertEqual(validation.state, "approved")
        self.assertTrue(validation.reviewed_at)
        self.assertTrue(self.customer.cdb_validated_at)
        self.assertFalse(validation.activity_ids)
        # every decision is logged with who and when
        notes = validation.message_ids.filtered(
            lambda m: m.author_id == reviewer.partner_id and "→" in (m.body or "")
        )
        self.assertEqual(len(notes), 3)
        # confirmed data needs no decision
        with self.assertRaises(UserError):
            street.with_user(reviewer).action_approve()

    def test_reject_all_keeps_old_data(self):
        validation = self._submit(
            self._send(self.customer), {"name": "Budi S.", "mobile": "0813-1111-2222"}
        )
        validation.with_user(self.user_admin_stnk_a).action_reject_all()
        self.assertEqual(validation.state, "rejected")
        self.assertEqual(self.customer.name, "Budi Santoso")
        self.assertEqual(self.customer.mobile, "+62 812-3456-7890")
        self.assertEqual(set(validation.line_ids.mapped("decision")), {False, "reject"})

    def test_all_confirmed_is_approved_by_reviewer(self):
        validation = self._submit(self._send(self.customer))
        self.assertEqual(validation.corrected_count, 0)
        with self.assertRaises(UserError):
            validation.with_user(self.user_sales_admin_a).action_approve_all()
        # the branch head may review in the reviewer's place
        validation.with_user(self.user_branch_head_a).action_approve_all()
        self.assertEqual(validation.state, "approved")

    def test_pic_crm_reviews_in_branch_without_full_structure(self):
        partner = self.env["res.partner"].create(
            self._cdb_vals(
                name="Garut Buyer",
                nik="3273010202910003",
                birthdate="1991-02-02",
                mobile="0812-1212-3434",
                email="garut@example.com",
            )
        )
        validation = self._submit(
            self._send(partner, user=self.user_pic_h1_b),
            {"email": "garut.new@example.com"},
            partner=partner,
        )
        with self.assertRaises(UserError):
            validation.with_user(self.user_admin_stnk_a).action_approve_all()
        validation.with_user(self.user_pic_h1_b).action_approve_all()
        self.assertEqual(partner.email, "garut.new@example.com")

    def test_nik_mismatch_must_be_confirmed_by_reviewer(self):
        validation = self._submit(
            self._send(self.customer), {"birthdate": "1990-01-02"}
        )
        self.assertIn("date of birth", validation.nik_warning)
        line = self._line(validation, "birthdate").with_user(self.user_admin_stnk_a)
        with self.assertRaises(ValidationError):
            line.action_approve()
        self.assertFalse(line.decision, "nothing half-written")
        validation.with_user(self.user_admin_stnk_a).nik_mismatch_confirmed = True
        line.action_approve()
        self.assertEqual(str(self.customer.birthdate), "1990-01-02")
        self.assertTrue(self.customer.nik_mismatch_confirmed)

    def test_state_and_answers_only_through_buttons(self):
        validation = self._submit(self._send(self.customer), {"social_media": "@x"})
        as_reviewer = validation.with_user(self.user_admin_stnk_a)
        with self.assertRaises(UserError):
            as_reviewer.write({"state": "approved"})
        with self.assertRaises(UserError):
            as_reviewer.line_ids[:1].write({"new_value_raw": "forged"})
        with self.assertRaises(UserError):
            as_reviewer.write({"reviewer_id": self.user_sales_a.id})
        validation.with_user(self.user_branch_head_a).reviewer_id = self.user_adh_a

    # ------------------------------------------------------------
    # security
    # ------------------------------------------------------------

    def test_branch_isolation(self):
        validation = self._submit(self._send(self.customer), {"social_media": "@y"})
        Validation = self.env["daya.cdb.validation"]
        for user in (self.user_sales_b, self.user_branch_head_b, self.user_pic_h1_b):
            self.assertFalse(
                Validation.with_user(user).search([("id", "=", validation.id)])
            )
            with self.assertRaises(AccessError):
                validation.with_user(user).read(["state"])
            with self.assertRaises(AccessError):
                validation.line_ids.with_user(user).read(["new_value"])
            with self.assertRaises(AccessError):
                validation.with_user(user).action_approve_all()
        self.assertEqual(
            Validation.with_user(self.user_area).search([("id", "=", validation.id)]),
            validation,
        )
        self.assertTrue(
            Validation.with_user(self.user_head_office).search(
                [("id", "=", validation.id)]
            )
        )

    def test_token_readable_by_reviewers_only(self):
        validation = self._send(self.customer)
        self.assertTrue(
            validation.with_user(self.user_admin_stnk_a).read(["access_token"])[0][
                "access_token"
            ]
        )
        with self.assertRaises(AccessError):
            validation.with_user(self.user_sales_a).read(["access_token"])
        with self.assertRaises(AccessError):
            validation.with_user(self.user_admin_stnk_a).read(["access_token_hash"])

    # ------------------------------------------------------------
    # figures
    # ------------------------------------------------------------

    def test_figures_per_branch_and_week(self):
        approved = self._submit(self._send(self.customer), {"social_media": "@z"})
        approved.with_user(self.user_admin_stnk_a).action_approve_all()
        expired = self._send(self.customer_bare)
        expired.sudo().expires_at = fields.Datetime.now() - timedelta(days=1)
        expired._cron_expire()
        self._send(
            self.env["res.partner"].create({"name": "Waiting"}), user=self.user_pic_h1_b
        )
        groups = self.env["daya.cdb.validation"].read_group(
            [("partner_id.name", "in", ["Budi Santoso", "Bare Customer", "Waiting"])],
            ["nb_sent:sum", "nb_submitted:sum", "nb_approved:sum", "nb_expired:sum"],
            ["branch_id", "sent_at:week"],
            lazy=False,
        )
        figures = {
            group["branch_id"][0]: (
                group["nb_sent"],
                group["nb_submitted"],
                group["nb_approved"],
                group["nb_expired"],
            )
            for group in groups
        }
        self.assertEqual(figures[self.branch_a.id], (2, 1, 1, 1))
        self.assertEqual(figures[self.branch_b.id], (1, 0, 0, 0))

    def test_share_of_complete_cdb(self):
        product = self.type_beat.product_variant_ids[0]
        sales = self.env["daya.unit.sale"].create(
            [
                {
                    "partner_id": partner.id,
                    "branch_id": self.branch_a.id,
                    "product_id": product.id,
                    "frame_number": f"MH1TESTCDB{index}",
                    "sale_date": fields.Date.today(),
                }
                for index, partner in enumerate((self.customer, self.customer_bare))
            ]
        )
        groups = self.env["daya.unit.sale"].read_group(
            [("id", "in", sales.ids)], ["cdb_complete_share:avg"], ["branch_id"]
        )
        self.assertEqual(groups[0]["cdb_complete_share"], 50)
        self.customer_bare.write(
            self._cdb_vals(
                name="Bare",
                nik="3273010303930004",
                birthdate="1993-03-03",
                mobile="0812-9999-0000",
            )
        )
        groups = self.env["daya.unit.sale"].read_group(
            [("id", "in", sales.ids)], ["cdb_complete_share:avg"], ["branch_id"]
        )
        self.assertEqual(groups[0]["cdb_complete_share"], 100)
        # the validation link sent from the unit sale after the registration request
        action = sales[0].with_user(self.user_admin_stnk_a).action_send_cdb_validation()
        validation = self.env["daya.cdb.validation"].browse(action["res_id"])
        self.assertEqual(validation.unit_sale_id, sales[0])
