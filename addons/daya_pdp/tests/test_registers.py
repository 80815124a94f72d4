from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PdpCommon


@tagged("post_install", "-at_install")
class TestRequests(PdpCommon):
    def _request(self, user=None, **values):
        user = user or self.user_pic_h1_a
        return self.Request.with_user(user).create(
            dict(
                {
                    "partner_id": self.customer.id,
                    "request_type": "correction",
                    "branch_id": self.branch_a.id,
                },
                **values,
            )
        )

    def test_due_in_three_days_with_a_reminder(self):
        received = datetime(2026, 3, 2, 9, 0)
        request = self._request(received_at=received)
        self.assertEqual(request.due_at, received + timedelta(hours=72))
        self.assertTrue(request.name.startswith("PDP/"))
        activity = request.activity_ids
        self.assertEqual(activity.user_id, self.user_pic_h1_a)
        self.assertEqual(activity.date_deadline, received.date() + timedelta(days=3))
        Request = self.Request.with_user(self.user_pic_h1_a)
        with freeze_time("2026-03-05 08:59:00"):
            self.assertFalse(Request.search([("is_overdue", "=", True)]))
        with freeze_time("2026-03-05 09:01:00"):
            self.assertEqual(Request.search([("is_overdue", "=", True)]), request)
            self.assertTrue(request.is_overdue)
        request.action_done()
        self.assertEqual(request.state, "done")
        self.assertFalse(request.activity_ids)

    def test_closed_with_its_buttons_only(self):
        request = self._request()
        with self.assertRaises(AccessError):
            request.write({"state": "done"})
        other = self.Partner.create({"name": "Somebody of branch B"})
        with self.assertRaises(AccessError):
            request.write({"partner_id": other.id})  # then exported as this one
        with self.assertRaises(UserError):
            request.action_reject()  # no reason given
        request.resolution = "Not the customer: the caller could not identify."
        request.action_reject()
        self.assertEqual(request.state, "rejected")
        with self.assertRaises(UserError):
            request.action_done()

    def test_withdrawal_request_records_the_withdrawals(self):
        request = self._request(request_type="withdrawal")
        request.action_process()
        withdrawn = self.customer.consent_ids
        self.assertEqual(len(withdrawn), 3, "every purpose")
        self.assertEqual(set(withdrawn.mapped("state")), {"withdrawn"})
        self.assertEqual(set(withdrawn.mapped("channel")), {"request"})
        self.assertEqual(request.state, "done")

    def test_branch_and_role_scope(self):
        request = self._request()
        domain = [("id", "=", request.id)]
        # another branch: nothing, in search, read_group and read
        Other = self.Request.with_user(self.user_branch_head_b)
        self.assertFalse(Other.search(domain))
        self.assertFalse(Other.read_group(domain, ["state"], ["state"]))
        with self.assertRaises(AccessError):
            request.with_user(self.user_branch_head_b).read(["description"])
        with self.assertRaises(AccessError):
            request.with_user(self.user_branch_head_b).write({"description": "x"})
        with self.assertRaises(AccessError):
            self._request(user=self.user_branch_head_b)  # branch A's customer
        # roles without the register
        for user in (self.user_sales_a, self.user_admin_stnk_a, self.user_admin_h1_a):
            with self.assertRaises(AccessError, msg=user.login):
                self.Request.with_user(user).search(domain)
        # the branch's data roles and head office
        for user in (
            self.user_adh_a,
            self.user_pic_h23_a,
            self.user_branch_head_a,
            self.user_head_office,
        ):
            self.assertEqual(self.Request.with_user(user).search(domain), request)
        groups = self.Request.with_user(self.user_adh_a).read_group(
            domain, ["request_type"], ["request_type"]
        )
        self.assertEqual(groups[0]["request_type_count"], 1)


@tagged("post_install", "-at_install")
class TestBreaches(PdpCommon):
    def test_notice_deadline_and_reminder(self):
        detected = datetime(2026, 3, 2, 9, 0)
        Breach = self.env["daya.pdp.breach"].with_user(self.user_branch_head_a)
        breach = Breach.create(
            {
                "name": "Laptop with the customer list stolen",
                "detected_at": detected,
                "affected_count": 120,
                "branch_id": self.branch_a.id,
            }
        )
        self.assertEqual(breach.notice_deadline, detected + timedelta(hours=72))
        activity = breach.activity_ids
        self.assertEqual(activity.user_id, self.user_branch_head_a)
        self.assertEqual(activity.date_deadline, detected.date() + timedelta(days=3))
        with self.assertRaises(AccessError):
            breach.write({"state": "closed"})
        with self.assertRaises(UserError):
            breach.action_close()
        breach.action_notified()
        self.assertEqual(breach.state, "notified")
        self.assertTrue(breach.notified_at)
        self.assertFalse(breach.activity_ids)
        breach.action_close()
        self.assertEqual(breach.state, "closed")

    def test_negative_count_refused(self):
        with self.assertRaises(UserError):
            self.env["daya.pdp.breach"].with_user(self.user_branch_head_a).create(
                {"name": "x", "affected_count": -1}
            )

    def test_branch_and_role_scope(self):
        breach = (
            self.env["daya.pdp.breach"]
            .with_user(self.user_branch_head_a)
            .create({"name": "Leak A", "branch_id": self.branch_a.id})
        )
        domain = [("id", "=", breach.id)]
        Other = self.env["daya.pdp.breach"].with_user(self.user_branch_head_b)
        self.assertFalse(Other.search(domain))
        self.assertFalse(Other.read_group(domain, ["state"], ["state"]))
        with self.assertRaises(AccessError):
            breach.with_user(self.user_branch_head_b).read(["name"])
        with self.assertRaises(AccessError):
            Other.create({"name": "Leak", "branch_id": self.branch_a.id})
        for user in (self.user_sales_a, self.user_adh_a, self.user_pic_h1_a):
            with self.assertRaises(AccessError, msg=user.login):
                self.env["daya.pdp.breach"].with_user(user).create({"name": "x"})
        self.assertEqual(
            self.env["daya.pdp.breach"].with_user(self.user_head_office).search(domain),
            breach,
        )
