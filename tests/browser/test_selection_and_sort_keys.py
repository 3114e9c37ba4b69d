"""Sorting by several keys and selecting rows, in a real browser: the "then by" header link by
keyboard and the chips that remove a key; ticking rows, exporting them, selecting every
matching row, copying the members' emails; axe with a selection on screen."""

import csv
import io
import re

import openpyxl
import pytest

from tests.browser.conftest import check_axe, check_no_page_scroll, screenshot, wait_settled

pytestmark = pytest.mark.browser


def count_shown(page):
    return int(page.locator(".listing-count strong").inner_text().replace(",", ""))


def aria_sort(page, label):
    return page.locator("#listing thead th", has_text=label).get_attribute("aria-sort")


def row_ids(page):
    return page.locator("#listing tbody tr[data-user-id]").evaluate_all(
        "rows => rows.map(row => row.dataset.userId)"
    )


def bar(page):
    return page.locator(".selection-bar")


def download(page, link_name):
    with page.expect_download() as started:
        bar(page).get_by_role("link", name=link_name).click()
    with open(started.value.path(), "rb") as file:
        return file.read()


def csv_ids(data):
    return [row["id"] for row in csv.DictReader(io.StringIO(data.decode("utf-8")))]


def sheet_rows(data):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].max_row - 1


def test_then_by_adds_a_key_and_a_chip_removes_it(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/?statuses=joined")
    page.locator("thead").get_by_role("link", name="Completion", exact=True).click()
    page.wait_for_url(re.compile(r"ordering=user_completion_rate"))
    wait_settled(page)
    # "Then by Last active", by keyboard.
    page.get_by_role("link", name="Then by Last active").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"ordering=user_completion_rate%2C-last_active_at"))
    wait_settled(page)
    chips = page.locator(".sort-chips .chip")
    assert chips.count() == 2
    assert "Completion" in chips.nth(0).inner_text() and "↑" in chips.nth(0).inner_text()
    assert "Last active" in chips.nth(1).inner_text() and "↓" in chips.nth(1).inner_text()
    assert aria_sort(page, "Completion") == "ascending"
    assert aria_sort(page, "Last active") == "none"
    api = page.request.get(f"/api/v2/course/{demo.course.pk}/users/?{page.url.split('?')[1]}")
    assert row_ids(page) == [str(row["id"]) for row in api.json()["results"]]
    check_axe(page, "the course page sorted by two keys")
    screenshot(page, "course-sort-keys-1280")
    # Remove the first key: Last active becomes the only one, and the primary.
    page.get_by_role("link", name=re.compile(r"^Completion.*remove this sort key")).click()
    page.wait_for_url(re.compile(r"ordering=-last_active_at"))
    wait_settled(page)
    assert "user_completion_rate" not in page.url
    assert page.locator(".sort-chips .chip").count() == 1
    assert aria_sort(page, "Last active") == "descending"


