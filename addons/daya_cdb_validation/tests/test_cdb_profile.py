from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.daya_base.tests.common import NIK_WOMAN

from .common import DayaCdbCommon


@tagged("post_install", "-at_install")
class TestCdbProfile(DayaCdbCommon):
    def test_completeness_score(self):
        self.assertEqual(self.customer.cdb_completeness, 100)
        self.assertTrue(self.customer.cdb_complete)
        self.assertFalse(self.customer.cdb_missing)
        bare = self.customer_bare
        # only the name of the 13 items
        self.assertEqual(bare.cdb_completeness, round(100 / 13))
        self.assertFalse(bare.cdb_complete)
        # an address needs the street and the city; place/date of birth both
        bare.write({"street": "Jl. Asia Afrika 8", "birth_place": "Garut"})
        self.assertEqual(bare.cdb_completeness, round(100 / 13))
        bare.write({"city": "Bandung", "birthdate": "1992-05-05"})
        self.assertEqual(bare.cdb_completeness, round(300 / 13))
        missing = bare.cdb_missing.split(", ")
        self.assertEqual(len(missing), 10)
        self.assertIn("NIK", missing)
        self.assertIn("Monthly Expense", missing)
        self.assertNotIn("Address", missing)
        # one item missing of 13
        self.customer.social_media = False
        self.assertEqual(self.customer.cdb_completeness, round(1200 / 13))
        self.assertEqual(self.customer.cdb_missing, "Social Media")

    def test_check_cdb_complete_lists_missing(self):
        self.assertTrue(self.customer._check_cdb_complete())
        with self.assertRaisesRegex(UserError, "Occupation.*Email|Email.*Occupation"):
            self.customer_bare._check_cdb_complete()

    def test_nik_cross_check(self):
        Partner = self.env["res.partner"]
        # NIK_MAN: a man born 1 January 1990; NIK_WOMAN: a woman born 5 May 1992
        ok = Partner.create(
            {
                "name": "Matching",
                "nik": NIK_WOMAN,
                "birthdate": "1992-05-05",
                "gender": "female",
            }
        )
        self.assertFalse(ok.nik_mismatch_warning)
        with self.assertRaises(ValidationError) as error:
            ok.birthdate = "1992-05-06"
        self.assertIn("does not match the NIK", str(error.exception))
        with self.assertRaises(ValidationError):
            ok.gender = "male"
        # the user confirms the mismatch after checking the KTP
        ok.write({"gender": "male", "nik_mismatch_confirmed": True})
        self.assertIn("gender", ok.nik_mismatch_warning)
        # new data needs a new confirmation; the same data does not
        ok.write({"gender": "male"})
        self.assertTrue(ok.nik_mismatch_confirmed)
        with self.assertRaises(ValidationError):
            ok.write({"birthdate": "1980-01-01"})
        # nothing half-written
        self.assertEqual(str(ok.birthdate), "1992-05-05")
        # no NIK, no cross-check
        Partner.create({"name": "No NIK", "birthdate": "2000-02-02", "gender": "male"})

    def test_no_nik_warning_when_data_matches(self):
        """Issue 12 item 9: "Data tidak sesuai dengan NIK: ." on every customer.
        The form hides the warning on False: matching data gives False, not ""."""
        partner = (
            self.env["res.partner"]
            .with_user(self.user_admin_stnk_a)
            .create(
                {
                    "name": "Siti",
                    "nik": NIK_WOMAN,
                    "birthdate": "1992-05-05",
                    "gender": "female",
                }
            )
        )
        self.assertIs(
            partner.read(["nik_mismatch_warning"])[0]["nik_mismatch_warning"], False
        )
        form = Form(partner.with_user(self.user_admin_stnk_a))
        self.assertIs(form.nik_mismatch_warning, False)
        form.birthdate = "1992-05-06"
        self.assertIn("05/05/1992", form.nik_mismatch_warning)
        form.birthdate = "1992-05-05"
        self.assertIs(form.nik_mismatch_warning, False)
        # the same on a validation's answers
        validation = self.env["daya.cdb.validation"].new({"partner_id": partner.id})
        self.assertIs(validation.nik_warning, False)

    def test_nik_cross_check_on_form(self):
        form = Form(self.env["res.partner"].with_user(self.user_admin_stnk_a))
        form.name = "Form Customer"
        form.nik = "3273014505920099"
        form.birthdate = "1992-05-05"
        form.gender = "male"
        self.assertIn("gender", form.nik_mismatch_warning)
        with self.assertRaises(ValidationError):
            form.save()
        form.nik_mismatch_confirmed = True
        partner = form.save()
        self.assertEqual(partner.gender, "male")

    def test_completeness_reads_in_batch(self):
        """The customer list shows completeness and what is missing: the cost does
        not grow with the number of customers."""
        Partner = self.env["res.partner"]
        many = Partner.create(
            [self._cdb_vals(name=f"Batch {i}", nik=False) for i in range(50)]
        )
        fnames = ["cdb_completeness", "cdb_missing", "cdb_validation_count"]

        def read(partners):
            self.env.invalidate_all()
            Partner.browse(partners.ids).read(fnames)

        read(many[:5])
        before = self.cr.sql_log_count
        read(many[:5])
        five = self.cr.sql_log_count - before
        with self.assertQueryCount(five):
            read(many)
