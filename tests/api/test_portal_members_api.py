"""GET /vfo/container/{orgId}/portal/{portalId}/dashboard/members."""

import pytest

from dashboards.models import OrgRole
from tests.factories import make_credential, make_org, make_role, make_user
from tests.vfo import call, error, ids, pagination, portal_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


def get(client, org_world, container=None, portal=None, key=None, **params):
    url = portal_url(container or org_world.acme, portal or org_world.academy)
    return call(client, url, key or org_world.partner_key, **params)


def test_members_are_portal_members_plus_container_admins_and_instructors(client, org_world):
    response = get(client, org_world)
    entries = {entry["id"]: entry for entry in response.json()}
    assert {user_id: entry["role"] for user_id, entry in entries.items()} == {
        org_world.portal_learner.pk: "org-learner",
        org_world.container_instructor.pk: "instructor",
        org_world.acme_admin.pk: "admin",
    }
    # Counts are against the portal's shared courses.
    assert entries[org_world.portal_learner.pk]["enrolledCount"] == 1
    assert entries[org_world.portal_learner.pk]["completedCount"] == 1
    assert entries[org_world.acme_admin.pk]["enrolledCount"] == 0


def test_a_container_learner_or_a_sub_org_admin_is_not_a_portal_member(client, org_world):
    members = ids(get(client, org_world, includeAnonymousUsers="true"))
    assert org_world.container_learner.pk not in members
    assert org_world.sales_admin.pk not in members


def test_roles_from_the_portal_and_the_container_take_the_best(client, org_world):
    user = make_user(full_name="Both Roles")
    make_role(user, org_world.academy, OrgRole.LEARNER)
    make_role(user, org_world.acme, OrgRole.INSTRUCTOR)
    portal_admin = make_user(full_name="Portal Admin")
    make_role(portal_admin, org_world.academy, OrgRole.ADMIN)
    roles = {entry["id"]: entry["role"] for entry in get(client, org_world).json()}
    assert roles[user.pk] == "instructor"
    assert roles[portal_admin.pk] == "admin"


def test_parameters_work_as_for_org_members(client, org_world):
    assert ids(get(client, org_world, role="admin,instructor", sort="role", order="ascending")) == [
        org_world.acme_admin.pk,
        org_world.container_instructor.pk,
    ]
    assert ids(get(client, org_world, filter="CONNIE")) == [org_world.container_instructor.pk]
    assert ids(get(client, org_world, since=0)) == [
        org_world.portal_learner.pk
    ]  # the only one ever seen
    response = get(client, org_world, perPage=2, page=2)
    assert pagination(response) == {"count": 3, "page": 2, "pageCount": 2, "perPage": 2}
    assert len(response.json()) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"role": "owner"}, "Invalid role: 'owner'"),
        ({"includeAnonymousUsers": "1"}, "Invalid includeAnonymousUsers: '1'"),
        ({"sort": "role"}, "Both sort and order are mandatory if one of them is supplied"),
        ({"sort": "email", "order": "ascending"}, "Bad sort criterion - email"),
        ({"sort": "role", "order": "asc"}, "Bad sort order - asc"),
        ({"since": "yesterday"}, "Invalid since: 'yesterday'"),
        ({"until": "1.5"}, "Invalid until: '1.5'"),
        ({"page": "first"}, "Param number expected"),
        ({"perPage": "1000"}, "Invalid perPage: '1000' (expected 1 to 100)"),
    ],
)
def test_parameter_messages(client, org_world, params, message):
    assert error(get(client, org_world, **params)) == (400, message)


@pytest.mark.parametrize("container_id", ["abc", "999999", "-5"])
def test_bad_container_id(client, org_world, container_id):
    assert error(get(client, org_world, container=container_id)) == (
        400,
        f"Invalid org ID specified : '{container_id}'",
    )


def test_an_org_that_is_not_a_container(client, org_world):
    assert error(get(client, org_world, container=org_world.sales)) == (
        400,
        "Invalid VFO container specified",
    )


def test_unknown_portals(client, org_world):
    elsewhere = make_org("Globex Portal", parent=org_world.globex, org_type="portal")
    for portal in ("999999", "abc", org_world.sales, elsewhere, org_world.acme):
        portal_id = portal if isinstance(portal, str) else str(portal.pk)
        assert error(get(client, org_world, portal=portal)) == (
            404,
            f"Portal '{portal_id}' not found in container '{org_world.acme.pk}'",
        )


def test_portal_below_a_sub_org_of_the_container_is_found(client, org_world):
    deep = make_org("Deep portal", parent=org_world.sales, org_type="portal")
    assert get(client, org_world, portal=deep).status_code == 200


def test_portal_admin_may_read_the_portal_but_not_a_missing_one(client, org_world):
    portal_admin = make_user()
    make_role(portal_admin, org_world.academy, OrgRole.ADMIN)
    _, key = make_credential(user=portal_admin)
    assert get(client, org_world, key=key).status_code == 200
    # Without a portal, the container decides: a portal admin learns nothing.
    assert error(get(client, org_world, portal="999999", key=key)) == (
        403,
        "Invalid VFO credentials",
    )


def test_order_of_checks(client, org_world):
    assert call(client, portal_url("abc", "xyz")).status_code == 401
    assert error(call(client, portal_url("abc", "xyz"), org_world.keys["learner"]))[0] == 400
    assert error(call(client, portal_url(org_world.sales, "xyz"), org_world.keys["learner"])) == (
        400,
        "Invalid VFO container specified",
    )
    assert error(
        call(client, portal_url(org_world.acme, "xyz"), org_world.keys["sales_admin"], role="x")
    ) == (
        403,
        "Invalid VFO credentials",
    )
    assert (
        error(
            call(client, portal_url(org_world.acme, "xyz"), org_world.keys["acme_admin"], role="x")
        )[0]
        == 404
    )
    assert error(
        call(
            client,
            portal_url(org_world.acme, org_world.academy),
            org_world.keys["acme_admin"],
            role="x",
        )
    ) == (
        400,
        "Invalid role: 'x'",
    )


def test_alias(client, org_world):
    vfo = call(client, portal_url(org_world.acme, org_world.academy), org_world.partner_key)
    alias = call(
        client, portal_url(org_world.acme, org_world.academy, "orgs"), org_world.partner_key
    )
    assert alias.json() == vfo.json() and alias["X-Pagination"] == vfo["X-Pagination"]


@pytest.mark.parametrize("per_page", [1, 100])
def test_query_count_is_constant(client, org_world, django_assert_max_num_queries, per_page):
    for n in range(40):
        make_role(make_user(), org_world.academy if n % 2 else org_world.acme, OrgRole.INSTRUCTOR)
    key = org_world.keys["acme_admin"]
    with django_assert_max_num_queries(4):
        response = get(
            client, org_world, key=key, perPage=per_page, sort="role", order="descending"
        )
    assert len(ids(response)) == min(per_page, 43)
