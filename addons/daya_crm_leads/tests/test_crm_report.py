import base64
import io
import re
import zipfile
from datetime import datetime, timedelta
from xml.etree import ElementTree

import xlrd
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon

from .test_crm_report_security import XLSX_NS, CrmReportCase, xlsx_cells


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


def xlsx_number_formats(content):
    """{cell reference: (value, number format code)} of the numeric cells of the
    first sheet, read from the file's XML (styles.xml gives each cell's format)."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    codes = {
        node.get("numFmtId"): node.get("formatCode")
        for node in styles.iterfind("m:numFmts/m:numFmt", XLSX_NS)
    }
    xfs = [xf.get("numFmtId") for xf in styles.iterfind("m:cellXfs/m:xf", XLSX_NS)]
    cells = {}
    for cell in sheet.iter("{%s}c" % XLSX_NS["m"]):
        value = cell.find("m:v", XLSX_NS)
        if cell.get("t") is None and value is not None:
            fmt = xfs[int(cell.get("s", 0))]
            cells[cell.get("r")] = (float(value.text), codes.get(fmt, fmt))
    return cells


def column_of(cells, text):
    """Column letters of the header cell reading ``text``."""
    refs = [ref for ref, cell in cells.items() if cell[2] == text and ref[-1] == "1"]
    return re.match(r"[A-Z]+", refs[0]).group()


def row_of(cells, text):
    """Row number of the cell reading ``text``."""
    refs = [ref for ref, cell in cells.items() if cell[2] == text]
    return re.search(r"\d+", refs[0]).group()


@tagged("post_install", "-at_install")
class TestCrmReportLostAndDates(CrmReportCase):
    """Issue 12, the report: a filter for lost opportunities, what was exported in
    the file name, real date cells."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the memo of salesperson A went to the won opportunity: a new one
        cls.env["daya.sales.memo"].create(
            {
                "name": "T-SM-sales_a-2",
                "branch_id": cls.branch_a.id,
                "user_id": cls.user_sales_a.id,
                "state": "distributed",
            }
        )
        Lead = cls.env["crm.lead"].with_user(cls.user_sales_a)
        cls.lost, cls.open = Lead.create(
            [
                cls._lead_vals(name="Lost one", contact_name="Lost Buyer"),
                cls._lead_vals(name="Open one", contact_name="Open Buyer"),
            ]
        )
        for lead in cls.lost | cls.open:
            lead.convert_opportunity(lead.partner_id)
            lead.action_follow_up_1()
        cls.lost.action_set_lost(
            lost_reason_id=cls.env.ref("daya_crm_leads.lost_reason_other_dealer").id
        )
        cls.closed_lead = Lead.create(cls._lead_vals(name="Closed lead"))
        cls.closed_lead.action_set_lost()

    def _numbers(self, content):
        cells = xlsx_cells(content)
        column = column_of(cells, "Lead Number")
        return {
            text
            for ref, (_kind, _formula, text) in cells.items()
            if re.fullmatch(column + r"\d+", ref) and text != "Lead Number"
        }

    def test_lost_filter(self):
        # the report's day: in the user's time zone, else the dealer's (WIB)
        today = (
            self.env["daya.crm.report.wizard"]
            .with_user(self.user_pic_h1_a)
            ._report_today()
        )
        attachment, content = self._export(
            self.user_pic_h1_a,
            report_type="opportunity",
            outcome="lost",
            period_type="day",
        )
        self.assertEqual(self._numbers(content), {self.lost.lead_number})
        cells = xlsx_cells(content)
        row = row_of(cells, self.lost.lead_number)
        self.assertEqual(cells[column_of(cells, "Status") + row][2], "Lost")
        self.assertEqual(
            cells[column_of(cells, "Lost Reason") + row][2],
            self.lost.lost_reason_id.name,
        )
        self.assertEqual(
            attachment.name,
            "CRM Report - Opportunity - Lost - %s.xlsx" % today.isoformat(),
        )
        # the leads closed are lost too; "All" keeps every record, open, won and lost
        _attachment, content = self._export(
            self.user_pic_h1_a, report_type="lead", outcome="lost", period_type="day"
        )
        self.assertEqual(self._numbers(content), {self.closed_lead.lead_number})
        attachment, content = self._export(self.user_pic_h1_a, period_type="month")
        self.assertLessEqual(
            {
                self.lost.lead_number,
                self.open.lead_number,
                self.won.lead_number,
                self.closed_lead.lead_number,
            },
            self._numbers(content),
        )
        self.assertEqual(
            attachment.name, "CRM Report - All - %s.xlsx" % today.strftime("%Y-%m")
        )
        _attachment, content = self._export(
            self.user_pic_h1_a, report_type="opportunity", outcome="open"
        )
        numbers = self._numbers(content)
        self.assertIn(self.open.lead_number, numbers)
        self.assertFalse({self.lost.lead_number, self.won.lead_number} & numbers)
        _attachment, content = self._export(
            self.user_pic_h1_a, report_type="opportunity", outcome="won"
        )
        self.assertEqual(self._numbers(content), {self.won.lead_number})

    def test_file_name_of_dates_set_by_hand(self):
        attachment, _content = self._export(
            self.user_pic_h1_a,
            report_type="lead",
            date_from="2026-04-01",
            date_to="2026-04-15",
        )
        self.assertEqual(
            attachment.name, "CRM Report - Leads - 2026-04-01_2026-04-15.xlsx"
        )

    def test_dates_are_date_cells(self):
        _attachment, content = self._export(
            self.user_pic_h1_a, report_type="opportunity", period_type="day"
        )
        cells = xlsx_cells(content)
        numbers = xlsx_number_formats(content)
        row = row_of(cells, self.lost.lead_number)
        epoch = datetime(1899, 12, 30)  # day 0 of a spreadsheet's dates
        serial, code = numbers[column_of(cells, "Follow Up 1") + row]
        self.assertEqual(code, "dd/mm/yyyy")
        self.assertEqual((epoch + timedelta(days=serial)).date(), self.lost.fu1_date)
        serial, code = numbers[column_of(cells, "Input Date") + row]
        self.assertEqual(code, "dd/mm/yyyy hh:mm")
        local = fields.Datetime.context_timestamp(
            self.lost.with_user(self.user_pic_h1_a), self.lost.create_date
        ).replace(tzinfo=None)
        self.assertLess(
            abs(epoch + timedelta(days=serial) - local), timedelta(seconds=1)
        )
