"""No customer gets the same WhatsApp or SMS twice (issue 11, break 10), with real
commits: the sending cron runs in a cron worker process of its own, as Odoo's cron
thread runs a job (``ir.cron._acquire_one_job`` then ``_process_job``: the job's
own cursor, committed), and posts to a message gateway on 127.0.0.1 (a free port)
that counts what it receives. The first run is killed during its first post (the
gateway holds the answer); the next runs, bounded by time, go on through the
triggers the cron gives itself; a last run finds nothing to post.

What the test creates is committed (the worker must see it) and removed at the end,
the cron's schedule put back; the worker is stopped by its own PID."""

import json
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import odoo
from odoo import fields

PREFIX = "MH1MSGONCE"
BAD_CODE = "daya_test_msgonce_bad"
TOKEN = "msgonce-secret-token"
CUSTOMERS = 4
# the gateway's delay per post in the run bounded by time, and that run's
# limit_time_real_cron (half of it is the run's time budget): at most 3 posts
POST_DELAY = 0.5
LIMIT_TIME_REAL_CRON = 3

# A cron worker: loads the registry once, then for each request read on stdin runs
# the sending cron if it is due (its nextcall, or a trigger), exactly as Odoo's cron
# thread does (ir_cron._process_jobs), and answers {"ran": ...} on stdout.
CRON_WORKER = r"""
import json
import sys
import threading
import time

import odoo
from odoo import SUPERUSER_ID, api

odoo.tools.config.parse_config(sys.argv[1:])
db_name = odoo.tools.config["db_name"]
threading.current_thread().dbname = db_name
registry = odoo.registry(db_name)
with registry.cursor() as cr:
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron_id = env.ref("daya_crm_followup.ir_cron_send_messages").id
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    odoo.tools.config["limit_time_real_cron"] = request["limit_time_real_cron"]
    deadline = time.monotonic() + request["wait"]
    with odoo.sql_db.db_connect(db_name).cursor() as cron_cr:
        while True:
            job = registry["ir.cron"]._acquire_one_job(cron_cr, (cron_id,))
            if job or time.monotonic() >= deadline:
                break
            cron_cr.rollback()  # a killed worker's lock goes with its connection
            time.sleep(0.2)
        if job:
            registry["ir.cron"]._process_job(db_name, cron_cr, job)
            cron_cr.commit()
    print(json.dumps({"ran": bool(job)}), flush=True)
"""


# ------------------------------------------------------------
# The message gateway
# ------------------------------------------------------------


class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        self.server.gateway.receive(self)

    def log_message(self, *args):
        pass


class _Gateway:
    """A message gateway on 127.0.0.1 (a free port) that speaks the protocol of
    ``daya.message.gateway``: ``POST <url>`` with JSON ``{"to", "message",
    "sender"}`` and a bearer token. It records each post with the states of its
    outbox row at that moment (read on a connection of its own: what is
    committed), answers the first post only when released when ``hold`` is set,
    and waits ``delay`` seconds before each answer."""

    def __init__(self, db_name):
        self.db_name = db_name
        self.lock = threading.Lock()
        self.posts = []
        self.hold = False
        self.held = threading.Event()
        self.release = threading.Event()
        self.delay = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _GatewayHandler)
        self.server.daemon_threads = True
        self.server.gateway = self
        self.url = "http://127.0.0.1:%s/send" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def receive(self, request):
        length = int(request.headers.get("Content-Length", 0))
        post = json.loads(request.rfile.read(length) or b"{}")
        post["authorization"] = request.headers.get("Authorization")
        post["outbox"] = self._outbox_states(post.get("to"), post.get("message"))
        with self.lock:
            self.posts.append(post)
            hold, self.hold = self.hold, False
        if hold:
            self.held.set()
            self.release.wait(120)
        elif self.delay:
            time.sleep(self.delay)
        try:
            request.send_response(200)
            request.end_headers()
            request.wfile.write(b'{"status": "queued"}')
        except OSError as error:  # the sender died while we held its answer
            post["answer_error"] = str(error)

    def _outbox_states(self, to, body):
        with odoo.sql_db.db_connect(self.db_name).cursor() as cr:
            cr.execute(
                'SELECT state FROM daya_message_log WHERE "to" = %s AND body = %s',
                (to, body),
            )
            return [state for (state,) in cr.fetchall()]

    def count(self):
        with self.lock:
            return len(self.posts)


