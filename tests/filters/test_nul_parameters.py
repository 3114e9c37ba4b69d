"""A NUL in a query parameter: free text matches nothing, an enumerated or
numeric parameter gets its own message, an unknown parameter is ignored, and the contracts'
order of checks (401 → 400 path → 403 → 404) comes first. The database never sees the NUL."""

import itertools
import json
from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse

from tests.vfo import courses_url, members_url, portal_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


NULS = ["%00", "a%00b", "%00%00", "ada%00"]
JOIN_STATUS_CHOICES = "creator, manager, joined, invited, requested"
ORDERING_CHOICES = (
    "joined_at, -joined_at, last_active_at, -last_active_at, real_name, -real_name, "
    "user_completion_rate, -user_completion_rate, join_status, -join_status"
)


@pytest.fixture
def w(org_world):
    return org_world


def superuser(w):
    return {"Authorization": f"Bearer {w.keys['superuser']}"}


@contextmanager
def database_statements():
    """Every (sql, params) sent to the database inside the block. (SQLite's own record of a
    query stops at a NUL, so the parameters are read here, before the driver gets them.)"""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def nul_free(statements):
    def values(params):
        for value in params if isinstance(params, list | tuple) else [params]:
            yield from values(value) if isinstance(value, list | tuple) else [value]

    return not any(
        "\x00" in sql or any(isinstance(v, str) and "\x00" in v for v in values(params or ()))
        for sql, params in statements
    )


def api_rows(response):
    """The rows of a 200 in either family (the course body's results, or the org array)."""
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def test_a_nul_in_free_text_matches_nothing_in_both_apis(client, w):
    text_urls = {
        "search": f"/api/v2/course/{w.both.pk}/users/",
        "filter": members_url(w.sales),
        "title": courses_url(w.sales, w.course_learner),
    }
    portal_filter = portal_url(w.acme, w.academy)
    for raw in NULS:
        for param, url in [*text_urls.items(), ("filter", portal_filter)]:
            with database_statements() as statements:
                response = client.get(f"{url}?{param}={raw}", headers=superuser(w))
            assert api_rows(response) == [], (url, raw)
            if url.startswith("/api/"):
                assert response.json()["count"] == 0
            else:
                assert json.loads(response["X-Pagination"])["count"] == 0
            assert statements and nul_free(statements), (url, raw)
    # The same filters without the NUL do find rows: the empty answers above are the NUL's.
    assert api_rows(client.get(f"{text_urls['filter']}?filter=a", headers=superuser(w)))


def test_a_nul_in_free_text_on_pages_and_exports_shows_no_rows(client, w):
    client.force_login(w.superuser)
    pages = [
        (reverse("course-detail", args=[w.both.pk]), "search"),
        (reverse("org-members", args=[w.sales.pk]), "filter"),
        (reverse("org-member-detail", args=[w.sales.pk, w.course_learner.pk]), "title"),
        (reverse("portal-members", args=[w.acme.pk, w.academy.pk]), "filter"),
    ]
    exports = [
        (reverse("course-members-csv", args=[w.both.pk]), "search"),
        (reverse("org-members-csv", args=[w.sales.pk]), "filter"),
    ]
    for (url, param), raw in itertools.product(pages + exports, NULS):
        with database_statements() as statements:
            response = client.get(f"{url}?{param}={raw}")
            content = response.getvalue()
        assert response.status_code == 200, url
        assert statements and nul_free(statements), (url, raw)
        if (url, param) in exports:
            assert content.decode().strip().count("\n") == 0, url  # the header row only


def course_message(param, value):
    if param == "statuses":
        return f"'{value}' is not a valid join status; expected one of {JOIN_STATUS_CHOICES}."
    if param == "ordering":
        return f"'{value}' is not a valid ordering; expected one of {ORDERING_CHOICES}."
    return "A valid integer is required."


@pytest.mark.parametrize("param", ["statuses", "statuses[]", "ordering", "limit", "offset"])
@pytest.mark.parametrize(("raw", "value"), [("%00", "\x00"), ("a%00b", "a\x00b")])
def test_a_nul_in_a_course_parameter_gets_its_own_message(client, w, param, raw, value):
    response = client.get(f"/api/v2/course/{w.both.pk}/users/?{param}={raw}", headers=superuser(w))
    assert response.status_code == 400
    name = param.removesuffix("[]")
    assert response.json() == {name: [course_message(name, value)]}


ORG_MEMBER_CASES = [
    ("includeAnonymousUsers={}", "Invalid includeAnonymousUsers: '{}'"),
    ("role={}", "Invalid role: '{}'"),
    ("role=admin,{}", "Invalid role: '{}'"),
    ("sort={}&order=ascending", "Bad sort criterion - {}"),
    ("sort=fullName&order={}", "Bad sort order - {}"),
    ("since={}", "Invalid since: '{}'"),
    ("until={}", "Invalid until: '{}'"),
    ("page={}", "Param number expected"),
    ("perPage={}", "Param number expected"),
]


