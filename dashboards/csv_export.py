"""Streamed CSV: rows go out as the database cursor yields them, in constant memory."""

import csv
import datetime as dt
import io
from itertools import batched

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from dashboards.text import utc_iso

ROWS_PER_CHUNK = 500
# `?bom=1`: the file starts with a UTF-8 byte-order mark, which spreadsheet programs need to
# read it as UTF-8 (without it Excel shows "Ã‰mile" for "Émile").
BOM = "\ufeff"
BOM_ON = ("1", "true")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def api_columns(serializer_class):
    """The API's fields as export columns, in the API's order: (header, `.values()` lookup,
    conversion of the looked-up value or None). A field whose class sets
    `exports_representation` exports what the API shows (a role's name for its rank)."""
    return [
        (
            name,
            field.source.replace(".", "__"),
            field.to_representation if getattr(field, "exports_representation", False) else None,
        )
        for name, field in serializer_class().fields.items()
    ]


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
    rows = listing.export_rows([lookup for _, lookup, _ in columns])
    conversions = [(index, convert) for index, (_, _, convert) in enumerate(columns) if convert]
    if conversions:
        rows = (_converted(row, conversions) for row in rows)
    bom = listing.params.get("bom", "").strip().lower() in BOM_ON
    header = [name for name, _, _ in columns]
    return streamed_csv(rows, header=header, filename=filename, bom=bom)


def _converted(row, conversions):
    row = list(row)
    for index, convert in conversions:
        row[index] = convert(row[index])
    return row


def streamed_csv(rows, *, header, filename, bom=False):
    """A StreamingHttpResponse: the header line, then one line per row of `rows`; with `bom`,
    a byte-order mark first."""

    def lines():
        # Rows go out in batches: one response chunk per row costs more than the row itself.
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write(BOM if bom else "")
        writer.writerow(header)
        for batch in batched(rows, ROWS_PER_CHUNK):
            writer.writerows(map(csv_cells, batch))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():
            yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
