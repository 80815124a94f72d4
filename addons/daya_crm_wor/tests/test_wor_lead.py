import importlib.util
from datetime import date

import psycopg2.errors
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import NOW, WorCommon


@tagged("post_install", "-at_install")
class TestWorLead(WorCommon):
    # ------------------------------------------------------------
    # responsibility (memo 005/IM/MKT/VII/2020) and KPB validity
    # ------------------------------------------------------------

    def test_responsibility_per_type(self):
        units = [self._unit(f"MH1RESP{index}", self.customer) for index in range(5)]
        workshop_customer = self._customer(1)
        leads = self.Wor.create(
            [
                {
                    "partner_id": self.customer.id,
                    "unit_sale_id": unit.id,
                    "branch_id": self.branch_a.id,
                    "wor_type": wor_type,
                    "origin": "h1_h2",
                }
                for unit, wor_type in zip(
                    units, ["kpb1", "kpb2", "kpb3", "kpb4", "regular"]
                )
            ]
            + [
                {
                    "partner_id": workshop_customer.id,
                    "branch_id": self.branch_a.id,
                    "wor_type": "regular",
                    "origin": "h2_h2",
                }
            ]
        )
        self.assertEqual(
            leads.mapped("responsible_role"),
            ["pic_crm_h1"] + ["pic_crm_h23"] * 5,
        )
        # the PIC of the role, not the supervisors who also hold it
        self.assertEqual(leads[0].user_id, self.user_pic_h1_a)
        self.assertEqual(leads[1:].user_id, self.user_pic_h23_a)
        # a KPB 1 lead turned regular goes to PIC CRM H23
        leads[0].wor_type = "regular"
        self.assertEqual(leads[0].responsible_role, "pic_crm_h23")
        self.assertEqual(leads[0].user_id, self.user_pic_h23_a)

    def test_assignment_balances_load_and_falls_back(self):
        second_pic = mail_new_test_user(
            self.env,
            login="t_pich23_a2",
            groups="daya_base.group_daya_pic_crm_h23",
            branch_id=self.branch_a.id,
            branch_ids=[(6, 0, self.branch_a.ids)],
        )
        units = [self._unit(f"MH1LOAD{index}", self.customer) for index in range(4)]
        leads = self.Wor.create(
            [
                {
                    "partner_id": self.customer.id,
                    "unit_sale_id": unit.id,
                    "branch_id": self.branch_a.id,
                    "wor_type": "kpb2",
                }
                for unit in units
            ]
        )
        self.assertEqual(
            sorted(lead.user_id.login for lead in leads),
            ["t_pich23_a", "t_pich23_a", second_pic.login, second_pic.login],
        )
        # branch B has no PIC CRM H23 of its own: its branch head holds the role
        unit_b = self._unit("MH1LOADB", self.customer, self.branch_b)
        self.assertEqual(self._lead("kpb2", unit_b).user_id, self.user_branch_head_b)

    def test_kpb_validity(self):
        leads = [
            self._lead(wor_type, self._unit(f"MH1KPB{wor_type}", self.customer))
            for wor_type in ("kpb1", "kpb2", "kpb3", "kpb4", "regular")
        ]
        self.assertEqual(
            [lead.kpb_valid_until for lead in leads],
            [
                date(2026, 3, 5),
                date(2026, 5, 5),
                date(2026, 9, 5),
                date(2027, 1, 5),
                False,
            ],
        )
        # the helper the follow-up engine reuses: months, end of month kept
        self.assertEqual(
            self.Wor._kpb_valid_until(date(2025, 10, 31), "kpb2"), date(2026, 2, 28)
        )
        self.assertFalse(self.Wor._kpb_valid_until(date(2025, 10, 31), "regular"))

    def test_type_rules(self):
        with self.assertRaises(ValidationError):
            self._lead("kpb2", origin="h2_h2")  # H2 to H2 is regular
        with self.assertRaises(ValidationError):
            self.Wor.create(
                {
                    "partner_id": self.customer.id,
                    "branch_id": self.branch_a.id,
                    "wor_type": "kpb2",
                }
            )  # a KPB needs the motorcycle sold
        self._lead("kpb2")
        with self.assertRaises(ValidationError):
            self._lead("kpb2")  # one KPB 2 per motorcycle
        self._lead("kpb3")
        self._lead("regular")
        self._lead("regular")

    def test_onchange_unit_fills_customer_and_branch(self):
        unit_b = self._unit("MH1FORMB", self.customer, self.branch_b)
        form = Form(self.Wor.with_user(self.user_area))
        form.unit_sale_id = unit_b
        form.wor_type = "kpb1"
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.branch_id, self.branch_b)
        self.assertEqual(form.responsible_role, "pic_crm_h1")
        lead = form.save()
        self.assertEqual(lead.kpb_valid_until, date(2026, 3, 5))
        self.assertEqual(lead.frame_number, "MH1FORMB")

    # ------------------------------------------------------------
    # the batch API of the follow-up engine
    # ------------------------------------------------------------

    def test_get_or_create_for_unit_sales(self):
        units = self.env["daya.unit.sale"].concat(
            *[self._unit(f"MH1BATCH{index}", self.customer) for index in range(3)]
        )
        existing = self._lead("kpb2", units[0])
        existing.action_serviced_elsewhere()
        by_unit = self.Wor._get_or_create_for_unit_sales(units, "kpb2")
        self.assertEqual(set(by_unit), set(units.ids))
        self.assertEqual(by_unit[units[0].id], existing, "a lost KPB lead stays")
        created = by_unit[units[1].id] | by_unit[units[2].id]
        self.assertEqual(set(created.mapped("state")), {"new"})
        self.assertEqual(created.user_id, self.user_pic_h23_a)
        self.assertEqual(created.mapped("wor_type"), ["kpb2", "kpb2"])
        again = self.Wor._get_or_create_for_unit_sales(units, "kpb2")
        self.assertEqual(again, by_unit)
        # regular: a new lead once the previous one is closed
        regular = self.Wor._get_or_create_for_unit_sales(units[:1], "regular")
        regular[units[0].id].action_set_lost("unreachable")
        fresh = self.Wor._get_or_create_for_unit_sales(units[:1], "regular")
        self.assertNotEqual(fresh[units[0].id], regular[units[0].id])
        self.assertEqual(self.Wor._get_or_create_for_unit_sales(units[:0], "kpb1"), {})

    def test_get_or_create_query_count_is_constant(self):
        """The follow-up engine creates leads by thousands: no query per unit."""
        few = self.env["daya.unit.sale"].concat(
            *[self._unit(f"MH1FEW{index}", self.customer) for index in range(3)]
        )
        many = self.env["daya.unit.sale"].concat(
            *[self._unit(f"MH1MANY{index:02d}", self.customer) for index in range(30)]
        )
        # as the follow-up cron runs it: with the chatter
        Wor = self.Wor.with_context(tracking_disable=False)

        def count(units):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Wor._get_or_create_for_unit_sales(units, "kpb3")
            self.env.flush_all()
            return self.cr.sql_log_count - before

        count(self._unit("MH1WARM", self.customer))  # caches of the first call
        self.assertEqual(count(many), count(few))
        self.env.invalidate_all()
        with self.assertQueryCount(2):  # found again: one search, one read
            Wor._get_or_create_for_unit_sales(many, "kpb3")

    # ------------------------------------------------------------
    # state machine
    # ------------------------------------------------------------

    @freeze_time(NOW)
    def test_state_machine(self):
        lead = self._lead("kpb2").with_user(self.user_pic_h23_a)
        lead.action_follow_up()
        lead.action_follow_up()
        self.assertEqual(lead.state, "fu2")
        self.assertEqual((lead.fu1_date, lead.fu2_date), (date(2026, 3, 2),) * 2)
        with self.assertRaises(UserError):
            lead.write({"state": "fu1"})  # no going back
        with self.assertRaises(UserError):
            lead.write({"state": "booked"})  # only through a booking
        with self.assertRaises(UserError):
            lead.write({"state": "done"})
        lead.action_follow_up()
        with self.assertRaises(UserError):
            lead.action_follow_up()  # after FU3: booked or lost
        with self.assertRaises(UserError):
            lead.action_set_lost()  # a reason is needed
        with self.assertRaises(UserError):
            lead.write({"state": "lost"})
        lead.action_serviced_elsewhere()
        self.assertEqual((lead.state, lead.lost_reason), ("lost", "serviced_elsewhere"))
        with self.assertRaises(UserError):
            lead.write({"state": "new"})  # lost is final
        with self.assertRaises(UserError):
            lead.write({"wor_type": "kpb3"})
        with self.assertRaises(UserError):
            lead.action_book()

    def test_follow_up_history_is_tracked(self):
        lead = self._lead("kpb2").with_context(tracking_disable=False)
        self.cr.flush()  # created in an earlier request
        lead.with_user(self.user_pic_h23_a).action_follow_up()
        self.env.flush_all()
        self.cr.flush()  # the tracking is written at commit
        tracked = lead.message_ids.tracking_value_ids.filtered(
            lambda value: value.field.name == "state"
        )
        self.assertEqual(tracked.new_value_char, "Follow Up 1")

    def test_lost_wizard(self):
        lead = self._lead("kpb3")
        action = lead.with_user(self.user_pic_h23_a).action_open_lost_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.user_pic_h23_a)
            .with_context(**action["context"])
        )
        wizard.lost_reason = "sold"
        wizard.note = "Sold the motorcycle to his brother."
        wizard.save().action_confirm()
        self.assertEqual((lead.state, lead.lost_reason), ("lost", "sold"))
        self.assertIn("his brother", lead.message_ids[0].body)

    # ------------------------------------------------------------
    # objections of the SOP
    # ------------------------------------------------------------

    @freeze_time(NOW)
    def test_objection_no_time_weekend(self):
        lead = self._lead("kpb2").with_user(self.user_pic_h23_a)
        lead.action_follow_up()
        action = lead.action_offer_weekend()
        self.assertTrue(lead.weekdays_impossible)
        self.assertEqual(lead.objection, "no_time")
        self.assertIn(
            "Weekend slots proposed: Sat 07/03/2026 08:00, Sat 07/03/2026 09:00",
            lead.message_ids[0].body,
        )
        self.assertEqual(action["context"]["default_booking_kind"], "weekend")
        form = Form(
            self.Booking.with_user(self.user_pic_h23_a).with_context(
                **action["context"]
            )
        )
        # the first weekend slot is proposed
        self.assertEqual(form.start, self._utc(2026, 3, 7, 8, 0))
        self.assertEqual(form.service_type, "kpb2")
        booking = form.save()
        self.assertEqual(booking.booking_kind, "weekend")
        self.assertEqual((lead.state, lead.state_before_booking), ("booked", "fu1"))
        with self.assertRaises(UserError):
            lead.action_offer_promo()  # already booked

    @freeze_time(NOW)
    def test_objection_too_far_home_service(self):
        lead = self._lead("kpb2").with_user(self.user_pic_h23_a)
        action = lead.action_offer_home_service()
        self.assertEqual(lead.objection, "too_far")
        self.assertEqual(action["context"]["default_booking_kind"], "home_service")
        self.assertIn("Jl. Cibaduyut 12", action["context"]["default_note"])
        booking = Form(
            self.Booking.with_user(self.user_pic_h23_a).with_context(
                **action["context"]
            )
        ).save()
        self.assertEqual(booking.booking_kind, "home_service")
        self.assertIn("Cibaduyut", booking.note)
        self.assertEqual(lead.state, "booked")

    @freeze_time(NOW)
    def test_objection_disappointed_promo(self):
        lead = self._lead("kpb3").with_user(self.user_pic_h23_a)
        action = lead.action_offer_promo()
        self.assertEqual(lead.objection, "disappointed")
        self.assertEqual(action["context"]["default_booking_kind"], "promo")
        booking = Form(
            self.Booking.with_user(self.user_pic_h23_a).with_context(
                **action["context"]
            )
        ).save()
        self.assertEqual(booking.booking_kind, "promo")
        self.assertEqual(booking.start, self._utc(2026, 3, 2, 8, 0))
        self.assertEqual(lead.state, "booked")

    def test_objections_need_the_right_role(self):
        lead = self._lead("kpb2")
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sales_a).action_offer_weekend()
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sales_a).action_follow_up()

    # ------------------------------------------------------------
    # branch isolation and access per role
    # ------------------------------------------------------------

    def test_branch_isolation(self):
        lead_a = self._lead("kpb2")
        lead_b = self._lead("kpb2", self._unit("MH1ISOB", self.customer, self.branch_b))
        leads = lead_a | lead_b
        Wor = self.Wor.with_user(self.user_pic_h23_a)
        self.assertEqual(Wor.search([("id", "in", leads.ids)]), lead_a)
        with self.assertRaises(AccessError):
            Wor.browse(lead_b.id).read(["name"])
        with self.assertRaises(AccessError):
            Wor.browse(lead_b.id).action_follow_up()
        with self.assertRaises(AccessError):
            Wor.create(
                {
                    "partner_id": self.customer.id,
                    "branch_id": self.branch_b.id,
                    "wor_type": "regular",
                }
            )
        # the branch head of B sees B only; the area coordinator both; head
        # office all
        self.assertEqual(
            self.Wor.with_user(self.user_branch_head_b).search(
                [("id", "in", leads.ids)]
            ),
            lead_b,
        )
        self.assertEqual(
            self.Wor.with_user(self.user_area).search([("id", "in", leads.ids)]),
            leads,
        )
        self.assertEqual(
            self.Wor.with_user(self.user_head_office).search_count(
                [("id", "in", leads.ids)]
            ),
            2,
        )

    def test_access_per_role(self):
        lead = self._lead("kpb2")
        # the sales force reads the workshop leads of its branch, no more
        self.assertEqual(lead.with_user(self.user_sales_a).state, "new")
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sales_a).write({"user_id": self.user_sales_a.id})
        with self.assertRaises(AccessError):
            self.Wor.with_user(self.user_sales_a).create(
                {"partner_id": self.customer.id, "wor_type": "regular"}
            )
        with self.assertRaises(AccessError):
            lead.with_user(self.user_pic_h23_a).unlink()
        # PIC CRM H1 works the KPB 1 leads of the branch
        kpb1 = self.Wor.with_user(self.user_pic_h1_a).create(
            {
                "partner_id": self.customer.id,
                "unit_sale_id": self._unit("MH1ACCH1", self.customer).id,
                "wor_type": "kpb1",
            }
        )
        self.assertEqual(kpb1.branch_id, self.branch_a)
        self.assertEqual(kpb1.user_id, self.user_pic_h1_a)


