import functools
import hashlib
import json
import logging
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytz
import requests
from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

# The DGI endpoints this addon pulls, in the order the cron pulls them: a deal
# (spk) needs its prospect, a delivery (bast) its deal, an STNK (doch) and a
# workshop visit (pkb) their motorcycle; the customer data (cdb) fills in the
# customers these made.
ENDPOINTS = [
    ("prsp", "Prospects (prsp)"),
    ("spk", "Deals / SPK (spk)"),
    ("lsng", "Leasing (lsng)"),
    ("inv1", "Billing (inv1)"),
    ("bast", "Deliveries / BASTK (bast)"),
    ("doch", "Document Handling / STNK (doch)"),
    ("pkb", "Workshop Work Orders (pkb)"),
    ("cdb", "Customer Data / CDB (cdb)"),
]
ENDPOINT_CODES = [code for code, _label in ENDPOINTS]
# each endpoint's switch and cursor on the backend: their labels, and the
# switch's help
ENDPOINT_FIELDS = {
    "prsp": ("Pull Prospects", "Prospects Pulled Until", None),
    "spk": ("Pull Deals", "Deals Pulled Until", None),
    "lsng": ("Pull Leasing", "Leasing Pulled Until", None),
    "inv1": ("Pull Billing", "Billing Pulled Until", None),
    "bast": ("Pull Deliveries", "Deliveries Pulled Until", None),
    "doch": ("Pull Documents", "Documents Pulled Until", None),
    "pkb": ("Pull Work Orders", "Work Orders Pulled Until", None),
    "cdb": (
        "Pull Customer Data",
        "Customer Data Pulled Until",
        "Fill in the empty customer database (CDB) fields of the branches' "
        "customers, found by NIK; never overwrites what is filled in.",
    ),
}
# the servers refuse more than 30 days; the DGI guideline is 7
MAX_WINDOW_DAYS = 7
DGI_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
# the ways a DMS writes a date, without and with its time: dd/mm/yyyy (the DGI
# guideline) or ISO
DMS_DATE_FORMATS = {
    False: ("%d/%m/%Y", "%Y-%m-%d"),
    True: ("%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"),
}
# failed windows are retried after 5, 10, 20, 40 then every 60 minutes
RETRY_MINUTES = (5, 10, 20, 40, 60)
# the advisory lock of a backend's pull (with the backend's id): one pull of a
# backend at a time (the scheduled action, "Pull Now", another server's cron)
PULL_LOCK = 1357014


class DmsError(Exception):
    """A DMS call that failed: the message is shown to the administrator."""


