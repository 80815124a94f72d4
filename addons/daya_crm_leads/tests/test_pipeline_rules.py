import json
from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.osv.expression import normalize_domain
from odoo.tests import Form, tagged

from ..models.crm_lead import GUARDED
from .common import PipelineCommon

FORM_VIEW = "crm.crm_lead_view_form"


@tagged("post_install", "-at_install")
class TestPipelineRules(PipelineCommon):
    """Every path to a stage, to ``active``, to ``type`` and to the locked fields
    obeys the same rules as the buttons (issue 11 item 6, issue 12 items 5, 8, 10)."""

    def _won(self):
        lead = self._opportunity()
        lead.action_set_won_rainbowman()
        self.assertEqual(lead.stage_id, self.stage["won"])
        return lead

    def _lose(self, lead):
        wizard = Form(
            self.env["crm.lead.lost"]
            .with_user(lead.env.user)
            .with_context(active_ids=lead.ids, active_model="crm.lead")
        )
        wizard.lost_reason_id = self.reason
        return wizard.save().action_lost_reason_apply()

    def _button_invisible(self, form, name, confirm=None):
        """Whether the form's header button ``name`` (with or without a confirm)
        is hidden for the form's values, evaluated as the web client does."""
        buttons = [
            b
            for b in form._view["tree"].xpath(f"//header/button[@name='{name}']")
            if confirm is None or bool(b.get("confirm")) == confirm
        ]
        self.assertTrue(buttons, name)
        invisible = []
        for button in buttons:
            domain = json.loads(button.get("modifiers", "{}")).get("invisible", False)
            if isinstance(domain, list):
                domain = normalize_domain(domain)
            invisible.append(
                form._get_modifier(
                    "button", "invisible", modmap={"button": {"invisible": domain}}
                )
            )
        return all(invisible)

    # ------------------------------------------------------------
    # issue 11 item 6: stages, active, type, locked fields
    # ------------------------------------------------------------

    def test_create_only_at_new(self):
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        for code in ("fu3", "won"):
            for how in ("values", "context"):
                with self.subTest(stage=code, how=how), self.assertRaises(UserError):
                    values = self._lead_vals(type="opportunity", contact_name="X")
                    if how == "values":
                        Lead.create(dict(values, stage_id=self.stage[code].id))
                    else:
                        Lead.with_context(default_stage_id=self.stage[code].id).create(
                            values
                        )
        with self.assertRaises(UserError):
            Lead.create(self._lead_vals(type="opportunity", active=False))
        lead = Lead.create(self._lead_vals(type="opportunity", contact_name="Ok"))
        self.assertEqual(lead.stage_id, self.stage["new"])

    def test_lead_number_given_once(self):
        """Issue 12: lead numbers are unique and increasing (README: not gapless):
        only the sequence gives them, at creation; no user rewrites one."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        first, second = Lead.create(
            [
                self._lead_vals(contact_name="First"),
                self._lead_vals(contact_name="Second"),
            ]
        )
        self.assertLess(first.lead_number, second.lead_number)
        for user in (self.user_sales_a, self.user_sales_admin_a, self.user_area):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(UserError, "lead number"),
            ):
                second.with_user(user).write({"lead_number": first.lead_number})
        opportunity = self._opportunity()
        with self.assertRaisesRegex(UserError, "lead number"):
            opportunity.write({"lead_number": "LD/2026/000001"})
        # the form may send the number unchanged
        second.write({"lead_number": second.lead_number})
        # a number given to create is replaced by the sequence's
        third = Lead.create(
            self._lead_vals(contact_name="Third", lead_number=first.lead_number)
        )
        self.assertLess(second.lead_number, third.lead_number)
        self.assertNotEqual(
            opportunity.lead_number, "LD/2026/000001", "nothing half-written"
        )

    def test_copy_is_a_fresh_lead(self):
        won = self._won()
        copy = won.copy()
        self.assertEqual(copy.stage_id, self.stage["new"])
        self.assertEqual(copy.type, "lead")
        self.assertTrue(copy.active)
        self.assertLess(copy.probability, 100)
        self.assertFalse(copy.fu1_date)

    def test_type_cannot_be_toggled(self):
        won = self._won()
        with self.assertRaises(UserError):
            won.write({"type": "lead"})
        self.assertEqual(won.type, "opportunity")
        lost = self._opportunity()
        self._lose(lost)
        for call in (
            lambda: lost.write({"type": "lead"}),
            lambda: lost.write({"type": "lead", "active": True}),
            lost.action_unarchive,
        ):
            with self.assertRaises(UserError):
                call()
        self.assertFalse(lost.active)
        self.assertEqual(lost.type, "opportunity")

    def test_won_probability_locked(self):
        won = self._won()
        with self.assertRaises(UserError):
            won.write({"probability": 3})
        self.assertEqual(won.probability, 100)

    def test_lost_only_with_reason(self):
        lead = self._opportunity()
        for call in (
            lead.action_archive,
            lead.toggle_active,
            lambda: lead.write({"active": False}),
        ):
            with self.subTest(call=call), self.assertRaises(UserError):
                call()
        self.assertTrue(lead.active)
        self._lose(lead)
        self.assertFalse(lead.active)
        self.assertEqual(lead.lost_reason_id, self.reason)
        self.assertEqual(lead.probability, 0)

    def test_won_not_deleted(self):
        won = self._won()
        with self.assertRaises(UserError):
            won.with_user(self.user_branch_head_a).unlink()
        self.assertTrue(won.exists())
        # an open opportunity may still be removed by the branch head
        self._opportunity().with_user(self.user_branch_head_a).unlink()

    # ------------------------------------------------------------
    # issue 12 item 5: won is final
    # ------------------------------------------------------------

    def test_won_cannot_be_lost(self):
        won = self._won()
        with self.assertRaises(UserError):
            self._lose(won)
        with self.assertRaises(UserError):
            won.action_set_lost(lost_reason_id=self.reason.id)
        self.assertTrue(won.active)
        self.assertEqual(won.stage_id, self.stage["won"])
        form = Form(won, view=FORM_VIEW)
        self.assertTrue(self._button_invisible(form, "%d" % self._lost_action().id))
        self.assertFalse(self._button_invisible(form, "action_create_dealer_memo"))

    def _lost_action(self):
        return self.env.ref("crm.crm_lead_lost_action")

    # ------------------------------------------------------------
    # issue 12 item 8: what the model locks, the form shows locked
    # ------------------------------------------------------------

    def test_form_locks_what_model_locks(self):
        lead = self._opportunity()
        form = Form(lead, view=FORM_VIEW)
        for fname in ("phone", "email_from", "user_id", "lead_category"):
            with self.subTest(field=fname), self.assertRaises(AssertionError):
                setattr(form, fname, False)
        form.date_deadline = fields.Date.context_today(lead)  # editable at New
        form.save()
        # every guarded field of the form: read-only exactly where the model refuses
        Lead = self.env["crm.lead"]
        lead.action_follow_up_1()
        won = self._won()
        lost = self._opportunity()
        self._lose(lost)
        for record, state in ((lead, "fu1"), (won, "won"), (lost, "lost")):
            form = Form(record, view=FORM_VIEW)
            self.assertEqual(form.daya_lock_state, state)
            editable = Lead._daya_editable_fields(state)
            guarded = [
                fname
                for fname in GUARDED & set(form._view["fields"])
                if not Lead._fields[fname].readonly
            ]
            self.assertGreater(len(guarded), 20)
            for fname in guarded:
                with self.subTest(state=state, field=fname):
                    self.assertEqual(
                        form._get_modifier(fname, "readonly"), fname not in editable
                    )

    def test_new_opportunity_form_can_be_filled(self):
        """Creating from the pipeline opens the full form (no quick create) where the
        required lead fields can be filled."""
        kanban = self.env["crm.lead"].get_views([(False, "kanban")])["views"]["kanban"]
        self.assertIn('quick_create="false"', kanban["arch"])
        self.assertNotIn('on_create="quick_create"', kanban["arch"])
        form = Form(
            self.env["crm.lead"]
            .with_user(self.user_sales_a)
            .with_context(default_type="opportunity"),
            view=FORM_VIEW,
        )
        form.name = "From the pipeline"
        form.contact_name = "Pipeline Customer"
        form.lead_category = "prospect"
        form.occupation_id = self.occupation
        form.payment_type = "cash"
        lead = form.save()
        self.assertEqual((lead.type, lead.stage_id), ("opportunity", self.stage["new"]))

    # ------------------------------------------------------------
    # issue 12 item 10: Customer Refused checks before asking
    # ------------------------------------------------------------

    def test_customer_refused_checks_before_confirm(self):
        lead = self._opportunity()
        lead.action_follow_up_1()
        form = Form(lead, view=FORM_VIEW)
        # no next plan date: no confirmation is asked; the action says what's missing
        self.assertTrue(
            self._button_invisible(form, "action_customer_refused", confirm=True)
        )
        self.assertFalse(
            self._button_invisible(form, "action_customer_refused", confirm=False)
        )
        with self.assertRaises(UserError) as err:
            lead.action_customer_refused()
        self.assertIn("next plan date", str(err.exception))
        self.assertFalse(lead.customer_status, "nothing half-written")
        form.fu2_plan_date = fields.Date.context_today(lead)
        self.assertFalse(
            self._button_invisible(form, "action_customer_refused", confirm=True)
        )
        self.assertTrue(
            self._button_invisible(form, "action_customer_refused", confirm=False)
        )

    # ------------------------------------------------------------
    # issue 12 item 4: HOT / MEDIUM / LOW on a lead
    # ------------------------------------------------------------

    @freeze_time("2026-03-02")
    def test_lead_status_and_expected_closing(self):
        form = Form(self.env["crm.lead"].with_user(self.user_sales_a), view=FORM_VIEW)
        self.assertEqual(form.type, "lead")
        self.assertFalse(form._get_modifier("date_deadline", "invisible"))
        self.assertFalse(form._get_modifier("prospect_status", "readonly"))
        node = form._view["tree"].xpath("//field[@name='prospect_status']")[0]
        self.assertNotEqual(node.get("widget"), "badge", "a badge can't be chosen")
        form.name = "Status lead"
        form.contact_name = "Status Customer"
        form.lead_category = "prospect"
        form.occupation_id = self.occupation
        form.payment_type = "cash"
        form.prospect_status = "medium"
        self.assertEqual(form.date_deadline, date(2026, 3, 22))
        form.prospect_status = "hot"
        self.assertEqual(form.date_deadline, date(2026, 3, 12))
        lead = form.save()
        self.assertEqual(
            (lead.prospect_status, lead.date_deadline), ("hot", date(2026, 3, 12))
        )
        # a status contradicting the kept expected closing is refused
        with self.assertRaises(ValidationError):
            lead.write({"prospect_status": "low"})

    # ------------------------------------------------------------
    # issue 11 item 12: bad input on the lead
    # ------------------------------------------------------------

    @freeze_time("2026-03-02")
    def test_bad_input_refused(self):
        lead = self._opportunity(payment_type="credit", leasing_id=self.leasing.id)
        not_leasing = self.env["res.partner"].create({"name": "Toko Biasa"})
        cases = [
            ({"down_payment": 1e15}, "Down Payment"),
            ({"down_payment": 1e308}, "Down Payment"),
            ({"down_payment": -5000}, "Down Payment"),
            ({"leasing_id": not_leasing.id}, "Leasing"),
            ({"date_deadline": "1900-01-01"}, "Expected Closing"),
            ({"date_deadline": "9999-12-31"}, "Expected Closing"),
            ({"occupation_id": 999999999}, "Occupation"),
        ]
        for values, label in cases:
            with self.subTest(values=values):
                with self.assertRaises(ValidationError) as err:
                    with self.env.cr.savepoint():
                        lead.write(values)
                self.assertIn(label, str(err.exception))
        self.assertIn("18,650,000", str(self._error(lead, {"down_payment": 2e7})))
        lead.invalidate_recordset()
        self.assertEqual(lead.down_payment, 0)
        self.assertEqual(lead.leasing_id, self.leasing)
        # the same through create
        Lead = self.env["crm.lead"].with_user(self.user_sales_a)
        for values, _label in cases:
            with self.subTest(create=values), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    Lead.create(
                        dict(
                            self._lead_vals(
                                payment_type="credit",
                                leasing_id=self.leasing.id,
                                motor_type_id=self.type_beat.id,
                            ),
                            **values,
                        )
                    )
        # within range
        lead.write({"down_payment": 18650000, "date_deadline": "2026-03-20"})

    def _error(self, lead, values):
        with self.assertRaises(ValidationError) as err:
            with self.env.cr.savepoint():
                lead.write(values)
        return err.exception
