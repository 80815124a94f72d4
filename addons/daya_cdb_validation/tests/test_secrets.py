from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.daya_cdb_validation import TOKEN_CONTEXT_KEY
from .common import DayaCdbCommon


@tagged("post_install", "-at_install")
class TestValidationSecrets(DayaCdbCommon):
    """Issue 11.2: no readable token. The link's token is never stored (only its
    hash, administrators only), and no field restricted by groups can be reached
    by search, group by, order or export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # users allowed to export: the guard, not the export right, must refuse
        export = cls.env.ref("base.group_allow_export")
        (cls.user_sales_a | cls.user_admin_stnk_a | cls.user_area).write(
            {"groups_id": [(4, export.id)]}
        )

    def test_no_token_in_the_database(self):
        sent = self._send(self.customer)
        token = sent.sudo().access_token
        self.assertEqual(len(token), 43, "the sender sees the link once")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT to_jsonb(v)::text FROM daya_cdb_validation v WHERE id = %s",
            (sent.id,),
        )
        self.assertNotIn(token, self.env.cr.fetchone()[0])
        # a later read, even by the reviewer, gives no token
        self.env.invalidate_all()
        fresh = self.env["daya.cdb.validation"].with_user(self.user_admin_stnk_a)
        [values] = fresh.browse(sent.id).read(["access_token", "validation_url"])
        self.assertFalse(values["access_token"])
        self.assertFalse(values["validation_url"])
        # the customer's link still opens the request
        self.assertEqual(fresh._get_by_token(token), sent)

    def test_no_secret_by_grouping_searching_or_exporting(self):
        sent = self._send(self.customer)
        token = sent.sudo().access_token
        digest = sent.sudo().access_token_hash
        for user in (self.user_sales_a, self.user_admin_stnk_a, self.user_area):
            Validation = self.env["daya.cdb.validation"].with_user(user)
            calls = {
                "read_group hash": lambda V=Validation: V.read_group(
                    [], ["access_token_hash"], ["access_token_hash"]
                ),
                "read_group token": lambda V=Validation: V.read_group(
                    [], ["access_token"], ["access_token"]
                ),
                "search token": lambda V=Validation: V.search(
                    [("access_token", "like", token[:1] + "%")]
                ),
                "search hash": lambda V=Validation: V.search(
                    [("access_token_hash", "=like", digest[:1] + "%")]
                ),
                "order by hash": lambda V=Validation: V.search(
                    [], order="access_token_hash"
                ),
                "export": lambda V=Validation: V.browse(sent.id).export_data(
                    ["access_token_hash"]
                ),
            }
            for name, call in calls.items():
                with self.subTest(user=user.login, call=name):
                    self.env.invalidate_all()
                    try:
                        result = call()
                    except (UserError, ValueError):
                        continue  # refused: the right answer
                    self.assertNotIn(token, str(result))
                    self.assertNotIn(digest, str(result))
                    self.fail(f"{name} answered {result!r}")
        # the sales force does not even read the link
        with self.assertRaises(AccessError):
            sent.with_user(self.user_sales_a).read(["access_token"])

    def test_resend_needs_the_senders_role(self):
        """A role that only reads validations (Sales Force, Sales Admin) renews no
        waiting link: the new link, with the customer's data behind it, would come
        back to them."""
        sent = self._send(self.customer)
        hash_before = sent.sudo().access_token_hash
        for user in (self.user_sales_a, self.user_sales_admin_a):
            with self.assertRaises(AccessError, msg=user.login):
                sent.with_user(user).action_resend()
        self.assertEqual(sent.sudo().access_token_hash, hash_before)
        # the senders' roles still resend, and see the new link once
        action = sent.with_user(self.user_admin_stnk_a).action_resend()
        token = action["context"][TOKEN_CONTEXT_KEY]
        self.assertEqual(sent._get_by_token(token), sent)
        self.assertNotEqual(sent.sudo().access_token_hash, hash_before)
        sent.with_user(self.user_pic_h1_a).action_resend()
