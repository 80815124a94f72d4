from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SECRET, START, WEEK_1, DmsCommon


@tagged("post_install", "-at_install")
class TestDmsSecurity(DmsCommon):
    """Issue 13: the key and secret are the administrators'; a connection and its
    logs are seen by administrators, head office and the heads of its branches."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        export = cls.env.ref("base.group_allow_export")
        (cls.user_branch_head_a | cls.user_head_office | cls.user_area).write(
            {"groups_id": [(4, export.id)]}
        )
        cls.log = cls.backend._dms_pull("prsp", START, WEEK_1)

    def test_secret_out_of_reach(self):
        for user in (self.user_branch_head_a, self.user_area, self.user_head_office):
            Backend = self.env["daya.dms.backend"].with_user(user)
            Log = self.env["daya.dms.log"].with_user(user)
            calls = {
                "read": lambda B=Backend: B.browse(self.backend.id).read(
                    ["api_secret"]
                ),
                "read key": lambda B=Backend: B.browse(self.backend.id).read(
                    ["api_key"]
                ),
                "search_read": lambda B=Backend: B.search_read([], ["api_secret"]),
                "read_group": lambda B=Backend: B.read_group(
                    [], ["api_secret"], ["api_secret"]
                ),
                "search": lambda B=Backend: B.search([("api_secret", "like", "s%")]),
                "order": lambda B=Backend: B.search([], order="api_key"),
                "export": lambda B=Backend: B.browse(self.backend.id).export_data(
                    ["api_secret"]
                ),
                "search through the log": lambda L=Log: L.search(
                    [("backend_id.api_secret", "=like", "s3%")]
                ),
                "rejected payloads": lambda L=Log: L.browse(self.log.id).read(
                    ["rejected_payloads"]
                ),
            }
            for name, call in calls.items():
                with self.subTest(user=user.login, call=name):
                    self.env.invalidate_all()
                    with self.assertRaises(AccessError):
                        result = call()
                        self.assertNotIn(SECRET, str(result))
            # what they may see: the connection and its logs, without secrets
            values = Backend.browse(self.backend.id).read(["name", "prsp_cursor"])
            self.assertNotIn("api_secret", values[0])
            self.assertEqual(Log.browse(self.log.id).rejected, 1)
        Backend = self.env["daya.dms.backend"].with_user(self.admin)
        self.assertEqual(Backend.search([("api_secret", "=", SECRET)]), self.backend)

    def test_branch_scope(self):
        """A branch head of another branch sees neither the connection nor its
        logs; salespeople have no access to them."""
        Backend = self.env["daya.dms.backend"]
        self.assertEqual(
            Backend.with_user(self.user_branch_head_a).search([]), self.backend
        )
        self.assertFalse(Backend.with_user(self.user_branch_head_b).search([]))
        self.assertFalse(
            self.env["daya.dms.log"].with_user(self.user_branch_head_b).search([])
        )
        for user in (self.user_sales_a, self.user_pic_h23_a, self.user_adh_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Backend.with_user(user).search([])
        # the synced leads follow the branch rules of leads
        Lead = self.env["crm.lead"]
        synced = self._leads()
        self.assertTrue(synced)
        self.assertFalse(
            Lead.with_user(self.user_sales_b).search([("id", "in", synced.ids)])
        )

    def test_buttons_for_administrators(self):
        for user in (self.user_branch_head_a, self.user_head_office):
            backend = self.backend.with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    backend.action_test_connection()
                with self.assertRaises(AccessError):
                    backend.action_pull_now()
        result = self.backend.with_user(self.admin).action_test_connection()
        self.assertEqual(result["params"]["type"], "success")

    def test_dms_ids_written_by_the_sync_only(self):
        lead = self._leads()[:1]
        with self.assertRaises(UserError):
            lead.with_user(self.user_branch_head_a).write({"dms_prospect_id": "X-1"})
        with self.assertRaises(UserError):
            self.env["crm.lead"].with_user(self.user_sales_a).create(
                self._lead_vals(dms_spk_id="X-2")
            )
