from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..tools import nik_birthdate, nik_gender
from .common import NIK_MAN, NIK_WOMAN, DayaCrmCommon


@tagged("post_install", "-at_install")
class TestPartnerIdentity(DayaCrmCommon):
    def test_nik_valid(self):
        Partner = self.env["res.partner"]
        man = Partner.create({"name": "Budi", "nik": "3273 0101 0190 0001"})
        self.assertEqual(man.nik, NIK_MAN, "spaces are removed")
        woman = Partner.create({"name": "Siti", "nik": NIK_WOMAN})
        self.assertEqual(nik_gender(woman.nik), "female")
        self.assertEqual(str(nik_birthdate(woman.nik)), "1992-05-05")
        self.assertEqual(nik_gender(man.nik), "male")
        # 29 February of a leap year
        Partner.create({"name": "Leap", "nik": "3273012902000003"})

    def test_nik_invalid(self):
        bad = {
            "327301010190": "16 digits",
            "32730101019000011": "16 digits",
            "32730101019A0001": "16 digits",
            "9973010101900001": "province",
            "3273013202900001": "birth date",  # 32 February
            "3273017201900001": "birth date",  # day 72 - 40 = 32
            "3273012902010001": "birth date",  # 29 February 2001
            "3273010113900001": "birth date",  # month 13
            "3273010101900000": "serial",
        }
        Partner = self.env["res.partner"]
        for nik, words in bad.items():
            with self.subTest(nik=nik), self.assertRaises(ValidationError) as err:
                Partner.create({"name": "X", "nik": nik})
            self.assertIn(words, str(err.exception))
        partner = Partner.create({"name": "Y"})
        with self.assertRaises(ValidationError):
            partner.write({"nik": "1234"})
        self.assertFalse(partner.nik)

    @mute_logger("odoo.sql_db")
    def test_nik_unique(self):
        self.env["res.partner"].create({"name": "A", "nik": NIK_MAN})
        with self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["res.partner"].create({"name": "B", "nik": NIK_MAN})

    def test_phone_normalized(self):
        Partner = self.env["res.partner"]
        for spelling in (
            "0812-3456-7890",
            "+62 812 3456 7890",
            "6281234567890",
            "0812.3456.7890",
        ):
            partner = Partner.create({"name": spelling, "mobile": spelling})
            self.assertEqual(partner.mobile, "+62 812-3456-7890")
            self.assertEqual(partner.mobile_e164, "+6281234567890")
        landline = Partner.create({"name": "Shop", "phone": "022 7563060"})
        self.assertEqual(landline.phone_e164, "+62227563060")

    def test_phone_invalid(self):
        Partner = self.env["res.partner"]
        for bad in ("12345", "0812", "call me", "+62 000 000"):
            with self.subTest(bad=bad), self.assertRaises(ValidationError) as err:
                Partner.create({"name": "X", "mobile": bad})
            # letters are refused as such (issue 11 item 12), digits when invalid
            self.assertRegex(
                str(err.exception), "not a valid phone number|contains letters"
            )
        partner = Partner.create({"name": "Y", "mobile": "081234567890"})
        with self.assertRaises(ValidationError):
            partner.write({"phone": "abc"})
        self.assertFalse(partner.phone)
        self.assertEqual(partner.mobile_e164, "+6281234567890")

    def test_phone_invalid_in_form(self):
        with self.assertRaises(ValidationError):
            with Form(self.env["res.partner"]) as form:
                form.name = "Form customer"
                form.mobile = "99"

    def test_lookup_any_spelling(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_a)
        customer = self.env["res.partner"].create(
            {
                "name": "Rina Kartika",
                "mobile": "085799988877",
                "nik": NIK_WOMAN,
                "bpa_code": "BPA-T-77",
            }
        )
        other = self.env["res.partner"].create(
            {"name": "Other", "mobile": "085799988878"}
        )
        for term in (
            "085799988877",
            "0857-9998-8877",
            "+6285799988877",
            "+62 857 9998 8877",
            "6285799988877",
            NIK_WOMAN,
            "3273 0145 0592 0002",
            "bpa-t-77",
        ):
            with self.subTest(term=term):
                self.assertEqual(Partner.search([("daya_lookup", "=", term)]), customer)
                found = [pid for pid, _name in Partner.name_search(term)]
                self.assertEqual(found, [customer.id])
        self.assertEqual(Partner.search([("daya_lookup", "=", "085799988878")]), other)
        self.assertEqual(Partner._find_by_identity(phone="0857 9998 8877"), customer)
        # a name still finds by name
        self.assertIn(customer.id, [p for p, _n in Partner.name_search("Rina Kart")])

    def test_lookup_name_term_no_identity_query(self):
        """Words of a name go straight to the name search: no identity query
        first (the planner's estimate of the matches, one query to find, two to
        read the names and the user's branches)."""
        Partner = self.env["res.partner"].with_user(self.user_sales_a)
        customer = self.env["res.partner"].create(
            {"name": "Rina Kartika", "mobile": "085799988877"}
        )
        Partner.name_search("Rina Kart")  # the record rules compiled once
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            found = [pid for pid, _name in Partner.name_search("Rina Kart")]
        self.assertIn(customer.id, found)

    def test_lookup_plans_use_indexes(self):
        """At a million customers no lookup may read the whole table: with
        sequential scans priced out, the plan of each search name_search makes
        for the salesperson (record rules included) has no Seq Scan on
        res_partner: the identity indexes, and the trigram indexes for a name."""
        Partner = self.env["res.partner"].with_user(self.user_sales_a)
        self.env["res.partner"].create(
            {
                "name": "Rina Kartika",
                "mobile": "085799988877",
                "nik": NIK_WOMAN,
                "bpa_code": "BPA-T-77",
            }
        )
        domains = [
            [("daya_lookup", "=", term)]
            for term in ("bpa-t-77", NIK_WOMAN, "+62 857 9998 8877", "6285799988877")
        ]
        self.env.cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if self.env.cr.fetchone():
            domains.append(
                ["|"] * (len(Partner._rec_names_search) - 1)
                + [(fname, "ilike", "Rina Kart") for fname in Partner._rec_names_search]
            )
        self.env.flush_all()
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.addCleanup(self.env.cr.execute, "RESET enable_seqscan")
        for domain in domains:
            with self.subTest(domain=domain):
                query, params = Partner._search(domain, limit=8).select()
                self.env.cr.execute("EXPLAIN " + query, params)
                plan = "\n".join(row[0] for row in self.env.cr.fetchall())
                self.assertNotIn("Seq Scan on res_partner", plan)

    def test_lookup_both_numbers_letters_refused(self):
        """Both numbers find the customer (the reason for phone_e164 beside
        Odoo's single phone_sanitized); a spelling with letters finds nobody
        (phonenumbers would read ABC as the keypad's 222)."""
        Partner = self.env["res.partner"].with_user(self.user_sales_a)
        customer = self.env["res.partner"].create(
            {"name": "Toko Maju", "mobile": "081234567222", "phone": "022 2501234"}
        )
        self.assertEqual(customer.phone, "+62 22 2501234")
        for term in ("0222501234", "62222501234", "+62 22 250-1234", "081234567222"):
            with self.subTest(term=term):
                found = [pid for pid, _name in Partner.name_search(term)]
                self.assertEqual(found, [customer.id])
                self.assertEqual(Partner.search([("daya_lookup", "=", term)]), customer)
        for term in ("0812-3456-7ABC", "+62 812 3456 7ABC"):
            with self.subTest(term=term):
                self.assertFalse(Partner.name_search(term))
                self.assertFalse(Partner.search([("daya_lookup", "=", term)]))
                self.assertFalse(Partner._find_by_identity(phone=term))
                self.assertFalse(Partner.daya_lookup_customers(term))

    def test_lookup_uses_indexes(self):
        self.env.cr.execute(
            """SELECT indexname FROM pg_indexes
                WHERE tablename = 'res_partner' AND indexname IN %s""",
            (
                (
                    "res_partner_nik_uniq",
                    "res_partner_bpa_code_uniq",
                    "res_partner_mobile_e164_index",
                    "res_partner_phone_e164_index",
                ),
            ),
        )
        self.assertEqual(len(self.env.cr.fetchall()), 4)

    def test_leasing_companies(self):
        leasing = self.env["res.partner"].search([("is_leasing_company", "=", True)])
        self.assertIn(self.env.ref("daya_base.partner_leasing_adira"), leasing)
        self.assertTrue(all(leasing.mapped("is_company")))
