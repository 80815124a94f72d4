"""Parallel bookings against a real multi-worker Odoo server (issue 11, break 9).

The server runs on the database tests/run.sh installed (with demo data), with
several HTTP worker processes on a free port; the branch's demo users log in over
``/web/session/authenticate`` and book at the same moment from threads, over
JSON-RPC as the web client does. A slot's capacity and "one active booking per
motorcycle" must hold. What the test creates is committed (the server must see
it) and removed at the end; the server is stopped by its own PID."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from datetime import timedelta

import pytest
import requests

import odoo
from odoo import fields

# four demo users of Soekarno Hatta who book services (PIC CRM H1 and H23,
# workshop head, branch head): login = password in the demo data
USERS = ["crmh1.sh", "crmh23.sh", "kabeng.sh", "kacab.sh"]
WORKERS = 4
PREFIX = "MH1PARALLEL"


def _free_ports(count):
    """``count`` distinct free ports (bound at once, then released)."""
    sockets = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _i in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _odoo_bin():
    for candidate in (os.environ.get("ODOO_BIN"), "odoo", "odoo-bin"):
        path = candidate and shutil.which(candidate)
        if path:
            return path
    raise RuntimeError("the odoo executable is not on PATH (set ODOO_BIN)")


def _answers(url):
    """Whether the server serves its login page (not while it starts)."""
    try:
        return requests.get(f"{url}/web/login", timeout=30).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def server(db_name):
    """A multi-worker server on the test database, on free ports."""
    config = odoo.tools.config
    port, gevent_port = _free_ports(2)
    args = [
        _odoo_bin(),
        f"--database={db_name}",
        f"--db-filter=^{db_name}$",
        f"--addons-path={config['addons_path']}",
        f"--data-dir={config['data_dir']}",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={gevent_port}",
        f"--workers={WORKERS}",
        "--max-cron-threads=0",
        "--limit-time-real=120",
        "--log-level=warn",
    ]
    for key in ("db_host", "db_port", "db_user", "db_password"):
        if config.get(key):
            args.append(f"--{key}={config[key]}")
    log = tempfile.NamedTemporaryFile(prefix="daya-parallel-", suffix=".log")
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _answers(url):
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"odoo stopped: {log.read()[-2000:]!r}")
            if time.monotonic() > deadline:
                raise RuntimeError("odoo did not answer within 120 s")
            time.sleep(0.5)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _login(url, db_name, login):
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db_name, "login": login, "password": login},
        },
        timeout=60,
    )
    assert response.json().get("result", {}).get("uid"), response.text
    return session.cookies.get_dict()


def _call(url, cookies, model, method, *args):
    """(result, None) or (None, error message) of a call over JSON-RPC, as the
    web client makes it."""
    response = requests.post(
        f"{url}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": {"context": {"lang": "en_US"}},
            },
        },
        cookies=cookies,
        timeout=120,
    )
    body = response.json()
    if "error" in body:
        data = body["error"].get("data", {})
        return None, f"{data.get('name')}: {data.get('message')}"
    return body["result"], None


def _create_booking(url, cookies, vals):
    """(booking id, None) or (None, error message) of a booking's create."""
    return _call(url, cookies, "daya.service.booking", "create", vals)


