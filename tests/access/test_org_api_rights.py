"""The org dashboard API's rights adapter (dashboards/access/drf.py and the family's views):
a few representative cells of each kind over the three endpoints — allowed, forbidden, a
child org seen from above and from below, bound sessions, bad keys, a missing user — by both
key schemes. The full matrix of callers × orgs runs once, on the predicates
(tests/access/test_org_predicates.py). Also: a browser cookie, malformed, expired and bad
keys, and rights checked before the path's user or portal. The org world is built once for
the module: these tests only read it (what they write is rolled back after each)."""

import pytest

from dashboards.models import Credential
from tests.factories import make_credential
from tests.vfo import call, courses_url, error, members_url, portal_url
from tests.worlds import ago

pytestmark = pytest.mark.django_db

OK, DENIED, UNAUTHENTICATED, NOT_FOUND = 200, 403, 401, 404

ENDPOINTS = {
    "org members": lambda w: members_url(w.sales),
    "member courses": lambda w: courses_url(w.sales, w.course_learner),
    "portal members": lambda w: portal_url(w.acme, w.academy),
    "child org members": lambda w: members_url(w.sales_east),
    "courses of a missing user": lambda w: courses_url(w.sales, "999999"),
}

# (caller, endpoint, scheme, expected): each kind of answer, with each key scheme.
CELLS = [
    ("admin of the org", "org members", "SID", OK),
    ("container admin", "portal members", "Bearer", OK),
    ("partner key", "member courses", "SID", OK),
    ("superuser", "child org members", "Bearer", OK),
    ("admin of a child", "child org members", "SID", OK),
    ("admin of a child", "org members", "Bearer", DENIED),  # rights cascade down, not up
    ("admin of the org", "portal members", "Bearer", DENIED),  # the container's portal
    ("admin of a sibling", "member courses", "SID", DENIED),
    ("learner", "org members", "Bearer", DENIED),
    ("session bound to this container", "portal members", "SID", OK),
    ("session bound to another container", "org members", "Bearer", DENIED),
    ("expired key", "member courses", "Bearer", UNAUTHENTICATED),
    ("unknown key", "org members", "SID", UNAUTHENTICATED),
    ("no credentials", "portal members", "SID", UNAUTHENTICATED),
    ("partner key", "courses of a missing user", "Bearer", NOT_FOUND),
]


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it."""
    return read_only_org_world


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


MESSAGES = {
    401: "Invalid credentials",
    403: "Invalid VFO credentials",
    404: "User '999999' not found",
}


def slug(text):
    return text.replace(" ", "-")


@pytest.mark.parametrize(
    ("caller", "endpoint", "scheme", "expected"),
    [pytest.param(*cell, id=f"{slug(cell[0])}-{slug(cell[1])}-{cell[2]}") for cell in CELLS],
)
def test_representative_cells(client, org_world, caller, endpoint, scheme, expected):
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
