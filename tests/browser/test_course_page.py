"""The course page in a real browser: live search, history, sorting, paging, CSV and JSON."""

import csv
import io
import json
import re

import pytest
from django.db.models import Count, Q

from dashboards.models import Course, User
from tests.browser.conftest import check_axe, check_no_page_scroll, screenshot, wait_settled

pytestmark = pytest.mark.browser


def row_ids(page):
    return [
        int(i)
        for i in page.locator("#listing tbody tr[data-user-id]").evaluate_all(
            "rows => rows.map(row => row.dataset.userId)"
        )
    ]


def mark_document(page):
    """Tag the loaded document: the tag survives htmx swaps, never a page load."""
    page.evaluate("() => { window.__notReloaded = true; }")


def not_reloaded(page):
    return page.evaluate("() => window.__notReloaded === true")


def test_log_in_and_open_a_course(browsing, demo):
    page = browsing.page
    page.goto("/login/")
    check_axe(page, "the login page")
    screenshot(page, "login-1280")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").is_visible()
    browsing.log_in("manager")
    assert page.get_by_role("heading", name="Your courses").is_visible()
    check_axe(page, "the home page")
    screenshot(page, "home-1280")
    page.locator(".home-courses tbody a").first.click()
    page.wait_for_url(re.compile(r"/courses/\d+/$"))
    assert page.get_by_role("heading", name="Members").is_visible()