class DayaDmsBackend(models.Model):
    """A connection to a dealer's DMS through the Honda DGI API (Dealer Gateway
    Integration): ``POST <base_url>/<code>/read`` with a window of at most
    ``window_days`` days, signed with the dealer's key and secret."""

    _name = "daya.dms.backend"
    _description = "DMS Connection"
    _inherit = ["daya.restricted.fields.mixin"]
    _order = "name, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    base_url = fields.Char(
        string="Base URL",
        required=True,
        help="The DGI API root given by the main dealer, e.g. "
        "https://dms.example.co.id/dgi-api/v1.3 (the endpoint code and /read are "
        "appended).",
    )
    dealer_code = fields.Char(
        required=True, help="The AHM dealer code, sent as dealerId."
    )
    api_key = fields.Char(
        string="API Key",
        groups="base.group_system",
        copy=False,
        help="Administrators only: not readable, searchable, groupable or "
        "exportable by anyone else.",
    )
    api_secret = fields.Char(
        string="API Secret",
        groups="base.group_system",
        copy=False,
        help="Administrators only: not readable, searchable, groupable or "
        "exportable by anyone else.",
    )
    token_join = fields.Selection(
        [("concat", "key + secret + time"), ("colon", "key:secret:time")],
        string="Token Format",
        required=True,
        default="concat",
        help="How the DGI-API-Token hash joins the key, the secret and the request "
        "time: most DMS providers concatenate them, some join them with ':'.",
    )
    tz = fields.Selection(
        "_tz_selection",
        string="DMS Time Zone",
        required=True,
        default="Asia/Jakarta",
        help="The time zone of the times the DMS sends and expects.",
    )
    window_days = fields.Integer(
        string="Window (days)",
        required=True,
        default=7,
        help="Days pulled per call, 1 to 7 (the DMS refuses long windows).",
    )
    timeout = fields.Integer(
        string="Timeout (seconds)",
        required=True,
        default=30,
        help="Seconds to wait for the DMS's answer, 1 to 300.",
    )
    max_windows = fields.Integer(
        string="Windows per Run",
        required=True,
        default=20,
        help="Windows pulled per endpoint in one run of the scheduled action; it "
        "runs again at once while behind.",
    )
    branch_ids = fields.Many2many(
        "daya.branch",
        string="Branches",
        required=True,
        help="The branches of this dealer: synced records go to the first one, or "
        "to the branch of their salesperson among these.",
    )
    date_start = fields.Datetime(
        string="Pull From",
        required=True,
        default=lambda self: fields.Datetime.now() - timedelta(days=7),
        help="Where the first pull of each endpoint starts.",
    )
    pkb_closed_statuses = fields.Char(
        string="Closed Work Order Statuses",
        default="closed,close,selesai,done,finish,4",
        help="Values of statusWorkOrder (comma-separated, any case) meaning the "
        "work order is closed.",
    )
    push_enabled = fields.Boolean(
        string="Send New Leads",
        default=False,
        help="Send the leads created in the CRM for this connection's branches to "
        "the DMS as prospects (when the DMS allows writing). Off by default.",
    )
    push_path = fields.Char(
        string="Prospect Write Path",
        default="prsp/add",
        help="Where a new prospect is posted: a path after the Base URL (most "
        "providers: prsp/add) or a full address of the provider's write API.",
    )
    push_since = fields.Datetime(
        string="Sending Since",
        readonly=True,
        copy=False,
        help="Leads created from then on are sent (set when sending is switched on).",
    )
    failed_attempts = fields.Integer(readonly=True, copy=False)
    next_attempt = fields.Datetime(
        readonly=True,
        copy=False,
        help="After a failed call the scheduled pull waits until then.",
    )
    log_ids = fields.One2many("daya.dms.log", "backend_id", string="Logs")
    log_count = fields.Integer(compute="_compute_log_count")
    # which endpoints are pulled (<code>_enabled) and where each one stands
    # (<code>_cursor): a pair of fields per endpoint of ENDPOINT_FIELDS
    for _code, (_switch, _cursor, _help) in ENDPOINT_FIELDS.items():
        locals()["%s_enabled" % _code] = fields.Boolean(
            string=_switch, default=True, help=_help
        )
        locals()["%s_cursor" % _code] = fields.Datetime(string=_cursor, copy=False)
    del _code, _switch, _cursor, _help

    _sql_constraints = [
        (
            "window_days_range",
            "CHECK(window_days BETWEEN 1 AND 7)",
            "Window (days) must be between 1 and 7.",
        ),
        (
            "timeout_range",
            "CHECK(timeout BETWEEN 1 AND 300)",
            "Timeout (seconds) must be between 1 and 300.",
        ),
        (
            "max_windows_range",
            "CHECK(max_windows BETWEEN 1 AND 1000)",
            "Windows per Run must be between 1 and 1000.",
        ),
    ]

    @api.model
    def _tz_selection(self):
        return [(tz, tz) for tz in pytz.all_timezones]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_log_count(self):
        groups = self.env["daya.dms.log"].read_group(
            [("backend_id", "in", self.ids)], ["backend_id"], ["backend_id"]
        )
        counts = {group["backend_id"][0]: group["backend_id_count"] for group in groups}
        for backend in self:
            backend.log_count = counts.get(backend.id, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("base_url")
    def _check_base_url(self):
        for backend in self:
            if not (backend.base_url or "").startswith(("http://", "https://")):
                raise ValidationError(
                    _(
                        "Base URL: enter the address of the DGI API, starting with "
                        'https:// (or http://), not "%(value)s".',
                        value=backend.base_url or "",
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("push_enabled"):
                vals.setdefault("push_since", self.env.cr.now())
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("push_enabled") and "push_since" not in vals:
            switched_on = self.filtered(lambda backend: not backend.push_enabled)
            if switched_on:
                super(DayaDmsBackend, switched_on).write(
                    {"push_since": self.env.cr.now()}
                )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_test_connection(self):
        """Ask the DMS for the prospects of the last hour: the address, the
        dealer code, the key, the secret and the clock are right when it
        answers."""
        self.ensure_one()
        self._check_administrator()
        now = fields.Datetime.now().replace(microsecond=0)
        try:
            rows = self.sudo()._dms_request("prsp", now - timedelta(hours=1), now)
        except DmsError as error:
            raise UserError(
                _("The DMS connection failed: %(error)s", error=error)
            ) from None
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("DMS connection works"),
                "message": _(
                    "The DMS answered: %(count)s prospects in the last hour.",
                    count=len(rows),
                ),
                "sticky": False,
            },
        }

    def action_pull_now(self):
        """Pull every endpoint up to now (as the scheduled action does, without
        waiting for the retry delay)."""
        self.ensure_one()
        self._check_administrator()
        # the sync writes leads, deals and unit sales of the backend's branches
        # on the DMS's behalf, as the scheduled action does
        now = fields.Datetime.now().replace(microsecond=0)
        result = self.sudo()._dms_sync_backend(now)
        if result == "busy":
            raise UserError(
                _(
                    "%(name)s is being pulled right now (by the scheduled action or "
                    "another administrator). Its sync log shows the progress; pull "
                    "again once it is done.",
                    name=self.name,
                )
            )
        if result == "behind":
            self.env.ref("daya_dms.ir_cron_dms_pull")._trigger()
        return self.action_view_logs()

    def action_view_logs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("DMS Sync Log"),
            "res_model": "daya.dms.log",
            "view_mode": "tree,form",
            "domain": [("backend_id", "=", self.id)],
            "context": {"default_backend_id": self.id},
        }

    def _check_administrator(self):
        if not self.env.user._is_system():
            raise AccessError(_("Only administrators connect and pull the DMS."))

    # ------------------------------------------------------------
    # BUSINESS METHODS: the protocol
    # ------------------------------------------------------------

    def _dms_headers(self, timestamp=None):
        """The DGI authentication headers for a call at ``timestamp`` (unix
        seconds): the key, the time and sha256(key + secret + time)."""
        self.ensure_one()
        backend = self.sudo()
        key, secret = backend.api_key or "", backend.api_secret or ""
        timestamp = str(int(timestamp if timestamp is not None else time.time()))
        joiner = ":" if backend.token_join == "colon" else ""
        token = hashlib.sha256(
            joiner.join((key, secret, timestamp)).encode()
        ).hexdigest()
        return {
            "DGI-API-Key": key,
            "X-Request-Time": timestamp,
            "DGI-API-Token": token,
            "Content-Type": "application/json",
        }

    def _dms_format_time(self, value):
        """A naive UTC datetime as the DMS's local time text."""
        local = pytz.utc.localize(value).astimezone(pytz.timezone(self.tz))
        return local.strftime(DGI_TIME_FORMAT)

    def _dms_request(self, endpoint, date_from, date_to, **filters):
        """POST one window to ``<base_url>/<endpoint>/read``; returns the rows
        (``data``) or raises :class:`DmsError` with a readable message."""
        self.ensure_one()
        url = "%s/%s/read" % (self.base_url.rstrip("/"), endpoint)
        body = dict(
            filters,
            fromTime=self._dms_format_time(date_from),
            toTime=self._dms_format_time(date_to),
            dealerId=self.dealer_code,
        )
        data = self._dms_call(url, body)
        if data is None:
            return []
        if not isinstance(data, list):
            raise DmsError(_("The DMS's answer has no list of records in data."))
        return data

    def _dms_call(self, url, body):
        """POST ``body`` to ``url`` with the signed headers; returns the answer's
        ``data`` or raises :class:`DmsError` with a readable message."""
        try:
            response = requests.post(
                url, json=body, headers=self._dms_headers(), timeout=self.timeout
            )
        except requests.Timeout:
            raise DmsError(
                _(
                    "The DMS did not answer within %(seconds)s seconds.",
                    seconds=self.timeout,
                )
            ) from None
        except requests.RequestException as error:
            raise DmsError(
                _("The DMS could not be reached: %(error)s", error=error)
            ) from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        message = (answer or {}).get("message") if isinstance(answer, dict) else None
        if response.status_code in (401, 403):
            raise DmsError(
                _(
                    "The DMS refused the authentication (HTTP %(code)s): %(message)s. "
                    "Check the API key and secret, the token format and the server "
                    "clock (the DMS refuses a request time more than a few seconds "
                    "off).",
                    code=response.status_code,
                    message=message or response.reason,
                )
            )
        if response.status_code >= 400:
            raise DmsError(
                _(
                    "The DMS answered HTTP %(code)s: %(message)s",
                    code=response.status_code,
                    message=message or response.text[:300] or response.reason,
                )
            )
        if not isinstance(answer, dict):
            raise DmsError(
                _(
                    "The DMS's answer is not the expected JSON object "
                    '{"status", "message", "data"}: %(text)s',
                    text=response.text[:300],
                )
            )
        if str(answer.get("status")) != "1":
            raise DmsError(
                _(
                    "The DMS refused the call (status %(status)s): %(message)s",
                    status=answer.get("status"),
                    message=message or "-",
                )
            )
        return answer.get("data")

    # ------------------------------------------------------------
    # BUSINESS METHODS: pulling
    # ------------------------------------------------------------

    def _dms_pull(self, endpoint, date_from, date_to):
        """Pull one window of ``endpoint`` (naive UTC datetimes) and upsert its
        records; returns the ``daya.dms.log`` of the call. Idempotent: the same
        window pulled again creates nothing. A failed call makes a failed log
        and changes nothing."""
        self.ensure_one()
        if endpoint not in ENDPOINT_CODES:
            raise UserError(
                _(
                    "Unknown DMS endpoint %(endpoint)s: use one of %(codes)s.",
                    endpoint=endpoint,
                    codes=", ".join(ENDPOINT_CODES),
                )
            )
        date_from = fields.Datetime.to_datetime(date_from)
        date_to = fields.Datetime.to_datetime(date_to)
        if not date_from or not date_to or date_to <= date_from:
            raise UserError(_("A DMS window ends after it starts."))
        if date_to - date_from > timedelta(days=self.window_days):
            raise UserError(
                _(
                    "A DMS window is at most %(days)s days (the backend's window); "
                    "%(from)s to %(to)s is longer.",
                    days=self.window_days,
                    **{"from": date_from, "to": date_to},
                )
            )
        started = time.monotonic()
        values = {
            "backend_id": self.id,
            "endpoint": endpoint,
            "date_from": date_from,
            "date_to": date_to,
        }
        try:
            rows = self._dms_request(endpoint, date_from, date_to)
        except DmsError as error:
            _logger.warning("DMS %s %s failed: %s", self.name, endpoint, error)
            values.update(state="failed", error=str(error))
        else:
            values.update(state="done", **self._dms_import(endpoint, rows))
        values["duration"] = time.monotonic() - started
        return self.env["daya.dms.log"].sudo().create(values)

    @api.model
    def _cron_dms_pull(self):
        """Pull every active backend's endpoints from their cursors up to now;
        runs again at once while some are behind."""
        if self.search([])._dms_sync():
            self.env.ref("daya_dms.ir_cron_dms_pull")._trigger()

    def _dms_sync(self, now=None, force=False):
        """Walk each enabled endpoint forward from its cursor in windows of
        ``window_days``, at most ``max_windows`` per endpoint, committing each
        window; a cursor moves only past a window pulled without failure.
        Returns True when some endpoint is still behind ``now``."""
        now = (now or fields.Datetime.now()).replace(microsecond=0)
        behind = False
        for backend in self:
            if (
                not force
                and backend.next_attempt
                and backend.next_attempt > fields.Datetime.now()
            ):
                continue
            behind = backend._dms_sync_backend(now) == "behind" or behind
        return behind

    def _dms_sync_backend(self, now):
        """Pull the backend's enabled endpoints in order, under its pull lock.
        Returns ``busy`` when another pull of the backend is running (it pulls
        the same windows), else ``done``, ``behind`` or ``failed``."""
        self.ensure_one()
        with self._dms_pull_lock() as locked:
            if not locked:
                return "busy"
            # the pull that held the lock may have moved the cursors: read them
            # in a new transaction
            self._dms_commit()
            self.invalidate_recordset()
            result = "done"
            for endpoint in ENDPOINT_CODES:
                if not self["%s_enabled" % endpoint]:
                    continue
                pulled = self._dms_sync_endpoint(endpoint, now)
                if pulled == "failed":
                    return pulled  # the next endpoints depend on this one
                if pulled == "behind":
                    result = pulled
            return result

    @contextmanager
    def _dms_pull_lock(self):
        """Hold the backend's pull lock while the block runs (yields False,
        and the block runs unlocked, when another pull holds it). A session
        lock: the windows' commits do not release it; a worker that dies
        releases it with its connection."""
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (PULL_LOCK, self.id))
        locked = cr.fetchone()[0]
        try:
            yield locked
        finally:
            if locked:
                unlock = "SELECT pg_advisory_unlock(%s, %s)"
                try:
                    cr.execute(unlock, (PULL_LOCK, self.id), log_exceptions=False)
                except pg_errors.InFailedSqlTransaction:
                    # the block failed in SQL: its transaction is lost anyway
                    cr.rollback()
                    cr.execute(unlock, (PULL_LOCK, self.id))

    def _dms_sync_endpoint(self, endpoint, now):
        """Pull ``endpoint`` from its cursor towards ``now``; returns ``done``,
        ``behind`` or ``failed``."""
        self.ensure_one()
        cursor_field = "%s_cursor" % endpoint
        for _i in range(self.max_windows):
            date_from = self[cursor_field] or self.date_start
            if date_from >= now:
                return "done"
            date_to = min(date_from + timedelta(days=self.window_days), now)
            log = self._dms_pull(endpoint, date_from, date_to)
            if log.state == "failed":
                attempts = self.failed_attempts + 1
                delay = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
                self.write(
                    {
                        "failed_attempts": attempts,
                        "next_attempt": fields.Datetime.now()
                        + timedelta(minutes=delay),
                    }
                )
                self._dms_commit()
                return "failed"
            self.write({cursor_field: date_to, "failed_attempts": 0})
            self._dms_commit()
        return "behind" if (self[cursor_field] or self.date_start) < now else "done"

    def _dms_commit(self):
        """Commit a pulled window: not in tests, nor while modules install."""
        if self.pool.ready and not getattr(
            threading.current_thread(), "testing", False
        ):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------
    # BUSINESS METHODS: parsing
    # ------------------------------------------------------------

    def _dms_parse_date(self, value):
        """A DMS date (``dd/mm/yyyy``, with or without ``HH:MM:SS``, or ISO) as a
        date in the DMS's time zone; raises ValueError on anything else."""
        if not value:
            return False
        day = _dms_date(str(value).strip())
        if day:
            return day
        raise ValueError(
            _("%(value)s is not a DMS date (dd/mm/yyyy).", value=json.dumps(value))
        )


@functools.lru_cache(maxsize=4096)
def _dms_date(text):
    """The date of a DMS's ``text`` (``DMS_DATE_FORMATS``), or None; read once
    per text (a window's records share a few dates)."""
    for pattern in DMS_DATE_FORMATS[" " in text]:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
