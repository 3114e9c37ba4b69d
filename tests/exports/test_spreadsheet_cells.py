"""The spreadsheet's rows are written without XlsxWriter's per-cell calls: its sheet is the
one XlsxWriter writes cell by cell (constant_memory), byte for byte, texts' escapes, numbers,
words and times included."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from django.utils import timezone

from dashboards.exports.spreadsheet import SheetColumn, write_workbook

PARIS = "Europe/Paris"
COLUMNS = [
    SheetColumn("Text", "text", width=30),
    SheetColumn("Word", "word", words={0: "Zero", 1: "One"}),
    SheetColumn("Number", "number"),
    SheetColumn("Seen", "seen", kind="time", width=20),
    SheetColumn("Done %", "done", kind="percent"),
]
TEXTS = [
    "plain",
    "a & b < c > d",
    "_x0041_ looks like an escape",
    "\x01control\x1f",
    " leading space",
    "trailing space ",
    "tab\tand\nnewline",
    "non\ufffecharacter\uffff",
    '"quoted"',
    "=1+1",
    "Émile ünï 😀",
    "😀" * 20_000,  # past a cell's 32,767 UTF-16 units
    "x" * 40_000,
    "",
    None,
]
NUMBERS = [0, -1, 1.5, Decimal("2.25"), 10**17, 0.1 + 0.2, True, False, "text", None]
TIMES = [
    dt.datetime(2025, 3, 30, 0, 59, 59, tzinfo=dt.UTC),  # Paris changes to summer time at 1:00
    dt.datetime(2025, 3, 30, 1, 0, 0, 250000, tzinfo=dt.UTC),
    dt.datetime(1900, 2, 28, 12, tzinfo=dt.UTC),  # the day before the 29 February Excel counts
    dt.datetime(1900, 3, 1, 12, tzinfo=dt.UTC),
    dt.date(2025, 1, 2),
    None,
]


def rows():
    return [
        (
            TEXTS[n % len(TEXTS)],
            n % 3 if n % 4 else None,
            NUMBERS[n % len(NUMBERS)],
            TIMES[n % len(TIMES)],
            n if n % 5 else None,
        )
        for n in range(60)
    ]


def xlsxwriter_workbook(output, columns, rows, *, sheet):
    """The workbook as XlsxWriter wrote it cell by cell before (write_workbook's old body)."""
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
    written = 0
    for written, row in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            if value is None:
                continue
            if column.kind == "time":
                if isinstance(value, dt.datetime):
                    value = timezone.localtime(value).replace(tzinfo=None)
                worksheet.write_datetime(written, index, value, time_format)
                continue
            if column.words is not None:
                value = column.words.get(value, value)
            if isinstance(value, bool):
                worksheet.write_string(written, index, "yes" if value else "no")
            elif isinstance(value, int | float | Decimal):
                number = float(value) if isinstance(value, Decimal) else value
                worksheet.write_number(written, index, number)
            else:
                worksheet.write_string(written, index, str(value)[:32767])
    worksheet.autofilter(0, 0, written, len(columns) - 1)
    workbook.close()


def parts(content):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if name != "docProps/core.xml"  # the moment it was made
        }


@pytest.mark.parametrize("rows_count", [0, 1, 60])
def test_the_workbook_is_xlsxwriters_cell_by_cell(rows_count):
    ours, theirs = io.BytesIO(), io.BytesIO()
    with timezone.override(PARIS):
        assert write_workbook(ours, COLUMNS, rows()[:rows_count], sheet="Sheet") == rows_count
        xlsxwriter_workbook(theirs, COLUMNS, rows()[:rows_count], sheet="Sheet")
    assert parts(ours.getvalue()) == parts(theirs.getvalue())


def test_a_text_shaped_like_a_rich_string_stays_text():
    output = io.BytesIO()
    write_workbook(output, COLUMNS[:1], [("<r>rich</r>",), ("<r><t>x</t></r>",)])
    sheet = openpyxl.load_workbook(output).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "<r>rich</r>",
        "<r><t>x</t></r>",
    ]


def test_a_sheet_without_columns_is_still_a_workbook():
    output = io.BytesIO()
    assert write_workbook(output, [], [(), ()]) == 2
    assert openpyxl.load_workbook(output).worksheets[0].max_row == 1
