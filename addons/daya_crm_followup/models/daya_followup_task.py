import json
import threading
from datetime import datetime, time, timedelta

import psycopg2.errors
import pytz
from psycopg2 import sql
from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_date
from odoo.tools.sql import create_index

from odoo.addons.daya_base.models.daya_branch import ROLE_GROUPS
from odoo.addons.daya_base.tools.bulk import insert_rows

# Results after which the next attempt is made.
RETRY_RESULTS = ("no_response", "wrong_number")
# the key of the PostgreSQL advisory lock held by the generation batch running
# (one at a time on a database, whatever the number of cron workers and nodes)
GENERATION_LOCK = 0x44415941  # "DAYA"
# The generation's cursor per rule (``_generation_cursors``): the last base date
# whose candidates were all looked at, when, and on what rule and branch values.
# A system table without a model: only the generation reads and writes it.
CURSOR_TABLE = "daya_followup_generation_cursor"
# A run with a cursor looks again at the motorcycles written since this long
# before the previous run started (a transaction still open then, committed
# after it), and at the whole window of base dates once in a while (a task
# deleted with SQL, a value written without its write date).
CURSOR_MARGIN = timedelta(hours=6)
CURSOR_FULL_SCAN = timedelta(days=7)
# WOR leads in these states need no more invitations.
# the queue's refusals and the workshop lead's objection each one is
RESULT_OBJECTIONS = {
    "refused_time": "no_time",
    "refused_distance": "too_far",
    "refused_dissatisfied": "disappointed",
}
# Objections of the customer: each has the SOP's offer, a booking when accepted.
OBJECTIONS = [
    ("refused_time", "No Time"),
    ("refused_distance", "Too Far"),
    ("refused_dissatisfied", "Dissatisfied"),
]
# What only the result actions and the system write: the queue's schedule and
# its results, always with who and when. A supervisor may reassign (user_id).
PROTECTED_FIELDS = {
    "unit_sale_id",
    "wor_lead_id",
    "partner_id",
    "branch_id",
    "rule_id",
    "due_date",
    "user_id",
    "state",
    "result",
    "objection",
    "booking_id",
    "done_date",
    "done_user_id",
    "message_state",
}


