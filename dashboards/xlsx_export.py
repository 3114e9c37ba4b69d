"""Spreadsheet (.xlsx) exports: every row of a listing as its table shows it to a person.

The rows are the listing's `export_rows` (the same filters, order and rights as the page and
the CSV); the columns are the table's visible columns with their headers, statuses and roles
as words (in the viewer's language), times as spreadsheet date-times in the viewer's time zone
(named in the header) and numbers as numbers. XlsxWriter's
constant_memory mode writes each row to disk as it comes, so memory stays flat whatever the
row count; the finished file is then streamed from a temporary file.
"""

import datetime as dt
import re
import tempfile
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dashboards.csv_export import refusal
from dashboards.tables.base import ProgressColumn, TimeColumn
from dashboards.time_zones import local_naive

# A worksheet's rows, the header row included.
SHEET_ROW_LIMIT = 1_048_576
MAX_SHEET_ROWS = SHEET_ROW_LIMIT - 1
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_TEXT_LIMIT = 32767  # a cell's characters


@dataclass(frozen=True)
class SheetColumn:
    """One spreadsheet column: its header, the `.values()` lookup of its cells, and its kind
    ("time", "percent" or "value": numbers as numbers, the rest as text), with `words` for
    values shown as words (a status, a role)."""

    header: str
    lookup: str
    kind: str = "value"
    words: dict | None = None
    width: int = 14


def sheet_columns(table):
    """The table's visible columns, in order, as spreadsheet columns; a time column's header
    names the zone its times are in (the viewer's)."""
    words = getattr(table, "sheet_words", {})
    zone = timezone.get_current_timezone_name()
    columns = []
    for column in table.columns:
        header, kind, width = str(column.header), "value", max(12, len(str(column.header)) + 4)
        if isinstance(column.column, TimeColumn):
            header, kind, width = f"{header} ({zone})", "time", 20
        elif isinstance(column.column, ProgressColumn):
            header, kind = f"{header} %", "percent"
        elif column.name in ("member", "fullName", "title", "email"):
            width = 30
        lookup = str(column.accessor).replace(".", "__")
        columns.append(SheetColumn(header, lookup, kind, words.get(column.name), width))
    return columns


def too_many_rows(count):
    return count > MAX_SHEET_ROWS


def row_limit_message(count):
    return _(
        "%(count)s rows do not fit in a spreadsheet (at most %(limit)s rows below its header). "
        "Narrow the filters, or download the CSV, which has no limit."
    ) % {
        "count": number_format(count, force_grouping=True),
        "limit": number_format(MAX_SHEET_ROWS, force_grouping=True),
    }


def file_name(*parts, extension="xlsx", today=None):
    """A download's name from its parts and the date: "Acme Sales members 2026-05-01.xlsx"."""
    today = today or dt.datetime.now(dt.UTC).date()
    words = " ".join(_NOT_IN_FILE_NAMES.sub(" ", str(part)).strip() for part in parts if part)
    return f"{' '.join(words.split())[:150]} {today.isoformat()}.{extension}"


def listing_xlsx(listing, table, *, filename, sheet="Rows"):
    """Every row of a listing as an .xlsx download with the table's visible columns, or a
    plain-text 400 for invalid parameters or more rows than a sheet holds."""
    if not listing.is_valid:
        return refusal(listing)
    if too_many_rows(listing.count):
        return HttpResponse(
            row_limit_message(listing.count) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    columns = sheet_columns(table)
    rows = listing.export_rows([column.lookup for column in columns])
    # Not a `with`: FileResponse closes (and so deletes) the file once it is sent.
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    try:
        write_workbook(output, columns, rows, sheet=sheet)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    response = FileResponse(
        output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def write_workbook(output, columns, rows, *, sheet="Rows"):
    """Write the header and `rows` (tuples in the columns' order) into `output` (a path or a
    binary file), one row at a time; return the number of rows written."""
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    header_format = workbook.add_format({"bold": True, "bottom": 1})
    time_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    worksheet = workbook.add_worksheet(sheet[:31])
    for index, column in enumerate(columns):
        worksheet.set_column(
            index, index, column.width, time_format if column.kind == "time" else None
        )
        worksheet.write_string(0, index, column.header, header_format)
    worksheet.freeze_panes(1, 0)
    yes_no = {True: _("yes"), False: _("no")}
    writers = [_cell_writer(worksheet, column, time_format, yes_no) for column in columns]
    written = 0
    for written, row in enumerate(rows, start=1):
        for index, (write, value) in enumerate(zip(writers, row, strict=True)):
            if value is not None:
                write(written, index, value)
    worksheet.autofilter(0, 0, written, max(len(columns) - 1, 0))
    workbook.close()
    return written


def _cell_writer(worksheet, column, time_format, yes_no):
    """The function writing one cell of this column (None is never passed: a blank cell)."""
    if column.kind == "time":
        return lambda row, col, value: worksheet.write_datetime(
            row, col, _sheet_time(value), time_format
        )
    words = column.words

    def write(row, col, value):
        if words is not None:
            value = words.get(value, value)
        if isinstance(value, bool):
            worksheet.write_string(row, col, yes_no[value])
        elif isinstance(value, int | float | Decimal):
            worksheet.write_number(row, col, float(value) if isinstance(value, Decimal) else value)
        else:
            worksheet.write_string(row, col, str(value)[:_TEXT_LIMIT])

    return write


def _sheet_time(value):
    """A naive date-time in the viewer's zone (a spreadsheet has no zones)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return local_naive(value)
    return value
