import base64
import io
from datetime import date, datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

# leads read, written and dropped from the cache together
REPORT_BATCH_SIZE = 1000
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
        default=fields.Date.context_today,
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
            day = wizard.period_date or fields.Date.context_today(wizard)
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
        leads = self._get_leads()
        content = self._render_xlsx(leads)
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

    def _get_leads(self):
        """Leads input in the period, read with the user's rights (their branches)."""
        tz = pytz.timezone(self.env.user.tz or "Asia/Jakarta")

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
        domain += self._outcome_domain()
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(domain, order="create_date, id")
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

    def _report_columns(self, leads):
        """(title, function of the lead giving the cell value).

        The leads are the ones the user may read; of their dealer memos, the
        user's own rules decide which numbers show (a salesperson reads only their
        own memos): the export never fails on a memo the user may not open."""
        # the one column read for all the leads (not every field of each)
        memo_ids = {
            lead["dealer_memo_id"]
            for lead in leads.read(["dealer_memo_id"], load=None)
            if lead["dealer_memo_id"]
        }
        memo_names = {
            memo["id"]: memo["name"]
            for memo in self.env["daya.dealer.memo"].search_read(
                [("id", "in", list(memo_ids))], ["name"]
            )
        }

        Lead = self.env["crm.lead"]

        def sel(fname):
            # the labels in the user's language, looked up once per column
            labels = dict(Lead._fields[fname]._description_selection(self.env))
            return lambda lead: labels.get(lead[fname], "")

        outcomes = {"lost": _("Lost"), "won": _("Won"), "open": _("Open")}

        def outcome(lead):
            if not lead.active:
                return outcomes["lost"]
            return outcomes["won" if lead.stage_id.is_won else "open"]

        def day(fname):
            return lambda lead: lead[fname] or ""

        return [
            (_("Lead Number"), lambda lead: lead.lead_number or ""),
            (
                _("Input Date"),
                lambda lead: fields.Datetime.context_timestamp(
                    lead, lead.create_date
                ).replace(tzinfo=None),
            ),
            (_("Branch Code"), lambda lead: lead.branch_id.code or ""),
            (_("Branch"), lambda lead: lead.branch_id.name or ""),
            (_("Type"), sel("type")),
            (_("Stage"), lambda lead: lead.stage_id.name or ""),
            (_("Status"), outcome),
            (_("Category"), sel("lead_category")),
            (_("Prospect Status"), sel("prospect_status")),
            (
                _("Customer"),
                lambda lead: lead.partner_id.name or lead.contact_name or "",
            ),
            (_("BPA Code"), lambda lead: lead.partner_id.bpa_code or ""),
            (_("NIK"), lambda lead: lead.nik or ""),
            (_("Phone"), lambda lead: lead.phone or ""),
            (_("Mobile"), lambda lead: lead.mobile or ""),
            (
                _("Address"),
                lambda lead: ", ".join(
                    filter(None, [lead.street, lead.street2, lead.city])
                ),
            ),
            (_("Sales Source"), sel("sales_source")),
            (_("Salesperson"), lambda lead: lead.user_id.name or ""),
            (_("Sales Team"), lambda lead: lead.team_id.name or ""),
            (_("Motorcycle Type"), lambda lead: lead.motor_type_id.name or ""),
            (_("Colour"), lambda lead: lead.motor_color_id.name or ""),
            (_("Cash / Credit"), sel("payment_type")),
            (_("Leasing"), lambda lead: lead.leasing_id.name or ""),
            (_("Down Payment"), lambda lead: lead.down_payment or 0.0),
            (_("Leasing Status"), sel("leasing_status")),
            (_("Occupation"), lambda lead: lead.occupation_id.name or ""),
            (_("Expected Closing"), day("date_deadline")),
            (_("Follow Up 1"), day("fu1_date")),
            (_("Next Plan Follow Up 2"), day("fu2_plan_date")),
            (_("Follow Up 2"), day("fu2_date")),
            (_("Next Plan Follow Up 3"), day("fu3_plan_date")),
            (_("Follow Up 3"), day("fu3_date")),
            (_("Customer Status"), sel("customer_status")),
            (_("Lost Reason"), lambda lead: lead.lost_reason_id.name or ""),
            (_("Dealer Memo"), lambda lead: memo_names.get(lead.dealer_memo_id.id, "")),
        ]

    @api.model
    def _lead_outcome(self, lead):
        if not lead.active:
            return _("Lost")
        if lead.stage_id.is_won:
            return _("Won")
        return _("Open")

    def _iter_batches(self, leads):
        """(row number, lead) of ``leads``, read REPORT_BATCH_SIZE at a time and
        dropped from the cache after each batch: memory stays flat with the number
        of leads."""
        row = 0
        for ids in split_every(REPORT_BATCH_SIZE, leads.ids):
            for lead in leads.browse(ids):
                row += 1
                yield row, lead
            self.env.invalidate_all()

    def _render_xlsx(self, leads):
        """Every text cell is written as text, never as a formula (a customer's
        name like ``=HYPERLINK(...)`` must not run in the user's spreadsheet);
        dates are date cells (sortable, filterable by month), in the user's time
        zone."""
        columns = self._report_columns(leads)
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = workbook.add_worksheet(_("CRM Report"))
        bold = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
        day_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
        time_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        time_columns = set()
        for col, (title, _getter) in enumerate(columns):
            sheet.write_string(0, col, title, bold)
            sheet.set_column(col, col, max(12, len(title) + 2))
        for row, lead in self._iter_batches(leads):
            for col, (_title, getter) in enumerate(columns):
                value = getter(lead)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(row, col, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(row, col, value, time_format)
                    time_columns.add(col)
                elif isinstance(value, date):
                    sheet.write_datetime(row, col, value, day_format)
                elif value:
                    sheet.write_string(row, col, str(value))
                else:
                    sheet.write_blank(row, col, None)
        for col in time_columns:
            sheet.set_column(col, col, 17)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(leads), 1), len(columns) - 1)
        workbook.close()
        return buffer.getvalue()
