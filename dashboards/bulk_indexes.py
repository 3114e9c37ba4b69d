"""Secondary indexes (and, on PostgreSQL, foreign keys) dropped for a bulk write and made
again after it, in its transaction.

Inserting a million rows into a table keeps each of its indexes in step row by row, in the
rows' order; building an index once the rows are in is one sort. PostgreSQL checks a foreign
key row by row too (a query that also locks the referenced row, for each row written);
adding the key again after the write checks every row in one join. Only for writes that fill
most of a table (a full roster rebuild, a load into an empty table): the tables are locked
until the transaction ends (PostgreSQL: the referenced tables too), and a failed write's
rollback brings the indexes and keys back with the rows.

The statements that make them again are the database's own (its catalog), so the schema
after the write is the schema before it. Unique indexes and the primary key stay: upserts
need them.
"""

from contextlib import contextmanager

from django.db import DatabaseError, connections, transaction


@contextmanager
def built_after(model, using, *, skipped_triggers=()):
    """Drop `model`'s table's secondary indexes (and, on PostgreSQL, its foreign keys), run
    the enclosed write, then create them again. On PostgreSQL the table's triggers named in
    `skipped_triggers` are off meanwhile (SQLite cannot switch a trigger off)."""
    connection = connections[using]
    table = model._meta.db_table
    quote = connection.ops.quote_name
    # In a savepoint: whatever error the write raises, even one a caller catches, the
    # indexes, keys and triggers come back.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            dropped = _postgresql_drop(cursor, table)
            for name in skipped_triggers:
                cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER {quote(name)}")
        else:
            dropped, skipped_triggers = _sqlite_drop(cursor, table), ()
        yield
        if connection.vendor == "postgresql":
            _run_pending_checks(cursor, table)  # the checks of keys that stayed
        for create in dropped:
            cursor.execute(create)
        for name in skipped_triggers:
            cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER {quote(name)}")


def _sqlite_drop(cursor, table):
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {cursor.db.ops.quote_name(name)}")
    return [create for _, create in indexes]


def _postgresql_drop(cursor, table):
    """Drop the secondary indexes and foreign keys; return the statements that make them."""
    quote = cursor.db.ops.quote_name
    _run_pending_checks(cursor, table)
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
        "ORDER BY 1",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")  # regclass text: quoted as needed
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    keys = cursor.fetchall()
    try:
        with transaction.atomic(using=cursor.db.alias):
            if keys:
                # Nor does it alter the tables the keys refer to while they have checks
                # pending: run every pending check now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name, _ in keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    except DatabaseError:
        # Some check fails midway through the transaction (say rows deleted while the roster
        # is paused, which the roster's rebuild will delete too): the savepoint's rollback
        # leaves them pending, and the keys stay and check the rows one by one.
        keys = []
    return [create for _, create in indexes] + [
        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
        for name, definition in keys
    ]


def _run_pending_checks(cursor, table):
    """PostgreSQL neither indexes nor alters a table with foreign-key checks of its rows
    still pending (Django defers them to the commit): run the table's now, and defer them
    again."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
        "AND condeferrable",
        [table],
    )
    names = ", ".join(cursor.db.ops.quote_name(name) for (name,) in cursor.fetchall())
    if names:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")
