"""Who is behind, who is inactive, walked in a real browser: a stat card and a
histogram bar to their rows, a name to the learner's page, the home page's course search, the
org overview's links; axe at both widths and themes on the new pages."""

import re

import pytest

from dashboards.models import CourseMember
from tests.browser.conftest import check_axe, check_no_page_scroll, screenshot, wait_settled

pytestmark = pytest.mark.browser


def count_shown(page):
    return int(page.locator(".listing-count strong").inner_text().replace(",", ""))


def test_a_card_and_a_bar_open_their_rows_and_a_name_the_learner(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/")
    behind = page.locator("a.stat-card", has_text="Behind")
    expected = int(behind.locator(".stat-value").inner_text().replace(",", ""))
    behind.click()
    page.wait_for_url(re.compile(r"completion_max=49&inactive_for=30"))
    assert count_shown(page) == expected
    assert page.get_by_label("to", exact=True).input_value() == "49"
    page.goto(f"/courses/{demo.course.pk}/")
    bar = page.locator("a.bar-link").last
    label = bar.get_attribute("aria-label")
    bar.click()
    page.wait_for_url(re.compile(r"completion_min=90&completion_max=100"))
    assert count_shown(page) == int(re.search(r": (\d+) member", label).group(1))
    name = page.locator("#listing tbody a.member-name").first
    who = name.inner_text()
    name.click()
    page.wait_for_url(re.compile(rf"/courses/{demo.course.pk}/members/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == who
    assert page.get_by_role("heading", name="Other courses").is_visible()


def test_sort_by_completion_from_its_header(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/?statuses=joined")
    page.locator("thead").get_by_role("link", name="Completion", exact=True).click()
    page.wait_for_url(re.compile(r"ordering=user_completion_rate"))
    wait_settled(page)
    values = page.locator("#listing tbody progress").evaluate_all(
        "bars => bars.map(bar => Number(bar.value))"
    )
    assert values == sorted(values) and values


def test_the_home_search_finds_a_course_by_part_of_its_title(browsing, demo):
    page = browsing.log_in("admin")
    title = demo.course.title
    part = title.split()[-1][:5]
    page.get_by_label("Find a course").fill(part)
    page.wait_for_url(re.compile(r"search="))
    wait_settled(page)
    titles = page.locator(".home-courses tbody td[data-label=Course]").all_inner_texts()
    assert titles and all(part.lower() in t.lower() for t in titles)
    assert page.locator(f'tr[data-course-id="{demo.course.pk}"]').is_visible()


def test_the_org_overview_links_to_its_rows(browsing, demo):
    page = browsing.log_in("orgadmin")
    page.goto(f"/orgs/{demo.container.pk}/members/")
    card = page.locator(".org-overview a.stat-card", has_text="Never seen")
    expected = int(card.locator(".stat-value").inner_text().replace(",", ""))
    card.click()
    page.wait_for_url(re.compile(r"neverSeen=true"))
    assert count_shown(page) == expected
    assert page.locator("#last-seen-choice").input_value() == "never"
    page.locator("thead").get_by_role("link", name=re.compile("Completed")).click()
    page.wait_for_url(re.compile(r"sort=completedCount&order=ascending"))


@pytest.mark.parametrize("width", ["wide", "narrow"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_new_pages_read_at_every_width_and_theme(open_browsing, demo, width, color_scheme):
    browsing = open_browsing(width=width, color_scheme=color_scheme)
    page = browsing.log_in("admin")
    learner = (
        CourseMember.objects.filter(course=demo.course, join_status="joined")
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    suffix = ("1280" if width == "wide" else "375") + ("-dark" if color_scheme == "dark" else "")
    for name, path in (
        ("learner", f"/courses/{demo.course.pk}/members/{learner}/"),
        ("course-behind", f"/courses/{demo.course.pk}/?statuses=joined&completion_max=49"),
        ("home-search", "/?search=a&ordering=-members"),
        ("org-members-past-end", f"/orgs/{demo.container.pk}/members/?page=9999"),
    ):
        page.goto(path)
        where = f"{name} ({width}, {color_scheme})"
        check_axe(page, where)
        check_no_page_scroll(page, where)
        screenshot(page, f"{name}-{suffix}")


def test_unticking_every_status_shows_the_defaults_ticked(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/")
    page.get_by_role("checkbox", name="Manager", exact=True).uncheck()
    page.wait_for_url(re.compile(r"statuses=joined"))
    wait_settled(page)
    page.get_by_role("checkbox", name="Joined", exact=True).uncheck()
    page.wait_for_function(
        "() => document.querySelector('input[name=statuses][value=joined]').checked"
    )
    assert page.get_by_role("checkbox", name="Manager", exact=True).is_checked()
    assert "tick statuses to change" in page.locator(".listing-count").inner_text()


def test_a_quick_last_seen_choice_clears_the_dates(browsing, demo):
    page = browsing.log_in("orgadmin")
    page.goto(f"/orgs/{demo.container.pk}/members/")
    page.get_by_label("From").fill("2020-01-01")
    page.wait_for_url(re.compile(r"since="))
    wait_settled(page)
    page.locator("#last-seen-choice").select_option("7d")
    wait_settled(page)
    assert page.get_by_label("From").input_value() == ""
    page.wait_for_url(re.compile(r"since=\d+"))


def test_exact_times_are_one_keypress_away_and_remembered(browsing, demo):
    page = browsing.log_in("admin")
    page.goto(f"/courses/{demo.course.pk}/")
    button = page.get_by_role("button", name="Show exact times")
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    after = page.locator("#listing time[title]").first.evaluate(
        "time => getComputedStyle(time, '::after').content"
    )
    assert "UTC" in after
    page.reload()
    assert (
        page.get_by_role("button", name="Show exact times").get_attribute("aria-pressed") == "true"
    )
