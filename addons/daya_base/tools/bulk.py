"""Set-based inserts of machine-made rows (issue 15: the schedule's thousands of
follow-up tasks and workshop leads a day, at the database's pace).

``insert_rows(model, vals_list)`` writes the rows in one ``INSERT … VALUES …
RETURNING id`` (psycopg2 parameters, identifiers through ``psycopg2.sql``) with
every stored value given by the caller, precomputed: no ORM ``create`` per row
(its defaults, cache, tracking and chatter), then does what Odoo's ``create``
does that still matters, once for the batch: access rights and record rules,
defaults of the stored fields not given, the inverse one2many fields of the
caches invalidated, stored computed fields not given marked for recomputation,
the Python constraints, and for a branch-scoped record (``daya.branch.mixin``)
its customer linked to its branch (``res.partner._daya_link_branches``).

Meant for rows the system makes (the caller gives every value the model's
``create`` overrides would have set); a person's record goes through ``create``.
"""

from psycopg2 import sql

from odoo.models import LOG_ACCESS_COLUMNS


def insert_rows(model, vals_list):
    """Insert ``vals_list`` (dicts of stored column values as ``create`` takes
    them: scalars and many2one ids) in one query; returns the new records, in
    the order of ``vals_list``."""
    if not vals_list:
        return model.browse()
    env = model.env
    model.check_access_rights("create")
    names = []
    for vals in vals_list:
        names.extend(name for name in vals if name not in names)
    stored = {
        name: field
        for name, field in model._fields.items()
        if field.store and field.column_type and name != "id"
    }
    unknown = [name for name in names if name not in stored]
    if unknown:
        raise ValueError(f"insert_rows: not stored columns of {model._name}: {unknown}")
    missing = [
        name
        for name, field in stored.items()
        if name not in names and name not in LOG_ACCESS_COLUMNS and not field.compute
    ]
    defaults = model.default_get(missing) if missing else {}
    defaults = {name: value for name, value in defaults.items() if name in stored}
    columns = names + [name for name in defaults if name not in names]
    now = env.cr.now()
    rows = []
    for vals in vals_list:
        row = []
        for name in columns:
            field = stored[name]
            value = vals.get(name, defaults.get(name))
            row.append(field.convert_to_column(value, model, vals))
        rows.append(tuple(row) + (env.uid, now, env.uid, now))
    env.cr.execute(
        sql.SQL("INSERT INTO {table} ({columns}) VALUES {rows} RETURNING id").format(
            table=sql.Identifier(model._table),
            columns=sql.SQL(", ").join(
                map(sql.Identifier, columns + list(LOG_ACCESS_COLUMNS))
            ),
            rows=sql.SQL(", ").join(sql.Placeholder() * len(rows)),
        ),
        rows,
    )
    records = model.browse([row[0] for row in env.cr.fetchall()])
    # the values written, in the cache (as ``create`` leaves them): no read back
    for index, name in enumerate(columns):
        field = stored[name]
        env.cache.update(
            records,
            field,
            [field.convert_to_cache(row[index], model) for row in rows],
        )
    for field in model._fields.values():
        if field.type in ("one2many", "many2many") and not field.compute:
            env.cache.update(records, field, [()] * len(records))
    # the one2many fields listing these rows (a unit's tasks, a lead's bookings...)
    for name in columns:
        for inverse in model.pool.field_inverses[model._fields[name]]:
            env[inverse.model_name].invalidate_model([inverse.name], flush=False)
    for name, field in stored.items():
        if field.compute and name not in columns:
            env.add_to_compute(field, records)
    # the computed values given are kept (as ``create`` protects them)
    given = [stored[name] for name in columns if stored[name].compute]
    with env.protecting(given, records):
        records.modified(columns, create=True)
    records._validate_fields(columns)
    records.check_access_rule("create")
    if model._name in env.registry["daya.branch.mixin"]._inherit_children and (
        "partner_id" in columns
    ):
        # the branch mixin's create step: the customers known to the branch
        env["res.partner"]._daya_link_branches(records)
    return records
