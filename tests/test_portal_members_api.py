"""GET /vfo/container/{orgId}/portal/{portalId}/dashboard/members."""

import pytest

from dashboards.models import OrgRole
from tests.factories import make_credential, make_org, make_role, make_user
from tests.test_org_world import build_world, call, error, ids, pagination, portal_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def get(client, w, container=None, portal=None, key=None, **params):
    url = portal_url(container or w.acme, portal or w.academy)
    return call(client, url, key or w.partner_key, **params)


def test_members_are_portal_members_plus_container_admins_and_instructors(client, w):
    response = get(client, w)
    entries = {entry["id"]: entry for entry in response.json()}
    assert {user_id: entry["role"] for user_id, entry in entries.items()} == {
        w.portal_learner.pk: "org-learner",
        w.container_instructor.pk: "instructor",
        w.acme_admin.pk: "admin",
    }
    # Counts are against the portal's shared courses.
    assert entries[w.portal_learner.pk]["enrolledCount"] == 1
    assert entries[w.portal_learner.pk]["completedCount"] == 1
    assert entries[w.acme_admin.pk]["enrolledCount"] == 0


def test_a_container_learner_or_a_sub_org_admin_is_not_a_portal_member(client, w):
    members = ids(get(client, w, includeAnonymousUsers="true"))
    assert w.container_learner.pk not in members
    assert w.sales_admin.pk not in members


def test_roles_from_the_portal_and_the_container_take_the_best(client, w):
    user = make_user(full_name="Both Roles")
    make_role(user, w.academy, OrgRole.LEARNER)
    make_role(user, w.acme, OrgRole.INSTRUCTOR)
    portal_admin = make_user(full_name="Portal Admin")
    make_role(portal_admin, w.academy, OrgRole.ADMIN)
    roles = {entry["id"]: entry["role"] for entry in get(client, w).json()}
    assert roles[user.pk] == "instructor"
    assert roles[portal_admin.pk] == "admin"


def test_parameters_work_as_for_org_members(client, w):
    assert ids(get(client, w, role="admin,instructor", sort="role", order="ascending")) == [
        w.acme_admin.pk,
        w.container_instructor.pk,
    ]
    assert ids(get(client, w, filter="CONNIE")) == [w.container_instructor.pk]
    assert ids(get(client, w, since=0)) == [w.portal_learner.pk]  # the only one ever seen
    response = get(client, w, perPage=2, page=2)
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
def test_parameter_messages(client, w, params, message):
    assert error(get(client, w, **params)) == (400, message)


@pytest.mark.parametrize("container_id", ["abc", "999999", "-5"])
def test_bad_container_id(client, w, container_id):
    assert error(get(client, w, container=container_id)) == (
        400,
        f"Invalid org ID specified : '{container_id}'",
    )


def test_an_org_that_is_not_a_container(client, w):
    assert error(get(client, w, container=w.sales)) == (400, "Invalid VFO container specified")


def test_unknown_portals(client, w):
    elsewhere = make_org("Globex Portal", parent=w.globex, org_type="portal")
    for portal in ("999999", "abc", w.sales, elsewhere, w.acme):
        portal_id = portal if isinstance(portal, str) else str(portal.pk)
        assert error(get(client, w, portal=portal)) == (
            404,
            f"Portal '{portal_id}' not found in container '{w.acme.pk}'",
        )


def test_portal_below_a_sub_org_of_the_container_is_found(client, w):
    deep = make_org("Deep portal", parent=w.sales, org_type="portal")
    assert get(client, w, portal=deep).status_code == 200


def test_portal_admin_may_read_the_portal_but_not_a_missing_one(client, w):
    portal_admin = make_user()
    make_role(portal_admin, w.academy, OrgRole.ADMIN)
    _, key = make_credential(user=portal_admin)
    assert get(client, w, key=key).status_code == 200
    # Without a portal, the container decides: a portal admin learns nothing.
    assert error(get(client, w, portal="999999", key=key)) == (403, "Invalid VFO credentials")


def test_order_of_checks(client, w):
    assert call(client, portal_url("abc", "xyz")).status_code == 401
    assert error(call(client, portal_url("abc", "xyz"), w.keys["learner"]))[0] == 400
    assert error(call(client, portal_url(w.sales, "xyz"), w.keys["learner"])) == (
        400,
        "Invalid VFO container specified",
    )
    assert error(call(client, portal_url(w.acme, "xyz"), w.keys["sales_admin"], role="x")) == (
        403,
        "Invalid VFO credentials",
    )
    assert error(call(client, portal_url(w.acme, "xyz"), w.keys["acme_admin"], role="x"))[0] == 404
    assert error(call(client, portal_url(w.acme, w.academy), w.keys["acme_admin"], role="x")) == (
        400,
        "Invalid role: 'x'",
    )


def test_alias(client, w):
    vfo = call(client, portal_url(w.acme, w.academy), w.partner_key)
    alias = call(client, portal_url(w.acme, w.academy, "orgs"), w.partner_key)
    assert alias.json() == vfo.json() and alias["X-Pagination"] == vfo["X-Pagination"]


@pytest.mark.parametrize("per_page", [1, 100])
def test_query_count_is_constant(client, w, django_assert_max_num_queries, per_page):
    for n in range(40):
        make_role(make_user(), w.academy if n % 2 else w.acme, OrgRole.INSTRUCTOR)
    with django_assert_max_num_queries(4):
        response = get(client, w, key=w.keys["acme_admin"], perPage=per_page, sort="role",
                       order="descending")  # fmt: skip
    assert len(ids(response)) == min(per_page, 43)
