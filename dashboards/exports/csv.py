"""Streamed CSV: rows go out as the database cursor yields them, in constant memory.

The database gives each cell as the CSV writes it: times as ISO 8601 UTC text, a field's
words (a role's name for its rank) from a CASE, so no Python object is built for them. On
PostgreSQL the rows come from `COPY (SELECT …) TO STDOUT (FORMAT csv)`, whose bytes are
csv.writer's once texts are defused in SQL, "" is written as null and each line ends in
CRLF; elsewhere csv.writer writes them.
"""

import csv
import datetime as dt
import io
from itertools import batched

from django.db import connections
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    TextField,
    Value,
    When,
)
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from dashboards.exports.copy_out import EXPORT_CHUNK_SIZE, copies, copy_to_client
from dashboards.text import utc_iso

ROWS_PER_CHUNK = 500
# `?bom=1`: the file starts with a UTF-8 byte-order mark, which spreadsheet programs need to
# read it as UTF-8 (without it Excel shows "Ã‰mile" for "Émile").
BOM = "\ufeff"
BOM_ON = ("1", "true")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The kinds of cells: texts (defused, "" as null, for COPY), cells both writers write as
# they are (numbers, times as text, words), and others (which only csv.writer writes).
TEXT, PLAIN, OTHER = "text", "plain", "other"


def csv_cell(value):
    """One cell: ISO 8601 UTC "Z" for times, "" for null, formulas defused with a quote."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_cells(row):
    """csv_cell of every value of a row; a text, a number or a null (most cells) without a
    call, as this runs for every cell of an export (csv.writer writes None as "")."""
    return [
        (value if not value.startswith(_FORMULA_STARTS) else "'" + value)
        if value.__class__ is str
        else (value if value is None or value.__class__ is int else csv_cell(value))
        for value in row
    ]


class TimeText(Func):
    """A stored time as utc_iso writes it ("2025-03-01T09:30:00Z", with microseconds when it
    has some), formatted by the database."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            "REPLACE(TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores a time on SQLite as str() of the naive UTC datetime:
        # "2025-03-01 09:30:00", or "2025-03-01 09:30:00.250000".
        template = "(REPLACE(%(expressions)s, ' ', 'T') || 'Z')"
        return self.as_sql(compiler, connection, template=template, **extra)


class CopiedText(Func):
    """A text cell for PostgreSQL's COPY as csv_cells writes it: a formula defused with a
    quote, and "" as null (COPY quotes an empty text, csv.writer writes nothing)."""

    output_field = TextField()
    template = (
        "CASE WHEN LEFT(%(expressions)s, 1) IN ("
        + ", ".join(f"CHR({ord(start)})" for start in _FORMULA_STARTS)
        + ") THEN '''' || %(expressions)s ELSE NULLIF(%(expressions)s, '') END"
    )


def api_columns(serializer_class):
    """The API's fields as export columns, in the API's order: (header, `.values()` lookup,
    the words of its values or None). A field whose class sets `export_words` exports what
    the API shows (a role's name for its rank)."""
    return [
        (name, field.source.replace(".", "__"), getattr(field, "export_words", None))
        for name, field in serializer_class().fields.items()
    ]


def csv_columns(queryset, columns):
    """Each column's (kind, cell as the database gives it)."""
    connection = connections[queryset.db]
    # SQLite's stored text is a UTC time only when the connection's zone is UTC (the default).
    formats_times = connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and connection.timezone_name == "UTC"
    )
    cells = []
    for _, lookup, words in columns:
        if words is not None:
            # Each word as csv_cells writes it, so that both writers take it as it is.
            whens = [When(**{lookup: v}, then=Value(csv_cell(w) or None)) for v, w in words.items()]
            cells.append((PLAIN, Case(*whens, output_field=TextField())))
            continue
        field = queryset.query.clone().resolve_ref(lookup).output_field
        if isinstance(field, DateTimeField) and formats_times:
            cells.append((PLAIN, TimeText(lookup)))
        elif isinstance(field, CharField | TextField):
            cells.append((TEXT, F(lookup)))
        elif isinstance(field, IntegerField):
            cells.append((PLAIN, F(lookup)))
        else:
            cells.append((OTHER, F(lookup)))
    return cells


def content_disposition(filename):
    """An attachment's header; a non-ASCII name goes in RFC 6266's filename*."""
    return content_disposition_header(as_attachment=True, filename=filename)


def refusal(listing):
    """The downloads' plain-text 400 naming each invalid parameter."""
    lines = [
        f"{name}: {message}" for name, messages in listing.errors.items() for message in messages
    ]
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def listing_csv(listing, serializer_class, *, filename):
    """Every row of a listing as streamed CSV with the API's columns, or a plain-text 400
    naming each invalid parameter."""
    if not listing.is_valid:
        return refusal(listing)
    columns = api_columns(serializer_class)
    rows = listing.export_queryset()
    cells = csv_columns(rows, columns)
    # COPY quotes a lone "\." (its end-of-data mark), csv.writer does not: 2 columns or more.
    plain = len(cells) > 1 and all(kind != OTHER for kind, _ in cells)
    if plain and copies(rows):
        body = copied_lines(
            rows.values_list(*(CopiedText(cell) if kind == TEXT else cell for kind, cell in cells))
        )
    else:
        rows = rows.values_list(*(cell for _, cell in cells))
        body = written_lines(rows.iterator(chunk_size=EXPORT_CHUNK_SIZE))
    bom = listing.params.get("bom", "").strip().lower() in BOM_ON
    header = [name for name, _, _ in columns]
    return streamed_csv(body, header=header, filename=filename, bom=bom)


def written_lines(rows):
    """CSV lines of `rows` (tuples), written by csv.writer, ROWS_PER_CHUNK rows a chunk."""
    # Rows go out in batches: one response chunk per row costs more than the row itself.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for batch in batched(rows, ROWS_PER_CHUNK):
        writer.writerows(map(csv_cells, batch))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def copied_lines(rows):
    """The CSV lines of a `.values_list()` queryset from PostgreSQL's COPY, ROWS_PER_CHUNK
    rows a chunk: each row arrives as one message ending in LF, sent on ending in CRLF as
    csv.writer's lines do."""
    with copy_to_client(rows, "(FORMAT csv)") as copy:
        if copy is None:
            return
        for batch in batched(copy, ROWS_PER_CHUNK):
            yield b"\r\n".join([row[:-1] for row in batch] + [b""])


def streamed_csv(lines, *, header, filename, bom=False):
    """A StreamingHttpResponse: the header line, then the chunks of `lines`; with `bom`, a
    byte-order mark first."""
    buffer = io.StringIO()
    buffer.write(BOM if bom else "")
    csv.writer(buffer).writerow(header)

    def chunks():
        yield buffer.getvalue()
        yield from lines

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
