"""Views people keep and files they open, in a real browser: the column menu by keyboard,
the download menu (spreadsheet and CSV with BOM), saving a view and opening it from home."""

import io
import re

import openpyxl
import pytest

from tests.browser.conftest import check_axe, wait_settled

pytestmark = pytest.mark.browser


def headers(page):
    return [
        text.strip("▲▼↕ \n")
        for text in page.locator("#listing thead th").evaluate_all(
            "cells => cells.map(cell => cell.textContent)"
        )
    ]


def open_course(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/")
    return page


def test_the_column_menu_works_by_keyboard_and_shapes_table_and_sheet(browsing, demo):
    page = open_course(browsing, demo)
    assert headers(page) == ["Member", "Status", "Completion", "Joined", "Last active"]
    summary = page.locator(".columns-menu summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".columns-menu").get_attribute("open") is not None
    check_axe(page, "the course page with the column menu open")
    # Untick Status and Joined with the keyboard (Tab to the box, Space toggles it).
    for label in ("Status", "Joined"):
        menu = page.get_by_role("group", name="Columns shown")
        menu.get_by_role("checkbox", name=label, exact=True).focus()
        page.keyboard.press("Space")
        wait_settled(page)
    page.wait_for_url(re.compile(r"columns="))
    assert headers(page) == ["Member", "Completion", "Last active"]
    # Remembered: the page opened again without `columns` shows the same columns.
    page.goto(f"/courses/{demo.course.pk}/")
    assert headers(page) == ["Member", "Completion", "Last active"]
    # The spreadsheet follows the choice.
    page.locator("details.downloads summary").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Spreadsheet (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["Member", "Completion %", "Last active (UTC)"]
    count = int(page.locator(".listing-count strong").inner_text().replace(",", ""))
    assert sheet.max_row - 1 == count


def test_the_download_menu_offers_a_csv_with_a_byte_order_mark(browsing, demo):
    page = open_course(browsing, demo)
    page.locator("details.downloads summary").focus()
    page.keyboard.press("Enter")
    check_axe(page, "the course page with the download menu open")
    assert page.get_by_text("For people").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV with byte-order mark").click()
    with open(download.value.path(), "rb") as file:
        assert file.read(3) == b"\xef\xbb\xbf"


def test_save_a_view_and_open_it_from_home(browsing, demo):
    page = open_course(browsing, demo)
    page.goto(f"/courses/{demo.course.pk}/?statuses=joined&ordering=last_active_at")
    page.locator("details.save-view summary").click()
    page.get_by_label("Name").fill("Joined, by activity")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"statuses=joined"))
    page.goto("/")
    row = page.locator(".saved-views tbody tr").first
    assert "Joined, by activity" in row.inner_text()
    check_axe(page, "the home page with a saved view")
    count = row.locator("td.num").inner_text()
    row.get_by_role("link", name="Joined, by activity").click()
    page.wait_for_url(re.compile(r"statuses=joined&ordering=last_active_at"))
    assert page.locator(".listing-count strong").inner_text() == count
