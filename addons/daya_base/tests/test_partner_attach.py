from odoo.tests import tagged

from .common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestPartnerAttachBatch(DayaCrmCommon):
    """Attaching customers of another branch (an import, leads) logs one note per
    customer in its chatter, all written at once: the queries do not grow with
    the number of customers."""

    def _attach(self, count, start):
        partners = self.env["res.partner"].create(
            [
                {"name": "Attach %s" % index, "branch_ids": [(6, 0, self.branch_a.ids)]}
                for index in range(start, start + count)
            ]
        )
        self.env.flush_all()
        before = self.cr.sql_log_count
        partners.with_user(self.user_sales_b)._daya_attach(self.branch_b)
        self.env.flush_all()
        return self.cr.sql_log_count - before, partners

    def test_attach_logged_flat_in_batch_size(self):
        self._attach(1, 0)  # caches filled
        one, _partner = self._attach(1, 10)
        many, partners = self._attach(20, 20)
        self.assertEqual(many, one, "attaching 20 customers costs as much as one")
        for partner in partners:
            self.assertEqual(partner.sudo().branch_ids, self.branch_a | self.branch_b)
            notes = partner.message_ids.filtered(
                lambda m: "Attached to branch" in (m.body or "")
            )
            self.assertEqual(len(notes), 1)
            self.assertEqual(
                notes.body,
                "<p>Attached to branch %s by Sales B.</p>" % self.branch_b.display_name,
            )
            self.assertEqual(notes.author_id, self.user_sales_b.partner_id)
            self.assertEqual(notes.message_type, "comment")
            self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))
            self.assertTrue(notes.is_internal)
            # the attaching user follows the customer, as before
            self.assertIn(
                self.user_sales_b.partner_id, partner.message_follower_ids.partner_id
            )
        log = self.env["daya.partner.access.log"].search(
            [("partner_id", "in", partners.ids), ("access_type", "=", "attach")]
        )
        self.assertEqual(log.partner_id, partners)