def test_select_rows_and_export_them(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/?statuses=joined&ordering=real_name")
    assert not bar(page).is_visible()
    ids = row_ids(page)
    boxes = page.locator("#listing tbody .row-select")
    boxes.nth(2).check()
    boxes.nth(0).check()
    assert bar(page).locator("[data-selection-count]").inner_text() == "2 selected"
    # Labelled after the member.
    name = page.locator("#listing tbody tr").nth(0).locator(".member-name").inner_text()
    assert boxes.nth(0).get_attribute("aria-label") == f"Select {name}"
    check_axe(page, "the course page with two rows selected")
    screenshot(page, "course-selection-1280")
    assert csv_ids(download(page, "Export selected (CSV)")) == [ids[0], ids[2]]
    assert sheet_rows(download(page, "Export selected (.xlsx)")) == 2
    # Sorting keeps the selection (the same filters); a filter change clears it.
    page.locator("thead").get_by_role("link", name="Member", exact=True).click()
    page.wait_for_url(re.compile(r"ordering=-real_name"))
    wait_settled(page)
    assert bar(page).locator("[data-selection-count]").inner_text() == "2 selected"
    ticked = page.locator("#listing tbody .row-select:checked").evaluate_all(
        "boxes => boxes.map(box => box.value)"
    )
    assert set(ticked) <= {ids[0], ids[2]}
    page.get_by_role("checkbox", name="Invited", exact=True).check()
    page.wait_for_url(re.compile(r"statuses=joined%2Cinvited|statuses=joined&statuses=invited"))
    wait_settled(page)
    assert not bar(page).is_visible()
    assert page.locator("#listing tbody .row-select:checked").count() == 0


def test_select_all_matching_exports_every_row(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/?statuses=joined&limit=5")
    total = count_shown(page)
    assert total > 5
    page.get_by_role("checkbox", name="Select every row on this page").check()
    assert bar(page).locator("[data-selection-count]").inner_text() == "5 selected"
    bar(page).get_by_role("button", name=f"Select all {total:,} matching").click()
    assert bar(page).locator("[data-selection-count]").inner_text() == (
        f"All {total:,} matching selected"
    )
    check_axe(page, "the course page with every matching row selected")
    assert sheet_rows(download(page, "Export selected (.xlsx)")) == total
    # The next page's rows are selected too.
    page.get_by_role("link", name="Next ›").click()
    page.wait_for_url(re.compile(r"offset=5"))
    wait_settled(page)
    assert page.locator("#listing tbody .row-select:not(:checked)").count() == 0
    assert len(csv_ids(download(page, "Export selected (CSV)"))) == total
    # Unticking one row leaves "all matching" for the ids still ticked on this page.
    page.locator("#listing tbody .row-select").first.uncheck()
    shown = page.locator("#listing tbody .row-select").count()
    assert bar(page).locator("[data-selection-count]").inner_text() == f"{shown - 1} selected"


def test_copy_emails_of_selected_and_of_all_matching_members(browsing, demo):
    page = browsing.log_in("orgadmin")
    browsing.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=browsing.base_url
    )
    query = "role=admin,instructor,org-learner,course-learner"
    page.goto(f"/orgs/{demo.container.pk}/members/?{query}")
    emails = page.locator("#listing tbody td[data-label=Email]").all_inner_texts()
    boxes = page.locator("#listing tbody .row-select")
    boxes.nth(0).check()
    boxes.nth(1).check()
    message = bar(page).locator("[data-selection-message]")

    def copy():
        bar(page).get_by_role("button", name="Copy emails").click()
        message.filter(has_text=re.compile(r"^\d+ emails? copied$")).wait_for()
        return page.evaluate("() => navigator.clipboard.readText()").split()

    expected = [email for email in emails[:2] if "@" in email]
    assert copy() == expected
    noun = "email" if len(expected) == 1 else "emails"
    assert message.inner_text() == f"{len(expected)} {noun} copied"
    # Every matching member: the emails come from the server, in the listing's order.
    page.get_by_role("checkbox", name="Select every row on this page").check()
    select_all = bar(page).get_by_role("button", name=re.compile(r"^Select all"))
    if count_shown(page) > boxes.count():
        select_all.click()
    everyone = page.request.get(f"/orgs/{demo.container.pk}/members/emails.txt?{query}")
    listed = everyone.text().split()
    assert len(listed) > boxes.count()
    assert copy() == listed
    assert message.inner_text() == f"{len(listed)} emails copied"
    check_axe(page, "the org members page after copying emails")


def test_a_selection_at_375_px(open_browsing, demo):
    browsing = open_browsing(width="narrow")
    page = browsing.log_in("orgadmin")
    page.goto(f"/orgs/{demo.container.pk}/members/")
    page.locator("#listing tbody .row-select").first.check()
    assert bar(page).is_visible()
    check_no_page_scroll(page, "the org members page with a selection at 375 px")
    check_axe(page, "the org members page with a selection at 375 px")
    screenshot(page, "org-selection-375")
