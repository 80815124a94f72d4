import base64
import io
import re
import tracemalloc
from datetime import date, datetime, timedelta

import xlsxwriter
from freezegun import freeze_time
from psycopg2 import sql

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.daya_crm_followup.wizard.daya_unit_import import QUIET_CONTEXT
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import FollowupCommon

HEADER = (
    "branch_code;frame_number;engine_number;customer_name;nik;mobile;city;"
    "motor_type;color;sale_date;delivery_date;payment_type;leasing;tenor;premium;"
    "serviced_elsewhere"
)


@tagged("post_install", "-at_install")
class TestImport(FollowupCommon):
    def _import(self, rows, user=None):
        content = "\n".join([HEADER, *rows]).encode()
        wizard = (
            self.env["daya.unit.import"]
            .with_user(user or self.user_pic_h23_a)
            .create({"file_data": base64.b64encode(content), "file_name": "a2.csv"})
        )
        wizard.action_import()
        return wizard

    @freeze_time("2026-11-20")
    def test_good_and_bad_rows_and_reimport(self):
        code, beat = self.branch_a.code, self.type_beat.name
        rows = [
            # new customer and motorcycle, serviced elsewhere for KPB 1 (ended)
            f"{code};mh1imp0001;E1;Budi Import;3273010101900001;0812-6000-0001;Bandung;"
            f"{beat};T Red;2026-03-02;2026-03-04;cash;;;1;kpb1",
            # the known customer (same phone): linked, not duplicated
            f"{code};MH1IMP0002;E2;Rina Again;;+62 857 1111 2222;Bandung;"
            f"{beat};T Black;02/03/2026;;credit;PT Adira Dinamika Multi Finance;24;0;",
            # the motorcycle already recorded: updated
            f"{code};MH1TEST0001;E3;Rina;;0857-1111-2222;;{beat};T Black;"
            "2026-03-02;2026-03-05;cash;;;1;",
            f"XX;MH1IMP0003;E4;Bad Branch;;0812-6000-0003;;{beat};T Red;"
            "2026-03-02;;cash;;;;",
            f"{code};MH1IMP0004;E5;Bad Phone;;12;;{beat};T Red;2026-03-02;;cash;;;;",
            f"{code};MH1IMP0005;E6;Bad Date;;0812-6000-0005;;{beat};T Red;"
            "31/31/2026;;cash;;;;",
            f"{code};MH1IMP0006;E7;Bad Type;;0812-6000-0006;;Vespa;Red;"
            "2026-03-02;;cash;;;;",
        ]
        wizard = self._import(rows)
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.rejected_count),
            (2, 1, 4),
        )
        reasons = wizard.line_ids.filtered(
            lambda line: line.status == "rejected"
        ).mapped("reason")
        self.assertIn("Unknown branch code XX.", reasons)
        self.assertTrue(any("not a valid phone number" in r for r in reasons))
        self.assertTrue(any("not a date" in r for r in reasons))
        self.assertTrue(any("Unknown motorcycle" in r for r in reasons))
        units = self.env["daya.unit.sale"].search([("frame_number", "like", "MH1IMP")])
        self.assertEqual(len(units), 2)
        budi = units.filtered(lambda u: u.frame_number == "MH1IMP0001")
        self.assertEqual(budi.partner_id.nik, "3273010101900001")
        self.assertEqual(budi.origin, "import")
        self.assertTrue(budi.is_premium)
        rina = units.filtered(lambda u: u.frame_number == "MH1IMP0002")
        self.assertEqual(rina.partner_id, self.customer)
        self.assertEqual((rina.payment_type, rina.tenor), ("credit", 24))
        self.assertEqual(self.unit.delivery_date, date(2026, 3, 5))
        self.assertTrue(self.unit.is_premium)
        # KPB 1 of March ended in May: lost, serviced elsewhere
        leads = self.env["daya.wor.lead"].search([("unit_sale_id", "=", budi.id)])
        lead = leads.filtered(lambda lead: lead.wor_type == "kpb1")
        self.assertEqual((lead.wor_type, lead.state), ("kpb1", "lost"))
        # the delivered unit's KPBs still valid are workshop leads at once
        self.assertTrue(leads - lead)
        self.assertEqual(set((leads - lead).mapped("state")), {"new"})
        self.assertEqual(lead.lost_reason, "serviced_elsewhere")
        # the same file again: nothing new
        partners = self.env["res.partner"].search_count([])
        again = self._import(rows)
        self.assertEqual((again.created_count, again.updated_count), (0, 3))
        self.assertEqual(
            self.env["daya.unit.sale"].search_count(
                [("frame_number", "like", "MH1IMP")]
            ),
            2,
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(
            self.env["daya.wor.lead"].search_count([("unit_sale_id", "=", budi.id)]),
            len(leads),
        )

    def test_uploaded_file_is_its_uploaders(self):
        """Issue 11.3: another user (another branch's PIC CRM, or a colleague)
        reads neither the uploaded file nor the import's result; head office
        does."""
        row = (
            f"{self.branch_a.code};MH1IMP0009;E9;Budi Import;;0812-6000-0009;;"
            f"{self.type_beat.name};T Red;2026-03-02;;cash;;;;"
        )
        wizard = self._import([row], user=self.user_pic_h1_a)
        wizard.with_user(self.user_pic_h1_a).read(["file_data", "line_ids"])
        pic_b = mail_new_test_user(
            self.env,
            login="t_pich23_b",
            groups="daya_base.group_daya_pic_crm_h23",
            branch_id=self.branch_b.id,
            branch_ids=[(6, 0, self.branch_b.ids)],
        )
        self.env.invalidate_all()
        for user in (pic_b, self.user_pic_h23_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                wizard.with_user(user).read(["file_data"])
            self.assertFalse(
                self.env["daya.unit.import"].with_user(user).search([]) & wizard
            )
        wizard.with_user(self.user_head_office).read(["file_data"])

    def test_uploads_older_than_a_day_are_removed(self):
        row = (
            f"{self.branch_a.code};MH1IMP0010;E10;Budi Import;;0812-6000-0010;;"
            f"{self.type_beat.name};T Red;2026-03-02;;cash;;;;"
        )
        old = self._import([row], user=self.user_pic_h1_a)
        new = self._import([row], user=self.user_pic_h1_a)
        files = self.env["ir.attachment"].search(
            [
                ("res_model", "=", old._name),
                ("res_id", "=", old.id),
                ("res_field", "=", "file_data"),
            ]
        )
        self.assertTrue(files, "the upload is an attachment of its import")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE daya_unit_import SET create_date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(days=1, minutes=1), old.id),
        )
        self.env.invalidate_all()
        self.env["daya.unit.import"]._gc_uploads()
        self.assertFalse(old.exists())
        self.assertFalse(files.exists())
        self.assertTrue(new.exists())

    def test_customer_of_another_branch_attached(self):
        """Issue 11 item 1: the import finds a customer of another branch by NIK
        (exact identity) and attaches them, instead of a duplicate NIK."""
        other = (
            self.env["res.partner"]
            .with_user(self.user_sales_b)
            .create({"name": "Budi B", "nik": "3273010101900001"})
        )
        self.assertEqual(other.sudo().branch_ids, self.branch_b)
        code, beat = self.branch_a.code, self.type_beat.name
        wizard = self._import(
            [
                f"{code};MH1IMP0101;E1;Budi B;3273010101900001;0812-6000-0101;"
                f"Bandung;{beat};T Red;2026-03-02;;cash;;;;"
            ]
        )
        self.assertEqual((wizard.created_count, wizard.rejected_count), (1, 0))
        unit = self.env["daya.unit.sale"].search([("frame_number", "=", "MH1IMP0101")])
        self.assertEqual(unit.partner_id, other)
        self.assertEqual(other.sudo().branch_ids, self.branch_a | self.branch_b)
        self.assertTrue(
            self.env["daya.partner.access.log"].search(
                [("partner_id", "=", other.id), ("access_type", "=", "attach")]
            )
        )

    @freeze_time("2026-11-20")
    def test_refused_batch_matches_customers_as_the_batch_does(self):
        """A batch the database refuses goes through the batch's own path a row at
        a time: a new customer named on two rows is created once (the second row
        finds the first's), a known customer is found by phone, the refused row is
        one rejected row."""
        code, beat = self.branch_a.code, self.type_beat.name
        wizard = self._import(
            [
                # a new customer on two rows (the batch leaves this to the fallback)
                f"{code};MH1IMP0201;E1;Dewi Fallback;3273014505920002;0812-6000-0201;"
                f"Bandung;{beat};T Red;2026-03-02;;cash;;;;",
                f"{code};MH1IMP0202;E2;Dewi Fallback;;0812-6000-0201;Garut;{beat};"
                "T Red;2026-03-02;;cash;;;;",
                # the known customer (by phone), who had no NIK yet
                f"{code};MH1IMP0203;E3;Rina;3273010101900001;0857-1111-2222;;{beat};"
                "T Black;2026-03-02;;cash;;;;",
                # delivered before it was sold: the database refuses it
                f"{code};MH1IMP0204;E4;Refused;;0812-6000-0204;;{beat};T Red;"
                "2026-03-02;2026-02-01;cash;;;;",
            ]
        )
        self.assertEqual(
            (wizard.created_count, wizard.rejected_count),
            (3, 1),
            wizard.line_ids.mapped("reason"),
        )
        self.assertEqual(
            wizard.line_ids.filtered(lambda line: line.status == "rejected").row, 5
        )
        units = self.env["daya.unit.sale"].search(
            [("frame_number", "in", ["MH1IMP0201", "MH1IMP0202", "MH1IMP0203"])],
            order="frame_number",
        )
        dewi = units[0].partner_id
        self.assertEqual(units[1].partner_id, dewi)
        self.assertEqual((dewi.nik, dewi.city), ("3273014505920002", "Garut"))
        self.assertEqual(units[2].partner_id, self.customer)
        self.assertEqual(self.customer.nik, "3273010101900001")

    def test_main_dealer_codes_mapped(self):
        """Issue 12: leasing short names, colour codes, colour names in English or
        Indonesian and the main dealer's product codes, through the code
        mappings (the shipped ones and one the PIC CRM adds)."""
        code = self.branch_a.code
        demo_beat = self.env.ref("daya_base.product_template_beat")

        def variant(template, color):
            return template.product_variant_ids.filtered(
                lambda p: (
                    color
                    in p.product_template_attribute_value_ids.product_attribute_value_id
                )
            )

        demo_red = variant(demo_beat, self.env.ref("daya_base.color_red"))
        test_red = variant(self.type_beat, self.color_red)
        Map = self.env["daya.code.map"].with_user(self.user_pic_h23_a)
        Map.create(
            [
                {
                    "code_type": "color",
                    "code": "Hitam T",
                    "color_id": self.color_black.id,
                },
                {"code_type": "product", "code": "HB1-RD", "product_id": test_red.id},
            ]
        )
        header = (
            "branch_code;frame_number;customer_name;mobile;product_code;motor_type;"
            "color;sale_date;payment_type;leasing;tenor"
        )
        rows = [
            f"{code};MH1MAP0001;Map One;0812-6000-0301;;Honda BeAT CBS;Merah;"
            "2026-03-02;kredit;FIF;12",
            f"{code};MH1MAP0002;Map Two;0812-6000-0302;;Honda BeAT CBS;rd;"
            "2026-03-02;credit;adira;24",
            f"{code};MH1MAP0003;Map Three;0812-6000-0303;;{self.type_beat.name};"
            "hitam  t;2026-03-02;cash;;",
            f"{code};MH1MAP0004;Map Four;0812-6000-0304;hb1-rd;;;2026-03-02;credit;"
            "WOM Finance;36",
            f"{code};MH1MAP0005;Map Five;0812-6000-0305;;Honda BeAT CBS;Red;"
            "2026-03-02;credit;XYZ;12",
        ]
        content = "\n".join([header, *rows]).encode()
        wizard = (
            self.env["daya.unit.import"]
            .with_user(self.user_pic_h23_a)
            .create({"file_data": base64.b64encode(content), "file_name": "a2.csv"})
        )
        wizard.action_import()
        self.assertEqual(
            (wizard.created_count, wizard.rejected_count),
            (4, 1),
            wizard.line_ids.mapped("reason"),
        )
        self.assertEqual(
            wizard.line_ids.filtered(lambda line: line.status == "rejected").reason,
            "Unknown leasing company XYZ.",
        )
        units = self.env["daya.unit.sale"].search(
            [("frame_number", "like", "MH1MAP")], order="frame_number"
        )
        self.assertEqual(
            [(u.product_id, u.leasing_id.ref) for u in units],
            [
                (demo_red, "FIF"),
                (demo_red, "ADIRA"),
                (variant(self.type_beat, self.color_black), False),
                (test_red, "WOM"),
            ],
        )

    @freeze_time("2026-11-20")
    def test_csv_of_excel_and_xlsx_read(self):
        """Issue 15: a CSV saved by Excel (Windows-1252, comma separated, a quoted
        field with the delimiter in it) and an xlsx sheet are read as they are."""
        code, beat = self.branch_a.code, self.type_beat.name
        header = (
            "branch_code,frame_number,customer_name,mobile,street,motor_type,color,"
            "sale_date"
        )
        content = "\r\n".join(
            [
                header,
                f"{code},MH1ENC0001,José Müller,0812-6000-0401,"
                f'"Jl. Merdeka 1, Bandung",{beat},T Red,02/03/2026',
            ]
        ).encode("cp1252")
        wizard = (
            self.env["daya.unit.import"]
            .with_user(self.user_pic_h23_a)
            .create({"file_data": base64.b64encode(content), "file_name": "a2.csv"})
        )
        wizard.action_import()
        self.assertEqual(wizard.created_count, 1, wizard.line_ids.mapped("reason"))
        unit = self.env["daya.unit.sale"].search([("frame_number", "=", "MH1ENC0001")])
        self.assertEqual(
            (unit.partner_id.name, unit.partner_id.street),
            ("José Müller", "Jl. Merdeka 1, Bandung"),
        )
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer)
        sheet = book.add_worksheet()
        for row, values in enumerate(
            [
                header.split(","),
                [code, "MH1XLS0001", "Xlsx One", "0812-6000-0402", "", beat, "T Red"],
                [],
                [code, "MH1XLS0002", "Xlsx Two", "0812-6000-0403", "", beat, "T Red"],
            ]
        ):
            sheet.write_row(row, 0, values)
        date_format = book.add_format({"num_format": "dd/mm/yyyy"})
        for row in (1, 3):
            sheet.write_datetime(row, 7, datetime(2026, 3, 2), date_format)
        book.close()
        wizard = (
            self.env["daya.unit.import"]
            .with_user(self.user_pic_h23_a)
            .create(
                {
                    "file_data": base64.b64encode(buffer.getvalue()),
                    "file_name": "a2.xlsx",
                }
            )
        )
        wizard.action_import()
        self.assertEqual(
            (wizard.created_count, wizard.rejected_count, wizard.row_total),
            (2, 0, 2),
            wizard.line_ids.mapped("reason"),
        )
        self.assertEqual(wizard.line_ids.mapped("row"), [2, 4])

    def _columns(self, record):
        """The stored columns of ``record``'s row, as PostgreSQL holds them."""
        self.env.flush_all()
        self.env.cr.execute(
            sql.SQL("SELECT * FROM {} WHERE id = %s").format(
                sql.Identifier(record._table)
            ),
            (record.id,),
        )
        return self.env.cr.dictfetchone()

    def _made(self, unit):
        """What a customer and motorcycle made hold: their columns (the ids, the
        times and who last wrote apart), the customer's branches and the
        motorcycle's workshop leads."""
        partner, columns = unit.partner_id, {}
        for record in (partner, unit):
            row = self._columns(record)
            for key in ("id", "create_date", "write_date", "write_uid"):
                row.pop(key)
            columns[record._name] = row
        columns["res.partner"].pop("calendar_last_notif_ack")
        self.assertEqual(
            columns["res.partner"].pop("commercial_partner_id"), partner.id
        )
        self.assertEqual(columns["daya.unit.sale"].pop("partner_id"), partner.id)
        leads = self.env["daya.wor.lead"].search([("unit_sale_id", "=", unit.id)])
        return (
            columns,
            partner.branch_ids,
            sorted(leads.mapped(lambda lead: (lead.wor_type, lead.state))),
        )

    @freeze_time("2026-11-20")
    def test_import_stores_what_the_orm_stores(self):
        """Issue 15: the import inserts its new customers and motorcycles with
        set-based SQL; each stored column of them is what the ORM's create (as the
        same user, without chatter) stores from the same row, and so are the
        customer's branch and the delivered motorcycle's workshop leads."""

        class Rollback(Exception):
            pass

        code, beat = self.branch_a.code, self.type_beat.name
        row = (
            f"{code};mh1sql0001;e-sql1;Sari Sama;3273014505920002;0812-6000-0501;"
            f"Bandung;{beat};T Red;2026-10-02;2026-10-04;kredit;FIF;12;1;"
        )
        with self.assertRaises(Rollback), self.env.cr.savepoint():
            wizard = self._import([row])
            self.assertEqual(wizard.created_count, 1, wizard.line_ids.mapped("reason"))
            unit = self.env["daya.unit.sale"].search(
                [("frame_number", "=", "MH1SQL0001")]
            )
            imported = self._made(unit)
            values = {
                "product_id": unit.product_id.id,
                "leasing_id": unit.leasing_id.id,
            }
            raise Rollback()
        self.env.invalidate_all()
        self.assertFalse(
            self.env["res.partner"].search([("nik", "=", "3273014505920002")])
        )
        quiet = self.env(
            user=self.user_pic_h23_a, context=dict(self.env.context, **QUIET_CONTEXT)
        )
        partner = quiet["res.partner"].create(
            {
                "name": "Sari Sama",
                "nik": "3273014505920002",
                "mobile": "0812-6000-0501",
                "city": "Bandung",
            }
        )
        unit = quiet["daya.unit.sale"].create(
            dict(
                values,
                partner_id=partner.id,
                branch_id=self.branch_a.id,
                frame_number="MH1SQL0001",
                engine_number="e-sql1",
                sale_date=date(2026, 10, 2),
                delivery_date=date(2026, 10, 4),
                payment_type="credit",
                tenor=12,
                is_premium=True,
                origin="import",
            )
        )
        made = self._made(unit)
        self.assertEqual(imported[0]["res.partner"], made[0]["res.partner"])
        self.assertEqual(imported[0]["daya.unit.sale"], made[0]["daya.unit.sale"])
        self.assertEqual(imported[1:], made[1:])
        self.assertEqual(made[1], self.branch_a)
        self.assertTrue(made[2], "the delivered motorcycle's KPB leads")

    @freeze_time("2026-11-20")
    def test_update_writes_only_changed_fields(self):
        """Issue 15: a known customer is written only the values of the row that
        differ from theirs (no UPDATE at all when none does); a known motorcycle
        likewise."""
        self.customer.write({"city": "Bandung", "street": "Jl. Lama 1"})
        other = (
            self.env["res.partner"]
            .with_user(self.user_pic_h23_a)
            .create({"name": "Tono", "mobile": "0812-6000-0601", "city": "Garut"})
        )
        self.env.flush_all()
        code, beat = self.branch_a.code, self.type_beat.name
        header = (
            "branch_code;frame_number;customer_name;mobile;street;city;motor_type;"
            "color;sale_date;delivery_date;payment_type"
        )
        rows = [
            # the street changes; the city and the mobile (another spelling) do not
            f"{code};MH1TEST0001;Rina;+62 857-1111-2222;Jl. Baru 2;Bandung;{beat};"
            "T Black;2026-03-02;2026-03-04;cash",
            # nothing changes
            f"{code};MH1UPD0002;Tono;0812 6000 0601;;Garut;{beat};T Red;"
            "2026-03-02;;cash",
        ]
        wizard = (
            self.env["daya.unit.import"]
            .with_user(self.user_pic_h23_a)
            .create(
                {
                    "file_data": base64.b64encode("\n".join([header, *rows]).encode()),
                    "file_name": "a2.csv",
                }
            )
        )
        with self.assertLogs("odoo.sql_db", level="DEBUG") as logs:
            wizard.action_import()
            self.env.flush_all()
        self.assertEqual(
            (wizard.created_count, wizard.updated_count, wizard.rejected_count),
            (1, 1, 0),
            wizard.line_ids.mapped("reason"),
        )

        def updates(table, record):
            return [
                line
                for line in logs.output
                if f'UPDATE "{table}" SET' in line
                and re.search(rf"\bid IN \(([0-9, ]*, )?{record.id}\b", line)
            ]

        written = updates("res_partner", self.customer)
        self.assertTrue(written)
        self.assertTrue(any('"street"' in line for line in written), written)
        for fname in ("city", "mobile", "name", "nik"):
            self.assertFalse(
                [line for line in written if f'"{fname}"' in line], (fname, written)
            )
        self.assertEqual(self.customer.street, "Jl. Baru 2")
        self.assertFalse(updates("res_partner", other))
        self.assertFalse(updates("daya_unit_sale", self.unit))

    def test_xlsx_read_as_a_stream(self):
        """Issue 15: an xlsx file is read a row at a time (openpyxl's read-only
        mode): reading five times the rows takes the same memory (xlrd holds the
        whole sheet: about 1.6 times as much)."""

        def xlsx(count):
            buffer = io.BytesIO()
            book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
            sheet = book.add_worksheet()
            sheet.write_row(0, 0, HEADER.split(";"))
            for index in range(count):
                sheet.write_row(
                    index + 1,
                    0,
                    [self.branch_a.code, f"MH1STR{index:06d}", f"E{index}"]
                    + [f"Name {index}", f"3273010101{index:06d}", "0812-6000-0001"]
                    + ["Bandung", "Beat", "Red", "2026-03-02", "", "cash"],
                )
            book.close()
            return buffer.getvalue()

        Wizard = self.env["daya.unit.import"]
        peaks = []
        for count in (100, 500):
            content = xlsx(count)
            tracemalloc.start()
            try:
                rows = sum(1 for _row in Wizard._read_xlsx(content))
                peaks.append(tracemalloc.get_traced_memory()[1])
            finally:
                tracemalloc.stop()
            self.assertEqual(rows, count + 1)
        self.assertLess(peaks[1], 1.25 * peaks[0], peaks)

    @freeze_time("2026-11-20")
    def test_known_customers_written_in_the_rows_order(self):
        """Issue 15: known customers are written together (one write for the
        customers of the same change); a customer named on several rows takes
        each row's values in the rows' order, the last one kept."""
        self.customer.write({"city": "Bandung"})
        tono = (
            self.env["res.partner"]
            .with_user(self.user_pic_h23_a)
            .create({"name": "Tono", "mobile": "0812-6000-0701", "city": "Garut"})
        )
        code, beat = self.branch_a.code, self.type_beat.name
        wizard = self._import(
            [
                # Rina to Garut, then back to Bandung on a later row
                f"{code};MH1ORD0001;E1;Rina;;0857-1111-2222;Garut;{beat};T Red;"
                "2026-03-02;;cash;;;;",
                f"{code};MH1ORD0002;E2;Tono;;0812-6000-0701;Cimahi;{beat};T Red;"
                "2026-03-02;;cash;;;;",
                f"{code};MH1ORD0003;E3;Rina;;0857-1111-2222;Bandung;{beat};T Red;"
                "2026-03-02;;cash;;;;",
            ]
        )
        self.assertEqual(
            (wizard.created_count, wizard.rejected_count),
            (3, 0),
            wizard.line_ids.mapped("reason"),
        )
        self.assertEqual((self.customer.city, tono.city), ("Bandung", "Cimahi"))
