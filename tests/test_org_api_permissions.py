"""Who may read the org dashboard API: a matrix over callers and the three endpoints."""

import pytest
from django.db import DatabaseError

from dashboards.models import Credential
from tests.factories import make_credential
from tests.test_org_world import ago, build_world, call, courses_url, error, members_url, portal_url

pytestmark = pytest.mark.django_db

OK, DENIED, UNAUTHENTICATED = 200, 403, 401

ENDPOINTS = {
    "members": lambda w: members_url(w.sales),
    "courses": lambda w: courses_url(w.sales, w.course_learner),
    "portal": lambda w: portal_url(w.acme, w.academy),
    "east members": lambda w: members_url(w.sales_east),
}

# caller → expected status for members / courses (of sales), portal (academy), members of
# sales_east (a child of sales).
MATRIX = {
    "partner key": (OK, OK, OK, OK),
    "superuser": (OK, OK, OK, OK),
    "container admin": (OK, OK, OK, OK),
    "admin of the org": (OK, OK, DENIED, OK),  # sales_admin; sales is sales_east's parent
    "admin of a sibling": (DENIED, DENIED, DENIED, DENIED),  # support_admin
    "admin of a child": (DENIED, DENIED, DENIED, OK),  # east_admin looking up at sales
    "admin of another container": (DENIED, DENIED, DENIED, DENIED),
    "instructor": (DENIED, DENIED, DENIED, DENIED),
    "learner": (DENIED, DENIED, DENIED, DENIED),
    "session bound to another container": (DENIED, DENIED, DENIED, DENIED),
    "session bound to this container": (OK, OK, OK, OK),
    "expired key": (UNAUTHENTICATED,) * 4,
    "revoked key": (UNAUTHENTICATED,) * 4,
    "unknown key": (UNAUTHENTICATED,) * 4,
    "no credentials": (UNAUTHENTICATED,) * 4,
}


def key_of(w, caller):
    return {
        "partner key": w.partner_key,
        "superuser": w.keys["superuser"],
        "container admin": w.keys["acme_admin"],
        "admin of the org": w.keys["sales_admin"],
        "admin of a sibling": w.keys["support_admin"],
        "admin of a child": w.keys["east_admin"],
        "admin of another container": w.keys["globex_admin"],
        "instructor": w.keys["instructor"],
        "learner": w.keys["learner"],
        "session bound to another container": w.bound_elsewhere_key,
        "session bound to this container": w.bound_here_key,
        "expired key": w.expired_key,
        "revoked key": w.revoked_key,
        "unknown key": "no-such-key",
        "no credentials": None,
    }[caller]


MESSAGES = {401: "Invalid credentials", 403: "Invalid VFO credentials"}


@pytest.mark.parametrize("scheme", ["SID", "Bearer"])
@pytest.mark.parametrize("caller", list(MATRIX))
def test_permission_matrix(client, caller, scheme):
    w = build_world()
    for (name, url), expected in zip(ENDPOINTS.items(), MATRIX[caller], strict=True):
        response = call(client, url(w), key_of(w, caller), scheme=scheme)
        assert response.status_code == expected, (name, response.content)
        if expected != OK:
            assert response.json() == {"error": expected, "message": MESSAGES[expected]}


def test_browser_session_cookie(client):
    w = build_world()
    client.force_login(w.sales_admin)
    assert call(client, members_url(w.sales)).status_code == 200
    assert error(call(client, members_url(w.support))) == (403, "Invalid VFO credentials")
    client.force_login(w.learner)
    assert call(client, members_url(w.sales)).status_code == 403


def test_a_bad_key_is_refused_even_with_a_valid_cookie(client):
    w = build_world()
    client.force_login(w.acme_admin)
    assert error(call(client, members_url(w.sales), "wrong")) == (401, "Invalid credentials")
    assert error(call(client, members_url(w.sales), w.revoked_key, scheme="Bearer")) == (
        401,
        "Invalid credentials",
    )


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}, {"SID": " "}],
)
def test_malformed_credentials_are_401(client, headers):
    w = build_world()
    response = client.get(members_url(w.sales), headers=headers)
    assert error(response) == (401, "Invalid credentials")


def test_an_expired_session_is_refused(client):
    w = build_world()
    _, key = make_credential(
        Credential.SESSION,
        user=w.acme_admin,
        last_used_at=ago(hours=25),
    )
    assert error(call(client, members_url(w.sales), key)) == (401, "Invalid credentials")


def test_rights_are_checked_before_the_path_user_or_portal(client):
    w = build_world()
    # A caller without rights cannot tell existing users or portals from missing ones.
    for url in (
        courses_url(w.sales, w.course_learner),
        courses_url(w.sales, "999999"),
        portal_url(w.acme, w.academy),
        portal_url(w.acme, "999999"),
    ):
        assert error(call(client, url, w.keys["learner"])) == (403, "Invalid VFO credentials")


def test_a_database_failure_is_a_json_500(client, monkeypatch):
    w = build_world()

    def broken(org):
        raise DatabaseError("connection lost")

    monkeypatch.setattr("dashboards.listings.org_members", broken)
    response = call(client, members_url(w.sales), w.partner_key)
    assert error(response) == (500, "Internal server error")
    assert b"connection lost" not in response.content


def test_unmatched_paths_of_the_family_are_json_404(client):
    w = build_world()
    for path in (
        "/vfo/nothing",
        "/vfo/orgs/1/dashboard",
        f"/vfo/orgs/{w.sales.pk}/dashboard/members/1/courses/extra",
        "/orgs/orgs/1/nothing",
        "/orgs/container/1/portal/2",
    ):
        response = client.get(path, headers={"SID": w.partner_key})
        assert error(response) == (404, "Not found"), path


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_are_json_405_with_allow(client, method):
    w = build_world()
    for url in (
        members_url(w.sales),
        courses_url(w.sales, w.course_learner),
        portal_url(w.acme, w.academy),
    ):
        response = getattr(client, method)(url)  # no credentials needed to learn the method
        assert response.status_code == 405
        assert response.json() == {
            "error": 405,
            "message": f'Method "{method.upper()}" not allowed',
        }
        assert response["Allow"] == "GET, HEAD"


def test_head_is_served(client):
    w = build_world()
    response = client.head(members_url(w.sales), headers={"SID": w.partner_key})
    assert response.status_code == 200 and "X-Pagination" in response
