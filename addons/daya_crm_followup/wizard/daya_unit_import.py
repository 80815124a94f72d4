import base64
import csv
import io
from datetime import datetime, timedelta

import xlrd

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

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
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")

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
        self.ensure_one()
        rows = self._read_rows()
        lines, counts = [], {"created": 0, "updated": 0, "rejected": 0}
        context = self._prefetch(rows)
        for number, row in rows:
            try:
                with self.env.cr.savepoint():
                    status = self._import_row(row, context)
                reason = False
            except (UserError, ValidationError) as error:
                status, reason = "rejected", error.args[0]
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
                "created_count": counts["created"],
                "updated_count": counts["updated"],
                "rejected_count": counts["rejected"],
                "line_ids": [(0, 0, line) for line in lines],
                "state": "done",
            }
        )
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

    def _read_rows(self):
        """[(row number, {column: text})] of the file's first sheet."""
        content = base64.b64decode(self.file_data or b"")
        name = (self.file_name or "").lower()
        if name.endswith((".xlsx", ".xls")):
            try:
                book = xlrd.open_workbook(file_contents=content)
            except xlrd.XLRDError as error:
                raise UserError(_("The file is not a readable spreadsheet.")) from error
            sheet = book.sheet_by_index(0)
            table = [
                [self._cell_text(cell, book.datemode) for cell in sheet.row(index)]
                for index in range(sheet.nrows)
            ]
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise UserError(_("Save the CSV file in UTF-8.")) from error
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", ",;\t")
            table = list(csv.reader(io.StringIO(text), dialect))
        if not table:
            raise UserError(_("The file is empty."))
        header = [column.strip().lower() for column in table[0]]
        if "frame_number" not in header:
            raise UserError(
                _("The first row must name the columns, frame_number among them.")
            )
        return [
            (
                number,
                {k: (v or "").strip() for k, v in zip(header, values) if k in COLUMNS},
            )
            for number, values in enumerate(table[1:], start=2)
            if any(value.strip() for value in values)
        ]

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
        """Branches, motorcycles and unit sales of the file, read once."""
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
                partner.name.lower(): partner
                for partner in self.env["res.partner"].search(
                    [("is_leasing_company", "=", True)]
                )
            },
        }

    def _import_row(self, row, context):
        frame = (row.get("frame_number") or "").upper()
        if not frame:
            raise UserError(_("The frame number is missing."))
        branch = context["branches"].get((row.get("branch_code") or "").upper())
        if not branch:
            raise UserError(_("Unknown branch code %s.", row.get("branch_code") or "-"))
        sale_date = self._parse_date(row.get("sale_date"), _("sale date"))
        if not sale_date:
            raise UserError(_("The sale date is missing."))
        partner = self._match_customer(row, branch)
        unit = context["units"].get(frame)
        values = {
            "partner_id": partner.id,
            "branch_id": branch.id,
            "sale_date": sale_date,
            "delivery_date": self._parse_date(
                row.get("delivery_date"), _("delivery date")
            ),
            "stnk_ready_date": self._parse_date(
                row.get("stnk_ready_date"), _("STNK ready date")
            ),
            "engine_number": row.get("engine_number") or False,
            "is_premium": (row.get("premium") or "").lower() in ("1", "y", "yes", "ya"),
        }
        payment = (row.get("payment_type") or "cash").lower()
        if payment in ("credit", "kredit"):
            leasing = context["leasings"].get((row.get("leasing") or "").lower())
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
        values = {
            key: value for key, value in values.items() if value or key == "is_premium"
        }
        if unit:
            unit.write(values)
            status = "updated"
        else:
            values.update(
                frame_number=frame,
                product_id=self._match_product(row).id,
                origin="import",
            )
            unit = self.env["daya.unit.sale"].create(values)
            context["units"][frame] = unit
            status = "created"
        self._mark_serviced_elsewhere(unit, row.get("serviced_elsewhere"))
        return status

    def _parse_date(self, text, label):
        if not text:
            return False
        for date_format in DATE_FORMATS:
            try:
                return datetime.strptime(text[:10], date_format).date()
            except ValueError:
                continue
        raise UserError(
            _("The %(label)s %(text)s is not a date.", label=label, text=text)
        )

    def _match_customer(self, row, branch=None):
        Partner = self.env["res.partner"]
        partner = Partner._find_by_identity(
            nik=row.get("nik"), phone=row.get("mobile")
        )[:1]
        if not partner and row.get("nik") and branch:
            # a customer of another branch: the main dealer's data says this branch
            # sold them a motorcycle, so the branch holds them from now on (logged)
            partner = Partner._daya_identify(nik=row["nik"])["nik"]
            if partner:
                partner._daya_attach(branch)
                partner = partner.with_env(self.env)
        values = {
            key: row[key] for key in ("nik", "mobile", "street", "city") if row.get(key)
        }
        if partner:
            if values.get("nik") and partner.nik:
                values.pop("nik")  # the known NIK is kept
            partner.write(values)
            return partner
        if not row.get("customer_name"):
            raise UserError(_("The customer name is missing."))
        return Partner.create(dict(values, name=row["customer_name"]))

    def _match_product(self, row):
        Product = self.env["product.product"]
        if row.get("product_code"):
            product = Product.search(
                [("default_code", "=", row["product_code"])], limit=1
            )
        else:
            product = Product.search(
                [
                    ("product_tmpl_id.is_motorcycle", "=", True),
                    ("product_tmpl_id.name", "=ilike", row.get("motor_type") or ""),
                    (
                        "product_template_attribute_value_ids.name",
                        "=ilike",
                        row.get("color") or "",
                    ),
                ],
                limit=1,
            )
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

    def _mark_serviced_elsewhere(self, unit, text):
        """KPBs serviced at another dealer are lost once their period has run out."""
        today = fields.Date.context_today(self)
        Wor = self.env["daya.wor.lead"]
        for wor_type in {part.strip().lower() for part in (text or "").split(",")}:
            valid_until = Wor._kpb_valid_until(unit.sale_date, wor_type)
            if not valid_until or valid_until >= today:
                continue
            Wor._get_or_create_for_unit_sales(unit, wor_type)[
                unit.id
            ]._on_serviced_elsewhere()


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
