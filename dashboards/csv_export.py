"""Streamed CSV: rows go out as the database cursor yields them, in constant memory."""

import csv
import datetime as dt

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


class _Echo:
    """A file-like object whose write returns the line, for csv.writer over a generator."""

    def write(self, value):
        return value


def csv_cell(value):
    """One cell: ISO 8601 UTC "Z" for times, "" for null, formulas defused with a quote."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


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


def listing_csv(listing, serializer_class, *, filename):
    """Every row of a listing as streamed CSV with the API's columns, or a plain-text 400
    naming each invalid parameter."""
    if not listing.is_valid:
        lines = [
            f"{name}: {message}"
            for name, messages in listing.errors.items()
            for message in messages
        ]
        return HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    columns = api_columns(serializer_class)
    rows = listing.export_rows([lookup for _, lookup, _ in columns])
    converters = [convert for _, _, convert in columns]
    if any(converters):
        rows = (
            tuple(
                value if convert is None else convert(value)
                for convert, value in zip(converters, row, strict=True)
            )
            for row in rows
        )
    bom = listing.params.get("bom", "").strip().lower() in BOM_ON
    header = [name for name, _, _ in columns]
    return streamed_csv(rows, header=header, filename=filename, bom=bom)


def streamed_csv(rows, *, header, filename, bom=False):
    """A StreamingHttpResponse: the header line, then one line per row of `rows`; with `bom`,
    a byte-order mark first."""
    writer = csv.writer(_Echo())

    def lines():
        # Rows go out in batches: one response chunk per row costs more than the row itself.
        batch = [BOM if bom else "", writer.writerow(header)]
        for row in rows:
            batch.append(writer.writerow([csv_cell(value) for value in row]))
            if len(batch) == ROWS_PER_CHUNK:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