@tagged("post_install", "-at_install")
class TestWorLeadScale(WorCommon):
    """Issue 15: the workshop leads of delivered motorcycles are machine-made by
    the thousand (deliveries, imports): one search and one create for the four
    KPB coupons of a whole batch, without chatter."""

    @freeze_time(NOW)
    def test_delivery_kpb_leads_flat_in_batch_size(self):
        """The KPB leads of 5 and of 20 motorcycles delivered at once cost the same
        queries (the chatter on, as in production): one search and one create for
        the four coupons; the leads carry no chatter message or follower."""
        for count, prefix in ((5, "MH1DLA"), (20, "MH1DLB")):
            units = self.env["daya.unit.sale"].concat(
                *(
                    self._unit(f"{prefix}{index:02d}", self.customer)
                    for index in range(count)
                )
            )
            units.write({"delivery_date": date(2026, 1, 7)})  # the unit's own write
            self.Wor.search([("unit_sale_id", "in", units.ids)]).unlink()
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=24):
                units.with_context(tracking_disable=False)._daya_create_kpb_leads()
                self.env.flush_all()
                self.cr.flush()  # the chatter's tracking is written at commit
            leads = self.Wor.search([("unit_sale_id", "in", units.ids)])
            self.assertEqual(len(leads), 4 * count)
            self.assertEqual(
                sorted(set(leads.mapped("wor_type"))), ["kpb1", "kpb2", "kpb3", "kpb4"]
            )
            self.assertFalse(leads.message_ids, "machine-made: no chatter per lead")
            self.assertFalse(leads.message_follower_ids)
            # delivered again (a correction): nothing more
            units.write({"delivery_date": date(2026, 1, 8)})
            units._daya_create_kpb_leads()
            self.assertEqual(
                self.Wor.search_count([("unit_sale_id", "in", units.ids)]), 4 * count
            )

    def test_machine_made_leads_carry_their_computed_values(self):
        """The leads inserted in one query get what the ORM computes for a lead
        made by hand (name, responsible role and person, KPB date), their customer
        linked to the branch, no chatter; read back from the database."""
        customer = self._customer(71)
        self.env.cr.execute(  # a customer not yet known to the branch
            "DELETE FROM daya_branch_res_partner_rel WHERE partner_id = %s",
            [customer.id],
        )
        self.env.invalidate_all()
        unit = self._unit("MH1MACH01", customer, sale_date=date(2026, 1, 5))
        self.env.cr.execute(
            "DELETE FROM daya_branch_res_partner_rel WHERE partner_id = %s",
            [customer.id],
        )
        self.env.invalidate_all()
        made = self.Wor.with_context(tracking_disable=False)
        leads = made._get_or_create_for_unit_sales(unit, "kpb1")[unit.id]
        leads |= made._get_or_create_for_unit_sales(unit, "kpb2")[unit.id]
        self.env.flush_all()
        self.env.invalidate_all()
        by_hand = self.Wor.new(
            {
                "partner_id": customer.id,
                "unit_sale_id": unit.id,
                "branch_id": self.branch_a.id,
                "wor_type": "kpb1",
            }
        )
        kpb1, kpb2 = leads
        self.assertEqual(kpb1.name, by_hand.name)
        self.assertEqual(kpb1.name, "KPB 1 - Customer 71 - MH1MACH01")
        self.assertEqual(
            [(lead.responsible_role, lead.user_id) for lead in leads],
            [("pic_crm_h1", self.user_pic_h1_a), ("pic_crm_h23", self.user_pic_h23_a)],
        )
        self.assertEqual(
            leads.mapped("kpb_valid_until"), [date(2026, 3, 5), date(2026, 5, 5)]
        )
        self.assertEqual(set(leads.mapped("state")), {"new"})
        self.assertIn(self.branch_a, customer.branch_ids, "the branch sees them")
        self.assertFalse(leads.message_ids)
        self.assertFalse(leads.message_follower_ids)

    def test_kpb_lead_unique_in_the_database(self):
        """A second KPB 2 lead of a motorcycle is refused by the database itself
        (whoever writes it: SQL, the schedule's insert), the regular leads apart."""
        lead = self._lead("kpb2")
        self.env.flush_all()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                """INSERT INTO daya_wor_lead (partner_id, unit_sale_id, branch_id,
                       wor_type, origin, state)
                   SELECT partner_id, unit_sale_id, branch_id, wor_type, origin, state
                     FROM daya_wor_lead WHERE id = %s""",
                [lead.id],
            )
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Wor._create_machine_made([(self.unit, "kpb2")], "h1_h2")
        self._lead("regular")
        self._lead("regular")

    def test_migration_stops_on_duplicate_kpb_leads(self):
        """Upgrading to 16.0.1.2.0 with two KPB 2 leads of one motorcycle stops
        with the leads to clean up (the unique index cannot be made)."""
        migration = importlib.util.spec_from_file_location(
            "daya_crm_wor_pre_migrate_16_0_1_2_0",
            get_module_path("daya_crm_wor") + "/migrations/16.0.1.2.0/pre-migrate.py",
        )
        module = importlib.util.module_from_spec(migration)
        migration.loader.exec_module(module)
        first = self._lead("kpb2")
        self.env.flush_all()
        module.migrate(self.env.cr, "16.0.1.1.0")  # no duplicate: goes on
        self.env.cr.execute("SAVEPOINT test_migration_dup")
        try:
            self.env.cr.execute("DROP INDEX daya_wor_lead_kpb_unit_uniq")
            self.env.cr.execute(
                """INSERT INTO daya_wor_lead (partner_id, unit_sale_id, branch_id,
                       wor_type, origin, state)
                   SELECT partner_id, unit_sale_id, branch_id, wor_type, origin, state
                     FROM daya_wor_lead WHERE id = %s RETURNING id""",
                [first.id],
            )
            second = self.env.cr.fetchone()[0]
            with self.assertRaisesRegex(
                RuntimeError,
                rf"motorcycle \(daya.unit.sale\) {self.unit.id}, kpb2: "
                rf"workshop leads \(daya.wor.lead\) {first.id}, {second}",
            ):
                module.migrate(self.env.cr, "16.0.1.1.0")
        finally:  # the index back, the duplicate gone
            self.env.cr.execute("ROLLBACK TO SAVEPOINT test_migration_dup")