@pytest.fixture
def gateway(db_name):
    gateway = _Gateway(db_name)
    gateway.thread.start()
    try:
        yield gateway
    finally:
        gateway.release.set()
        gateway.server.shutdown()
        gateway.server.server_close()


# ------------------------------------------------------------
# The cron worker
# ------------------------------------------------------------


class _CronWorker:
    """A process that runs the sending cron on request, as a cron thread of an
    Odoo server does."""

    def __init__(self, db_name):
        config = odoo.tools.config
        args = [
            sys.executable,
            "-c",
            CRON_WORKER,
            f"--database={db_name}",
            f"--addons-path={config['addons_path']}",
            f"--data-dir={config['data_dir']}",
            "--log-level=info",
        ]
        for key in ("db_host", "db_port", "db_user", "db_password"):
            if config.get(key):
                args.append(f"--{key}={config[key]}")
        self.log = tempfile.NamedTemporaryFile(prefix="daya-cron-", suffix=".log")
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
        )
        assert self._answer(120) == {"ready": True}, self.output()

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-3000:]

    def _answer(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _w, _x = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline()
                if not line:
                    break  # the worker stopped
                if line.startswith("{"):
                    return json.loads(line)
        raise AssertionError(f"the cron worker did not answer: {self.output()}")

    def answered(self):
        """Whether the worker has answered (or stopped)."""
        return bool(select.select([self.process.stdout], [], [], 0)[0])

    def start_run(self, limit_time_real_cron=120, wait=0):
        self.process.stdin.write(
            json.dumps({"limit_time_real_cron": limit_time_real_cron, "wait": wait})
            + "\n"
        )
        self.process.stdin.flush()

    def run(self, limit_time_real_cron=120, wait=0):
        """Whether the cron was due and ran (to its end)."""
        self.start_run(limit_time_real_cron, wait)
        return self._answer(120 + wait)["ran"]

    def kill(self):
        self.process.kill()
        self.process.wait(30)

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture
def workers(gateway, followups):
    """Start cron workers with ``workers.append(_CronWorker(db))``: each is
    stopped by its own PID at the end, before the test's data is removed (a
    worker may hold the cron's lock) and the gateway shut down."""
    started = []
    try:
        yield started
    finally:
        gateway.release.set()
        for worker in started:
            worker.stop()


# ------------------------------------------------------------
# The follow-ups due
# ------------------------------------------------------------


@pytest.fixture
def followups(env, gateway):
    """For 4 new customers of Soekarno Hatta: a KPB 1 WhatsApp invitation and an
    STNK SMS notice due, and for 2 of them a WhatsApp of a rule whose template has
    a misspelled placeholder; the gateways on the test's gateway (the others
    inactive meanwhile). All committed; removed afterwards, the cron's schedule
    and the other gateways put back."""
    cron = env.ref("daya_crm_followup.ir_cron_send_messages")
    _remove(env)  # what an interrupted run may have left
    env.cr.execute(
        "SELECT nextcall, lastcall, numbercall, active FROM ir_cron WHERE id = %s",
        [cron.id],
    )
    schedule = env.cr.fetchone()
    env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM ir_cron_trigger")
    [last_trigger] = env.cr.fetchone()
    Gateway = env["daya.message.gateway"]
    others = Gateway.search([])
    others.active = False
    # other messages due on this database (the demo's follow-ups made on install)
    # wait until the test is over: only the test's own are sent meanwhile
    env.flush_all()
    env.cr.execute(
        "UPDATE daya_followup_task SET due_date = due_date + 36500 "
        "WHERE message_state IS NULL AND due_date <= CURRENT_DATE "
        "AND channel IN ('whatsapp', 'sms') RETURNING id"
    )
    parked = [row[0] for row in env.cr.fetchall()]
    env.invalidate_all()
    Gateway.create(
        [
            {
                "name": f"{PREFIX} {channel}",
                "channel": channel,
                "url": gateway.url,
                "api_token": TOKEN,
                "sender": "Daya Motor",
                "timeout": 60,
            }
            for channel in ("whatsapp", "sms")
        ]
    )
    branch = env.ref("daya_base.branch_sh")
    product = env["product.product"].search(
        [("product_tmpl_id.is_motorcycle", "=", True)], limit=1
    )
    today = fields.Date.context_today(env["daya.followup.task"])
    customers = env["res.partner"].create(
        [
            {"name": f"Outbox Customer {index}", "mobile": f"0857-9100-{index:04d}"}
            for index in range(CUSTOMERS)
        ]
    )
    units = env["daya.unit.sale"].create(
        [
            {
                "partner_id": customer.id,
                "branch_id": branch.id,
                "product_id": product.id,
                "frame_number": f"{PREFIX}{index:02d}",
                "sale_date": today - timedelta(days=30),
                "stnk_ready_date": today - timedelta(days=1),
                "payment_type": "cash",
            }
            for index, customer in enumerate(customers)
        ]
    )
    kpb1 = env.ref("daya_crm_followup.rule_kpb1_fu1")
    stnk = env.ref("daya_crm_followup.rule_stnk_regular")
    # a rule of its own (archived: no generation uses it) whose template was saved
    # before the template check existed, or through a translation
    bad = env.ref("daya_crm_followup.rule_kpb2_fu1").copy(
        {"code": BAD_CODE, "name": f"{PREFIX} misspelled", "active": False}
    )
    template = "Hello {{ object.nmae }}, your KPB 2 at {{ object.branch_id.name }}."
    env.cr.execute(
        "UPDATE daya_followup_rule SET message_template = %s WHERE id = %s",
        (json.dumps({"en_US": template, "id_ID": template}), bad.id),
    )
    bad.invalidate_recordset()
    pairs = [(unit, rule) for unit in units for rule in (kpb1, stnk)]
    pairs += [(unit, bad) for unit in units[:2]]
    tasks = env["daya.followup.task"].create(
        [
            {
                "unit_sale_id": unit.id,
                "partner_id": unit.partner_id.id,
                "branch_id": branch.id,
                "rule_id": rule.id,
                "channel": rule.channel,
                "due_date": today - timedelta(days=1),
            }
            for unit, rule in pairs
        ]
    )
    env.cr.commit()
    try:
        yield (
            tasks.filtered(lambda task: task.rule_id != bad),
            tasks.filtered(lambda task: task.rule_id == bad),
        )
    finally:
        env.cr.rollback()
        env.invalidate_all()
        _remove(env)
        others.active = True
        if parked:
            env.cr.execute(
                "UPDATE daya_followup_task SET due_date = due_date - 36500 "
                "WHERE id IN %s",
                [tuple(parked)],
            )
        env.cr.execute(
            "UPDATE ir_cron SET nextcall = %s, lastcall = %s, numbercall = %s, "
            "active = %s WHERE id = %s",
            [*schedule, cron.id],
        )
        env.cr.execute(
            "DELETE FROM ir_cron_trigger WHERE cron_id = %s AND id > %s",
            [cron.id, last_trigger],
        )
        env.cr.commit()


def _remove(env):
    """The test's follow-ups (their outbox with them), motorcycles, customers,
    rule and gateways."""
    units = env["daya.unit.sale"].search([("frame_number", "=like", f"{PREFIX}%")])
    customers = units.partner_id
    Task = env["daya.followup.task"]
    env["daya.message.log"].search([("task_id.unit_sale_id", "in", units.ids)]).unlink()
    Task.search([("unit_sale_id", "in", units.ids)]).unlink()
    units.unlink()
    customers.unlink()
    env["daya.followup.rule"].with_context(active_test=False).search(
        [("code", "=", BAD_CODE)]
    ).unlink()
    env["daya.message.gateway"].with_context(active_test=False).search(
        [("name", "=like", f"{PREFIX} %")]
    ).unlink()


def _refresh(env):
    """A snapshot taken after the worker's transactions."""
    env.cr.commit()
    env.invalidate_all()


def test_each_message_posted_once_through_kill_and_reruns(
    db_name, env, gateway, followups, workers
):
    """The runs first, what they did checked at the end: above all, that no
    message was posted twice."""
    good, bad = followups
    Outbox = env["daya.message.log"]
    cron = env.ref("daya_crm_followup.ir_cron_send_messages")
    cron._trigger()
    env.cr.commit()

    # 1. a run killed during its first post: the gateway got it, the worker died
    # before the answer (nothing it did after the post is committed)
    gateway.hold = True
    first = _CronWorker(db_name)
    workers.append(first)
    first.start_run()
    deadline = time.monotonic() + 120
    while not gateway.held.wait(0.5):
        assert not first.answered() and time.monotonic() < deadline, (
            "the run posted nothing: " + first.output()
        )
    first.kill()
    gateway.release.set()
    _refresh(env)
    after_kill = {
        (message.to, message.body): message.state
        for message in Outbox.search([("task_id", "in", (good | bad).ids)])
    }

    # 2. the next run, bounded by time (slow posts), then the runs its triggers
    # make due, until the cron is not due any more
    worker = _CronWorker(db_name)
    workers.append(worker)
    gateway.delay = POST_DELAY
    bounded_ran = worker.run(LIMIT_TIME_REAL_CRON, wait=30)
    bounded_posts = gateway.count() - 1
    gateway.delay = 0
    triggered_runs = 0
    while triggered_runs < 10 and worker.run():
        triggered_runs += 1
    posted = gateway.count()

    # 3. the cron due again: nothing left to post, no trigger left behind
    cron._trigger()
    env.cr.commit()
    last_ran = worker.run()
    last_posts = gateway.count() - posted
    due_after = worker.run()

    # each good message posted exactly once (the killed one by the killed run),
    # its outbox row already committed as "sending" when the gateway got it
    counts = Counter((post["to"], post["message"]) for post in gateway.posts)
    assert set(counts.values()) == {1}, f"posted more than once: {counts}"
    assert (last_ran, last_posts) == (True, 0), gateway.posts[posted:]
    assert [post["outbox"] for post in gateway.posts] == [["sending"]] * len(
        gateway.posts
    ), "the outbox rows as committed when the gateway got their posts"
    _refresh(env)
    outbox = Outbox.search([("task_id", "in", (good | bad).ids)])
    assert len(gateway.posts) == len(good), gateway.posts
    assert set(counts) == {(m.to, m.body) for m in outbox.filtered("body")}
    assert {post["to"] for post in gateway.posts} == set(
        good.partner_id.mapped("mobile_e164")
    )
    assert {post["authorization"] for post in gateway.posts} == {f"Bearer {TOKEN}"}
    assert " ERROR " not in worker.output(), worker.output()
    assert "Traceback" not in worker.output(), worker.output()

    # the killed run: everything in the outbox, the posted message "sending"
    first_post = (gateway.posts[0]["to"], gateway.posts[0]["message"])
    assert len(after_kill) == len(good | bad), "all in the outbox before any post"
    assert after_kill.pop(first_post, None) == "sending", after_kill
    assert sorted(after_kill.values()) == ["failed"] * len(bad) + ["outgoing"] * (
        len(good) - 1
    )
    # the run bounded by time stopped after 1 to 3 posts and triggered the cron
    assert bounded_ran and 1 <= bounded_posts <= 3, bounded_posts
    assert triggered_runs >= 1 and not due_after, (triggered_runs, due_after)

    # the outbox and the tasks
    by_task = {message.task_id: message for message in outbox}
    assert len(by_task) == len(outbox) == len(good | bad), "one message each"
    [killed] = outbox.filtered(lambda m: (m.to, m.body) == first_post)
    assert killed.state == "failed" and "Interrupted" in killed.error
    for task in good - killed.task_id:
        message = by_task[task]
        assert (message.state, message.error) == ("sent", False), task.rule_id.code
        if task.channel == "sms":  # an SMS notice is the whole follow-up
            assert (task.message_state, task.state, task.result) == (
                "sent",
                "done",
                "contacted",
            )
        else:  # a WhatsApp invitation waits for the reply
            assert (task.message_state, task.state) == ("sent", "todo")
    for task in bad | killed.task_id:
        assert (task.message_state, task.channel, task.state) == (
            "failed",
            "call",
            "todo",
        )
    for task in bad:
        message = by_task[task]
        assert (message.state, message.body) == ("failed", False)
        assert "nmae" in message.error, message.error
