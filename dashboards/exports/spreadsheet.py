"""Spreadsheet (.xlsx) exports: every row of a listing as its table shows it to a person.

The rows are the listing's `export_rows` (exports/copy_out.py: the same filters, order and
rights as the page and the CSV); the columns are the table's visible columns with their
headers, statuses and roles as words (in the viewer's language), times as spreadsheet
date-times in the viewer's time zone (named in the header) and numbers as numbers. Each row's XML
goes to a temporary file as it comes (write_workbook), so memory stays flat whatever the row
count; the finished file is then streamed from a temporary file.
"""

import datetime as dt
import io
import math
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched

import xlsxwriter
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name, xl_range

from dashboards.exports.copy_out import export_rows
from dashboards.exports.csv import refusal
from dashboards.platform.time_zones import local_naive
from dashboards.tables.base import ProgressColumn, TimeColumn

# A worksheet's rows, the header row included.
SHEET_ROW_LIMIT = 1_048_576
MAX_SHEET_ROWS = SHEET_ROW_LIMIT - 1
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_TEXT_LIMIT = 32767  # a cell's characters (UTF-16 units)
ROWS_PER_CHUNK = 500
SHEET_PART = "xl/worksheets/sheet1.xml"
# zlib's fastest level for the rows: deflating them at XlsxWriter's (6) costs more than
# writing them, for a file 20 % smaller.
SHEET_COMPRESSION = 1
# The skeleton's styles are numbered in order of use: its header's (1), then its times' (2).
TIME_STYLE = 2
# A spreadsheet's date-time is a number of days: day 1 is 1900-01-01.
_EXCEL_EPOCH = dt.datetime(1899, 12, 31)
# What XlsxWriter escapes in a text: "_xHHHH_" (Excel's escape, escaped itself), control
# characters, two non-characters, &, < and >, and leading or trailing space to preserve.
_NEEDS_ESCAPING = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|^\s|\s$")
_ESCAPE_LIKE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_EDGE_SPACE = re.compile(r"^\s|\s$")


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
    rows = export_rows(listing, [column.lookup for column in columns])
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
    binary file), one row at a time; return the number of rows written.

    The rows' XML is written here, straight from the values (XlsxWriter's per-cell calls cost
    several times more than the row itself), into a temporary file; XlsxWriter then writes
    the workbook around it (styles, header, widths, frozen header, filter), and the rows go
    into its sheet as the parts are copied into `output`."""
    yes_no = {True: _("yes"), False: _("no")}
    with tempfile.TemporaryFile() as sheet_rows:
        written = _write_sheet_rows(sheet_rows, columns, rows, yes_no)
        skeleton = io.BytesIO()
        _write_skeleton(skeleton, columns, written, sheet)
        sheet_rows.seek(0)
        _fill_sheet(skeleton, sheet_rows, output, columns, written)
    return written


def _write_skeleton(output, columns, written, sheet):
    """The workbook with the header row alone, sized for `written` rows below it."""
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
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
    worksheet.autofilter(0, 0, written, max(len(columns) - 1, 0))
    workbook.close()
    if time_format.xf_index not in (None, TIME_STYLE):
        raise RuntimeError(f"The time format is style {time_format.xf_index}, not {TIME_STYLE}.")


def _fill_sheet(skeleton, sheet_rows, output, columns, written):
    """Copy the skeleton's parts into `output`, its sheet with `sheet_rows` after the header
    and its dimension covering them."""
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(
            output, "w", zipfile.ZIP_DEFLATED, compresslevel=SHEET_COMPRESSION
        ) as target,
    ):
        for part in source.infolist():
            content = source.read(part)
            if part.filename != SHEET_PART or b"</sheetData>" not in content:
                target.writestr(part, content)
                continue
            last = len(columns) - 1
            head, tail = content.split(b"</sheetData>")
            head = head.replace(
                f'<dimension ref="{xl_range(0, 0, 0, last)}"/>'.encode(),
                f'<dimension ref="{xl_range(0, 0, written, last)}"/>'.encode(),
            )
            with target.open(SHEET_PART, "w") as sheet_part:
                sheet_part.write(head)
                shutil.copyfileobj(sheet_rows, sheet_part)
                sheet_part.write(b"</sheetData>" + tail)


def _write_sheet_rows(output, columns, rows, yes_no):
    """The <row> elements of `rows` (from the sheet's second row on), as XlsxWriter's
    constant_memory mode writes them, into the binary file `output`; return their number."""
    cells = [
        (xl_col_to_name(index), _cell_xml(column, yes_no)) for index, column in enumerate(columns)
    ]
    written = 0
    for batch in batched(rows, ROWS_PER_CHUNK):
        lines = []
        for row in batch:
            written += 1
            number = written + 1
            xml = "".join(
                [
                    cell(f"{letter}{number}", value)
                    for (letter, cell), value in zip(cells, row, strict=True)
                    if value is not None
                ]
            )
            if xml:
                lines.append(f'<row r="{number}">{xml}</row>')
        output.write("".join(lines).encode())
    return written


def _cell_xml(column, yes_no):
    """The function giving one cell's XML from its reference and value (never None)."""
    if column.kind == "time":
        return _time_xml(timezone.get_current_timezone())
    words = None if column.words is None else {k: str(v) for k, v in column.words.items()}
    yes_no = {value: str(word) for value, word in yes_no.items()}

    def xml(reference, value):
        if words is not None:
            value = words.get(value, value)
        kind = value.__class__
        if kind is str:
            return _text_xml(reference, value)
        if isinstance(value, bool):
            return _text_xml(reference, yes_no[value])
        if isinstance(value, int | float | Decimal):
            return _number_xml(reference, float(value) if kind is Decimal else value)
        return _text_xml(reference, str(value))

    return xml


def _number_xml(reference, number, style=""):
    if number.__class__ is float and not math.isfinite(number):
        raise TypeError("A spreadsheet has no NaN or infinite numbers.")
    return f'<c r="{reference}"{style}><v>{number:.16G}</v></c>'


def _time_xml(zone):
    """The function giving a time's cell: a spreadsheet date-time number, in `zone`'s wall
    clock time (a spreadsheet has no zones)."""

    def xml(reference, value):
        if isinstance(value, dt.datetime):
            if value.tzinfo is not None:
                value = local_naive(value, zone)
        else:
            value = dt.datetime.fromordinal(value.toordinal())
        delta = value - _EXCEL_EPOCH
        days = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
        # Excel counts a 29 February 1900 that never was.
        return _number_xml(reference, days + 1 if days > 59 else days, f' s="{TIME_STYLE}"')

    return xml


def _text_xml(reference, text):
    """An inline string, escaped as XlsxWriter escapes it."""
    if len(text) > _TEXT_LIMIT // 2:
        text = _utf16_prefix(text[:_TEXT_LIMIT], _TEXT_LIMIT)
    space = ""
    if _NEEDS_ESCAPING.search(text):
        text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        if _EDGE_SPACE.search(text):
            space = ' xml:space="preserve"'
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{reference}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _utf16_prefix(text, limit):
    """The longest prefix of `text` of at most `limit` UTF-16 units (a sheet cell's limit)."""
    units = text.encode("utf-16-le", "surrogatepass")
    return units[: limit * 2].decode("utf-16-le", "ignore")
