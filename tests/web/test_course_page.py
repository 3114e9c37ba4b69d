"""The course page /courses/<id>/: the roster as the API sees it, htmx partials, the filter form,
sortable headers, cells, stats, the pager, errors and query counts. (Its CSV:
tests/exports/test_course_members_csv.py.)"""

import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.models import CourseMember, Credential, User
from tests.factories import make_credential, make_member, make_user
from tests.worlds import COURSE_QUERIES, t

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_roster(read_only_course_roster):
    """The roster, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_course_roster


QUERIES = COURSE_QUERIES


@pytest.fixture
def roster(client, course_roster):
    course, users = course_roster
    client.force_login(users["ada"])
    return {"course": course, "users": users, "key": make_credential(Credential.PARTNER)[1]}


def page(client, roster, query="", **headers):
    return client.get(f"/courses/{roster['course'].pk}/?{query}", **headers)


def page_ids(response):
    return [int(i) for i in re.findall(r'<tr data-user-id="(\d+)"', response.text)]


def api(client, roster, query=""):
    response = client.get(
        f"/api/v2/course/{roster['course'].pk}/users/?{query}", HTTP_SID=roster["key"]
    )
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("query", QUERIES)
def test_page_rows_are_the_api_rows_in_the_same_order(client, roster, query):
    response = page(client, roster, query)
    assert response.status_code == 200
    assert page_ids(response) == [row["id"] for row in api(client, roster, query)["results"]]


@pytest.mark.parametrize("query", QUERIES)
def test_view_as_json_links_to_the_api_for_the_rows_on_screen(client, roster, query):
    response = page(client, roster, query)
    link = re.search(r'href="([^"]+)" rel="nofollow">View as JSON', response.text).group(1)
    link = link.replace("&amp;", "&")
    assert urlsplit(link).path == f"/api/v2/course/{roster['course'].pk}/users/"
    body = client.get(link, HTTP_SID=roster["key"]).json()
    assert [row["id"] for row in body["results"]] == page_ids(response)


def test_htmx_gets_only_the_roster_partial_with_vary(client, roster):
    full = page(client, roster, "limit=2&ordering=joined_at")
    partial = page(client, roster, "limit=2&ordering=joined_at", HTTP_HX_REQUEST="true")
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    assert "<html" in full.text and "stat-card" in full.text
    assert "<html" not in partial.text and "stat-card" not in partial.text
    assert 'id="listing-filters"' not in partial.text  # the filter form stays on the page
    assert page_ids(partial) == page_ids(full)
    # The order and page size set by links are written back into the filter form.
    assert '<div id="listing-state" hx-swap-oob="true">' in partial.text
    assert '<input type="hidden" name="ordering" value="joined_at">' in partial.text
    assert "hx-swap-oob" not in full.text


def test_an_htmx_history_restore_gets_the_whole_page(client, roster):
    response = page(
        client, roster, "", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.text


def test_the_filter_form_works_without_javascript(client, roster):
    text = page(client, roster, "search=cyd&statuses=joined&ordering=joined_at").text
    form = re.search(r'<form id="listing-filters".*?</form>', text, re.S).group(0)
    assert 'method="get"' in form and f'action="/courses/{roster["course"].pk}/"' in form
    assert 'name="search" value="cyd"' in form
    assert (
        'hx-trigger="submit, change, input changed delay:300ms from:find input[type=search]"'
        in form
    )
    assert 'hx-push-url="true"' in form
    checked = re.findall(r'name="statuses" value="(\w+)" checked', form)
    assert checked == ["joined"]
    assert '<button type="submit"' in form


def test_status_checkboxes_default_to_manager_and_joined(client, roster):
    text = page(client, roster).text
    assert re.findall(r'name="statuses" value="(\w+)" checked', text) == ["manager", "joined"]


def test_sortable_headers_map_to_the_api_ordering_with_aria_sort(client, roster):
    text = page(client, roster, "ordering=last_active_at&offset=2&search=a").text
    joined = re.search(r'<th[^>]*aria-sort="(\w+)">\s*<a href="([^"]+)"[^>]*>Joined', text)
    active = re.search(r'<th[^>]*aria-sort="(\w+)">\s*<a href="([^"]+)"[^>]*>Last active', text)
    assert joined.group(1) == "none" and active.group(1) == "ascending"
    # Not sorted: newest first; sorted ascending: flips; a new order starts at the first page.
    assert joined.group(2).replace("&amp;", "&") == "?search=a&ordering=-joined_at"
    assert active.group(2).replace("&amp;", "&") == "?search=a&ordering=-last_active_at"
    default = page(client, roster).text
    assert re.search(r'aria-sort="descending">\s*<a href="\?ordering=joined_at"', default)


def test_cells_show_badge_progress_and_relative_time_with_exact_utc(client, roster):
    text = page(client, roster, "statuses=creator").text
    assert '<span class="badge badge-creator">Creator</span>' in text
    assert '<progress max="100" value="100"' in text and "100%</span>" in text
    assert '<time datetime="2025-01-01T09:00:00Z" title="Jan. 1, 2025 09:00:00 UTC">' in text
    assert '<img class="avatar" src="https://cdn.example.org/a.png"' in text
    assert "Ada Lovelace" in text and "@ada" in text


def test_stat_cards_and_histogram(client, roster):
    text = page(client, roster).text
    cards = dict(
        re.findall(r'<p class="stat-label">([^<]+)</p><p class="stat-value">([^<]+)</p>', text)
    )
    assert cards["Members"] == "5" and cards["Managers"] == "2" and cards["Completed"] == "1"
    assert cards["Average completion"] == "59%"  # (40 + 55 + 100 + 9 + 90) / 5 = 58.8
    assert text.count('<g class="bar">') == 10
    assert "<title>90–100%: 2 members</title>" in text


def test_pager_with_page_sizes_and_a_thousands_separated_total(client, roster):
    course = roster["course"]
    users = User.objects.bulk_create(
        User(username=f"bulk{n}", email=f"bulk{n}@example.org") for n in range(1234)
    )
    CourseMember.objects.bulk_create(
        CourseMember(user=user, course=course, join_status=CourseMember.JOINED) for user in users
    )
    text = page(client, roster, "limit=50&offset=100&ordering=joined_at").text
    assert "<strong>1,240</strong> members" in text
    assert "Showing 101–150 of" in text and "page 3 of 25" in text
    assert 'href="?limit=50&amp;ordering=joined_at&amp;offset=50"' in text
    assert 'href="?limit=50&amp;ordering=joined_at&amp;offset=150"' in text
    assert 'href="?ordering=joined_at&amp;limit=100"' in text
    assert '<strong aria-current="true">50</strong>' in text
    assert len(page_ids(page(client, roster, "limit=100"))) == 100
    assert len(page_ids(page(client, roster, "limit=1000"))) == 100


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("statuses=foo", "&#x27;foo&#x27; is not a valid join status"),
        ("ordering=name", "&#x27;name&#x27; is not a valid ordering"),
        ("limit=abc", "A valid integer is required."),
        ("offset=-3", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_parameters_are_shown_above_the_table(client, roster, query, message):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = page(client, roster, query, **headers)
        assert response.status_code == 400
        assert 'class="alert alert-error"' in response.text and message in response.text
        assert page_ids(response) == []


def _page_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("htmx", [False, True])
def test_page_query_count_is_constant(client, roster, htmx, django_assert_max_num_queries):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = f"/courses/{roster['course'].pk}/?search=a&ordering=last_active_at"
    small = _page_queries(client, url + "&limit=1", **headers)
    large = _page_queries(client, url + "&limit=100", **headers)
    for n in range(120):
        make_member(make_user(first_name=f"Anna{n}"), roster["course"], joined_at=t(n))
    larger = _page_queries(client, url + "&limit=100", **headers)
    assert small == large == larger
    # session, user, course with the caller's rights, count, rows; + stats for the whole page
    with django_assert_max_num_queries(5 if htmx else 6):
        client.get(url + "&limit=100", **headers)


def test_an_unknown_course_is_a_styled_404(client, roster):
    response = client.get("/courses/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.parametrize("query", ["", "statuses=", "statuses=[]"])
def test_an_empty_status_choice_says_the_default_is_shown(client, roster, query):
    text = page(client, roster, query).text
    assert "(managers and joined learners; tick statuses to change)" in text
    assert re.findall(r'name="statuses" value="(\w+)" checked', text) == ["manager", "joined"]
    assert "tick statuses" not in page(client, roster, "statuses=joined").text


def test_statuses_in_the_bracket_form_are_not_the_default(client, roster):
    text = page(client, roster, "statuses[]=joined").text
    assert "tick statuses" not in text
    assert re.findall(r'name="statuses" value="(\w+)" checked', text) == ["joined"]
