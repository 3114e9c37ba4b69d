"""Secondary indexes dropped for a bulk write and built again after it, in its transaction.

Inserting a million rows into a table keeps each of its indexes in step row by row, in the
rows' order; building an index once the rows are in is one sort. Only for writes that fill
most of a table (a full roster rebuild, a load or a demo seed into an empty table): the table
is locked until the transaction ends (PostgreSQL; the tables its foreign keys refer to take no
writes until then either), and a failed write's rollback brings the indexes back with the
rows.

The indexes are read from the database's catalog, so those a migration made in SQL (the
trigram indexes, a descending index) are rebuilt too. Unique indexes stay: they back the
constraints the upserts rely on. With `foreign_keys` (PostgreSQL), the table's foreign keys go
too and are added back after the write, which checks every row in one join instead of one
lookup per row and key at the commit: only where no check of the transaction can be pending
when the write ends but those of rows that are consistent by then (a fill of an empty
database). Nested calls for the same table find its indexes and keys already gone and its
triggers off, and leave the building to the outermost one.
"""

from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def built_after(model, using, *, foreign_keys=False, skipped_triggers=()):
    """Drop the plain (not unique) indexes of `model`'s table (and its foreign keys), run the
    enclosed write, then create them again from their saved definitions. On PostgreSQL the
    table's triggers named in `skipped_triggers` are off meanwhile (SQLite cannot switch a
    trigger off)."""
    connection = connections[using]
    table = model._meta.db_table
    quote = connection.ops.quote_name
    # In a savepoint: whatever error the write raises, even one a caller catches, the
    # indexes, keys and triggers come back.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        indexes = _plain_indexes(cursor, table)
        keys = _foreign_keys(cursor, table) if foreign_keys else []
        skipped_triggers = _enabled(cursor, table, skipped_triggers)
        pending = None if keys else table
        _run_pending_checks(cursor, pending)
        for name, _ in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        for name in skipped_triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)}")
        yield
        _run_pending_checks(cursor, pending)
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for name in skipped_triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)}")


def _plain_indexes(cursor, table):
    """(name, CREATE INDEX statement) of each index of the table that backs no constraint."""
    if cursor.db.vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisunique ORDER BY c.relname",
            [table],
        )
    else:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            [table],
        )
    return cursor.fetchall()


def _enabled(cursor, table, triggers):
    """PostgreSQL: those of the table's `triggers` that are on (an outer call may have switched
    some off already)."""
    if cursor.db.vendor != "postgresql" or not triggers:
        return []
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D' "
        "AND tgname = ANY(%s) ORDER BY tgname",
        [table, list(triggers)],
    )
    return [name for (name,) in cursor.fetchall()]


def _foreign_keys(cursor, table):
    """PostgreSQL: (name, definition) of each foreign key of the table (SQLite cannot drop
    one, and checks them at the commit in one pass of its own)."""
    if cursor.db.vendor != "postgresql":
        return []
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    return cursor.fetchall()


def _run_pending_checks(cursor, table):
    """PostgreSQL builds no index on a table with checks of its rows still pending, and alters
    none with checks pending on it or on a table its keys refer to (Django defers every foreign
    key to the commit): run the table's checks now (table None: all of the transaction's),
    and defer them again."""
    if cursor.db.vendor != "postgresql":
        return
    names = "ALL"
    if table is not None:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND condeferrable",
            [table],
        )
        names = ", ".join(cursor.db.ops.quote_name(name) for (name,) in cursor.fetchall())
    if names:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")
