"""The org pages in a real browser: the tree, filters, sorting, a member, a portal, a 403."""

import datetime as dt
import re

import pytest

from dashboards.models import Org
from tests.browser.conftest import check_axe, check_no_page_scroll, screenshot, wait_settled

pytestmark = pytest.mark.browser


def member_rows(page):
    return page.locator("#listing tbody tr[data-user-id]")


def test_walk_the_tree_filter_sort_and_drill_into_a_member(browsing, demo):
    page = browsing.log_in("orgadmin")
    container = demo.container
    page.locator(".home-orgs").get_by_role("link", name=container.title, exact=True).click()
    page.wait_for_url(f"**/orgs/{container.pk}/members/")
    assert page.get_by_role("heading", level=1).inner_text().startswith(container.title)
    check_axe(page, "the org members page")
    screenshot(page, "org-members-1280")

    child = Org.objects.filter(parent=container).exclude(org_type="portal").order_by("title")[0]
    page.locator(".child-orgs").get_by_role("link", name=child.title, exact=True).click()
    page.wait_for_url(f"**/orgs/{child.pk}/members/")
    crumbs = page.get_by_role("navigation", name="Breadcrumb")
    assert crumbs.get_by_role("link", name=container.title).is_visible()
    crumbs.get_by_role("link", name=container.title).click()
    page.wait_for_url(f"**/orgs/{container.pk}/members/")

    # Role filter, by keyboard alone: Tab to the checkbox, Space ticks it.
    page.get_by_label("Search").focus()
    admin_box = page.get_by_role("checkbox", name=re.compile(r"^Admin\b"))
    for _ in range(3):
        if page.evaluate("() => document.activeElement.value") == "admin":
            break
        page.keyboard.press("Tab")
    assert admin_box.evaluate("box => box === document.activeElement")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"role=admin"))
    wait_settled(page)
    roles = page.locator("#listing tbody .badge").all_inner_texts()
    assert roles and set(roles) == {"Admin"}  # the badge says the filter's label
    check_axe(page, "the org members page after an htmx swap")
    admin_box.uncheck()
    page.wait_for_url(lambda url: "role=" not in url)
    wait_settled(page)

    # Last-seen dates: every member shown was seen on or after the day chosen.
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=14)).date()
    dates = page.get_by_role("group", name="Last seen")
    dates.get_by_label("From").fill(since.isoformat())
    # The address speaks the API's parameter: since, a Unix time (the day's start, UTC).
    midnight = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    page.wait_for_url(re.compile(rf"since={int(midnight.timestamp())}"))
    wait_settled(page)
    seen = page.locator("#listing tbody time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert seen and min(seen) >= since.isoformat()

    # Sort by last seen, newest first (a time column's first click, as on the course page).
    page.get_by_role("columnheader", name="Last seen").get_by_role("link").click()
    page.wait_for_url(re.compile(r"sort=lastSeen&order=descending|order=descending&sort=lastSeen"))
    wait_settled(page)
    assert page.get_by_role("columnheader", name="Last seen").get_attribute("aria-sort") == (
        "descending"
    )
    seen = page.locator("#listing tbody time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    assert seen == sorted(seen, reverse=True)

    first = member_rows(page).first
    name = first.locator(".member-name").inner_text()
    user_id = first.get_attribute("data-user-id")
    first.locator(".member-name").click()
    page.wait_for_url(f"**/orgs/{container.pk}/members/{user_id}/")
    assert page.get_by_role("heading", level=1).inner_text() == name
    check_axe(page, "a member's page")
    screenshot(page, "member-1280")


def test_a_portal_lists_its_members(browsing, demo):
    page = browsing.log_in("orgadmin")
    container = demo.container
    portal = Org.objects.filter(container=container, org_type="portal").order_by("pk").first()
    page.goto(f"/orgs/{container.pk}/members/")
    page.locator(".child-orgs").get_by_role("link", name=portal.title, exact=True).click()
    page.wait_for_url(f"**/orgs/{container.pk}/portals/{portal.pk}/members/")
    assert member_rows(page).count() > 0
    check_axe(page, "the portal members page")
    screenshot(page, "portal-members-1280")


@pytest.mark.parametrize("width", ["wide", "narrow"])
def test_a_user_without_rights_gets_a_readable_403(open_browsing, demo, width):
    suffix = "1280" if width == "wide" else "375"
    browsing = open_browsing(width=width)
    page = browsing.page
    page.goto("/login/")
    check_no_page_scroll(page, f"the login page ({width})")
    screenshot(page, f"login-{suffix}")
    page = browsing.log_in("manager")
    response = page.goto(f"/orgs/{demo.container.pk}/members/")
    assert response.status == 403
    assert page.get_by_role("heading", name="You may not view this page").is_visible()
    assert page.get_by_role("link", name="Go to your home page").is_visible()
    check_axe(page, f"the 403 page ({width})")
    check_no_page_scroll(page, f"the 403 page ({width})")
    screenshot(page, f"forbidden-{suffix}")


@pytest.mark.parametrize(
    "path",
    [
        "/courses/{course}/?statuses=nope",
        "/courses/{course}/?limit=many",
        "/orgs/{org}/members/?lastSeenFrom=yesterday",
        "/orgs/{org}/members/?sort=shoe-size",
        "/orgs/{org}/portals/{portal}/members/?perPage=lots",
        "/orgs/{org}/members/{member}/?status=sleeping",
        "/?offset=-3",
    ],
)
def test_a_bad_parameter_reads_as_a_message_above_the_table(browsing, demo, path):
    page = browsing.log_in("admin")
    portal = Org.objects.filter(container=demo.container, org_type="portal").first()
    member = demo.container.roles.order_by("pk").first().user_id
    url = path.format(course=demo.course.pk, org=demo.container.pk, portal=portal.pk, member=member)
    response = page.goto(url)
    assert response.status in (200, 400)
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert "not valid" in alert.inner_text()
    region_table = page.locator(".listing-region table")
    assert region_table.count() == 0 or (
        alert.bounding_box()["y"] < region_table.first.bounding_box()["y"]
    )
    check_axe(page, url)


PAGES = [
    ("home", "/"),
    ("course", "/courses/{course}/"),
    ("org-members", "/orgs/{org}/members/"),
    ("portal-members", "/orgs/{org}/portals/{portal}/members/"),
    ("member", "/orgs/{org}/members/{member}/"),
]


@pytest.mark.parametrize("width", ["wide", "narrow"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_page_at_every_width_and_theme(open_browsing, demo, width, color_scheme):
    browsing = open_browsing(width=width, color_scheme=color_scheme)
    page = browsing.log_in("orgadmin")
    ids = {
        "course": demo.course.pk,
        "org": demo.container.pk,
        "portal": Org.objects.filter(container=demo.container, org_type="portal").first().pk,
        "member": demo.container.roles.order_by("pk").first().user_id,
    }
    for name, path in PAGES:
        page.goto(path.format(**ids))
        where = f"{name} ({width}, {color_scheme})"
        check_axe(page, where)
        check_no_page_scroll(page, where)
        suffix = ("1280" if width == "wide" else "375") + (
            "-dark" if color_scheme == "dark" else ""
        )
        screenshot(page, f"{name}-{suffix}")


def test_pages_keep_the_content_security_policy(open_browsing, demo):
    """With the CSP enforced (no bypass), pages and an htmx swap raise no violation."""
    browsing = open_browsing(bypass_csp=False)
    page = browsing.log_in("orgadmin")
    page.goto(f"/orgs/{demo.container.pk}/members/")
    page.get_by_role("checkbox", name=re.compile(r"^Instructor\b")).check()
    page.wait_for_url(re.compile(r"role=instructor"))
    wait_settled(page)
    page.goto(f"/courses/{demo.course.pk}/")
    page.get_by_role("link", name="Next ›").or_(page.get_by_role("link", name="50")).first.click()
    wait_settled(page)
    # Browsing.close() fails the test on any CSP message or script error.
