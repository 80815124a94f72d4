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

A row may name its id, taken beforehand from ``next_ids`` (a value of the row
that is its own id: a customer's commercial partner), and its many2many links
(ids, or the commands ``(4, id)`` / ``(6, 0, ids)``): written with the rows,
before the record rules are checked, as ``create`` writes them.

Meant for rows the system makes (the caller gives every value the model's
``create`` overrides would have set); a person's record goes through ``create``.
"""

from psycopg2 import sql

from odoo.models import LOG_ACCESS_COLUMNS


def add_computed_values(model, vals, computed):
    """Give the create values ``vals`` of ``model`` the ``computed`` values of
    its read-only computed fields they lack, to be inserted with the row by
    ``create``: the ORM still computes them after the creation and, finding the
    same values, writes nothing (a value it finds different is written as
    before). Editable or precomputed fields are left out: given, they would not
    be computed. Returns ``vals``."""
    for fname, value in computed.items():
        field = model._fields.get(fname)
        if (
            fname not in vals
            and field
            and field.compute
            and field.readonly
            and not field.precompute
        ):
            vals[fname] = value
    return vals


def next_ids(model, count):
    """``count`` new ids of ``model``'s table, in order (for ``insert_rows``
    rows that name their id)."""
    model.env.cr.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        (model._table, count),
    )
    return [row[0] for row in model.env.cr.fetchall()]


def _link_ids(name, value):
    """The ids of a many2many value as ``create`` takes it on a new record."""
    ids = []
    for item in value or ():
        if isinstance(item, int):
            ids.append(item)
        elif item[0] == 4:
            ids.append(item[1])
        elif item[0] == 6:
            ids = list(item[2])
        else:
            raise ValueError(f"insert_rows: {name}: only links (4, id), (6, 0, ids)")
    return list(dict.fromkeys(ids))


def insert_rows(model, vals_list):
    """Insert ``vals_list`` (dicts of stored values as ``create`` takes them:
    scalars, many2one ids, many2many links; an ``id`` from ``next_ids``) in
    one query; returns the new records, in the order of ``vals_list``."""
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
    links = {
        name: field
        for name, field in model._fields.items()
        if field.type == "many2many" and field.store and not field.compute
    }
    unknown = [name for name in names if name not in stored and name not in links]
    if "id" in unknown and all(vals.get("id") for vals in vals_list):
        unknown.remove("id")
    if unknown:
        raise ValueError(f"insert_rows: not stored columns of {model._name}: {unknown}")
    missing = [
        name
        for name, field in list(stored.items()) + list(links.items())
        if name not in names and name not in LOG_ACCESS_COLUMNS and not field.compute
    ]
    defaults = model.default_get(missing) if missing else {}
    defaults = {
        name: value
        for name, value in defaults.items()
        if name in stored or name in links
    }
    given_links = [name for name in links if name in names or name in defaults]
    columns = [name for name in names if name in stored]
    columns += [name for name in defaults if name in stored and name not in columns]
    head = ["id"] if "id" in names else []
    now = env.cr.now()
    # a value of a field of few values converted once (a selection's is checked
    # against its list: a customer's time zone against 600 of them)
    memo = {
        name: {}
        for name in columns
        if stored[name].type in ("selection", "boolean", "many2one", "date")
    }
    rows = []
    for vals in vals_list:
        row = [vals["id"]] if head else []
        for name in columns:
            field = stored[name]
            value = vals.get(name, defaults.get(name))
            known = memo.get(name)
            if known is None:
                row.append(field.convert_to_column(value, model, vals))
            elif value in known:
                row.append(known[value])
            else:
                known[value] = field.convert_to_column(value, model, vals)
                row.append(known[value])
        rows.append(tuple(row) + (env.uid, now, env.uid, now))
    env.cr.execute(
        sql.SQL("INSERT INTO {table} ({columns}) VALUES {rows} RETURNING id").format(
            table=sql.Identifier(model._table),
            columns=sql.SQL(", ").join(
                map(sql.Identifier, head + columns + list(LOG_ACCESS_COLUMNS))
            ),
            rows=sql.SQL(", ").join(sql.Placeholder() * len(rows)),
        ),
        rows,
    )
    records = model.browse([row[0] for row in env.cr.fetchall()])
    # the values written, in the cache (as ``create`` leaves them): no read back
    for index, name in enumerate(columns, start=len(head)):
        field = stored[name]
        if name in memo:
            known = {}
            for value in {row[index] for row in rows}:
                known[value] = field.convert_to_cache(value, model)
            values = [known[row[index]] for row in rows]
        else:
            values = [field.convert_to_cache(row[index], model) for row in rows]
        env.cache.update(records, field, values)
    # the columns left empty, known empty (as ``create`` leaves them)
    for name, field in stored.items():
        if name not in columns and name not in LOG_ACCESS_COLUMNS and not field.compute:
            env.cache.update(
                records, field, [field.convert_to_cache(None, model)] * len(records)
            )
    for field in model._fields.values():
        if field.type in ("one2many", "many2many") and not field.compute:
            env.cache.update(records, field, [()] * len(records))
    # the many2many links, written before the record rules are checked
    for name in given_links:
        field = links[name]
        targets = [
            _link_ids(name, vals.get(name, defaults.get(name))) for vals in vals_list
        ]
        pairs = [
            (record_id, target)
            for record_id, ids in zip(records.ids, targets)
            for target in ids
        ]
        if pairs:
            env.cr.execute(
                sql.SQL(
                    "INSERT INTO {} ({}, {}) "
                    "SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING"
                ).format(
                    sql.Identifier(field.relation),
                    sql.Identifier(field.column1),
                    sql.Identifier(field.column2),
                ),
                ([pair[0] for pair in pairs], [pair[1] for pair in pairs]),
            )
        env.cache.update(records, field, [tuple(ids) for ids in targets])
    written = columns + given_links
    # the one2many (and many2many) fields listing these rows (a unit's tasks, a
    # lead's bookings, a branch's customers...)
    for name in written:
        for inverse in model.pool.field_inverses[model._fields[name]]:
            env[inverse.model_name].invalidate_model([inverse.name], flush=False)
    for name, field in stored.items():
        if field.compute and name not in columns:
            env.add_to_compute(field, records)
    # the computed values given are kept (as ``create`` protects them)
    given = [stored[name] for name in columns if stored[name].compute]
    with env.protecting(given, records):
        records.modified(written, create=True)
    records._validate_fields(written)
    if not env.su:
        # the record rules in one query (``check_access_rule`` evaluates them in
        # Python, record by record: a third of the time of a batch of customers)
        records.flush_recordset()
        invalid = records - records._filter_access_rules("create")
        if invalid:
            raise env["ir.rule"]._make_access_error("create", invalid)
    if model._name in env.registry["daya.branch.mixin"]._inherit_children and (
        "partner_id" in columns
    ):
        # the branch mixin's create step: the customers known to the branch
        env["res.partner"]._daya_link_branches(records)
    return records
