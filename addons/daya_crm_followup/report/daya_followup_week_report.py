from datetime import datetime, time, timedelta

from psycopg2 import sql

from odoo import api, fields, models, tools
from odoo.osv import expression

from ..models.daya_followup_task import RETRY_RESULTS

# the bounds a condition on the review's date puts on its UTC moment
STAMP_CLAUSES = {
    ">=": '"daya_followup_week_report"."stamp" >= %s',
    "<": '"daya_followup_week_report"."stamp" < %s',
}


class DayaFollowupWeekReport(models.Model):
    """The weekly review (memo 000 point 5): one row per event of a branch's
    after-sales work (a follow-up recorded, a booking made, a service done, a
    follow-up handled late or still overdue), dated in the branch's time zone,
    so that graph and pivot group the same figures as Branch Today by week."""

    _name = "daya.followup.week.report"
    _description = "Weekly Review of the After-sales Work"
    _auto = False
    _order = "date desc"
    _rec_name = "date"
    # what the view reads: flushed before each search
    _depends = {
        "daya.followup.task": [
            "branch_id",
            "partner_id",
            "user_id",
            "done_user_id",
            "state",
            "result",
            "due_date",
            "done_date",
        ],
        "daya.service.booking": [
            "branch_id",
            "partner_id",
            "user_id",
            "state",
            "start",
            "create_date",
        ],
        "daya.branch": ["booking_calendar_id"],
        "resource.calendar": ["tz"],
    }

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    date = fields.Date(readonly=True)
    branch_id = fields.Many2one("daya.branch", readonly=True)
    user_id = fields.Many2one("res.users", string="Person", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    task_id = fields.Many2one("daya.followup.task", string="Follow-up", readonly=True)
    booking_id = fields.Many2one("daya.service.booking", readonly=True)
    followed_up = fields.Integer(string="Customers Followed Up", readonly=True)
    responses = fields.Integer(readonly=True)
    bookings = fields.Integer(string="Bookings Made", readonly=True)
    done_services = fields.Integer(string="Services Done", readonly=True)
    booking_done_rate = fields.Float(
        string="Booking to Done (%)",
        group_operator="avg",
        readonly=True,
        help="Share of the bookings made that became a done service.",
    )
    overdue = fields.Integer(
        string="Overdue Follow-ups",
        readonly=True,
        help="Follow-ups due that week and not done by their due date.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        """The view: follow-ups recorded (a customer counted once per branch and
        week), bookings made (with their booking→done share), services done,
        follow-ups overdue, each dated in the branch's time zone.

        No window over the whole history: a filter on the date reaches each
        event's own indexed column (``_where_calc`` bounds ``stamp``, the UTC
        moment the date is taken from), so the review of a few weeks reads those
        weeks, not years of follow-ups. The id is the event's own (task or
        booking id × 4 + the kind of event)."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            sql.SQL(
                """
            CREATE VIEW {table} AS (
            WITH branch_tz AS (
                SELECT b.id AS branch_id,
                       COALESCE(rc.tz, 'Asia/Jakarta') AS tz
                  FROM daya_branch b
             LEFT JOIN resource_calendar rc ON rc.id = b.booking_calendar_id
            )
                SELECT t.id::bigint * 4 AS id, t.done_date AS stamp,
                       t.branch_id, t.done_user_id AS user_id, t.partner_id,
                       t.id AS task_id, NULL::integer AS booking_id,
                       (t.done_date AT TIME ZONE 'UTC' AT TIME ZONE bt.tz)::date
                           AS date,
                       -- the customer's first follow-up recorded that week
                       CASE WHEN NOT EXISTS (
                           SELECT 1 FROM daya_followup_task e
                            WHERE e.partner_id = t.partner_id
                              AND e.branch_id = t.branch_id
                              AND e.state = 'done'
                              AND e.done_date >= t.done_date - interval '7 days'
                              AND (e.done_date < t.done_date
                                   OR (e.done_date = t.done_date AND e.id < t.id))
                              AND date_trunc('week', e.done_date AT TIME ZONE 'UTC'
                                                     AT TIME ZONE bt.tz)
                                  = date_trunc('week', t.done_date AT TIME ZONE 'UTC'
                                                       AT TIME ZONE bt.tz))
                       THEN 1 ELSE 0 END AS followed_up,
                       CASE WHEN t.result IN %(retry)s THEN 0 ELSE 1 END
                           AS responses,
                       0 AS bookings, 0 AS done_services,
                       NULL::double precision AS booking_done_rate,
                       0 AS overdue
                  FROM daya_followup_task t
                  JOIN branch_tz bt ON bt.branch_id = t.branch_id
                 WHERE t.state = 'done' AND t.done_date IS NOT NULL
                UNION ALL
                SELECT bk.id::bigint * 4 + 1, bk.create_date,
                       bk.branch_id, bk.user_id, bk.partner_id, NULL, bk.id,
                       (bk.create_date AT TIME ZONE 'UTC' AT TIME ZONE bt.tz)::date,
                       0, 0, 1, 0,
                       CASE WHEN bk.state = 'done' THEN 100.0 ELSE 0.0 END, 0
                  FROM daya_service_booking bk
                  JOIN branch_tz bt ON bt.branch_id = bk.branch_id
                 WHERE bk.state != 'cancel'
                UNION ALL
                SELECT bk.id::bigint * 4 + 2, bk.start,
                       bk.branch_id, bk.user_id, bk.partner_id, NULL, bk.id,
                       (bk.start AT TIME ZONE 'UTC' AT TIME ZONE bt.tz)::date,
                       0, 0, 0, 1, NULL, 0
                  FROM daya_service_booking bk
                  JOIN branch_tz bt ON bt.branch_id = bk.branch_id
                 WHERE bk.state = 'done'
                UNION ALL
                SELECT t.id::bigint * 4 + 3, t.due_date::timestamp,
                       t.branch_id, t.user_id, t.partner_id, t.id, NULL,
                       t.due_date, 0, 0, 0, 0, NULL, 1
                  FROM daya_followup_task t
                  JOIN branch_tz bt ON bt.branch_id = t.branch_id
                 WHERE (t.state = 'todo'
                        AND t.due_date < (now() AT TIME ZONE bt.tz)::date)
                    OR (t.state = 'done'
                        AND (t.done_date AT TIME ZONE 'UTC'
                             AT TIME ZONE bt.tz)::date > t.due_date)
            )
            """
            ).format(table=sql.Identifier(self._table)),
            {"retry": RETRY_RESULTS},
        )

    @api.model
    def _where_calc(self, domain, active_test=True):
        """A condition on the date (ANDed with the rest) also bounds ``stamp``,
        the UTC moment the date is read from in the branch's time zone (within a
        day of it whatever the zone): PostgreSQL takes that bound into each
        event's query and reads the weeks asked for from the indexes."""
        query = super()._where_calc(domain, active_test)
        for operator, moment in self._stamp_bounds(domain):
            query.add_where(STAMP_CLAUSES[operator], [moment])
        return query

    @api.model
    def _stamp_bounds(self, domain):
        """[(operator, UTC moment)] implied by the leaves on ``date`` that the
        whole domain ANDs (the others are left to the date's own condition)."""
        domain = expression.normalize_domain(domain)
        leaves = []

        def walk(index, conjunct):
            token = domain[index]
            if token in (expression.AND_OPERATOR, expression.OR_OPERATOR):
                conjunct = conjunct and token == expression.AND_OPERATOR
                return walk(walk(index + 1, conjunct), conjunct)
            if token == expression.NOT_OPERATOR:
                return walk(index + 1, False)
            if conjunct:
                leaves.append(token)
            return index + 1

        if domain:
            walk(0, True)
        bounds = []
        for leaf in leaves:
            if (
                not isinstance(leaf, (list, tuple))
                or len(leaf) != 3
                or leaf[0] != "date"
                or leaf[1] not in ("=", ">", ">=", "<", "<=")
                or not leaf[2]
            ):
                continue
            try:
                day = fields.Date.to_date(leaf[2])
            except (TypeError, ValueError):
                continue  # the date's own condition says what is wrong
            moment = datetime.combine(day, time.min)
            if leaf[1] in ("=", ">", ">="):
                bounds.append((">=", moment - timedelta(days=1)))
            if leaf[1] in ("=", "<", "<="):
                bounds.append(("<", moment + timedelta(days=2)))
        return bounds
