"""Exports' rows through PostgreSQL's `COPY (SELECT …) TO STDOUT`: the server sends the rows
as it makes them while the export writes the ones it has (a cursor's fetches take turns with
the writing instead), and the text of each row is parsed in C."""

from contextlib import contextmanager, nullcontext

from django.core.exceptions import EmptyResultSet
from django.db import connections
from psycopg import adapters
from psycopg.pq import Format

# Rows a cursor fetches at a time when the database cannot COPY.
EXPORT_CHUNK_SIZE = 2000

# The PostgreSQL type whose loader gives a field's values as the ORM gives them.
COPY_TYPES = {
    "AutoField": "int8",
    "BigAutoField": "int8",
    "BigIntegerField": "int8",
    "BooleanField": "bool",
    "CharField": "text",
    "DateField": "date",
    "DateTimeField": "timestamptz",
    "DecimalField": "numeric",
    "FloatField": "float8",
    "IntegerField": "int8",
    "PositiveBigIntegerField": "int8",
    "PositiveIntegerField": "int8",
    "PositiveSmallIntegerField": "int8",
    "SmallAutoField": "int8",
    "SmallIntegerField": "int8",
    "TextField": "text",
}


# psycopg's own loader of times (in C): the ORM's, in Python to set the connection's zone on
# each value, costs more than the rest of a row; both load the same moments.
TIME_LOADER = adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)


def copies(queryset):
    return connections[queryset.db].vendor == "postgresql"


@contextmanager
def copy_to_client(rows, options=""):
    """The psycopg Copy of a `.values_list()` queryset's rows (COPY … TO STDOUT with
    `options`), or None when the query can match no row."""
    connection = connections[rows.db]
    try:
        sql, params = rows.query.get_compiler(rows.db).as_sql()
    except EmptyResultSet:
        yield None
        return
    if not params:
        sql = sql % ()  # psycopg leaves "%%" as it is when it merges no parameters
    statement = f"COPY ({sql}) TO STDOUT {options}".rstrip()
    with connection.cursor() as cursor:
        cursor.cursor.adapters.register_loader("timestamptz", TIME_LOADER)
        # The query log (DEBUG, tests' query counts) has the statement, as for a query.
        logged = cursor.debug_sql(statement, params) if connection.queries_logged else None
        with (
            logged or nullcontext(),
            connection.wrap_database_errors,
            cursor.cursor.copy(statement, params or None) as copy,
        ):
            yield copy


def copy_types(queryset, fields):
    """The COPY types of `fields` (lookups) in the queryset, or None when one has none."""
    types = []
    for lookup in fields:
        field = queryset.query.clone().resolve_ref(lookup).output_field
        kind = COPY_TYPES.get(field.get_internal_type())
        if kind is None or hasattr(field, "from_db_value"):
            return None
        types.append(kind)
    return types


def copied_rows(rows, types):
    """The tuples of a `.values_list()` queryset, values as the ORM gives them."""
    with copy_to_client(rows) as copy:
        if copy is None:
            return
        copy.set_types(types)
        yield from copy.rows()


def export_rows(listing, fields):
    """Tuples of `fields` (`.values()` lookups) for every matching row of the listing in order,
    streamed (PostgreSQL's COPY, else a cursor fetching them chunk by chunk), never all at
    once."""
    rows = listing.export_queryset()
    types = copy_types(rows, fields) if copies(rows) else None
    rows = rows.values_list(*fields)
    if types is not None:
        return copied_rows(rows, types)
    return rows.iterator(chunk_size=EXPORT_CHUNK_SIZE)