class DayaFollowupTask(models.Model):
    """One follow-up contact due for a sold motorcycle: a plain row of the work
    queue (a network sells hundreds of thousands of units a year)."""

    _name = "daya.followup.task"
    _description = "Follow-up Task"
    _inherit = ["daya.branch.mixin"]
    _order = "due_date, id"
    _branch_scoped_fields = ("unit_sale_id", "wor_lead_id", "booking_id")

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    unit_sale_id = fields.Many2one(
        "daya.unit.sale", required=True, index=True, ondelete="cascade"
    )
    wor_lead_id = fields.Many2one("daya.wor.lead", index=True, ondelete="set null")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    branch_id = fields.Many2one(required=True)
    rule_id = fields.Many2one(
        "daya.followup.rule", required=True, index=True, ondelete="restrict"
    )
    kind = fields.Selection(related="rule_id.kind", store=True)
    kpb_number = fields.Integer(related="rule_id.kpb_number", store=True)
    attempt = fields.Integer(related="rule_id.attempt", store=True)
    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("call", "Call"), ("sms", "SMS")],
        help="How to contact the customer; a failed message falls back to a call.",
    )
    message_state = fields.Selection(
        [("outgoing", "Queued"), ("sent", "Sent"), ("failed", "Failed")],
        readonly=True,
        index=True,
    )
    script = fields.Html(related="rule_id.script")
    due_date = fields.Date(required=True, index=True)
    user_id = fields.Many2one("res.users", string="Assigned To", index=True)
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("cancel", "Not Needed")],
        default="todo",
        required=True,
        index=True,
    )
    result = fields.Selection(
        [
            ("booked", "Booked"),
            ("no_response", "No Response"),
            ("refused_time", "Refused: No Time"),
            ("refused_distance", "Refused: Too Far"),
            ("refused_dissatisfied", "Refused: Dissatisfied"),
            ("serviced_elsewhere", "Serviced Elsewhere"),
            ("wrong_number", "Wrong Number"),
            ("contacted", "Contacted"),
        ],
        index=True,
    )
    objection = fields.Selection(
        OBJECTIONS,
        readonly=True,
        help="The customer's objection, kept when the offer that answered it was "
        "accepted and booked.",
    )
    booking_id = fields.Many2one("daya.service.booking", index=True)
    # Branch Today, the dashboard and the daily summary filter by the day recorded
    done_date = fields.Datetime(string="Recorded On", readonly=True, index=True)
    done_user_id = fields.Many2one("res.users", string="Recorded By", readonly=True)
    note = fields.Text()
    mobile = fields.Char(related="partner_id.mobile")
    mobile_e164 = fields.Char(related="partner_id.mobile_e164", string="Mobile (E.164)")
    whatsapp_url = fields.Char(
        string="WhatsApp Link",
        compute="_compute_whatsapp_url",
        help="Opens a WhatsApp chat with the customer, the follow-up's message "
        "prefilled.",
    )
    product_id = fields.Many2one(related="unit_sale_id.product_id")
    # the list's column: the type's name (a variant's name reads its attributes)
    motor_type_id = fields.Many2one(related="unit_sale_id.motor_type_id")
    frame_number = fields.Char(related="unit_sale_id.frame_number")
    sale_date = fields.Date(related="unit_sale_id.sale_date")
    kpb_valid_until = fields.Date(related="wor_lead_id.kpb_valid_until")
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    can_reassign = fields.Boolean(
        compute="_compute_can_reassign",
        help="The user supervises the follow-up's assignee: they may reassign it.",
    )

    _sql_constraints = [
        (
            "unit_rule_uniq",
            "unique(unit_sale_id, rule_id)",
            "A motorcycle gets each follow-up once.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("due_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.is_overdue = task.state == "todo" and task.due_date < today

    @api.depends("partner_id.mobile_e164", "rule_id.message_template")
    def _compute_whatsapp_url(self):
        """``https://wa.me/62…`` with the rule's message (in the customer's
        language) prefilled; no link without a mobile number."""
        for task in self:
            number = (task.partner_id.mobile_e164 or "").lstrip("+")
            if not number:
                task.whatsapp_url = False
                continue
            text = False
            if task.rule_id.message_template:
                try:
                    text = task._message_body()
                except UserError:
                    text = False  # a broken template: the chat opens empty
            query = "?" + url_encode({"text": text}) if text else ""
            task.whatsapp_url = f"https://wa.me/{number}{query}"

    @api.depends_context("uid")
    def _compute_can_reassign(self):
        for task in self:
            task.can_reassign = task._is_supervised_by(self.env.user)

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [("state", "=", "todo"), ("due_date", "<", today)]
        if (operator == "=") == bool(value):
            return domain
        return ["|", ("state", "!=", "todo"), ("due_date", ">=", today)]

    def name_get(self):
        return [
            (task.id, f"{task.rule_id.name} - {task.partner_id.name}") for task in self
        ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        self.env.cr.execute(
            sql.SQL(
                """
                CREATE TABLE IF NOT EXISTS {cursor} (
                    rule_id integer PRIMARY KEY
                        REFERENCES {rule} (id) ON DELETE CASCADE,
                    signature text NOT NULL,
                    scanned_to date NOT NULL,
                    scanned_at timestamp NOT NULL,
                    full_scan_at timestamp NOT NULL
                )
                """
            ).format(
                cursor=sql.Identifier(CURSOR_TABLE),
                rule=sql.Identifier(self.env["daya.followup.rule"]._table),
            )
        )
        # the motorcycles written since the previous run (``_generation_cursors``)
        create_index(
            self.env.cr,
            "daya_unit_sale_write_date_index",
            self.env["daya.unit.sale"]._table,
            ["write_date"],
        )
        # "My follow-ups": a user's open follow-ups in the list's order, its
        # first page read from the index whatever the history (without it, every
        # open task of the user is fetched and sorted), and the list's count
        # (all the user's open follow-ups, within the branch rule) from the
        # index alone: the branch is its last column (the index before it,
        # without the branch, is replaced)
        self.env.cr.execute(
            "DROP INDEX IF EXISTS daya_followup_task_user_todo_due_index"
        )
        create_index(
            self.env.cr,
            "daya_followup_task_user_todo_index",
            self._table,
            ["user_id", "due_date", "id", "branch_id"],
            where="state = 'todo'",
        )
        # the weekly review: a customer's earlier follow-up recorded in the
        # same branch and week, looked up for each follow-up of the weeks read
        # (daya.followup.week.report), from the index alone
        create_index(
            self.env.cr,
            "daya_followup_task_partner_done_index",
            self._table,
            ["partner_id", "branch_id", "done_date", "id"],
            where="state = 'done'",
        )

    @api.model
    def _read_group_raw(
        self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True
    ):
        """Dashboards group the follow-ups (millions) by branch, person, rule,
        state or result. Odoo orders many2one groups by their model's order in
        SQL: it joins the branch, user and partner tables to every row and sorts
        every row by their text before grouping. Without an order, limit or
        offset (pivot, graph), the groups are made by id, then ordered here in
        the same order (the many2one values by their model's order, then the
        selections; no value last), the cost of a plain GROUP BY."""
        groupbys = [groupby] if isinstance(groupby, str) else list(groupby)
        grouped = groupbys[:1] if lazy else groupbys
        fnames = [name.split(":")[0] for name in grouped]
        if (
            orderby
            or limit
            or offset
            or not grouped
            or any(name not in self._fields for name in grouped)
            or any(
                self._fields[name].type not in ("many2one", "selection")
                for name in fnames
            )
        ):
            return super()._read_group_raw(
                domain, fields, groupby, offset, limit, orderby, lazy
            )
        order = ",".join(
            f"{name}.id" if self._fields[name].type == "many2one" else name
            for name in grouped
        )
        groups = super()._read_group_raw(
            domain, fields, groupby, offset, limit, order, lazy
        )
        ranks = {}
        for name in grouped:
            field = self._fields[name]
            if field.type == "many2one":
                ids = {group[name][0] for group in groups if group[name]}
                records = (
                    self.env[field.comodel_name]
                    .sudo()
                    .with_context(active_test=False)
                    .search([("id", "in", list(ids))])
                )
                ranks[name] = {record.id: rank for rank, record in enumerate(records)}

        def key(group):
            return tuple(
                (True, 0)
                if not group[name]
                else (False, ranks[name][group[name][0]])
                if name in ranks
                else (False, group[name])
                for name in grouped
            )

        return sorted(groups, key=key)

    def unlink(self):
        # a motorcycle whose task is deleted is a candidate again: its rules'
        # next run looks at their whole window
        rules = self.rule_id
        res = super().unlink()
        self._reset_generation_cursors(rules)
        return res

    def write(self, vals):
        protected = PROTECTED_FIELDS.intersection(vals)
        if protected and not self.env.su:
            self._check_direct_write(protected, vals)
        return super().write(vals)

    def _check_direct_write(self, protected, vals):
        """Results go through the result actions; a supervisor may reassign a
        follow-up to a user of its branch. Anything else is refused."""
        user = self.env.user
        if protected == {"user_id"} and all(
            task._is_supervised_by(user) for task in self
        ):
            assignee = self.env["res.users"].sudo().browse(vals["user_id"])
            if not assignee or all(
                task.branch_id in assignee.branch_ids for task in self
            ):
                return
            raise AccessError(
                _(
                    "%(user)s does not work for %(branch)s: assign the follow-up to "
                    "a user of its branch.",
                    user=assignee.name,
                    branch=self[0].branch_id.sudo().name,
                )
            )
        labels = ", ".join(
            sorted(
                self._fields[fname]._description_string(self.env) for fname in protected
            )
        )
        raise AccessError(
            _(
                "A follow-up's result is recorded with its result buttons, by its "
                "assignee or their supervisors; these fields cannot be changed "
                "directly: %(fields)s. Only a supervisor may reassign a follow-up.",
                fields=labels,
            )
        )

    # ------------------------------------------------------------
    # ACTIONS: one-click results
    # ------------------------------------------------------------

    def action_result_no_response(self):
        return self._record_result("no_response")

    def action_result_contacted(self):
        return self._record_result("contacted")

    def action_result_serviced_elsewhere(self):
        self._record_result("serviced_elsewhere")
        self.wor_lead_id._on_serviced_elsewhere()
        return True

    def action_result_refused_time(self):
        return self._record_objection("refused_time")

    def action_result_refused_distance(self):
        return self._record_objection("refused_distance")

    def action_result_refused_dissatisfied(self):
        return self._record_objection("refused_dissatisfied")

    def action_result_booked(self):
        """Open a booking for the customer's motorcycle; saving it closes the task."""
        self.ensure_one()
        self._check_todo()
        self._check_can_record()
        return {
            "type": "ir.actions.act_window",
            "name": _("Book a Service"),
            "res_model": "daya.service.booking",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_unit_sale_id": self.unit_sale_id.id,
                "default_wor_lead_id": self.wor_lead_id.id,
                "default_branch_id": self.branch_id.id,
                "default_followup_task_id": self.id,
            },
        }

    def action_result_wrong_number(self):
        self.ensure_one()
        self._check_todo()
        self._check_can_record()
        return {
            "type": "ir.actions.act_window",
            "name": _("Correct the Phone Number"),
            "res_model": "daya.followup.wrong.number",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS: results
    # ------------------------------------------------------------

    def _check_todo(self):
        if self.filtered(lambda task: task.state != "todo"):
            raise UserError(_("This follow-up is already recorded."))

    def _check_can_record(self):
        """The assignee records a follow-up's result, or their supervisors: the
        branch head (area coordinator, head office) and, for the PIC CRM H23's
        follow-ups, the workshop head. An unassigned follow-up is taken by whoever
        holds its role in the branch."""
        if self.env.su:
            return
        user = self.env.user
        refused = self.filtered(
            lambda task: task.user_id != user and not task._is_supervised_by(user)
        )
        if refused:
            raise AccessError(
                _(
                    "%(task)s is %(user)s's follow-up: only they or their "
                    "supervisors (branch head, workshop head for the workshop's "
                    "follow-ups) record its result.",
                    task=refused[0].display_name,
                    user=refused[0].user_id.name or _("someone else"),
                )
            )

    def _is_supervised_by(self, user):
        """Whether ``user`` supervises the assignee of the task (or may take it,
        unassigned)."""
        self.ensure_one()
        branches = user.branch_ids | user.branch_id
        if self.branch_id not in branches and not user.has_group(
            "daya_base.group_daya_head_office"
        ):
            return False
        if user.has_group("daya_base.group_daya_branch_head"):
            return True
        role = self.rule_id.responsible_role
        if role == "pic_crm_h23" and user.has_group(
            "daya_base.group_daya_workshop_head"
        ):
            return True
        group = ROLE_GROUPS.get(role)
        return not self.user_id and bool(group) and user.has_group(group)

    def _record_result(self, result, **values):
        """Record ``result`` by the current user, with who and when: the only way
        a follow-up is done. A booking made after an objection (the SOP's offer was
        accepted) turns the refusal into a booking and keeps the objection."""
        if not (result == "booked" and all(task._awaits_offer() for task in self)):
            self._check_todo()
        self._check_can_record()
        # the result actions are the only writers of results (see write())
        self.sudo().write(
            dict(
                values,
                state="done",
                result=result,
                done_date=fields.Datetime.now(),
                done_user_id=self.env.user.id,
            )
        )
        return True

    def _awaits_offer(self):
        """An objection recorded whose offer (weekend, home service, promo) may
        still be booked."""
        self.ensure_one()
        return (
            self.state == "done"
            and self.result in dict(OBJECTIONS)
            and not self.booking_id
        )

    def _record_objection(self, objection):
        """The customer objects: the refusal is recorded and the SOP's offer opened;
        booking it makes the follow-up a booking (the objection stays)."""
        self.ensure_one()
        self._record_result(objection, objection=objection)
        lead = self.wor_lead_id
        action = lead.action_offer(RESULT_OBJECTIONS[objection]) if lead else True
        if isinstance(action, dict) and action.get("res_model") == (
            "daya.service.booking"
        ):
            action["context"] = dict(
                action.get("context") or {}, default_followup_task_id=self.id
            )
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS: generation
    # ------------------------------------------------------------

    @api.model
    def _cron_generate_followups(self, batch_size=1000, max_batches=20):
        """Create the follow-ups due today; re-triggers itself while work remains."""
        today = fields.Date.context_today(self)
        if self._generate_followups(today, batch_size, max_batches):
            self.env.ref("daya_crm_followup.ir_cron_generate_followups")._trigger()

    @api.model
    def _generate_followups(self, today, batch_size=1000, max_batches=20):
        """Create the tasks due on ``today`` (and the WOR leads they belong to) in
        batches of ``batch_size`` motorcycles, committing each batch. Returns True
        when ``max_batches`` were done and work may remain.

        Idempotent: a motorcycle gets a rule's task once (unique key), so running it
        again, or after a crash between two batches, creates nothing twice. Safe
        with several cron workers (nodes): a batch runs under a database lock
        (``_lock_generation``); a run that finds it taken stops, the holder goes on
        to the end (and re-triggers itself past ``max_batches``)."""
        batches = conflicts = 0
        locked = False  # the lock lasts until the transaction's commit
        rules = self.env["daya.followup.rule"].search([], order="attempt, sequence")
        # the branches' calendars and each rule's due base dates, once per run
        calendars = self.env["daya.branch"].search([]).resource_calendar_id
        work = {}  # the calendars' working intervals, read once (_due_date)
        self.flush_model(["unit_sale_id", "rule_id", "state", "result"])
        # the system's run (no record rule) keeps a cursor per rule, recorded
        # under the lock with the batch that ends the rule's scan
        cursors = self._generation_cursors(rules) if self.env.su else None
        scanned = []
        for rule in rules:
            cutoffs = cursor = started = None
            while True:
                if batches >= max_batches:
                    self._save_generation_cursors(scanned)
                    return True
                if not locked:
                    if not self._lock_generation():
                        return False  # another worker is generating
                    locked = True
                if cutoffs is None:
                    cutoffs = self._due_cutoffs(rule, today, calendars, work)
                    cursor = cursors and cursors[rule.id]
                    started = self.env.cr.now()
                units = self._followup_candidates(
                    rule, today, batch_size, cutoffs, cursor and cursor["since"]
                )
                if units and not self._create_followups_once(rule, units, today, work):
                    locked = False  # rolled back and committed
                    scanned = []  # the scans before the conflict: redone later
                    conflicts += 1
                    if conflicts > 3:
                        return True  # the trigger runs it again
                    continue  # made meanwhile by another worker: look again
                done = len(units) < batch_size
                if done and cursor and cutoffs:
                    # every candidate of the rule looked at
                    scanned.append((rule, cutoffs, started, cursor))
                if not units:
                    break
                batches += 1
                if self._can_commit():
                    self._save_generation_cursors(scanned)
                    scanned = []
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                    locked = False
                if done:
                    break
        self._save_generation_cursors(scanned)
        return False

    @api.model
    def _create_followups_once(self, rule, units, today, work=None):
        """``_create_followups`` in a savepoint; False when another worker made
        some of these tasks in between (the unique key refused them; in the
        instant between its commit and this batch's snapshot), nothing of the
        batch written: the caller looks for the candidates again."""
        if not self._can_commit():
            self._create_followups(rule, units, today, work)
            return True
        try:
            with self.env.cr.savepoint():
                self._create_followups(rule, units, today, work)
        except psycopg2.errors.UniqueViolation:
            self.env.clear()
            self.env.cr.commit()  # pylint: disable=invalid-commit
            return False
        return True

    @api.model
    def _lock_generation(self):
        """Take the generation's lock for this batch, or False when another
        worker holds it. A transaction-level advisory lock: released by the
        batch's commit (or a crash's rollback), never left behind. Taken at the
        start of a fresh transaction (what was done before is committed), so that
        the batch's snapshot sees every task the previous holder committed."""
        if self._can_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", (GENERATION_LOCK,))
        return self.env.cr.fetchone()[0]

    @api.model
    def _can_commit(self):
        """Not in tests, nor while modules are being installed or upgraded (the
        demo data generates the follow-ups: the install commits as a whole)."""
        return self.pool.ready and not getattr(
            threading.current_thread(), "testing", False
        )

    @api.model
    def _generation_cursors(self, rules):
        """{rule id: its cursor}: ``signature``, what the rule's candidates depend
        on besides the motorcycles and the tasks (the rule's values, the rule
        before it, each branch's calendar); ``stored``, the row of the previous
        run when still valid (same signature, whole window looked at within
        ``CURSOR_FULL_SCAN``); ``since``, then ``(scanned_to, written_since)`` for
        ``_followup_candidates``, else None (the whole window is looked at)."""
        Branch = self.env["daya.branch"]
        Branch.flush_model(["resource_calendar_id"])
        self.env.cr.execute(
            sql.SQL("SELECT id, resource_calendar_id FROM {} ORDER BY id").format(
                sql.Identifier(Branch._table)
            )
        )
        branches = self.env.cr.fetchall()
        self.env.cr.execute(
            sql.SQL(
                "SELECT rule_id, signature, scanned_to, scanned_at, full_scan_at"
                " FROM {} WHERE rule_id = ANY(%s)"
            ).format(sql.Identifier(CURSOR_TABLE)),
            [rules.ids],
        )
        stored = {row[0]: row for row in self.env.cr.fetchall()}
        now = self.env.cr.now()
        cursors = {}
        for rule in rules:
            signature = json.dumps(
                [
                    rule.base_date,
                    rule.offset_days,
                    rule.working_days,
                    rule.horizon_days,
                    rule.customer_segment,
                    rule.kind,
                    rule.kpb_number,
                    rule.attempt,
                    rule.previous_rule_id.id,
                    branches,
                ]
            )
            row = stored.get(rule.id)
            if not row or row[1] != signature or row[4] < now - CURSOR_FULL_SCAN:
                row = None
            cursors[rule.id] = {
                "signature": signature,
                "stored": row,
                "since": row and (row[2], row[3] - CURSOR_MARGIN),
            }
        return cursors

    @api.model
    def _save_generation_cursors(self, scans):
        """Record the scans ``scans`` ([(rule, cutoffs, started, cursor)]): every
        candidate of the rule with a base date up to ``cutoffs`` was looked at by
        the scan ``started`` then (``cursor``: the rule's, of
        ``_generation_cursors``), in one query. A cursor is not written again
        when nothing would move (a run the same day): an older one only looks at
        more."""
        rows = []
        for rule, cutoffs, started, cursor in scans:
            scanned_to = min(cutoffs.values())
            stored = cursor["stored"]
            full = cursor["since"] is None
            if (
                not full
                and stored[2] == scanned_to
                and started - stored[3] < (CURSOR_MARGIN)
            ):
                continue
            full_scan_at = started if full else stored[4]
            rows.append(
                (rule.id, cursor["signature"], scanned_to, started, full_scan_at)
            )
        if not rows:
            return
        self.env.cr.execute(
            sql.SQL(
                """
                INSERT INTO {cursor}
                       (rule_id, signature, scanned_to, scanned_at, full_scan_at)
                VALUES {rows}
                ON CONFLICT (rule_id) DO UPDATE
                   SET signature = EXCLUDED.signature,
                       scanned_to = EXCLUDED.scanned_to,
                       scanned_at = EXCLUDED.scanned_at,
                       full_scan_at = EXCLUDED.full_scan_at
                """
            ).format(
                cursor=sql.Identifier(CURSOR_TABLE),
                rows=sql.SQL(", ").join(sql.Placeholder() * len(rows)),
            ),
            rows,
        )

    @api.model
    def _reset_generation_cursors(self, rules):
        """The next run of ``rules`` looks at their whole window."""
        if rules:
            self.env.cr.execute(
                sql.SQL("DELETE FROM {} WHERE rule_id = ANY(%s)").format(
                    sql.Identifier(CURSOR_TABLE)
                ),
                [rules.ids],
            )

    @api.model
    def _followup_candidates(self, rule, today, limit, cutoffs=None, since=None):
        """Motorcycles due for ``rule`` on ``today`` without its task yet
        (``cutoffs``: the rule's ``_due_cutoffs`` of ``today``, when known;
        ``since``: see ``_followup_candidates_query``)."""
        query = self._followup_candidates_query(rule, today, limit, cutoffs, since)
        if query is None:
            return self.env["daya.unit.sale"]
        self.env.cr.execute(*query)
        return self.env["daya.unit.sale"].browse(
            row[0] for row in self.env.cr.fetchall()
        )

    @api.model
    def _followup_candidates_query(self, rule, today, limit, cutoffs=None, since=None):
        """The SQL (query, params) of ``_followup_candidates``, or None when no
        branch calendar is due.

        ``since`` (the rule's cursor, ``(scanned_to, written_since)``): the
        previous run looked at every candidate with a base date up to
        ``scanned_to``; only the motorcycles that may have become one since are
        looked at: a base date after it, a motorcycle written since
        ``written_since`` (a delivery recorded late, an import, another branch or
        segment) or, for a retry, its previous attempt recorded since. A run
        with nothing new reads those few rows, not the window's history.

        Set-based and bounded by the rule's window of base dates, whatever the
        size of the task history: the task of the rule is looked for with a
        ``NOT EXISTS`` anti-join on the unique (unit_sale_id, rule_id) index, the
        previous attempt with an ``EXISTS`` on the same index. The user's record
        rules on the motorcycles apply (none for the cron's superuser)."""
        if cutoffs is None:
            cutoffs = self._due_cutoffs(rule, today)
        if not cutoffs:
            return None
        Unit = self.env["daya.unit.sale"]
        Unit.flush_model()
        self.flush_model(["unit_sale_id", "rule_id", "state", "result"])
        self.env["daya.branch"].flush_model(["resource_calendar_id"])
        query = Unit._where_calc([])
        Unit._apply_ir_rules(query, "read")
        unit = sql.Identifier(Unit._table)
        base = sql.SQL("{}.{}").format(unit, sql.Identifier(rule._base_field()))
        task_table = sql.Identifier(self._table)
        conditions = [
            sql.SQL("{} >= %s").format(base),
            sql.SQL(
                "NOT EXISTS (SELECT 1 FROM {task} t WHERE t.unit_sale_id = {unit}.id"
                " AND t.rule_id = %s)"
            ).format(task=task_table, unit=unit),
            # the last base date due today, per calendar of the branches
            sql.SQL(
                "EXISTS (SELECT 1 FROM {branch} b WHERE b.id = {unit}.branch_id"
                " AND ({cutoffs}))"
            ).format(
                branch=sql.Identifier(self.env["daya.branch"]._table),
                unit=unit,
                cutoffs=sql.SQL(" OR ").join(
                    sql.SQL("(b.resource_calendar_id = %s AND {} <= %s)").format(base)
                    for _calendar in cutoffs
                ),
            ),
        ]
        params = [
            today - timedelta(days=rule.offset_days + rule.horizon_days),
            rule.id,
        ]
        for calendar, day in cutoffs.items():
            params += [calendar.id, day]
        if rule.customer_segment != "all":
            premium = "IS TRUE" if rule.customer_segment == "premium" else "IS NOT TRUE"
            conditions.append(sql.SQL("{}.is_premium " + premium).format(unit))
        previous = rule.previous_rule_id
        if previous:
            conditions.append(
                sql.SQL(
                    "EXISTS (SELECT 1 FROM {task} p WHERE p.unit_sale_id = {unit}.id"
                    " AND p.rule_id = %s AND p.state = 'done' AND p.result IN %s)"
                ).format(task=task_table, unit=unit)
            )
            params += [previous.id, RETRY_RESULTS]
        from_clause, where_clause, query_params = query.get_sql()
        if since and not where_clause:
            scanned_to, written_since = since
            recent = [
                sql.SQL(
                    "SELECT r.id FROM {unit} r WHERE r.{base} > %s AND r.{base} <= %s"
                ),
                sql.SQL("SELECT r.id FROM {unit} r WHERE r.write_date >= %s"),
            ]
            params += [scanned_to, max(cutoffs.values()), written_since]
            if previous:
                recent.append(
                    sql.SQL(
                        "SELECT r.unit_sale_id FROM {task} r"
                        " WHERE r.done_date >= %s AND r.rule_id = %s"
                    )
                )
                params += [written_since, previous.id]
            conditions.append(
                sql.SQL("{unit}.id IN ({recent})").format(
                    unit=unit,
                    recent=sql.SQL(" UNION ALL ").join(
                        part.format(
                            unit=unit,
                            task=task_table,
                            base=sql.Identifier(rule._base_field()),
                        )
                        for part in recent
                    ),
                )
            )
        if where_clause:
            # the record rules, as the ORM writes them (their parameters first)
            conditions.insert(0, sql.SQL("({})").format(sql.SQL(where_clause)))
        statement = sql.SQL(
            "SELECT {unit}.id FROM {from_} WHERE {where}"
            " ORDER BY {base}, {unit}.id LIMIT %s"
        ).format(
            unit=unit,
            from_=sql.SQL(from_clause),
            where=sql.SQL(" AND ").join(conditions),
            base=base,
        )
        return statement, list(query_params) + params + [limit]

    @api.model
    def _due_cutoffs(self, rule, today, calendars=None, work=None):
        """{calendar: latest base date whose follow-up is due by today}, for
        ``calendars`` (by default those of the branches); ``work``: see
        ``_due_date``."""
        if calendars is None:
            calendars = self.env["daya.branch"].search([]).resource_calendar_id
        latest = today - timedelta(days=rule.offset_days)
        if not rule.working_days:
            return {calendar: latest for calendar in calendars}
        cutoffs = {}
        for calendar in calendars:
            day = latest
            # working days are at least as long as calendar days: step back
            for _i in range(30):
                if self._due_date(rule, calendar, day, work) <= today:
                    cutoffs[calendar] = day
                    break
                day -= timedelta(days=1)
        return cutoffs

    @api.model
    def _due_date(self, rule, calendar, base_day, work=None):
        """The day the follow-up of ``rule`` is due for a base date
        ``base_day``: in working days of ``calendar`` (public holidays out) as
        Odoo's ``plan_days`` counts them from the next day. The calendar's
        working intervals are read once for a stretch of days and kept in
        ``work`` ({calendar id: (first day, last day, intervals)}, one per
        generation run): no query per base date."""
        if not rule.working_days or not calendar:
            return base_day + timedelta(days=rule.offset_days)
        if rule.offset_days == 0:
            return base_day
        start = datetime.combine(base_day + timedelta(days=1), time.min)
        intervals = self._work_intervals(
            calendar, base_day, {} if work is None else work
        )
        start_utc = pytz.utc.localize(start)
        found = set()
        for begin, end in intervals:
            if end <= start_utc:
                continue
            found.add(max(begin, start_utc.astimezone(begin.tzinfo)).date())
            if len(found) == rule.offset_days:
                return end.astimezone(pytz.utc).date()
        # beyond the stretch read: Odoo's planning
        planned = calendar.plan_days(rule.offset_days, start, compute_leaves=True)
        return (
            planned.date() if planned else base_day + timedelta(days=rule.offset_days)
        )

    @api.model
    def _work_intervals(self, calendar, base_day, work):
        """[(start, stop)] of ``calendar``'s working intervals (leaves out, in
        its time zone) around ``base_day``: from 45 days before to 26 days after
        it (base dates up to 5 days after it, their due dates up to 21 days
        later; beyond, ``_due_date`` plans with Odoo), read again only for a
        base date out of the stretch kept in ``work``. The run's first base date
        is its latest (today less the shortest offset): one read a run."""
        first, last, intervals = work.get(calendar.id, (None, None, None))
        if first is None or not first <= base_day <= last:
            first = min(base_day, first or base_day) - timedelta(days=45)
            last = max(base_day, last or base_day) + timedelta(days=5)
            start = pytz.utc.localize(datetime.combine(first, time.min))
            stop = pytz.utc.localize(
                datetime.combine(last + timedelta(days=21), time.min)
            )
            intervals = [
                (begin, end)
                for begin, end, _meta in calendar._work_intervals_batch(start, stop)[
                    False
                ]
            ]
            work[calendar.id] = (first, last, intervals)
        return intervals

    @api.model
    def _create_followups(self, rule, units, today, work=None):
        """Tasks of ``rule`` for ``units``, inserted in one query with every stored
        value given (``_followup_rows``), and the attempt told to their WOR leads
        in one step: the batch's queries do not grow with its size."""
        rows, attempted = self._followup_rows(rule, units, today, work)
        tasks = insert_rows(self, rows)
        attempted._on_followup_attempt(rule.attempt)
        return tasks

    @api.model
    def _followup_rows(self, rule, units, today, work=None):
        """``(rows, attempted)``: the values of the tasks of ``rule`` for ``units``
        (the rule's related ``kind``/``kpb_number``/``attempt`` included, nothing
        left to compute) and the WOR leads the attempt moves. KPB tasks get their
        WOR lead (created where missing). A task of a WOR lead already booked, done
        or lost is recorded as not needed, so that it is not looked at again."""
        wor_type = rule._wor_type()
        Wor = self.env["daya.wor.lead"]
        wor_leads = (
            Wor._get_or_create_for_unit_sales(units, wor_type) if wor_type else {}
        )
        open_ids = set(Wor.concat(*wor_leads.values())._open_for_followup().ids)
        assignees = self._followup_assignees(rule, units)
        base_field = rule._base_field()
        # the rule's values, read once for the batch
        common = {
            "rule_id": rule.id,
            "kind": rule.kind,
            "kpb_number": rule.kpb_number,
            "attempt": rule.attempt,
            "channel": rule.channel,
        }
        due_cache = {}
        rows = []
        attempted_ids = []
        for unit in units:
            branch = unit.branch_id
            calendar = branch.resource_calendar_id
            base_day = unit[base_field]
            key = (calendar, base_day)
            if key not in due_cache:
                due_cache[key] = self._due_date(rule, calendar, base_day, work)
            wor_lead_id = wor_leads[unit.id].id if unit.id in wor_leads else False
            closed = bool(wor_lead_id) and wor_lead_id not in open_ids
            if wor_lead_id and not closed and rule.attempt:
                attempted_ids.append(wor_lead_id)
            rows.append(
                dict(
                    common,
                    unit_sale_id=unit.id,
                    partner_id=unit.partner_id.id,
                    branch_id=branch.id,
                    due_date=due_cache[key],
                    wor_lead_id=wor_lead_id,
                    user_id=False if closed else assignees(branch),
                    state="cancel" if closed else "todo",
                )
            )
        attempted = Wor.browse(attempted_ids)
        return rows, attempted

    @api.model
    def _followup_assignees(self, rule, units):
        """A function giving, per branch, the user of the rule's role with the
        fewest open follow-ups (counting those being assigned)."""
        Branch = self.env["daya.branch"]
        holders = units.branch_id._role_holders(
            Branch._role_group(rule.responsible_role)
        )
        staff = self.env["res.users"].union(*holders.values())
        load = {
            group_["user_id"][0]: group_["user_id_count"]
            for group_ in self._read_group(
                [("user_id", "in", staff.ids), ("state", "=", "todo")],
                ["user_id"],
                ["user_id"],
            )
        }

        def assignee(branch):
            user = Branch._pick_least_loaded(holders.get(branch.id), load)
            return user.id or False

        return assignee

    # ------------------------------------------------------------
    # BUSINESS METHODS: messages
    # ------------------------------------------------------------

    @api.model
    def _cron_send_messages(self, batch_size=200, time_budget=None):
        """Send the WhatsApp blasts and SMS notices due, through the configured
        gateways; a failed message turns the task into a call.

        Two steps, each committed before anything leaves the server: the due tasks
        are written to the outbox (``daya.message.log``, state ``outgoing``), then
        each outgoing message is posted once (see ``_send_outgoing``). A template
        that cannot be rendered is an error of that message, not of the run. The
        run stops after ``time_budget`` seconds (half the cron's
        ``limit_time_real`` by default) and triggers itself to go on."""
        Outbox = self.env["daya.message.log"]
        deadline = Outbox._deadline(time_budget)
        gateways = {
            gateway.channel: gateway
            for gateway in self.env["daya.message.gateway"].search([], order="id desc")
        }
        Outbox._recover_interrupted()
        while gateways:
            tasks = self.search(
                [
                    ("state", "=", "todo"),
                    ("channel", "in", list(gateways)),
                    ("message_state", "=", False),
                    ("due_date", "<=", fields.Date.context_today(self)),
                ],
                limit=batch_size,
            )
            if not tasks:
                break
            tasks._queue_messages(gateways)
            Outbox._commit()
            if Outbox._past(deadline):
                break
        if not Outbox._send_outgoing(deadline):
            self.env.ref("daya_crm_followup.ir_cron_send_messages")._trigger()

    def _queue_messages(self, gateways):
        """Write the tasks' messages to the outbox; a message whose template cannot
        be rendered is recorded as failed with the reason, and its task becomes a
        call."""
        vals_list, failed = [], self.browse()
        for task in self:
            gateway = gateways[task.channel]
            to = task.partner_id.mobile_e164
            try:
                body, error = task._message_body(), False
            except UserError as render_error:
                body, error = False, render_error.args[0]
            if not error and not to:
                error = _("The customer has no mobile number.")
            vals_list.append(
                {
                    "task_id": task.id,
                    "partner_id": task.partner_id.id,
                    "branch_id": task.branch_id.id,
                    "gateway_id": gateway.id,
                    "channel": task.channel,
                    "to": to,
                    "body": body,
                    "state": "failed" if error else "outgoing",
                    "error": error,
                }
            )
            if error:
                failed |= task
        self.env["daya.message.log"].create(vals_list)
        (self - failed).write({"message_state": "outgoing"})
        failed.write({"message_state": "failed", "channel": "call"})

    def _message_done(self, ok):
        """The gateway answered (``ok``) or not for the task's message."""
        self.ensure_one()
        if not ok:
            self.write({"message_state": "failed", "channel": "call"})
            return
        self.message_state = "sent"
        if self.channel == "sms":
            self._record_result("contacted")  # an SMS notice is the whole follow-up
        # a WhatsApp invitation waits for the reply

    def _message_body(self):
        """The task's message in the customer's language (the rule's name when it
        has no template); raises a UserError when the template cannot be
        rendered."""
        self.ensure_one()
        rule = self.rule_id
        if not rule.message_template:
            lang = rule._render_lang(self.ids)[self.id]
            return rule.with_context(lang=lang).name
        return rule._render_field("message_template", self.ids, compute_lang=True)[
            self.id
        ]

    # ------------------------------------------------------------
    # BUSINESS METHODS: daily summary
    # ------------------------------------------------------------

    @api.model
    def _cron_send_daily_summary(self):
        """Each branch head (cc the area coordinator) gets the day's figures, in
        the branch head's language."""
        branches = self.env["daya.branch"].search([("head_user_id", "!=", False)])
        vals_list = []
        # the day of each branch in its own time zone (WIB from 17:00 UTC is
        # already tomorrow)
        for tz in set(branches.mapped(lambda branch: branch._booking_tz().zone)):
            tz_branches = branches.filtered(lambda b, tz=tz: b._booking_tz().zone == tz)
            day = fields.Date.context_today(self.with_context(tz=tz))
            figures = self._daily_figures(tz_branches, day)
            vals_list += [
                self.with_context(
                    lang=branch.head_user_id.sudo().lang or self.env.lang
                )._daily_summary_mail_values(branch, day, figures[branch.id])
                for branch in tz_branches
            ]
        return self.env["mail.mail"].sudo().create(vals_list)

    @api.model
    def _daily_summary_mail_values(self, branch, day, figures):
        """The summary mail of ``branch``, rendered in the context's language."""
        body = self.env["ir.qweb"]._render(
            "daya_crm_followup.daily_summary_body",
            {
                "branch": branch,
                "day": format_date(self.env, day),
                "figures": figures,
                "unassigned": _("Unassigned"),
            },
        )
        return {
            "subject": _(
                "CRM summary %(branch)s %(day)s",
                branch=branch.code,
                day=format_date(self.env, day),
            ),
            "body_html": body,
            "email_to": branch.head_user_id.email_formatted,
            "email_cc": branch.area_coordinator_user_id.email_formatted or False,
            "auto_delete": False,
        }

    @api.model
    def _daily_figures(self, branches, day):
        """{branch id: figures of ``day``}: customers followed up, responses,
        bookings made, services done, overdue follow-ups (in all and per admin:
        (name, count), the name False for those assigned to no one). The day
        runs from midnight to midnight in the branches' time zone (the first
        one's: WIB unless set), as UTC bounds of the datetimes."""
        tz = branches[:1]._booking_tz() if branches else pytz.timezone("Asia/Jakarta")
        start = (
            tz.localize(datetime.combine(day, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        stop = (
            tz.localize(datetime.combine(day + timedelta(days=1), time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
        )
        figures = {
            branch.id: {
                "followed_up": 0,
                "responses": 0,
                "bookings": 0,
                "done_services": 0,
                "overdue": 0,
                "overdue_by_user": [],
            }
            for branch in branches
        }
        Task = self.sudo()
        done_domain = [
            ("branch_id", "in", branches.ids),
            ("state", "=", "done"),
            ("done_date", ">=", start),
            ("done_date", "<", stop),
        ]
        for group in Task.read_group(
            done_domain, ["partner_id:count_distinct"], ["branch_id"]
        ):
            figures[group["branch_id"][0]]["followed_up"] = group["partner_id"]
        for group in Task.read_group(
            done_domain + [("result", "not in", RETRY_RESULTS)], [], ["branch_id"]
        ):
            figures[group["branch_id"][0]]["responses"] = group["branch_id_count"]
        Booking = self.env["daya.service.booking"].sudo()
        for group in Booking.read_group(
            [
                ("branch_id", "in", branches.ids),
                ("create_date", ">=", start),
                ("create_date", "<", stop),
            ],
            [],
            ["branch_id"],
        ):
            figures[group["branch_id"][0]]["bookings"] = group["branch_id_count"]
        for group in Booking.read_group(
            [
                ("branch_id", "in", branches.ids),
                ("state", "=", "done"),
                ("start", ">=", start),
                ("start", "<", stop),
            ],
            [],
            ["branch_id"],
        ):
            figures[group["branch_id"][0]]["done_services"] = group["branch_id_count"]
        for group in Task.read_group(
            [
                ("branch_id", "in", branches.ids),
                ("state", "=", "todo"),
                ("due_date", "<", day),
            ],
            [],
            ["branch_id", "user_id"],
            lazy=False,
        ):
            branch_figures = figures[group["branch_id"][0]]
            branch_figures["overdue"] += group["__count"]
            # no name for the unassigned ones: the mail says so in its reader's language
            user = group["user_id"][1] if group["user_id"] else False
            branch_figures["overdue_by_user"].append((user, group["__count"]))
        return figures
