"""Insert-or-update many rows at once, fast enough for a million course members.

bulk_create(update_conflicts=True) spends ~50 µs a row preparing values and building SQL,
a minute for a million members on its own; here the rows are already database values,
so SQLite gets one prepared statement run by executemany and PostgreSQL gets COPY into a
temporary table followed by one INSERT … SELECT … ON CONFLICT per chunk.
"""

import re
from datetime import UTC, datetime

from django.db import connection

CHUNK = 20_000
# A timestamp in UTC to the second, as dumps write them (digits: ASCII only).
UTC_SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z").fullmatch


def upsert(model, fields, rows, *, conflict, update=(), progress=None):
    """Write `rows` (tuples in `fields` order) into `model`'s table.

    A row whose `conflict` fields match a stored row updates that row's `update` fields
    (or changes nothing when `update` is empty). Datetimes must be aware. Call inside
    transaction.atomic(); `progress` (a tqdm bar) advances by the rows written.
    """
    table, column_list, on_conflict = _statement_parts(model, fields, conflict, update)
    meta = model._meta
    datetime_positions = [
        position
        for position, name in enumerate(fields)
        if meta.get_field(name).get_internal_type() == "DateTimeField"
    ]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            staging = quote(f"dataset_staging_{meta.db_table}")
            _copy_then_insert(cursor, table, staging, column_list, on_conflict, rows, progress)
        return
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders}) {on_conflict}"
    with connection.cursor() as cursor:
        _execute_many(cursor, sql, rows, datetime_positions, progress)


def upsert_select(model, fields, select, params=(), *, conflict, update=()):
    """Write the rows a SELECT gives (columns in `fields` order) into `model`'s table, in
    one statement, with `upsert`'s rules. The SELECT ends in a WHERE clause ("WHERE true"
    will do): SQLite needs one before ON CONFLICT."""
    table, column_list, on_conflict = _statement_parts(model, fields, conflict, update)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({column_list}) {select} {on_conflict}", params)


def _statement_parts(model, fields, conflict, update):
    """(table, column list, ON CONFLICT clause) of an upsert."""
    if not connection.in_atomic_block:
        raise RuntimeError("upsert() must run inside transaction.atomic()")
    meta = model._meta
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(meta.get_field(name).column) for name in fields)
    target = ", ".join(quote(meta.get_field(name).column) for name in conflict)
    table = quote(meta.db_table)
    if not update:
        return table, column_list, f"ON CONFLICT ({target}) DO NOTHING"
    updated = [quote(meta.get_field(name).column) for name in update]
    assignments = ", ".join(f"{column} = EXCLUDED.{column}" for column in updated)
    stored = ", ".join(f"{table}.{column}" for column in updated)
    given = ", ".join(f"EXCLUDED.{column}" for column in updated)
    # Rows that would not change are left alone: a reload then writes next to nothing.
    changed = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    on_conflict = (
        f"ON CONFLICT ({target}) DO UPDATE SET {assignments} WHERE ({stored}) {changed} ({given})"
    )
    return table, column_list, on_conflict


def _chunks(rows):
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _execute_many(cursor, sql, rows, datetime_positions, progress):
    adapt = datetime_adapter()
    for chunk in _chunks(rows):
        if datetime_positions:
            chunk = [_adapted(row, datetime_positions, adapt) for row in chunk]
        cursor.executemany(sql, chunk)
        if progress is not None:
            progress.update(len(chunk))


def _copy_then_insert(cursor, table, staging, column_list, on_conflict, rows, progress):
    cursor.execute(f"DROP TABLE IF EXISTS {staging}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
        f"SELECT {column_list} FROM {table} WITH NO DATA"
    )
    for chunk in _chunks(rows):
        with cursor.copy(f"COPY {staging} ({column_list}) FROM STDIN") as copy:
            for row in chunk:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {staging} {on_conflict}"
        )
        cursor.execute(f"TRUNCATE {staging}")
        if progress is not None:
            progress.update(len(chunk))
    cursor.execute(f"DROP TABLE {staging}")


def _adapted(row, positions, adapt):
    row = list(row)
    for position in positions:
        if row[position] is not None:
            row[position] = adapt(row[position])
    return row


def datetime_adapter():
    """Turn an aware datetime into what Django stores on this connection (SQLite: text)."""
    if str(connection.timezone) == "UTC":
        # Django stores naive UTC text (ops.adapt_datetimefield_value); this is the same
        # conversion without its per-value checks, which cost seconds on millions of values.
        def adapt(value):
            if value.tzinfo is UTC:  # what fields.timestamp gives: skip the conversion
                return value.isoformat(" ")[:-6]
            return str(value.astimezone(UTC).replace(tzinfo=None))

        return adapt
    return connection.ops.adapt_datetimefield_value


def timestamp_text_adapter():
    """A function from a timestamp's text, as the file gives it, to what this connection
    stores (fields.timestamp's value adapted as datetime_adapter does, without building a
    datetime), or None when the text is not in the usual "2026-11-20T10:15:30Z" shape or is
    no valid time (fields.timestamp then says why). PostgreSQL parses the text itself."""
    vendor, utc = connection.vendor, str(connection.timezone) == "UTC"
    parse = datetime.fromisoformat

    def adapt(text):
        if not UTC_SECOND(text):
            return None
        try:
            parse(text)  # a real date and time
        except ValueError:
            return None
        return text if vendor == "postgresql" else f"{text[:10]} {text[11:19]}"

    return adapt if vendor == "postgresql" or utc else lambda text: None
