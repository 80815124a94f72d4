from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import FollowupCommon


@tagged("post_install", "-at_install")
class TestGatewaySecurity(FollowupCommon):
    """Issue 11.2 and 11.13: the gateway's token is the administrators' alone, and
    so is its test button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gateway = cls.env["daya.message.gateway"].create(
            {
                "name": "Secret WA",
                "channel": "whatsapp",
                "url": "http://127.0.0.1:9/send",
                "api_token": "n0t-for-the-sales-force",
            }
        )
        cls.admin = cls.env.ref("base.user_admin")
        # users allowed to export: the guard, not the export right, must refuse
        export = cls.env.ref("base.group_allow_export")
        (cls.user_sales_a | cls.user_branch_head_a | cls.user_head_office).write(
            {"groups_id": [(4, export.id)]}
        )

    def test_token_out_of_reach(self):
        token = "n0t-for-the-sales-force"
        Log = self.env["daya.message.log"]
        for user in (self.user_sales_a, self.user_branch_head_a, self.user_head_office):
            Gateway = self.env["daya.message.gateway"].with_user(user)
            UserLog = Log.with_user(user)
            calls = {
                "read": lambda G=Gateway: G.browse(self.gateway.id).read(["api_token"]),
                "read_group": lambda G=Gateway: G.read_group(
                    [], ["api_token"], ["api_token"]
                ),
                "read_group count": lambda G=Gateway: G.read_group(
                    [], ["api_token:count_distinct"], ["channel"]
                ),
                "search": lambda G=Gateway: G.search([("api_token", "like", "n%")]),
                "search_count": lambda G=Gateway: G.search_count(
                    [("api_token", "=like", "n0t%")]
                ),
                "order": lambda G=Gateway: G.search([], order="api_token desc"),
                "export": lambda G=Gateway: G.browse(self.gateway.id).export_data(
                    ["api_token"]
                ),
                "search through the log": lambda L=UserLog: L.search(
                    [("gateway_id.api_token", "like", "n%")]
                ),
                "export through the log": lambda L=UserLog: L.export_data(
                    ["gateway_id/api_token"]
                ),
            }
            for name, call in calls.items():
                with self.subTest(user=user.login, call=name):
                    self.env.invalidate_all()
                    with self.assertRaises(AccessError):
                        result = call()
                        self.assertNotIn(token, str(result))
        # the administrator still manages it
        Gateway = self.env["daya.message.gateway"].with_user(self.admin)
        self.assertEqual(Gateway.search([("api_token", "=", token)]), self.gateway)
        self.assertEqual(self.gateway.with_user(self.admin).api_token, token)

    def test_test_button_for_administrators_only(self):
        with self.assertRaises(AccessError):
            self.gateway.with_user(self.user_branch_head_a).action_test()
        with self.assertRaises(AccessError):
            self.gateway.with_user(self.user_head_office).action_test()
