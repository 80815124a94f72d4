from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.daya_base.tests.common import NIK_MAN, NIK_WOMAN, DayaCrmCommon
from odoo.addons.mail.tests.common import mail_new_test_user

NIK_OTHER = "3273010202910003"


@tagged("post_install", "-at_install")
class TestCustomerBranchBoundary(DayaCrmCommon):
    """Issue 11 item 1 and 'Also': a branch sees the customers it holds a
    relationship with; another branch finds them only by an exact identity, sees a
    minimal card (logged) and attaches them (logged)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # created in branch A by its salesperson: branch A holds the customer
        cls.customer_a = (
            cls.env["res.partner"]
            .with_user(cls.user_sales_a)
            .create(
                {
                    "name": "Dedi Kurniawan",
                    "nik": NIK_MAN,
                    "mobile": "0812-3456-7890",
                    "street": "Jl. Soekarno Hatta 5",
                    "bpa_code": "BPA990102",
                }
            )
        )

    def test_branch_set_on_create_and_by_records(self):
        self.assertEqual(self.customer_a.sudo().branch_ids, self.branch_a)
        # a unit sale of branch B gives branch B a relationship
        self.env["daya.unit.sale"].create(
            {
                "partner_id": self.customer_a.id,
                "branch_id": self.branch_b.id,
                "product_id": self.type_beat.product_variant_ids[0].id,
                "frame_number": "T-FRAME-BOUNDARY",
                "sale_date": "2024-01-10",
            }
        )
        self.assertEqual(
            self.customer_a.sudo().branch_ids, self.branch_a | self.branch_b
        )
        self.customer_a.with_user(self.user_sales_b).read(["nik", "branch_ids"])

    def test_other_branch_cannot_read_search_write_copy(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_b)
        customer = Partner.browse(self.customer_a.id)
        with self.assertRaises(AccessError):
            customer.read(["nik", "mobile", "street"])
        with self.assertRaises(AccessError):
            customer.write({"street": "hijacked"})
        with self.assertRaises(AccessError):
            customer.copy()
        self.assertFalse(Partner.search([("nik", "like", "3273")]))
        self.assertFalse(Partner.search([("mobile", "ilike", "3456")]))
        self.assertFalse(Partner.search([("daya_lookup", "=", NIK_MAN)]))
        self.assertFalse(Partner.name_search(NIK_MAN))
        self.assertFalse(Partner.name_search("Dedi Kurniawan"))
        groups = Partner.read_group([("nik", "!=", False)], ["nik"], ["nik"])
        self.assertNotIn(NIK_MAN, [g["nik"] for g in groups])
        # nor through a record of their own branch pointing at the customer
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.user_sales_b).create(
                self._lead_vals(partner_id=self.customer_a.id)
            )
        with self.assertRaises(UserError):
            self.env["daya.unit.sale"].with_user(self.user_branch_head_b).create(
                {
                    "partner_id": self.customer_a.id,
                    "product_id": self.type_beat.product_variant_ids[0].id,
                    "frame_number": "T-FRAME-SNEAK",
                    "sale_date": "2024-01-10",
                }
            )
        self.assertEqual(self.customer_a.sudo().branch_ids, self.branch_a)
        # the user may not give themselves the customer either
        with self.assertRaises(UserError):
            customer.write({"branch_ids": [(4, self.branch_b.id)]})

    def test_own_branch_area_and_head_office_see(self):
        for user in (self.user_sales_a, self.user_area, self.user_head_office):
            with self.subTest(user=user.login):
                customer = self.customer_a.with_user(user)
                self.assertEqual(customer.read(["nik"])[0]["nik"], NIK_MAN)
                self.assertIn(
                    customer,
                    customer.search([("daya_lookup", "=", "+6281234567890")]),
                )
        self.customer_a.with_user(self.user_sales_a).write({"street": "Jl. Baru 1"})

    def test_odoo_partners_stay_visible(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_b)
        company = self.env["res.partner"].create(
            {"name": "PT Test", "is_company": True}
        )
        for partner in (
            self.user_sales_a.partner_id,
            self.leasing,
            self.env.company.partner_id,
            company,
            self.env.ref("base.partner_root"),
        ):
            with self.subTest(partner=partner.name):
                Partner.browse(partner.id).read(["name"])
        # a lead of branch A shows its customer's name to nobody else, but its own
        # branch reads the many2one
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_sales_a)
            .create(self._lead_vals(partner_id=self.customer_a.id))
        )
        self.assertEqual(
            lead.with_user(self.user_branch_head_a).read(["partner_id"])[0][
                "partner_id"
            ][1],
            "Dedi Kurniawan",
        )

    def test_exact_lookup_card_logged(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_b)
        Log = self.env["daya.partner.access.log"]
        for identity in (NIK_MAN, "+62 812 3456 7890", "6281234567890", "bpa990102"):
            with self.subTest(identity=identity):
                cards = Partner.daya_lookup_customers(identity)
                self.assertEqual(len(cards), 1)
                card = cards[0]
                self.assertFalse(card["visible"])
                self.assertEqual(card["name"], "Dedi Kurniawan")
                self.assertEqual(card["phone"], "+62 812-****-890")
                self.assertIn("TBDG", card["branches"])
                self.assertNotIn("nik", card)
        # no partial match
        for identity in ("3273", "0812", "BPA%", "%", "Dedi"):
            self.assertEqual(Partner.daya_lookup_customers(identity), [])
        logs = Log.search([("partner_id", "=", self.customer_a.id)])
        self.assertEqual(len(logs), 4)
        self.assertEqual(set(logs.mapped("user_id")), {self.user_sales_b})
        self.assertEqual(set(logs.mapped("access_type")), {"lookup"})
        self.assertEqual(logs[0].branch_id, self.branch_b)
        # head office only reads the log
        Log.with_user(self.user_head_office).search([]).read(["partner_id"])
        for user in (self.user_sales_b, self.user_branch_head_a):
            with self.assertRaises(AccessError):
                Log.with_user(user).search([])
        with self.assertRaises(AccessError):
            Log.with_user(self.user_head_office).create(
                {
                    "partner_id": self.customer_a.id,
                    "user_id": self.user_head_office.id,
                    "access_type": "lookup",
                }
            )
        # not for portal users
        portal = mail_new_test_user(
            self.env, login="t_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(portal).daya_lookup_customers(NIK_MAN)
        # the own branch is shown the full customer, and nothing is logged
        own = self.env["res.partner"].with_user(self.user_sales_a)
        self.assertTrue(own.daya_lookup_customers(NIK_MAN)[0]["visible"])
        self.assertEqual(Log.search_count([("user_id", "=", self.user_sales_a.id)]), 0)

    def test_attach_to_branch(self):
        customer = self.customer_a.with_user(self.user_sales_b)
        with self.assertRaises(AccessError):
            customer.action_attach_to_branch("3273010101900002")
        with self.assertRaises(AccessError):
            customer.action_attach_to_branch("")
        self.assertEqual(self.customer_a.sudo().branch_ids, self.branch_a)
        customer.action_attach_to_branch("0812 3456 7890")
        self.assertEqual(
            self.customer_a.sudo().branch_ids, self.branch_a | self.branch_b
        )
        self.assertEqual(customer.read(["nik"])[0]["nik"], NIK_MAN)
        note = self.customer_a.message_ids.filtered(
            lambda m: "Attached to branch" in (m.body or "")
        )
        self.assertTrue(note)
        self.assertIn("Sales B", note.body)
        self.assertEqual(note.author_id, self.user_sales_b.partner_id)
        log = self.env["daya.partner.access.log"].search(
            [("partner_id", "=", self.customer_a.id), ("access_type", "=", "attach")]
        )
        self.assertEqual(log.user_id, self.user_sales_b)
        # now branch B records may point at the customer
        self.env["crm.lead"].with_user(self.user_sales_b).create(
            self._lead_vals(partner_id=self.customer_a.id)
        )

    def test_initial_fill(self):
        partner = self.env["res.partner"].create({"name": "Old customer"})
        lead = self.env["crm.lead"].create(
            self._lead_vals(partner_id=partner.id, branch_id=self.branch_b.id)
        )
        self.env.cr.execute(
            "DELETE FROM daya_branch_res_partner_rel WHERE partner_id = %s",
            (partner.id,),
        )
        self.env.invalidate_all()
        self.assertFalse(partner.branch_ids)
        self.env["res.partner"]._daya_fill_branch_ids(["crm_lead", "daya_unit_sale"])
        self.assertEqual(partner.branch_ids, lead.branch_id)
        self.env["res.partner"]._daya_fill_branch_ids(["crm_lead"])  # idempotent


@tagged("post_install", "-at_install")
class TestLeadCustomerIdentity(DayaCrmCommon):
    """Issue 12 items 2 and 3: a NIK decides who the customer is, a phone only
    suggests; the lead form finds the customer by BPA code, NIK or phone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dedi = (
            cls.env["res.partner"]
            .with_user(cls.user_sales_a)
            .create(
                {
                    "name": "Dedi Kurniawan",
                    "nik": NIK_MAN,
                    "mobile": "0812-3456-7890",
                    "street": "Jl. Cikutra 3",
                    "bpa_code": "BPA990102",
                }
            )
        )

    def _form(self, user=None):
        form = Form(
            self.env["crm.lead"].with_user(user or self.user_sales_a),
            view="crm.crm_lead_view_form",
        )
        form.name = "BeAT"
        form.lead_category = "prospect"
        form.payment_type = "cash"
        form.occupation_id = self.occupation
        return form

    def test_other_person_with_shared_phone_not_merged(self):
        # the form shows both people before saving
        form = self._form()
        form.contact_name = "Sri Wahyuni"
        form.nik = NIK_WOMAN
        with self.assertLogs("odoo.tests.common", level="WARNING") as logs:
            form.mobile = "0812 3456 7890"
        output = "\n".join(logs.output)
        self.assertIn("Dedi Kurniawan", output)
        self.assertIn("Sri Wahyuni", output)
        self.assertFalse(form.partner_id)
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        lead = Lead.create(
            self._lead_vals(
                contact_name="Sri Wahyuni", nik=NIK_WOMAN, mobile="081234567890"
            )
        )
        self.assertNotEqual(lead.partner_id, self.dedi)
        self.assertEqual(lead.partner_id.name, "Sri Wahyuni")
        self.assertEqual(lead.partner_id.nik, NIK_WOMAN)
        self.assertEqual(lead.nik, NIK_WOMAN)
        self.assertEqual(lead.contact_name, "Sri Wahyuni")
        self.assertEqual(self.dedi.name, "Dedi Kurniawan")
        self.assertEqual(self.dedi.nik, NIK_MAN)

    def test_nik_decides(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        lead = Lead.create(
            self._lead_vals(contact_name="Dedi K", nik=NIK_MAN, mobile="0857 1111 2222")
        )
        self.assertEqual(lead.partner_id, self.dedi)
        self.assertEqual(self.dedi.mobile_e164, "+6281234567890", "not overwritten")
        # the same name and phone without NIK: the same customer, at once on the form
        form = self._form()
        form.contact_name = "Dedi Kurniawan"
        form.mobile = "0812 3456 7890"
        self.assertEqual(form.partner_id, self.dedi)
        lead = Lead.create(
            self._lead_vals(contact_name="dedi  kurniawan", mobile="+62 812 3456 7890")
        )
        self.assertEqual(lead.partner_id, self.dedi)
        # a phone and another name: a new customer, Dedi unchanged
        lead = Lead.create(
            self._lead_vals(contact_name="Asep", mobile="+62 812 3456 7890")
        )
        self.assertNotEqual(lead.partner_id, self.dedi)
        self.assertEqual(self.dedi.name, "Dedi Kurniawan")

    def test_phone_spellings_find_customer(self):
        """The lead's customer lookup reads every spelling of the number as
        the same one (phone_validation, 62… without + as +62…); letters none."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        for spelling in (
            "0812 3456 7890",
            "+62 812-3456-7890",
            "6281234567890",
            "62 812 3456 7890",
            "812.3456.7890",
        ):
            with self.subTest(spelling=spelling):
                form = self._form()
                form.contact_name = "Dedi Kurniawan"
                form.mobile = spelling
                self.assertEqual(form.partner_id, self.dedi)
                lead = Lead.create(
                    self._lead_vals(contact_name="Dedi Kurniawan", phone=spelling)
                )
                self.assertEqual(lead.partner_id, self.dedi)
        keypad = self.env["res.partner"].create(
            {"name": "Dedi Kurniawan", "mobile": "081234567222"}
        )
        found = self.env["res.partner"]._daya_identify(phone="0812-3456-7ABC")
        self.assertFalse(found["phone"], "ABC is no 222")
        self.assertEqual(
            self.env["res.partner"]._daya_identify(phone="6281234567222")["phone"],
            keypad,
        )

    def test_nik_and_bpa_of_different_people_refused(self):
        self.env["res.partner"].create({"name": "Rina", "nik": NIK_WOMAN})
        with self.assertRaises(UserError) as err:
            self.env["crm.lead"].with_user(self.user_sales_a).create(
                self._lead_vals(contact_name="BPA990102", nik=NIK_WOMAN)
            )
        self.assertIn("Rina", str(err.exception))
        self.assertIn("Dedi Kurniawan", str(err.exception))

    def test_customer_field_fills_at_once(self):
        # the customer field is on the lead form (no debug mode)
        form = self._form()
        form.partner_id = self.dedi
        self.assertEqual(form.nik, NIK_MAN)
        self.assertEqual(form.street, "Jl. Cikutra 3")
        self.assertEqual(form.mobile, "+62 812-3456-7890")
        # typing the NIK or the BPA code fills the customer at once
        form = self._form()
        form.nik = "3273 0101 0190 0001"
        self.assertEqual(form.partner_id, self.dedi)
        self.assertEqual(form.street, "Jl. Cikutra 3")
        form = self._form()
        form.contact_name = "BPA990102"
        self.assertEqual(form.partner_id, self.dedi)
        self.assertEqual(form.contact_name, "Dedi Kurniawan")
        lead = form.save()
        self.assertEqual(lead.partner_id, self.dedi)
        # any phone spelling finds the customer in the field's search
        Partner = self.env["res.partner"].with_user(self.user_sales_a)
        for term in ("081234567890", "+6281234567890", "6281234567890", "BPA990102"):
            self.assertEqual(Partner.name_search(term)[0][0], self.dedi.id)

    def test_bpa_code_as_contact_name_creates_no_customer(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        lead = Lead.create(self._lead_vals(contact_name="bpa990102"))
        self.assertEqual(lead.partner_id, self.dedi)
        with self.assertRaises(ValidationError) as err:
            Lead.create(self._lead_vals(contact_name="BPA999999"))
        self.assertIn("BPA999999", str(err.exception))
        self.assertFalse(
            self.env["res.partner"].search([("name", "ilike", "BPA")]),
            "no customer named after a BPA code",
        )

    def test_other_branch_customer_by_nik_attached(self):
        Log = self.env["daya.partner.access.log"]
        form = self._form(user=self.user_sales_b)
        form.nik = NIK_MAN
        self.assertFalse(form.partner_id, "no full data of another branch")
        self.assertIn("Dedi Kurniawan", form.customer_card)
        self.assertIn("+62 812-****-890", form.customer_card)
        self.assertIn("TBDG", form.customer_card)
        self.assertNotIn("Cikutra", form.customer_card)
        self.assertTrue(Log.search([("user_id", "=", self.user_sales_b.id)]))
        lead = form.save()
        self.assertEqual(lead.partner_id, self.dedi)
        self.assertIn(self.branch_b, self.dedi.sudo().branch_ids)
        self.assertTrue(
            Log.search(
                [
                    ("user_id", "=", self.user_sales_b.id),
                    ("access_type", "=", "attach"),
                    ("partner_id", "=", self.dedi.id),
                ]
            )
        )
        # by phone alone another branch's customer is not taken over
        lead = (
            self.env["crm.lead"]
            .with_user(self.user_sales_b)
            .create(
                self._lead_vals(contact_name="Dedi Kurniawan", mobile="085711112222")
            )
        )
        self.assertNotEqual(lead.partner_id, self.dedi)


@tagged("post_install", "-at_install")
class TestBadCustomerInput(DayaCrmCommon):
    """Issue 11 item 12 (customer part): letters in phones, bad NIKs on leads and
    huge names are refused with a clear message, nothing written."""

    def test_phone_with_letters_refused(self):
        Partner = self.env["res.partner"].with_user(self.user_sales_a)
        with self.assertRaises(ValidationError) as err:
            Partner.create({"name": "Keypad", "mobile": "0812abcdefg"})
        self.assertIn("letters", str(err.exception))
        with self.assertRaises(ValidationError):
            self.env["crm.lead"].with_user(self.user_sales_a).create(
                self._lead_vals(contact_name="Keypad", phone="0812abcdefg")
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Keypad")]))

    def test_lead_nik_refused(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        for nik in ("123", "ABCDEFGHIJKLMNOP"):
            with self.subTest(nik=nik), self.assertRaises(ValidationError) as err:
                Lead.create(self._lead_vals(nik=nik))
            self.assertIn("NIK", str(err.exception))
            self.assertIn("16 digits", str(err.exception))
        lead = Lead.create(self._lead_vals())
        with self.assertRaises(ValidationError):
            lead.write({"nik": "123"})

    def test_huge_names_refused(self):
        huge = "x" * (1024 * 1024)
        with self.assertRaises(ValidationError) as err:
            self.env["crm.lead"].with_user(self.user_sales_a).create(
                self._lead_vals(contact_name=huge)
            )
        self.assertIn("256", str(err.exception))
        with self.assertRaises(ValidationError):
            self.env["crm.lead"].with_user(self.user_sales_a).create(
                self._lead_vals(name=huge)
            )
        with self.assertRaises(ValidationError) as err:
            self.env["res.partner"].with_user(self.user_sales_a).create({"name": huge})
        self.assertIn("256", str(err.exception))
        partner = self.env["res.partner"].create({"name": "Short"})
        with self.assertRaises(ValidationError):
            partner.write({"street": huge})
