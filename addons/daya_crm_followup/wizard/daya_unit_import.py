import base64
import csv
import functools
import io
import itertools
import zipfile
from datetime import date, datetime, timedelta

import chardet
import xlrd

try:  # requirements.txt; without it an xlsx file is read whole by xlrd
    import openpyxl
except ImportError:  # pragma: no cover
    openpyxl = None

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import split_every

from odoo.addons.daya_base.models.daya_code_map import MAIN_DEALER_TYPES, code_key
from odoo.addons.daya_base.models.res_partner import phone_e164
from odoo.addons.daya_base.tools import normalize_nik
from odoo.addons.daya_base.tools.bulk import insert_rows, next_ids

COLUMNS = {
    "branch_code",
    "frame_number",
    "engine_number",
    "customer_name",
    "nik",
    "mobile",
    "street",
    "city",
    "product_code",
    "motor_type",
    "color",
    "sale_date",
    "delivery_date",
    "stnk_ready_date",
    "payment_type",
    "leasing",
    "tenor",
    "premium",
    "serviced_elsewhere",
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
# Rows matched, created and written together (a constant number of queries each).
IMPORT_BATCH_SIZE = 500
# A file of more rows is imported in the background, a committed batch at a time
# (an HTTP worker is stopped after 120 seconds).
IMPORT_SYNC_MAX_ROWS = 1000
# Seconds of work per run of the background import, which then re-triggers itself.
IMPORT_TIME_BUDGET = 60
# Machine-made rows: no chatter note, follower, tracking value per record (the
# import's result lines say what was created and updated).
QUIET_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


@functools.lru_cache(maxsize=4096)
def _text_date(text):
    """The date written ``text`` in one of DATE_FORMATS, else None (a file's
    dates parsed once each)."""
    for date_format in DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    return None


class _BatchFallback(Exception):
    """A batch the set-based path does not take: imported row by row."""


class DayaUnitImport(models.TransientModel):
    """Merge the main dealer's CDB and A2 reports (xlsx or csv) into unit sales and
    customers: matched by frame number, then the customer by NIK or phone."""

    _name = "daya.unit.import"
    _description = "Import CDB / A2 Report"

    file_data = fields.Binary(string="File", required=True)
    file_name = fields.Char()
    created_count = fields.Integer(readonly=True)
    updated_count = fields.Integer(readonly=True)
    rejected_count = fields.Integer(readonly=True)
    line_ids = fields.One2many("daya.unit.import.line", "import_id", readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("running", "In Progress"), ("done", "Done")],
        default="draft",
    )
    row_total = fields.Integer(string="Rows", readonly=True)
    row_done = fields.Integer(
        string="Rows Done",
        readonly=True,
        help="Rows of the file imported so far (a large file is imported in the "
        "background, a batch at a time).",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.autovacuum
    def _gc_uploads(self):
        """Uploaded files hold customers' data: none stays more than a day (with
        its import's result), even when transient records are kept longer
        (``transient_age_limit``). Only their creator reads them meanwhile."""
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_import(self):
        """Import the file; a file of more than IMPORT_SYNC_MAX_ROWS rows is
        imported in the background (the form shows its progress)."""
        self.ensure_one()
        if self.state != "draft":
            return self.action_refresh()
        rows = self._read_rows()
        head = list(itertools.islice(rows, IMPORT_SYNC_MAX_ROWS + 1))
        total = len(head) + sum(1 for _row in rows)
        self.write({"row_total": total, "row_done": 0})
        if total > IMPORT_SYNC_MAX_ROWS:
            self.state = "running"
            self.env.ref("daya_crm_followup.ir_cron_unit_import")._trigger()
        else:
            self._import_rows(head)
            self.state = "done"
        return self.action_refresh()

    def action_refresh(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cron_import_files(self, time_budget=IMPORT_TIME_BUDGET):
        """Import the files waiting in the background, a committed batch of rows at
        a time, each with the rights of the user who uploaded it; re-triggers
        itself while rows remain. A run stopped half-way goes on from the last
        committed batch."""
        deadline = datetime.now() + timedelta(seconds=time_budget)
        can_commit = self.env["daya.followup.task"]._can_commit()
        for wizard in self.sudo().search([("state", "=", "running")], order="id"):
            wizard = wizard.with_user(wizard.create_uid)
            # the file read as a stream, from the first row not imported yet
            rows = itertools.islice(wizard._read_rows(), wizard.row_done, None)
            for batch in split_every(IMPORT_BATCH_SIZE, rows, list):
                wizard._import_rows(batch)
                if can_commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                # the batch's records leave the cache: memory bounded by a batch
                self.env.flush_all()
                self.env.invalidate_all()
                if wizard.row_done < wizard.row_total and datetime.now() >= deadline:
                    self.env.ref("daya_crm_followup.ir_cron_unit_import")._trigger()
                    return
            wizard.state = "done"
            if can_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _import_rows(self, rows):
        """Import ``rows`` (a part of the file): their result lines are added and
        the counts and rows done go up."""
        lines, counts = [], {"created": 0, "updated": 0, "rejected": 0}
        context = self._prefetch(rows)
        results = []
        for batch in split_every(IMPORT_BATCH_SIZE, rows, list):
            results += self._import_batch(batch, context)
        for (number, row), (status, reason) in zip(rows, results):
            counts[status] += 1
            lines.append(
                {
                    "row": number,
                    "frame_number": row.get("frame_number"),
                    "status": status,
                    "reason": reason,
                }
            )
        self.write(
            {
                "created_count": self.created_count + counts["created"],
                "updated_count": self.updated_count + counts["updated"],
                "rejected_count": self.rejected_count + counts["rejected"],
                "row_done": self.row_done + len(rows),
            }
        )
        if not lines:
            return
        # the result lines: thousands per file, in one INSERT
        insert_rows(
            self.env["daya.unit.import.line"],
            [dict(line, import_id=self.id) for line in lines],
        )

    def _read_rows(self):
        """The rows of the file's first sheet, read as a stream: (row number,
        {column: text}) for each row that is not empty. The header is checked
        before the first row is given."""
        content = base64.b64decode(self.file_data or b"")
        name = (self.file_name or "").lower()
        if name.endswith(".xlsx") and openpyxl:
            table = self._read_xlsx(content)
        elif name.endswith((".xlsx", ".xls")):
            table = self._read_sheet(content)
        else:
            table = self._read_csv(content)
        header = [column.strip().lower() for column in next(table, [])]
        if not header:
            raise UserError(_("The file is empty."))
        if "frame_number" not in header:
            raise UserError(
                _("The first row must name the columns, frame_number among them.")
            )
        return self._table_rows(header, table)

    @staticmethod
    def _table_rows(header, table):
        wanted = [(index, key) for index, key in enumerate(header) if key in COLUMNS]
        for number, values in enumerate(table, start=2):
            if not any(value.strip() for value in values):
                continue
            yield (
                number,
                {
                    key: (values[index] if index < len(values) else "").strip()
                    for index, key in wanted
                },
            )

    @api.model
    def _read_csv(self, content):
        """The rows of a CSV file as lists of texts: UTF-8 (with or without BOM)
        or the encoding detected (Excel writes Windows-1252), separated by the
        delimiter of its header line (comma, semicolon or tab), quoted fields
        kept whole."""
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = chardet.detect(content[:65536]).get("encoding") or "cp1252"
            try:
                text = content.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                text = content.decode("cp1252", errors="replace")
        first_line = text[: text.find("\n")] if "\n" in text else text
        try:
            dialect = csv.Sniffer().sniff(first_line or ",", ",;\t")
        except csv.Error:
            dialect = csv.excel
        return csv.reader(io.StringIO(text), dialect)

    @api.model
    def _read_xlsx(self, content):
        """The rows of the first sheet of an xlsx file as lists of texts, read as a
        stream (openpyxl's read-only mode: a row at a time, not the whole sheet)."""
        try:
            book = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise UserError(_("The file is not a readable spreadsheet.")) from error
        sheet = book.worksheets[0]
        try:
            for values in sheet.iter_rows(values_only=True):
                yield [self._value_text(value) for value in values]
        finally:
            book.close()

    @staticmethod
    def _value_text(value):
        """The text of an xlsx cell's value, as the xls reader gives it."""
        if value is None:
            return ""
        if isinstance(value, (datetime, date)):
            return value.strftime("%Y-%m-%d")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def _read_sheet(self, content):
        """The rows of the first sheet of an xls file as lists of texts."""
        try:
            book = xlrd.open_workbook(file_contents=content, on_demand=True)
        except xlrd.XLRDError as error:
            raise UserError(_("The file is not a readable spreadsheet.")) from error
        sheet = book.sheet_by_index(0)
        return (
            [self._cell_text(cell, book.datemode) for cell in sheet.row(index)]
            for index in range(sheet.nrows)
        )

    @staticmethod
    def _cell_text(cell, datemode):
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode).strftime(
                "%Y-%m-%d"
            )
        if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
            return str(int(cell.value))
        return str(cell.value)

    def _prefetch(self, rows):
        """Branches, motorcycles, unit sales and the main dealer's code tables of
        the file, read once."""
        frames = {
            row["frame_number"].upper() for _n, row in rows if row.get("frame_number")
        }
        return {
            "branches": {
                branch.code.upper(): branch
                for branch in self.env["daya.branch"].search([])
            },
            "units": {
                unit.frame_number: unit
                for unit in self.env["daya.unit.sale"].search(
                    [("frame_number", "in", list(frames))]
                )
            },
            "leasings": {
                code_key(partner.name): partner
                for partner in self.env["res.partner"].search(
                    [("is_leasing_company", "=", True)]
                )
            },
            "codes": self.env["daya.code.map"]._daya_code_table(MAIN_DEALER_TYPES),
        }

    def _import_batch(self, batch, context):
        """[(status, reason)] of the rows of ``batch``: checked in Python, then the
        customers and motorcycles of the good rows matched, created and written
        together. When the database still refuses one of them, the batch goes
        through the same path again a row at a time (each row in its savepoint,
        its customer matched again), so a refused row is one rejected row."""
        self._prefetch_batch(batch, context)
        results, prepared = {}, []
        for number, row in batch:
            try:
                prepared.append((number, row, self._prepare_row(row, context)))
            except (UserError, ValidationError) as error:
                results[number] = ("rejected", error.args[0])
        units = dict(context["units"])
        try:
            with self.env.cr.savepoint():
                results.update(self._import_prepared(prepared, context))
        except (UserError, ValidationError, psycopg2.IntegrityError, _BatchFallback):
            self.env.clear()
            context["units"] = units
            for number, row, item in prepared:
                # the same path, one row at a time: its customer matched again
                # (an earlier row of the batch may have created them)
                try:
                    with self.env.cr.savepoint():
                        self._prefetch_batch([(number, row)], context)
                        item.update(self._row_customer(row, context))
                        results.update(
                            self._import_prepared([(number, row, item)], context)
                        )
                except (UserError, ValidationError) as error:
                    results[number] = ("rejected", error.args[0])
                except psycopg2.IntegrityError:
                    results[number] = (
                        "rejected",
                        _(
                            "Another customer or motorcycle already has this NIK, "
                            "BPA code or frame number."
                        ),
                    )
        return [results[number] for number, _row in batch]

    def _prefetch_batch(self, batch, context):
        """The customers the rows of ``batch`` name (by NIK or phone), in one
        search with the user's rights, and the customers of other branches by NIK
        (exact identity) in one more; the motorcycles by code in one search."""
        Partner = self.env["res.partner"]
        niks, phones, codes = set(), set(), set()
        for _number, row in batch:
            if row.get("nik"):
                niks.add(normalize_nik(row["nik"]))
            try:
                e164 = phone_e164(self._row_mobile(row, context))
            except ValidationError:
                e164 = False  # the row is rejected with the error
            if e164:
                phones.add(e164)
            if row.get("product_code"):
                codes.add(row["product_code"])
        domains = []
        if niks:
            domains.append([("nik", "in", list(niks))])
        if phones:
            domains.append(
                [
                    "|",
                    ("mobile_e164", "in", list(phones)),
                    ("phone_e164", "in", list(phones)),
                ]
            )
        found = Partner.search(expression.OR(domains)) if domains else Partner
        # the first customer in the default order, as _find_by_identity()[:1]
        by_identity = {}
        for rank, partner in enumerate(found):
            for key in (
                ("nik", partner.nik),
                ("phone", partner.mobile_e164),
                ("phone", partner.phone_e164),
            ):
                if key[1]:
                    by_identity.setdefault(key, (rank, partner))
        context["by_identity"] = by_identity
        hidden = niks - {nik for kind, nik in by_identity if kind == "nik"}
        context["other_branches"] = {
            partner.nik: partner
            for partner in (
                Partner.sudo()
                .with_context(active_test=False)
                .search([("nik", "in", list(hidden))])
                if hidden
                else Partner.sudo()
            )
        }
        products = context.setdefault("products", {})
        missing = []
        for code in codes:
            if ("code", code) not in products:
                # the main dealer's code mapped, else the product's own code
                products[("code", code)] = context["codes"].get(
                    ("product", code_key(code)), self.env["product.product"]
                )
                if not products[("code", code)]:
                    missing.append(code)
        if missing:
            Product = self.env["product.product"]
            for product in Product.search([("default_code", "in", missing)]):
                if not products[("code", product.default_code)]:
                    products[("code", product.default_code)] = product

    def _row_customer(self, row, context):
        """The customer of ``row`` (from the batch's prefetch: by NIK or phone,
        the first in the default order; else a customer of another branch by NIK),
        whether they are of another branch, and the values to write on them (or
        to create them with). Raises what the customer's create or write would."""
        Partner = self.env["res.partner"]
        nik = normalize_nik(row["nik"]) if row.get("nik") else False
        try:
            e164 = phone_e164(self._row_mobile(row, context))
        except ValidationError:
            e164 = False  # raised below, where the values are checked
        candidates = [
            context["by_identity"][key]
            for key in (("nik", nik), ("phone", e164))
            if key[1] and key in context["by_identity"]
        ]
        partner, other_branch = Partner, False
        if candidates:
            partner = min(candidates, key=lambda candidate: candidate[0])[1]
        elif nik and context["other_branches"].get(nik):
            partner, other_branch = context["other_branches"][nik], True
        partner_values = {
            key: row[key] for key in ("nik", "street", "city") if row.get(key)
        }
        if partner and partner_values.get("nik") and partner.nik:
            partner_values.pop("nik")  # the known NIK is kept
        if not partner and not row.get("customer_name"):
            raise UserError(_("The customer name is missing."))
        if not partner:
            # the new customer's name checked as their create would
            Partner._daya_normalize_vals({"name": row["customer_name"]})
        partner_values = Partner._daya_normalize_vals(partner_values)
        if row.get("mobile"):
            partner_values["mobile"] = self._row_mobile(row, context)
        if partner_values.get("nik"):
            Partner._daya_check_nik_value(partner_values["nik"])
        return {
            "partner": partner,
            "other_branch": other_branch,
            "partner_values": partner_values,
        }

    def _row_mobile(self, row, context):
        """The row's mobile number as the customer stores it
        (``res.partner._daya_normalize_vals``), each number of the file parsed
        once; raises its error for a number that is not one."""
        number = row.get("mobile")
        if not number:
            return False
        mobiles = context.setdefault("mobiles", {})
        if number not in mobiles:
            try:
                mobiles[number] = self.env["res.partner"]._daya_normalize_vals(
                    {"mobile": number}
                )["mobile"]
            except ValidationError as error:
                mobiles[number] = error
        if isinstance(mobiles[number], ValidationError):
            raise ValidationError(mobiles[number].args[0])
        return mobiles[number]

    def _prepare_row(self, row, context):
        """The row's checks, without writing anything: its customer, the
        customer's and the motorcycle's values."""
        frame, branch, sale_date = self._row_keys(row, context)
        item = self._row_customer(row, context)
        item.update(
            frame=frame,
            branch=branch,
            customer_name=row.get("customer_name"),
            values=self._unit_values(row, context, branch, sale_date),
            new_values={},
        )
        if not context["units"].get(frame):
            item["new_values"] = {
                "frame_number": frame,
                "product_id": self._match_product(row, context).id,
                "origin": "import",
            }
        return item

    def _import_prepared(self, prepared, context):
        """{row number: (status, False)} of the checked rows, imported together.

        Machine-made rows (``QUIET_CONTEXT``): no "created" note, follower or
        tracking value per record (the import's result lines say what was
        created and updated), also on the workshop leads of the delivered
        motorcycles."""
        quiet = self.with_context(**QUIET_CONTEXT)
        Partner = quiet.env["res.partner"]
        frames = [item["frame"] for _number, _row, item in prepared]
        if len(set(frames)) < len(frames):
            raise _BatchFallback()  # a motorcycle twice in the batch
        # customers of other branches, found by NIK: attached to the row's branch
        for branch in {item["branch"] for _n, _r, item in prepared}:
            others = Partner.sudo().concat(
                *(
                    item["partner"]
                    for _n, _r, item in prepared
                    if item["other_branch"] and item["branch"] == branch
                )
            )
            others._daya_attach(branch)
        # new customers, one create; rows naming the same new customer share it
        new, shared = [], {}
        for _number, _row, item in prepared:
            if item["partner"]:
                item["partner"] = item["partner"].with_env(self.env)
                continue
            keys = [
                ("nik", item["partner_values"].get("nik")),
                ("phone", item["partner_values"].get("mobile")),
            ]
            keys = [key for key in keys if key[1]]
            leader = next((shared[key] for key in keys if key in shared), None)
            if leader is not None:
                raise _BatchFallback()  # one new customer on several rows
            for key in keys:
                shared[key] = item
            new.append(item)
        # a person without a company: their display name is their name (given,
        # Odoo does not write it again after the insert)
        created = self._insert_customers(
            [dict(item["partner_values"], name=item["customer_name"]) for item in new]
        )
        for item, partner in zip(new, created):
            item["partner"] = partner.with_env(self.env)
            item["partner_values"] = {}
        # known customers: only what changed is written
        self._write_changes(
            [
                (item["partner"].with_env(quiet.env), item["partner_values"])
                for _number, _row, item in prepared
            ],
            lambda partner, values: {
                key: value for key, value in values.items() if partner[key] != value
            },
        )
        # motorcycles: one create, and a write of what changed on the known ones
        to_create, results, changes = [], {}, []
        for number, _row, item in prepared:
            values = dict(item["values"], partner_id=item["partner"].id)
            unit = context["units"].get(item["frame"])
            if unit:
                changes.append((unit.with_env(quiet.env), values))
                results[number] = ("updated", False)
            else:
                to_create.append((number, dict(values, **item["new_values"])))
                results[number] = ("created", False)
        self._write_changes(changes, self._changed_values)
        for (_number, _values), unit in zip(
            to_create, self._insert_units([values for _number, values in to_create])
        ):
            context["units"][unit.frame_number] = unit
        self._mark_serviced_elsewhere(
            [
                (context["units"][item["frame"]], row["serviced_elsewhere"])
                for _number, row, item in prepared
                if row.get("serviced_elsewhere")
            ]
        )
        return results

    def _insert_customers(self, vals_list):
        """Create the customers of ``vals_list`` (normalized values) as
        ``res.partner.create`` does for a person of the user's branch, without
        chatter (``QUIET_CONTEXT``), in one INSERT (``insert_rows``): each their
        own commercial partner, their stored computed values given
        (``res.partner._daya_person_values``: E.164 numbers, CDB completeness),
        linked to the branch where they were created."""
        Partner = self.with_context(**QUIET_CONTEXT).env["res.partner"]
        if not vals_list:
            return Partner
        ids = next_ids(Partner, len(vals_list))
        branch = self.env.user.branch_id
        rows = []
        for partner_id, vals, values in zip(
            ids, vals_list, Partner._daya_person_values(vals_list)
        ):
            row = dict(vals, **values, id=partner_id, commercial_partner_id=partner_id)
            if branch:
                # a customer belongs to the branch where it was created
                row["branch_ids"] = [branch.id]
            rows.append(row)
        return insert_rows(Partner, rows)

    def _insert_units(self, vals_list):
        """Create the motorcycles of ``vals_list`` as ``daya.unit.sale.create``
        does, in one INSERT (``insert_rows``: the defaults, constraints, record
        rules and the customers' branch links for all the rows together), their
        stored related values (company, type, the customer's CDB completeness)
        given, then the delivered motorcycles' KPB workshop leads."""
        Unit = self.with_context(**QUIET_CONTEXT).env["daya.unit.sale"]
        if not vals_list:
            return Unit
        branches = self.env["daya.branch"].browse(
            {vals["branch_id"] for vals in vals_list}
        )
        products = self.env["product.product"].browse(
            {vals["product_id"] for vals in vals_list}
        )
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list}
        )
        companies = {branch.id: branch.company_id.id for branch in branches}
        types = {product.id: product.product_tmpl_id.id for product in products}
        cdb = {
            partner.id: (partner.cdb_completeness, partner.cdb_complete)
            for partner in partners
        }
        rows = []
        for vals in vals_list:
            row = dict(vals)
            for fname in ("frame_number", "engine_number"):
                if isinstance(row.get(fname), str):
                    row[fname] = row[fname].strip().upper()
            completeness, complete = cdb[row["partner_id"]]
            row.update(
                company_id=companies[row["branch_id"]],
                motor_type_id=types[row["product_id"]],
                cdb_completeness=completeness,
                cdb_complete_share=100 if complete else 0,
            )
            rows.append(row)
        units = insert_rows(Unit, rows)
        units.filtered("delivery_date")._daya_create_kpb_leads()
        return units

    @api.model
    def _write_changes(self, changes, changed):
        """Write what ``changed(record, values)`` says differs of each of
        ``changes`` ([(record, values)], in the rows' order): the records of the
        same changes in one write (a file's rows often change the same city or
        delivery date). A record named on several rows is written row by row,
        in their order, each change read after the one before."""
        ids = [record.id for record, _values in changes]
        if len(set(ids)) < len(ids):
            for record, values in changes:
                values = changed(record, values)
                if values:
                    record.write(values)
            return
        groups = {}
        for record, values in changes:
            values = changed(record, values)
            if values:
                groups.setdefault(tuple(sorted(values.items())), []).append(record)
        for items, records in groups.items():
            records[0].concat(*records).write(dict(items))

    @api.model
    def _changed_values(self, unit, values):
        changed = {}
        for key, value in values.items():
            current = unit[key]
            if isinstance(current, models.BaseModel):
                current = current.id
            elif key == "engine_number":
                value = value.strip().upper()
            if current != value:
                changed[key] = value
        return changed

    def _unit_values(self, row, context, branch, sale_date):
        """The motorcycle's values of ``row`` (its customer aside)."""
        values = {
            "branch_id": branch.id,
            "sale_date": sale_date,
            "delivery_date": self._parse_date(
                row.get("delivery_date"), "delivery_date"
            ),
            "stnk_ready_date": self._parse_date(
                row.get("stnk_ready_date"), "stnk_ready_date"
            ),
            "engine_number": row.get("engine_number") or False,
            "is_premium": (row.get("premium") or "").lower() in ("1", "y", "yes", "ya"),
        }
        payment = (row.get("payment_type") or "cash").lower()
        if payment in ("credit", "kredit"):
            key = code_key(row.get("leasing"))
            leasing = context["codes"].get(("leasing", key)) or context["leasings"].get(
                key
            )
            if not leasing:
                raise UserError(
                    _("Unknown leasing company %s.", row.get("leasing") or "-")
                )
            values.update(
                payment_type="credit",
                leasing_id=leasing.id,
                tenor=int(row.get("tenor") or 0),
            )
        else:
            values["payment_type"] = "cash"
        return {
            key: value for key, value in values.items() if value or key == "is_premium"
        }

    def _row_keys(self, row, context):
        """The row's frame number, branch and sale date, each required."""
        frame = (row.get("frame_number") or "").upper()
        if not frame:
            raise UserError(_("The frame number is missing."))
        branch = context["branches"].get((row.get("branch_code") or "").upper())
        if not branch:
            raise UserError(_("Unknown branch code %s.", row.get("branch_code") or "-"))
        sale_date = self._parse_date(row.get("sale_date"), "sale_date")
        if not sale_date:
            raise UserError(_("The sale date is missing."))
        return frame, branch, sale_date

    def _parse_date(self, text, column):
        """The date of the text of ``column`` (False when empty)."""
        if not text:
            return False
        value = _text_date(text[:10])
        if value:
            return value
        labels = {
            "sale_date": _("sale date"),
            "delivery_date": _("delivery date"),
            "stnk_ready_date": _("STNK ready date"),
        }
        raise UserError(
            _(
                "The %(label)s %(text)s is not a date.",
                label=labels[column],
                text=text,
            )
        )

    def _match_product(self, row, context):
        """The motorcycle of ``row`` by code (the main dealer's, mapped, or the
        product's own), or by type and colour (the colour's code or name mapped,
        or its name); looked up once per file (in ``context``)."""
        products = context.setdefault("products", {})
        key = (
            ("code", row["product_code"])
            if row.get("product_code")
            else ("name", code_key(row.get("motor_type")), code_key(row.get("color")))
        )
        if key not in products:
            products[key] = self._search_product(row, context)
        product = products[key]
        if not product:
            raise UserError(
                _(
                    "Unknown motorcycle %s.",
                    row.get("product_code")
                    or " ".join(filter(None, [row.get("motor_type"), row.get("color")]))
                    or "-",
                )
            )
        return product

    def _search_product(self, row, context):
        Product = self.env["product.product"]
        if row.get("product_code"):
            return context["codes"].get(
                ("product", code_key(row["product_code"]))
            ) or Product.search([("default_code", "=", row["product_code"])], limit=1)
        color = context["codes"].get(("color", code_key(row.get("color"))))
        return Product.search(
            [
                ("product_tmpl_id.is_motorcycle", "=", True),
                ("product_tmpl_id.name", "=ilike", row.get("motor_type") or ""),
                (
                    "product_template_attribute_value_ids.product_attribute_value_id",
                    "=",
                    color.id,
                )
                if color
                else (
                    "product_template_attribute_value_ids.name",
                    "=ilike",
                    row.get("color") or "",
                ),
            ],
            limit=1,
        )

    def _mark_serviced_elsewhere(self, marks):
        """KPBs serviced at another dealer are lost once their period has run out:
        ``marks`` [(motorcycle, the row's text: kpb1,kpb2...)], their workshop
        leads found or created together and closed in one write."""
        today = fields.Date.context_today(self)
        Wor = self.env["daya.wor.lead"]
        by_type = {}
        for unit, text in marks:
            for wor_type in {part.strip().lower() for part in (text or "").split(",")}:
                valid_until = Wor._kpb_valid_until(unit.sale_date, wor_type)
                if not valid_until or valid_until >= today:
                    continue
                by_type.setdefault(wor_type, []).append(unit.id)
        if not by_type:
            return
        leads = Wor._get_or_create_for_units(
            {
                wor_type: self.env["daya.unit.sale"].browse(ids)
                for wor_type, ids in by_type.items()
            }
        )
        Wor.concat(*leads.values())._on_serviced_elsewhere()


class DayaUnitImportLine(models.TransientModel):
    _name = "daya.unit.import.line"
    _description = "Imported Row"
    _order = "row"

    import_id = fields.Many2one("daya.unit.import", required=True, ondelete="cascade")
    row = fields.Integer()
    frame_number = fields.Char()
    status = fields.Selection(
        [("created", "Created"), ("updated", "Updated"), ("rejected", "Rejected")]
    )
    reason = fields.Char()
