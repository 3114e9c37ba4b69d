"""Who may read the org dashboard API: a matrix over callers and the three endpoints, one test per
cell; a browser cookie, malformed, expired and bad keys; rights checked before the path's user
or portal."""

import pytest

from dashboards.models import Credential
from tests.factories import make_credential
from tests.vfo import call, courses_url, error, members_url, portal_url
from tests.worlds import ago

pytestmark = pytest.mark.django_db

OK, DENIED, UNAUTHENTICATED = 200, 403, 401

ENDPOINTS = {
    "org members": lambda w: members_url(w.sales),
    "member courses": lambda w: courses_url(w.sales, w.course_learner),
    "portal members": lambda w: portal_url(w.acme, w.academy),
    "child org members": lambda w: members_url(w.sales_east),
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


def key_of(org_world, caller):
    return {
        "partner key": org_world.partner_key,
        "superuser": org_world.keys["superuser"],
        "container admin": org_world.keys["acme_admin"],
        "admin of the org": org_world.keys["sales_admin"],
        "admin of a sibling": org_world.keys["support_admin"],
        "admin of a child": org_world.keys["east_admin"],
        "admin of another container": org_world.keys["globex_admin"],
        "instructor": org_world.keys["instructor"],
        "learner": org_world.keys["learner"],
        "session bound to another container": org_world.bound_elsewhere_key,
        "session bound to this container": org_world.bound_here_key,
        "expired key": org_world.expired_key,
        "revoked key": org_world.revoked_key,
        "unknown key": "no-such-key",
        "no credentials": None,
    }[caller]


MESSAGES = {401: "Invalid credentials", 403: "Invalid VFO credentials"}


def slug(text):
    return text.replace(" ", "-")


# One test per cell: (caller, endpoint, scheme).
CELLS = [
    pytest.param(caller, endpoint, scheme, expected, id=f"{slug(caller)}-{slug(endpoint)}-{scheme}")
    for caller, row in MATRIX.items()
    for endpoint, expected in zip(ENDPOINTS, row, strict=True)
    for scheme in ("SID", "Bearer")
]


@pytest.mark.parametrize(("caller", "endpoint", "scheme", "expected"), CELLS)
def test_permission_matrix(client, org_world, caller, endpoint, scheme, expected):
    url = ENDPOINTS[endpoint](org_world)
    response = call(client, url, key_of(org_world, caller), scheme=scheme)
    assert response.status_code == expected, response.content
    if expected != OK:
        assert response.json() == {"error": expected, "message": MESSAGES[expected]}


def test_browser_session_cookie(client, org_world):
    client.force_login(org_world.sales_admin)
    assert call(client, members_url(org_world.sales)).status_code == 200
    assert error(call(client, members_url(org_world.support))) == (403, "Invalid VFO credentials")
    client.force_login(org_world.learner)
    assert call(client, members_url(org_world.sales)).status_code == 403


def test_a_bad_key_is_refused_even_with_a_valid_cookie(client, org_world):
    client.force_login(org_world.acme_admin)
    assert error(call(client, members_url(org_world.sales), "wrong")) == (
        401,
        "Invalid credentials",
    )
    assert error(
        call(client, members_url(org_world.sales), org_world.revoked_key, scheme="Bearer")
    ) == (
        401,
        "Invalid credentials",
    )


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "}, {"SID": " "}],
)
def test_malformed_credentials_are_401(client, org_world, headers):
    response = client.get(members_url(org_world.sales), headers=headers)
    assert error(response) == (401, "Invalid credentials")


def test_an_expired_session_is_refused(client, org_world):
    _, key = make_credential(
        Credential.SESSION,
        user=org_world.acme_admin,
        last_used_at=ago(hours=25),
    )
    assert error(call(client, members_url(org_world.sales), key)) == (401, "Invalid credentials")


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda w: courses_url(w.sales, w.course_learner), id="existing-user"),
        pytest.param(lambda w: courses_url(w.sales, "999999"), id="missing-user"),
        pytest.param(lambda w: portal_url(w.acme, w.academy), id="existing-portal"),
        pytest.param(lambda w: portal_url(w.acme, "999999"), id="missing-portal"),
    ],
)
def test_rights_are_checked_before_the_path_user_or_portal(client, org_world, url):
    # A caller without rights cannot tell existing users or portals from missing ones.
    response = call(client, url(org_world), org_world.keys["learner"])
    assert error(response) == (403, "Invalid VFO credentials")
