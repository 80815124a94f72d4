import base64
from datetime import datetime

import xlrd
from freezegun import freeze_time

from odoo.tests import tagged

from .common import DayaCrmCommon


@tagged("post_install", "-at_install")
class TestCrmReport(DayaCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # create_date comes from the database clock: set the cursor's
        cls.env.cr._now = datetime(2026, 4, 10, 3, 0)
        with freeze_time("2026-04-10 03:00:00"):
            Lead = cls.env["crm.lead"]
            cls.lead_a = Lead.with_user(cls.user_sales_a).create(
                cls._lead_vals(name="April lead A", contact_name="Ani")
            )
            cls.opp_a = Lead.with_user(cls.user_sales_a).create(
                cls._lead_vals(
                    name="April opp A", contact_name="Budi", mobile="0812-7777-1111"
                )
            )
            cls.opp_a.convert_opportunity(cls.opp_a.partner_id)
            cls.lead_b = Lead.with_user(cls.user_sales_b).create(
                cls._lead_vals(name="April lead B", contact_name="Cici")
            )
        cls.env.cr._now = datetime(2026, 5, 2, 3, 0)
        with freeze_time("2026-05-02 03:00:00"):
            cls.may_a = (
                cls.env["crm.lead"]
                .with_user(cls.user_sales_a)
                .create(cls._lead_vals(name="May lead A", contact_name="Dodi"))
            )
        cls.env.flush_all()
        cls.env.cr._now = None

    def _export(self, user, **values):
        if "branch_ids" in values:
            values["branch_ids"] = [(6, 0, values["branch_ids"].ids)]
        wizard = self.env["daya.crm.report.wizard"].with_user(user).create(values)
        action = wizard.action_export()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        book = xlrd.open_workbook(file_contents=base64.b64decode(attachment.datas))
        sheet = book.sheet_by_index(0)
        rows = [sheet.row_values(i) for i in range(sheet.nrows)]
        return rows[0], rows[1:]

    def test_month_all_types(self):
        header, rows = self._export(
            self.user_area,
            period_type="month",
            period_date="2026-04-15",
            branch_ids=self.branch_a | self.branch_b,
        )
        for column in (
            "Lead Number",
            "Branch Code",
            "Category",
            "Cash / Credit",
            "Follow Up 1",
        ):
            self.assertIn(column, header)
        names = {row[header.index("Lead Number")] for row in rows}
        self.assertEqual(
            names,
            {self.lead_a.lead_number, self.opp_a.lead_number, self.lead_b.lead_number},
        )

    def test_day_and_type_filters(self):
        header, rows = self._export(
            self.user_area,
            report_type="opportunity",
            period_type="day",
            period_date="2026-04-10",
            branch_ids=self.branch_a,
        )
        self.assertEqual(
            [r[header.index("Lead Number")] for r in rows], [self.opp_a.lead_number]
        )
        header, rows = self._export(
            self.user_area,
            report_type="lead",
            period_type="day",
            period_date="2026-05-02",
            branch_ids=self.branch_a,
        )
        self.assertEqual(
            [r[header.index("Lead Number")] for r in rows], [self.may_a.lead_number]
        )

    def test_branch_user_exports_only_own_branch(self):
        header, rows = self._export(
            self.user_branch_head_a,
            period_type="month",
            period_date="2026-04-01",
            branch_ids=self.branch_a | self.branch_b,
        )
        codes = {row[header.index("Branch Code")] for row in rows}
        self.assertEqual(codes, {self.branch_a.code})
