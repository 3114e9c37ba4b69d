"""Hostile query strings over HTTP: non-UTF-8 bytes, very long strings and huge integers in
every parameter of every endpoint and page give a 400, never a 500. (A NUL is not refused
wholesale: tests/filters/test_nul_parameters.py.)"""

import pytest
from django.urls import reverse

from dashboards.filters.params import MAX_PARAMETER_LENGTH
from tests.vfo import courses_url, members_url, portal_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


HUGE = "9" * (MAX_PARAMETER_LENGTH - 1)  # with its sign, the longest value read

ORG_MEMBER_PARAMS = ["includeAnonymousUsers", "role", "filter", "sort", "order", "since"]
ORG_MEMBER_PARAMS += ["until", "page", "perPage"]
MEMBER_COURSE_PARAMS = ["title", "status", "page", "perPage"]
ROSTER_PARAMS = ["search", "statuses", "ordering", "limit", "offset"]
CSV_ROSTER_PARAMS = ["search", "statuses", "ordering"]  # the CSV has every row
NUMERIC = {"since", "until", "page", "perPage", "limit", "offset"}
FREE_TEXT = {"filter", "title", "search"}  # a long number is a fair search there


def endpoints(w):
    """(url, parameters, family) for every API endpoint and every page with parameters."""
    return [
        (f"/api/v2/course/{w.both.pk}/users/", ROSTER_PARAMS, "course"),
        (f"/api/v2/course/{w.both.pk}/dashboard/", ROSTER_PARAMS, "course"),
        (members_url(w.sales), ORG_MEMBER_PARAMS, "org"),
        (members_url(w.sales, prefix="orgs"), ORG_MEMBER_PARAMS, "org"),
        (courses_url(w.sales, w.course_learner), MEMBER_COURSE_PARAMS, "org"),
        (portal_url(w.acme, w.academy), ORG_MEMBER_PARAMS, "org"),
        (reverse("course-detail", args=[w.both.pk]), ROSTER_PARAMS, "page"),
        (reverse("course-members-csv", args=[w.both.pk]), CSV_ROSTER_PARAMS, "page"),
        (reverse("org-members", args=[w.sales.pk]), ORG_MEMBER_PARAMS, "page"),
        (reverse("org-members-csv", args=[w.sales.pk]), ORG_MEMBER_PARAMS[:-2], "page"),
        (
            reverse("org-member-detail", args=[w.sales.pk, w.course_learner.pk]),
            MEMBER_COURSE_PARAMS,
            "page",
        ),
        (reverse("portal-members", args=[w.acme.pk, w.academy.pk]), ORG_MEMBER_PARAMS, "page"),
        ("/", ["limit", "offset"], "page"),
    ]


@pytest.fixture
def w(client, org_world):
    client.force_login(org_world.superuser)
    return org_world


def assert_refused(response, family, where):
    assert response.status_code == 400, (where, response.status_code)
    if family == "course":
        assert set(response.json()) <= {"detail", *ROSTER_PARAMS}, where
    elif family == "org":
        assert response.json()["error"] == 400, where
    else:
        assert response["Content-Type"].startswith(("text/html", "text/plain")), where


@pytest.mark.parametrize(
    "raw",
    ["%FF%FE", "caf%E9", "%C3", "%ED%A0%80", "x" * (MAX_PARAMETER_LENGTH + 1)],
    ids=["ff-fe", "latin-1", "cut-utf-8", "surrogate", "long"],
)
def test_unreadable_values_are_400_everywhere(client, w, raw):
    for url, params, family in endpoints(w):
        for param in params:
            response = client.get(f"{url}?{param}={raw}")
            assert_refused(response, family, (url, param))


def test_a_bad_byte_in_a_parameter_name_is_400(client, w):
    for url, _, family in endpoints(w):
        assert_refused(client.get(f"{url}?%FF=1"), family, url)


def test_a_value_of_the_longest_length_is_read(client, w):
    for url, params, _ in endpoints(w):
        for param in FREE_TEXT & set(params):
            response = client.get(url, {param: "x" * MAX_PARAMETER_LENGTH})
            assert response.status_code == 200, (url, param)


# The contracts make a page or offset past the end an empty page and cap limit at 100, however
# large the number; every other parameter refuses a huge integer.
HUGE_IS_FINE = {"page", "offset", "limit"} | FREE_TEXT


def test_huge_integers_are_400_unless_the_contract_says_otherwise(client, w):
    for url, params, family in endpoints(w):
        for param in params:
            for value in (HUGE, f"-{HUGE}"):
                response = client.get(url, {param: value})
                dashboard = url.startswith("/api/") and url.endswith("/dashboard/")
                negative_number = value.startswith("-") and param not in FREE_TEXT
                if dashboard or (param in HUGE_IS_FINE and not negative_number):
                    assert response.status_code == 200, (url, param, value[:3])
                else:
                    assert_refused(response, family, (url, param, value[:3]))


def test_no_500_for_long_free_text(client, w):
    words = " ".join(["ab"] * (MAX_PARAMETER_LENGTH // 3))  # 299 characters, 100 terms
    assert len(words) <= MAX_PARAMETER_LENGTH
    for url, params, _ in endpoints(w):
        for param in FREE_TEXT & set(params):
            assert client.get(url, {param: words}).status_code == 200, (url, param)