def test_search_updates_the_table_and_the_address_and_back_restores(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/")
    first = row_ids(page)
    target = User.objects.filter(pk__in=first[3:], username__isnull=False).first()
    term = target.username
    mark_document(page)

    page.get_by_label("Search").press_sequentially(term, delay=20)
    page.wait_for_url(re.compile(r"search=" + re.escape(term) + "(&|$)"))
    wait_settled(page)
    assert not_reloaded(page)
    assert row_ids(page) == [target.pk]
    assert page.locator(".listing-count").inner_text().startswith("1 ")
    check_axe(page, "the course page after a search")

    page.get_by_label("Search").fill("zzzz-nobody")
    page.wait_for_url(re.compile(r"search=zzzz-nobody"))
    wait_settled(page)
    assert page.get_by_text("No members match these filters.").is_visible()
    check_axe(page, "the course page's empty state")

    page.go_back()
    page.wait_for_url(re.compile(r"search=" + re.escape(term) + "(&|$)"))
    page.wait_for_function(
        "() => document.querySelectorAll('#listing tbody tr[data-user-id]').length === 1"
    )
    assert page.get_by_label("Search").input_value() == term
    assert row_ids(page) == [target.pk]

    page.go_back()
    page.wait_for_function(
        "() => document.querySelectorAll('#listing tbody tr[data-user-id]').length"
        f" === {len(first)}"
    )
    assert "search=" not in page.url
    assert row_ids(page) == first

    page.goto(f"/courses/{demo.course.pk}/?search=zzzz-nobody")
    page.get_by_role("link", name="Clear the filters").click()
    page.wait_for_function(
        "() => document.querySelectorAll('#listing tbody tr[data-user-id]').length"
        f" === {len(first)}"
    )
    assert row_ids(page) == first


def biggest_course():
    return (
        Course.objects.annotate(joined=Count("members", filter=Q(members__join_status="joined")))
        .order_by("-joined", "pk")
        .first()
    )


def test_sort_page_and_page_size(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{biggest_course().pk}/")
    mark_document(page)
    header = page.get_by_role("columnheader", name="Last active")
    assert header.get_attribute("aria-sort") == "none"
    header.get_by_role("link", name="Last active", exact=True).click()
    page.wait_for_url(re.compile(r"ordering=-last_active_at"))
    wait_settled(page)
    header = page.get_by_role("columnheader", name="Last active")
    assert header.get_attribute("aria-sort") == "descending"
    assert page.get_by_role("columnheader", name="Joined").get_attribute("aria-sort") == "none"
    times = page.locator("#listing tbody td[data-label='Last active'] time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert times == sorted(times, reverse=True)
    check_axe(page, "the course page after sorting")

    sorted_ids = row_ids(page)
    total = int(page.locator(".pager-count").inner_text().split()[0].replace(",", ""))
    assert total > 20, "the demo course needs more than a page of members"
    page.get_by_role("link", name="Next ›").click()
    page.wait_for_url(re.compile(r"offset=20"))
    wait_settled(page)
    assert "ordering=-last_active_at" in page.url
    second = row_ids(page)
    assert second and not set(second) & set(sorted_ids)
    assert page.locator(".pager-summary").inner_text().startswith("Showing 21–")

    page.get_by_role("link", name="50", exact=True).click()
    page.wait_for_url(re.compile(r"limit=50"))
    wait_settled(page)
    assert len(row_ids(page)) == min(50, total)
    assert row_ids(page)[:20] == sorted_ids
    assert not_reloaded(page)
    # The region took the focus, for keyboard and screen-reader users.
    assert page.evaluate("() => document.activeElement.id") == "listing"


def test_csv_and_json_give_the_rows_of_the_page(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(
        f"/courses/{demo.course.pk}/?statuses=joined,invited&ordering=last_active_at&limit=50"
    )
    shown = row_ids(page)
    total = int(page.locator(".pager-count").inner_text().split()[0].replace(",", ""))

    page.locator("details.downloads summary").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (machine format)").click()
    with open(download.value.path(), encoding="utf-8") as csv_file:
        rows = list(csv.DictReader(io.StringIO(csv_file.read())))
    assert len(rows) == total
    assert [int(row["id"]) for row in rows[: len(shown)]] == shown
    assert {row["join_status"] for row in rows} <= {"joined", "invited"}

    page.get_by_role("link", name="View as JSON").click()
    page.wait_for_url(re.compile(r"/api/v2/course/\d+/users/"))
    body = json.loads(page.locator("body").inner_text())
    assert body["count"] == total
    assert [result["id"] for result in body["results"]] == shown


@pytest.mark.parametrize("width", ["wide", "narrow"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_course_page_reads_at_every_width_and_theme(open_browsing, demo, width, color_scheme):
    browsing = open_browsing(width=width, color_scheme=color_scheme)
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/")
    check_axe(page, f"the course page ({width}, {color_scheme})")
    check_no_page_scroll(page, f"the course page ({width})")
    # Exact times on hover, thousands separators in the counts, badges that carry text.
    assert page.locator("#listing time[title$='UTC']").count() > 0
    assert page.locator("#listing .badge").first.inner_text().strip() != ""
    suffix = "1280" if width == "wide" else "375"
    if color_scheme == "dark":
        suffix += "-dark"
    screenshot(page, f"course-{suffix}")
    page.goto(f"/courses/{demo.course.pk}/?statuses=nope")
    check_no_page_scroll(page, f"the course page with a bad parameter ({width})")
    check_axe(page, "the course page with a bad parameter")


def test_a_loading_indicator_shows_while_the_table_is_fetched(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/")
    release = []

    def slow_htmx(route):
        if route.request.headers.get("hx-request"):
            release.append(route)  # answered after the test has seen the indicator
        else:
            route.continue_()

    page.route(re.compile(r".*/courses/\d+/\?.*"), slow_htmx)
    page.get_by_label("Search").fill("a")
    page.wait_for_function("() => document.getElementById('listing').getAttribute('aria-busy')")
    roster = page.locator("#listing")
    assert "is-loading" in roster.get_attribute("class")
    assert (
        page.evaluate(
            "() => getComputedStyle(document.getElementById('listing'), '::before').content"
        )
        == '"Loading…"'
    )
    for route in release:
        route.continue_()
    page.wait_for_function("() => !document.getElementById('listing').hasAttribute('aria-busy')")
    assert "is-loading" not in roster.get_attribute("class")
