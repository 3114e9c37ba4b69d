"""Secondary indexes dropped for a bulk write and built again after it, in its transaction.

Inserting a million rows into a table keeps each of its indexes in step row by row, in the
rows' order; building an index once the rows are in is one sort. Only for writes that fill
most of a table (a full roster rebuild, a load into an empty table): the table is locked
until the transaction ends (PostgreSQL), and a failed write's rollback brings the indexes
back with the rows.
"""

from contextlib import contextmanager

from django.db import connections


@contextmanager
def built_after(model, using, extra=()):
    """Drop `model`'s Meta.indexes (and the `extra` (drop SQL, create SQL) pairs), run the
    enclosed write, then create them again."""
    connection = connections[using]
    editor = connection.schema_editor(collect_sql=True)
    editor.deferred_sql = []  # set when entered; only the SQL text is wanted here
    indexes = model._meta.indexes
    with connection.cursor() as cursor:
        _run_pending_checks(cursor, model)
        for index in indexes:
            cursor.execute(str(index.remove_sql(model, editor)))
        for drop, _ in extra:
            cursor.execute(drop)
        yield
        _run_pending_checks(cursor, model)
        for index in indexes:
            cursor.execute(str(index.create_sql(model, editor)))
        for _, create in extra:
            cursor.execute(create)


def _run_pending_checks(cursor, model):
    """PostgreSQL builds no index on a table with foreign-key checks of its rows still pending
    (Django defers them to the commit): run the table's now, and defer them again."""
    if cursor.db.vendor != "postgresql":
        return
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
        "AND condeferrable",
        [model._meta.db_table],
    )
    names = ", ".join(cursor.db.ops.quote_name(name) for (name,) in cursor.fetchall())
    if names:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")
