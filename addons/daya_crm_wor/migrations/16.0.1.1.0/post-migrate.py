"""Booking hours move from ``daya.booking.slot`` to a booking calendar per branch
(``daya.branch.booking_calendar_id``): each slot row becomes an attendance line
with its capacity, the branch's time zone the calendar's. The old table goes at once,
its model and fields at the end of the upgrade."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute("SELECT to_regclass('daya_booking_slot')")
    if not cr.fetchone()[0]:
        return
    cr.execute(
        """
        SELECT branch_id, dayofweek::int, hour_from, hour_to, capacity
        FROM daya_booking_slot
        ORDER BY branch_id, dayofweek::int, hour_from
        """
    )
    lines = {}
    for branch_id, day, hour_from, hour_to, capacity in cr.fetchall():
        lines.setdefault(branch_id, []).append((day, hour_from, hour_to, capacity))
    # the copied time zone is now the calendar's: its column is still there
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
        WHERE table_name = 'daya_branch' AND column_name = 'tz'
        """
    )
    tzs = {}
    if cr.fetchone():
        cr.execute("SELECT id, tz FROM daya_branch")
        tzs = dict(cr.fetchall())
    env = api.Environment(cr, SUPERUSER_ID, {})
    branches = (
        env["daya.branch"]
        .with_context(active_test=False)
        .search([("booking_calendar_id", "=", False)])
    )
    calendars = env["resource.calendar"].create(
        [
            branch._booking_calendar_vals(
                lines.get(branch.id, []), tzs.get(branch.id) or "Asia/Jakarta"
            )
            for branch in branches
        ]
    )
    for branch, calendar in zip(branches, calendars):
        branch.booking_calendar_id = calendar
    # the end of the upgrade removes the old model and its fields, not its table
    # (its class is gone); nor the values of its selection field, which Odoo 16
    # would look up on the model that is gone
    cr.execute("DROP TABLE daya_booking_slot")
    cr.execute(
        """
        DELETE FROM ir_model_fields_selection
        WHERE field_id IN (
            SELECT id FROM ir_model_fields WHERE model = 'daya.booking.slot'
        )
        """
    )
    cr.execute(
        """
        DELETE FROM ir_model_data
        WHERE module = 'daya_crm_wor' AND model = 'ir.model.fields.selection'
            AND name LIKE %s
        """,
        [r"selection\_\_daya\_booking\_slot\_\_%"],
    )
