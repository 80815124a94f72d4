import base64
import io
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# rows fetched from the report's query at a time
REPORT_BATCH_SIZE = 2000
# an exported file is kept one day at most (see _gc_report_files)
REPORT_FILE_MAX_AGE = timedelta(days=1)


class DayaCrmReportWizard(models.TransientModel):
    """Export of leads and opportunities by input date and branch (SOP: Leads →
    Report)."""

    _name = "daya.crm.report.wizard"
    _description = "CRM Report Export"

    # ------------------------------------------------------------
    # DEFAULTS AND FIELDS
    # ------------------------------------------------------------

    def _default_branch_ids(self):
        return self.env.user.branch_id

    report_type = fields.Selection(
        [("all", "All"), ("lead", "Leads"), ("opportunity", "Opportunity")],
        string="Type",
        required=True,
        default="all",
    )
    stage_ids = fields.Many2many(
        "crm.stage",
        string="Stages",
        domain="[('daya_stage_code', '!=', False)]",
        help="Opportunity stages to export; empty for all.",
    )
    outcome = fields.Selection(
        [("all", "All"), ("open", "Open"), ("won", "Won"), ("lost", "Lost")],
        string="Status",
        required=True,
        default="all",
        help="Lost: the opportunities marked lost with their reason, and the leads "
        "closed.",
    )
    period_type = fields.Selection(
        [("day", "Day"), ("month", "Month")],
        string="Period",
        required=True,
        default="month",
    )
    period_date = fields.Date(
        string="Day or Month",
        required=True,
        default=lambda self: self._report_today(),
        help="The input day, or any day of the input month.",
    )
    date_from = fields.Date(compute="_compute_dates", store=True, readonly=False)
    date_to = fields.Date(compute="_compute_dates", store=True, readonly=False)
    branch_ids = fields.Many2many(
        "daya.branch",
        string="Branches",
        default=lambda self: self._default_branch_ids(),
        help="Empty for all the branches you may see.",
    )

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    @api.depends("period_type", "period_date")
    def _compute_dates(self):
        for wizard in self:
            day = wizard.period_date or wizard._report_today()
            if wizard.period_type == "day":
                wizard.date_from = wizard.date_to = day
            else:
                wizard.date_from = day.replace(day=1)
                wizard.date_to = day.replace(day=1) + relativedelta(months=1, days=-1)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from > wizard.date_to
            ):
                raise UserError(_("The start date must be before the end date."))

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.autovacuum
    def _gc_report_files(self):
        """Exported files hold customers' data: none stays more than a day, even
        when the wizards themselves are kept longer (``transient_age_limit``)."""
        self.env["ir.attachment"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("create_date", "<", fields.Datetime.now() - REPORT_FILE_MAX_AGE),
            ]
        ).unlink()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_export(self):
        """The file belongs to this wizard: only its creator (and head office)
        reads the wizard (record rule), hence downloads the file; it goes with the
        wizard when the wizard is vacuumed, a day later at most."""
        self.ensure_one()
        content = self._render_xlsx()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._file_name(),
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "public": False,
                "mimetype": (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "self",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _report_tz(self):
        """The time zone of the report's days: the user's, else the dealer's
        (WIB), for the default day and the period's bounds alike."""
        return self.env.user.tz or "Asia/Jakarta"

    def _report_today(self):
        return fields.Date.context_today(self.with_context(tz=self._report_tz()))

    def _report_domain(self):
        """The leads input in the period, of the chosen branches, type, stages
        and status (the user's record rules come on top)."""
        tz = pytz.timezone(self._report_tz())

        def utc(day, at):
            local = tz.localize(datetime.combine(day, at))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        domain = [
            ("create_date", ">=", utc(self.date_from, time.min)),
            ("create_date", "<=", utc(self.date_to, time.max)),
        ]
        if self.branch_ids:
            domain.append(("branch_id", "in", self.branch_ids.ids))
        if self.report_type != "all":
            domain.append(("type", "=", self.report_type))
        if self.report_type == "opportunity" and self.stage_ids:
            domain.append(("stage_id", "in", self.stage_ids.ids))
        return domain + self._outcome_domain()

    def _get_leads(self):
        """Leads input in the period, read with the user's rights (their branches)."""
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(self._report_domain(), order="create_date, id")
        )

    def _outcome_domain(self):
        """The leads of the chosen status, as ``_lead_outcome`` names them: lost is
        archived (the pipeline archives an opportunity only with its lost reason),
        won is an open record at a won stage."""
        won_stage = [("stage_id.is_won", "=", True)]
        return {
            "all": [],
            "open": [
                ("active", "=", True),
                "|",
                ("stage_id", "=", False),
                ("stage_id.is_won", "=", False),
            ],
            "won": [("active", "=", True)] + won_stage,
            "lost": [("active", "=", False)],
        }[self.outcome]

    def _file_name(self):
        """What was exported, in the user's language: "CRM Report - Opportunity -
        Lost - 2026-04.xlsx" (a month), "… - 2026-04-10.xlsx" (a day), "… -
        2026-04-01_2026-04-15.xlsx" (dates set by hand)."""

        def label(fname):
            selection = self._fields[fname]._description_selection(self.env)
            return dict(selection)[self[fname]]

        parts = [_("CRM Report"), label("report_type")]
        if self.outcome != "all":
            parts.append(label("outcome"))
        start, end = self.date_from, self.date_to
        if start == end:
            parts.append(start.isoformat())
        elif start.day == 1 and end == start + relativedelta(months=1, days=-1):
            parts.append(start.strftime("%Y-%m"))
        else:
            parts.append("%s_%s" % (start.isoformat(), end.isoformat()))
        return "%s.xlsx" % " - ".join(parts)

    def _report_columns(self):
        """(title, SQL expression over the lead ``l`` and its joins, kind): kind
        is "text", "number", "datetime", "date", "outcome" or a selection field of
        crm.lead (the cell shows its label). See ``_report_query``."""
        return [
            (_("Lead Number"), "l.lead_number", "text"),
            # the input time in the user's time zone
            (
                _("Input Date"),
                "(l.create_date AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s",
                "datetime",
            ),
            (_("Branch Code"), "b.code", "text"),
            (_("Branch"), "b.name", "text"),
            (_("Type"), "l.type", "type"),
            (_("Stage"), self._sql_name("crm.stage", "s"), "text"),
            (
                _("Status"),
                "CASE WHEN NOT l.active THEN 'lost' WHEN s.is_won THEN 'won'"
                " ELSE 'open' END",
                "outcome",
            ),
            (_("Category"), "l.lead_category", "lead_category"),
            (_("Prospect Status"), "l.prospect_status", "prospect_status"),
            (_("Customer"), "coalesce(p.name, l.contact_name)", "text"),
            (_("BPA Code"), "pr.bpa_code", "text"),
            (_("NIK"), "l.nik", "text"),
            (_("Phone"), "l.phone", "text"),
            (_("Mobile"), "l.mobile", "text"),
            (
                _("Address"),
                "concat_ws(', ', nullif(l.street, ''), nullif(l.street2, ''),"
                " nullif(l.city, ''))",
                "text",
            ),
            (_("Sales Source"), "l.sales_source", "sales_source"),
            (_("Salesperson"), "up.name", "text"),
            (_("Sales Team"), self._sql_name("crm.team", "t"), "text"),
            (
                _("Motorcycle Type"),
                self._sql_name("product.template", "mt"),
                "text",
            ),
            (_("Colour"), self._sql_name("product.attribute.value", "mc"), "text"),
            (_("Cash / Credit"), "l.payment_type", "payment_type"),
            (_("Leasing"), "lc.name", "text"),
            (_("Down Payment"), "coalesce(l.down_payment, 0.0)::float", "number"),
            (_("Leasing Status"), "l.leasing_status", "leasing_status"),
            (_("Occupation"), self._sql_name("daya.occupation", "o"), "text"),
            (_("Expected Closing"), "l.date_deadline", "date"),
            (_("Follow Up 1"), "l.fu1_date", "date"),
            (_("Next Plan Follow Up 2"), "l.fu2_plan_date", "date"),
            (_("Follow Up 2"), "l.fu2_date", "date"),
            (_("Next Plan Follow Up 3"), "l.fu3_plan_date", "date"),
            (_("Follow Up 3"), "l.fu3_date", "date"),
            (_("Customer Status"), "l.customer_status", "customer_status"),
            (_("Lost Reason"), self._sql_name("crm.lost.reason", "lr"), "text"),
            (_("Dealer Memo"), "m.name", "text"),
        ]

    def _sql_name(self, model, alias):
        """The name of ``model``'s row ``alias`` in the user's language (a
        translated name is a JSON column of the languages)."""
        if self.env[model]._fields["name"].translate:
            return f"coalesce({alias}.name->>%(lang)s, {alias}.name->>'en_US')"
        return f"{alias}.name"

    def _rules_subselect(self, model):
        """(SQL, params) of the ids of ``model`` the user may read (record
        rules), or None when they may read none of it (access rights)."""
        Model = self.env[model].with_context(active_test=False)
        if not Model.check_access_rights("read", raise_exception=False):
            return None
        query = Model._where_calc([])
        Model._apply_ir_rules(query, "read")
        return query.subselect()

    def _report_query(self):
        """(SQL, params) of the report's rows: one query over the leads the user
        may read (crm.lead's access rights and record rules, as ``_get_leads``),
        the related names joined. The customer's BPA code and the dealer memo's
        number show only where the user may read the customer or the memo (their
        own record rules): the export never fails on one they may not open.
        Parameterized: only the column expressions above are written in."""
        Lead = self.env["crm.lead"].with_context(active_test=False)
        Lead.check_access_rights("read")
        self.env.flush_all()
        query = Lead._where_calc(self._report_domain())
        Lead._apply_ir_rules(query, "read")
        lead_ids, lead_params = query.subselect()
        columns = self._report_columns()
        params = {"lang": self.env.lang or "en_US"}
        # the time zone the ORM shows the user's times in (context_timestamp)
        params["tz"] = self.env.context.get("tz") or self.env.user.tz or "UTC"
        if params["tz"] not in pytz.all_timezones_set:
            params["tz"] = "UTC"
        joins = [
            "LEFT JOIN daya_branch b ON b.id = l.branch_id",
            "LEFT JOIN crm_stage s ON s.id = l.stage_id",
            "LEFT JOIN res_partner p ON p.id = l.partner_id",
            "LEFT JOIN res_users u ON u.id = l.user_id",
            "LEFT JOIN res_partner up ON up.id = u.partner_id",
            "LEFT JOIN crm_team t ON t.id = l.team_id",
            "LEFT JOIN product_template mt ON mt.id = l.motor_type_id",
            "LEFT JOIN product_attribute_value mc ON mc.id = l.motor_color_id",
            "LEFT JOIN res_partner lc ON lc.id = l.leasing_id",
            "LEFT JOIN daya_occupation o ON o.id = l.occupation_id",
            "LEFT JOIN crm_lost_reason lr ON lr.id = l.lost_reason_id",
        ]
        restricted = [
            ("res.partner", "pr", "res_partner", "partner_id"),
            ("daya.dealer.memo", "m", "daya_dealer_memo", "dealer_memo_id"),
        ]
        extra_params = []
        for model, alias, table, fname in restricted:
            readable = self._rules_subselect(model)
            if readable is None:
                joins.append(f"LEFT JOIN {table} {alias} ON false")
                continue
            joins.append(
                f"LEFT JOIN {table} {alias} ON {alias}.id = l.{fname}"
                f" AND {alias}.id IN ({readable[0]})"
            )
            extra_params += list(readable[1])
        # the named parameters are written in, the rules' (positional) passed
        select = ", ".join(expression for _t, expression, _k in columns)
        select = select.replace("%(lang)s", "%s").replace("%(tz)s", "%s")
        select_params = []
        for _title, expression, _kind in columns:
            for name in ("lang", "tz"):
                select_params += [params[name]] * expression.count(f"%({name})s")
        statement = (
            f"SELECT {select} FROM crm_lead l {' '.join(joins)}"
            f" WHERE l.id IN ({lead_ids}) ORDER BY l.create_date, l.id"
        )
        return statement, select_params + extra_params + list(lead_params)

    def _iter_rows(self, chunk=REPORT_BATCH_SIZE):
        """The report's rows (tuples, see ``_report_columns``), streamed from one
        query through a server-side cursor, ``chunk`` rows at a time: memory
        stays flat with the number of leads."""
        statement, params = self._report_query()
        cr = self.env.cr
        cr.execute(f"DECLARE daya_crm_report NO SCROLL CURSOR FOR {statement}", params)
        try:
            while True:
                cr.execute("FETCH FORWARD %s FROM daya_crm_report", (chunk,))
                rows = cr.fetchall()
                if not rows:
                    break
                yield from rows
        finally:
            cr.execute("CLOSE daya_crm_report")

    def _render_xlsx(self):
        """Every text cell is written as text, never as a formula (a customer's
        name like ``=HYPERLINK(...)`` must not run in the user's spreadsheet);
        dates are date cells (sortable, filterable by month), in the user's time
        zone. Rows stream from one query into xlsxwriter's ``constant_memory``
        mode; the selection labels are looked up once per column."""
        columns = self._report_columns()
        Lead = self.env["crm.lead"]
        outcomes = {"lost": _("Lost"), "won": _("Won"), "open": _("Open")}
        labels = []
        for _title, _expression, kind in columns:
            if kind == "outcome":
                labels.append(outcomes)
            elif kind not in ("text", "number", "datetime", "date"):
                selection = Lead._fields[kind]._description_selection(self.env)
                labels.append(dict(selection))
            else:
                labels.append(None)
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        sheet = workbook.add_worksheet(_("CRM Report"))
        bold = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
        day_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        time_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        for col, (title, _expression, kind) in enumerate(columns):
            # the widths are set before the rows (constant memory)
            width = 17 if kind == "datetime" else max(12, len(title) + 2)
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, bold)
        kinds = [kind for _title, _expression, kind in columns]
        row = 0
        for row, values in enumerate(self._iter_rows(), start=1):
            for col, value in enumerate(values):
                kind, label = kinds[col], labels[col]
                if label is not None:
                    value = label.get(value, "")
                if kind == "number":
                    sheet.write_number(row, col, value)
                elif value is None or value == "":
                    sheet.write_blank(row, col, None)
                elif kind == "datetime":
                    sheet.write_datetime(row, col, value, time_format)
                elif kind == "date":
                    sheet.write_datetime(row, col, value, day_format)
                else:
                    sheet.write_string(row, col, str(value))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(row, 1), len(columns) - 1)
        workbook.close()
        return buffer.getvalue()