@pytest.mark.parametrize(("query", "message"), ORG_MEMBER_CASES)
@pytest.mark.parametrize(("raw", "value"), [("%00", "\x00"), ("a%00b", "a\x00b")])
def test_a_nul_in_an_org_parameter_gets_its_own_message(client, w, query, message, raw, value):
    for url in (members_url(w.sales), portal_url(w.acme, w.academy)):
        response = client.get(f"{url}?{query.format(raw)}", headers=superuser(w))
        assert response.status_code == 400, url
        assert response.json() == {"error": 400, "message": message.format(value)}, url
    if query.startswith("role"):
        return
    # The member's courses take status, page and perPage.
    url = courses_url(w.sales, w.course_learner)
    own = {"page": "page={}", "perPage": "perPage={}"}
    for name, template in {"status": "status={}", **own}.items():
        response = client.get(f"{url}?{template.format(raw)}", headers=superuser(w))
        expected = f"Invalid status: '{value}'" if name == "status" else "Param number expected"
        assert response.json() == {"error": 400, "message": expected}, name


def test_a_nul_on_a_page_is_the_pages_400_with_the_message(client, w):
    client.force_login(w.superuser)
    response = client.get(reverse("org-members", args=[w.sales.pk]) + "?role=%00")
    assert response.status_code == 400
    assert "Invalid role: &#x27;\x00&#x27;" in response.content.decode()
    response = client.get(reverse("course-detail", args=[w.both.pk]) + "?statuses=%00")
    assert response.status_code == 400
    assert "is not a valid join status" in response.content.decode()


def test_unknown_parameters_with_a_nul_are_ignored(client, w):
    urls = [
        f"/api/v2/course/{w.both.pk}/users/",
        f"/api/v2/course/{w.both.pk}/dashboard/",
        members_url(w.sales),
        courses_url(w.sales, w.course_learner),
        portal_url(w.acme, w.academy),
    ]
    for url in urls:
        plain = client.get(url, headers=superuser(w))
        for query in ("x=%00", "a%00=1", "%00=%00", "filter%00=ada"):
            response = client.get(f"{url}?{query}", headers=superuser(w))
            assert response.status_code == 200, (url, query)
            assert response.json() == plain.json(), (url, query)
    # The course dashboard reads no parameter at all.
    url = f"/api/v2/course/{w.both.pk}/dashboard/?statuses=%00&limit=%00"
    assert client.get(url, headers=superuser(w)).status_code == 200


EVERY_NUL = "search=%00&statuses=%00&ordering=%00&limit=%00&offset=%00&x%00=%00"
EVERY_ORG_NUL = "filter=%00&role=%00&sort=%00&page=%00&title=%00&status=%00&x%00=%00"


def test_the_course_order_of_checks_comes_before_a_nul(client, w):
    course = f"/api/v2/course/{w.both.pk}/users/?{EVERY_NUL}"
    outsider = {"Authorization": f"Bearer {w.keys['globex_admin']}"}
    cases = [
        (course, {}, 401),
        (course, {"Authorization": "Bearer not-a-key"}, 401),
        (f"/api/v2/course/%00/users/?{EVERY_NUL}", superuser(w), 404),
        (f"/api/v2/course/999999/users/?{EVERY_NUL}", superuser(w), 404),
        (course, outsider, 403),
        (course, superuser(w), 400),
    ]
    for url, headers, status in cases:
        response = client.get(url, headers=headers)
        assert response.status_code == status, (url, headers)
        assert response["Content-Type"] == "application/json"


def test_the_org_order_of_checks_comes_before_a_nul(client, w):
    outsider = {"Authorization": f"Bearer {w.keys['globex_admin']}"}
    members = f"{members_url(w.sales)}?{EVERY_ORG_NUL}"
    member_courses = f"{courses_url(w.sales, '999999')}?{EVERY_ORG_NUL}"
    portal = f"{portal_url(w.acme, '999999')}?{EVERY_ORG_NUL}"
    cases = [
        (members, {}, 401, "Invalid credentials"),
        (f"{members_url('%00')}?{EVERY_ORG_NUL}", superuser(w), 400, None),
        (f"{members_url('999999')}?{EVERY_ORG_NUL}", superuser(w), 400, None),
        (members, outsider, 403, "Invalid VFO credentials"),
        (members, superuser(w), 400, "Invalid role: '\x00'"),
        (f"{courses_url('%00', w.course_learner)}?{EVERY_ORG_NUL}", superuser(w), 400, None),
        (member_courses, outsider, 403, "Invalid VFO credentials"),
        (member_courses, superuser(w), 404, "User '999999' not found"),
        (portal, outsider, 403, "Invalid VFO credentials"),
        (portal, superuser(w), 404, f"Portal '999999' not found in container '{w.acme.pk}'"),
    ]
    for url, headers, status, message in cases:
        response = client.get(url, headers=headers)
        assert response.status_code == status, url
        body = response.json()
        assert body["error"] == status, url
        assert message is None or body["message"] == message, url
    bad_id = client.get(f"{members_url('%00')}?role=%00", headers=superuser(w)).json()
    assert bad_id["message"] == "Invalid org ID specified : '\x00'"
