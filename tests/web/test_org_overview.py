"""The org member page's overview (the counts above the listing and the rows their links list, kept
for a bound), role checkboxes with counts, count headers, last-seen quick choices and their
dates, and the member page's role, counts and course links."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from dashboards.models import OrgRole
from tests.factories import make_role, make_user
from tests.vfo import call, ids, members_url, pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


def get(client, w, org=None, **params):
    return call(client, members_url(org or w.sales), w.partner_key, **params)


def page(client, w, query=""):
    client.force_login(w.acme_admin)
    return client.get(f"/orgs/{w.sales.pk}/members/{query}")


def overview(text):
    return {
        label: (href.replace("&amp;", "&"), int(value.replace(",", "")))
        for href, label, value in re.findall(
            r'<a class="stat-card" href="([^"]*)"><p class="stat-label">([^<]+)</p>'
            r'<p class="stat-value">([^<]+)</p>',
            text,
        )
    }


def test_the_overview_counts_what_its_links_list(client, w):
    cards = overview(page(client, w).text)
    assert {label: count for label, (_, count) in cards.items()} == {
        "Members": 5,
        "Admin": 2,
        "Instructor": 1,
        "Org learner": 1,
        "Course learner": 1,
        "Active, 7 days": 4,
        "Active, 30 days": 4,
        "Never seen": 1,
        "Enrolled learners": 2,
        "Completions": 2,
    }
    for label, (href, count) in cards.items():
        params = {name: values[-1] for name, values in parse_qs(urlsplit(href).query).items()}
        listed = pagination(get(client, w, **params))["count"]
        if label in ("Enrolled learners", "Completions"):
            # Sorted by the count, most first: the listing of everyone, those first.
            assert listed == 5 and params["order"] == "descending"
        else:
            assert listed == count, label


def test_role_checkboxes_show_their_counts(client, w):
    text = page(client, w).text
    assert re.search(r'value="admin"[^>]*> Admin \(2\)', text)
    assert re.search(r'value="course-learner"[^>]*> Course learner \(1\)', text)


def test_the_page_rows_are_the_api_rows_for_the_new_parameters(client, w):
    for query in ("sort=completedCount&order=descending", "neverSeen=true"):
        params = dict(pair.split("=") for pair in query.split("&"))
        rows = [
            int(i) for i in re.findall(r'data-user-id="(\d+)"', page(client, w, f"?{query}").text)
        ]
        assert rows == ids(get(client, w, **params))


def test_count_headers_sort(client, w):
    text = page(client, w, "?sort=enrolledCount&order=ascending").text
    assert re.search(
        r'aria-sort="ascending">\s*<a href="\?sort=enrolledCount&amp;order=descending"', text
    )
    assert 'href="?sort=completedCount&amp;order=ascending"' in text


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("7d", "since"), ("30d", "since"), ("over30d", "until"), ("never", "neverSeen")],
)
def test_last_seen_quick_choices_become_api_parameters(client, w, choice, expected):
    response = page(client, w, f"?lastSeen={choice}&lastSeenFrom=2020-01-01&role=admin")
    assert response.status_code == 302
    params = parse_qs(urlsplit(response["Location"]).query)
    assert set(params) == {expected, "role"}
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    if choice == "never":
        assert '<option value="never" selected>' in followed.text


def test_a_from_date_after_the_to_date_says_so(client, w):
    response = page(client, w, "?lastSeenFrom=2026-02-01&lastSeenTo=2026-01-01")
    text = client.get(response["Location"]).text
    assert "the From date is after the To date" in text
    assert "the From date is after" not in page(client, w).text


def test_page_query_count_with_the_overview(client, w, django_assert_max_num_queries):
    page(client, w)
    url = f"/orgs/{w.sales.pk}/members/?neverSeen=true&sort=completedCount&order=ascending"
    # session, user, org and ancestors, child orgs, count, page, the overview's aggregate
    with django_assert_max_num_queries(7):
        assert client.get(url).status_code == 200


def test_the_overview_is_kept_for_its_bound_then_counted_again(
    client, w, settings, django_assert_max_num_queries
):
    settings.ORG_OVERVIEW_CACHE_SECONDS = 30
    cache.clear()
    first = overview(page(client, w).text)
    assert first["Org learner"][1] == 1
    make_role(make_user(), w.sales, OrgRole.LEARNER)
    # Kept: the same figures and links, without the aggregate (6 queries, not 7).
    with django_assert_max_num_queries(6):
        assert overview(client.get(f"/orgs/{w.sales.pk}/members/").text) == first
    cache.clear()  # as when the bound has passed
    assert overview(page(client, w).text)["Org learner"][1] == 2


def test_the_member_page_shows_role_counts_and_linked_courses(client, w):
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.sales.pk}/members/{w.course_learner.pk}/").text
    assert "<dt>Role in Sales</dt><dd>Course learner</dd>" in text
    assert "2 enrolled, 1 completed" in text
    assert f'<a href="/courses/{w.both.pk}/">Python basics</a>' in text
    assert ">88%<" in text  # the score reads as the progress does