def _in_parallel(url, sessions, vals_list):
    """Create the bookings of ``vals_list`` all at once, round-robin over the
    users' sessions: [(id, error)]."""
    results = [None] * len(vals_list)
    barrier = threading.Barrier(len(vals_list))

    def book(index):
        barrier.wait()
        results[index] = _create_booking(
            url, sessions[index % len(sessions)], vals_list[index]
        )

    threads = [
        threading.Thread(target=book, args=(index,)) for index in range(len(vals_list))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    return results


@pytest.fixture
def motorcycles(env):
    """13 motorcycles of new customers at Soekarno Hatta; removed afterwards with
    their bookings, and the booking hours put back."""
    branch = env.ref("daya_base.branch_sh")
    product = env["product.product"].search(
        [("product_tmpl_id.is_motorcycle", "=", True)], limit=1
    )
    # what an interrupted run may have left
    _remove(
        env, env["daya.unit.sale"].search([("frame_number", "=like", f"{PREFIX}%")])
    )
    customers = env["res.partner"].create(
        [{"name": f"Parallel Customer {index}"} for index in range(13)]
    )
    units = env["daya.unit.sale"].create(
        [
            {
                "partner_id": customer.id,
                "branch_id": branch.id,
                "product_id": product.id,
                "frame_number": f"{PREFIX}{index:02d}",
                "sale_date": fields.Date.today() - timedelta(days=20),
                "payment_type": "cash",
            }
            for index, customer in enumerate(customers)
        ]
    )
    capacities = {
        line: line.daya_booking_capacity for line in branch.booking_attendance_ids
    }
    env.cr.commit()
    try:
        yield branch, units
    finally:
        env.cr.rollback()
        env.invalidate_all()
        _remove(env, units)
        for line, capacity in capacities.items():
            line.daya_booking_capacity = capacity
        env.cr.commit()


def _remove(env, units):
    """The motorcycles, their bookings and customers."""
    customers = units.partner_id
    env["daya.service.booking"].search([("unit_sale_id", "in", units.ids)]).unlink()
    units.unlink()
    customers.unlink()


def test_parallel_bookings_hold_capacity_and_one_per_motorcycle(
    server, db_name, env, motorcycles
):
    branch, units = motorcycles
    Booking = env["daya.service.booking"]
    slot_start = branch._booking_next_free_slots(
        fields.Datetime.now() + timedelta(days=2), "workshop", 1
    )[0]
    local_day = branch._booking_to_local(slot_start).weekday()
    branch.booking_attendance_ids.filtered(
        lambda line: int(line.dayofweek) == local_day
    ).daya_booking_capacity = 6
    slot = next(
        s for s in branch._booking_slots(slot_start, slot_start + timedelta(hours=1))
    )
    load = branch._booking_load(branch._booking_bay_starts(slot[0], slot[1]), slot)
    # pre-fill the slot to 5 of 6
    Booking.create(
        [
            {
                "partner_id": unit.partner_id.id,
                "unit_sale_id": unit.id,
                "branch_id": branch.id,
                "start": slot_start,
            }
            for unit in units[: 5 - load]
        ]
    )
    env.cr.commit()
    sessions = [_login(server, db_name, login) for login in USERS]

    # 8 motorcycles into the last place, at once, from 4 users
    results = _in_parallel(
        server,
        sessions,
        [
            {
                "partner_id": unit.partner_id.id,
                "unit_sale_id": unit.id,
                "branch_id": branch.id,
                "start": fields.Datetime.to_string(slot_start),
            }
            for unit in units[5:13]
        ],
    )
    env.cr.commit()  # a snapshot taken after the server's transactions
    env.invalidate_all()
    booked = [booking_id for booking_id, _error in results if booking_id]
    errors = [error for _booking_id, error in results if error]
    in_slot = Booking.search_count(
        [
            ("branch_id", "=", branch.id),
            ("state", "in", ["booked", "arrived"]),
            ("booking_kind", "!=", "home_service"),
            ("start", ">=", slot[0]),
            ("start", "<", slot[1]),
        ]
    )
    assert (len(booked), in_slot) == (1, 6), results
    assert len(errors) == 7 and all(
        "ValidationError" in error and "is full (6 motorcycles)" in error
        for error in errors
    ), errors

    # one motorcycle booked at once into 4 slots with room, by 4 users
    unit = units.filtered(
        lambda u: (
            not Booking.search_count(
                [("unit_sale_id", "=", u.id), ("state", "in", ["booked", "arrived"])]
            )
        )
    )[:1]
    starts = branch._booking_next_free_slots(slot[1], "workshop", 4)
    results = _in_parallel(
        server,
        sessions,
        [
            {
                "partner_id": unit.partner_id.id,
                "unit_sale_id": unit.id,
                "branch_id": branch.id,
                "start": fields.Datetime.to_string(start),
            }
            for start in starts
        ],
    )
    env.cr.commit()  # a snapshot taken after the server's transactions
    env.invalidate_all()
    booked = [booking_id for booking_id, _error in results if booking_id]
    errors = [error for _booking_id, error in results if error]
    active = Booking.search_count(
        [("unit_sale_id", "=", unit.id), ("state", "in", ["booked", "arrived"])]
    )
    assert (len(booked), active) == (1, 1), results
    assert len(errors) == 3 and all(
        "ValidationError" in error and "is already booked" in error for error in errors
    ), errors


def test_followup_results_only_through_their_actions(server, db_name, env, motorcycles):
    """Issue 11, break 7, as probed: a salesperson rewrites Admin H1's
    follow-up over JSON-RPC; only the assignee's result button records it."""
    branch, units = motorcycles
    admin_h1 = env.ref("daya_base.user_adminh1_sh")
    task = env["daya.followup.task"].create(
        {
            "unit_sale_id": units[0].id,
            "partner_id": units[0].partner_id.id,
            "branch_id": branch.id,
            "rule_id": env.ref("daya_crm_followup.rule_first_call_1").id,
            "due_date": fields.Date.today(),
            "user_id": admin_h1.id,
        }
    )
    env.cr.commit()
    sales = _login(server, db_name, "sales.sh")
    model = "daya.followup.task"
    vals = {"state": "done", "result": "booked", "due_date": "2030-01-01"}
    result, error = _call(server, sales, model, "write", [task.id], vals)
    assert result is None and "AccessError" in error, (result, error)
    result, error = _call(server, sales, model, "action_result_contacted", [task.id])
    assert result is None and "AccessError" in error, (result, error)
    env.cr.commit()  # a snapshot taken after the server's transactions
    env.invalidate_all()
    assert (task.state, task.result, task.due_date) == (
        "todo",
        False,
        fields.Date.today(),
    )
    admin = _login(server, db_name, "adminh1.sh")
    result, error = _call(server, admin, model, "action_result_contacted", [task.id])
    assert error is None, error
    env.cr.commit()
    env.invalidate_all()
    assert (task.state, task.result, task.done_user_id) == (
        "done",
        "contacted",
        admin_h1,
    )
    assert task.done_date
