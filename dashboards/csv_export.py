"""Streamed CSV: rows go out as the database cursor yields them, in constant memory."""

import csv
import datetime as dt

from django.http import StreamingHttpResponse

CHUNK_SIZE = 2000
ROWS_PER_CHUNK = 500
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
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def queryset_rows(queryset, fields, *, chunk_size=CHUNK_SIZE):
    """Tuples of `fields` from a .values() queryset, fetched chunk by chunk (server-side cursor
    on PostgreSQL), never the whole result at once."""
    for row in queryset.iterator(chunk_size=chunk_size):
        yield tuple(row[name] for name in fields)


def streamed_csv(rows, *, header, filename):
    """A StreamingHttpResponse: the header line, then one line per row of `rows`."""
    writer = csv.writer(_Echo())

    def lines():
        # Rows go out in batches: one response chunk per row costs more than the row itself.
        batch = [writer.writerow(header)]
        for row in rows:
            batch.append(writer.writerow([csv_cell(value) for value in row]))
            if len(batch) == ROWS_PER_CHUNK:
                yield "".join(batch)
                batch = []
        yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
