"""The rights predicates (dashboards/access/predicates.py) over the whole org world, once: one
test per (caller, object), on the object as fetched plainly and as the selectors fetch it (with
the caller's flags annotated), and with each key presented by either scheme (SID, Bearer).
Every adapter (the org API, the pages, the downloads) checks a few representative cells of its
own (tests/access/test_*_rights.py), not this matrix again; tests/access/test_course_predicates.py
does the same on the course world.

Principals are made as dashboards/access/authentication.py makes them: from a key
(principal_for_key) or from a logged-in browser session (principal_for_request).
Expected answers come from the contracts: org-dashboard-api.md "Who may read an org's
dashboard" and course-users-api.md "Who may call it". The world is built once for the module
(read_only_org_world): these tests only read it.

The last tests are about the queries that fetch objects with a caller's flags on them
(orgs_for_viewer, org_and_ancestors, course_by_id): each caller gets its own answer, in one
query, the same as the predicate's own query, and a role given counts at once."""

import pytest
from django.test import RequestFactory

from dashboards.access.authentication import Principal, principal_for_key, principal_for_request
from dashboards.access.predicates import (
    can_view_course,
    can_view_org,
    courses_with_view_flags,
    is_org_admin,
    orgs_with_admin_flags,
)
from dashboards.models import Course, Org, OrgRole
from dashboards.selectors.courses import course_by_id
from dashboards.selectors.orgs import org_and_ancestors, orgs_for_viewer
from tests.factories import make_course, make_member, make_org, make_role, make_user

pytestmark = pytest.mark.django_db

ORGS = ["acme", "sales", "sales_east", "support", "academy", "globex"]
COURSES = ["both", "sales_only", "support_only", "acme_only", "academy_course", "globex_course"]
ACME_TREE = {"acme", "sales", "sales_east", "support", "academy"}

# Org world callers: how each presents itself ("key" attribute path or "cookie" user).
ORG_WORLD_CALLERS = {
    "partner-key": ("key", "partner_key"),
    "superuser": ("key", "keys.superuser"),
    "container-admin": ("key", "keys.acme_admin"),
    "org-admin": ("key", "keys.sales_admin"),
    "child-org-admin": ("key", "keys.east_admin"),
    "sibling-org-admin": ("key", "keys.support_admin"),
    "other-container-admin": ("key", "keys.globex_admin"),
    "instructor": ("key", "keys.instructor"),
    "learner": ("key", "keys.learner"),
    "session-bound-to-this-container": ("key", "bound_here_key"),
    "session-bound-to-another-container": ("key", "bound_elsewhere_key"),
    "org-admin-who-joined-a-course": ("cookie", "admin_joined"),
    "course-learner": ("cookie", "course_learner"),
    "anonymous-profile-learner": ("cookie", "anonymous"),
    "invited-only": ("cookie", "outsider"),
    "other-container-learner": ("cookie", "stranger"),
    "portal-learner": ("cookie", "portal_learner"),
    "container-instructor": ("cookie", "container_instructor"),
    "container-learner": ("cookie", "container_learner"),
    "no-credentials": (None, None),
}

# Who may read an org's dashboard: partner keys, superusers, admins of the org or of an
# ancestor; a container-bound session only inside its container. Nobody else.
ORGS_VISIBLE = {
    "partner-key": set(ORGS),
    "superuser": set(ORGS),
    "container-admin": ACME_TREE,
    "org-admin": {"sales", "sales_east"},
    "child-org-admin": {"sales_east"},
    "sibling-org-admin": {"support"},
    "other-container-admin": {"globex"},
    "session-bound-to-this-container": ACME_TREE,  # acme's admin, bound to acme
    "session-bound-to-another-container": set(),  # acme's admin, bound to globex
    "org-admin-who-joined-a-course": {"sales", "sales_east"},
}

# Who may read a course: partner keys, superusers, its creator and managers, admins of an org
# it is shared with or of an ancestor of one (sharing itself does not cascade down).
COURSES_VISIBLE = {
    "partner-key": set(COURSES),
    "superuser": set(COURSES),
    "container-admin": set(COURSES) - {"globex_course"},
    "org-admin": {"both", "sales_only"},
    "sibling-org-admin": {"both", "support_only"},
    "other-container-admin": {"globex_course"},
    "session-bound-to-this-container": set(COURSES) - {"globex_course"},
    "org-admin-who-joined-a-course": {"both", "sales_only"},
}


def key_of(world, path):
    value = world
    for part in path.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def principal_of(world, how, what):
    if how is None:
        return principal_for_request(request_as(None))
    if how == "cookie":
        return principal_for_request(request_as(getattr(world, what)))
    return principal_for_key(key_of(world, what))


def request_as(user):
    """A request as the session middleware leaves it: no key presented, user from the cookie."""
    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    return request


# One test per (caller, object).

ORG_CELLS = [
    pytest.param(caller, org, org in ORGS_VISIBLE.get(caller, ()), id=f"{caller}-{org}")
    for caller in ORG_WORLD_CALLERS
    for org in ORGS
]
COURSE_CELLS = [
    pytest.param(caller, course, course in COURSES_VISIBLE.get(caller, ()), id=f"{caller}-{course}")
    for caller in ORG_WORLD_CALLERS
    for course in COURSES
]


@pytest.mark.parametrize(("caller", "org", "expected"), ORG_CELLS)
def test_can_view_org(read_only_org_world, caller, org, expected):
    principal = principal_of(read_only_org_world, *ORG_WORLD_CALLERS[caller])
    assert can_view_org(principal, getattr(read_only_org_world, org)) is expected


@pytest.mark.parametrize(("caller", "course", "expected"), COURSE_CELLS)
def test_can_view_course(read_only_org_world, caller, course, expected):
    principal = principal_of(read_only_org_world, *ORG_WORLD_CALLERS[caller])
    assert can_view_course(principal, getattr(read_only_org_world, course)) is expected


@pytest.mark.parametrize(("caller", "org", "expected"), ORG_CELLS)
def test_can_view_org_with_the_flags_the_selectors_annotate(
    read_only_org_world, caller, org, expected
):
    """The pages and the API fetch an org with the caller's admin flag (orgs_with_admin_flags):
    the predicate reads it instead of asking the database, and answers the same."""
    principal = principal_of(read_only_org_world, *ORG_WORLD_CALLERS[caller])
    pk = getattr(read_only_org_world, org).pk
    [fetched] = orgs_with_admin_flags(Org.objects.filter(pk=pk), principal)
    assert can_view_org(principal, fetched) is expected


@pytest.mark.parametrize(("caller", "course", "expected"), COURSE_CELLS)
def test_can_view_course_with_the_flags_the_selectors_annotate(
    read_only_org_world, caller, course, expected
):
    principal = principal_of(read_only_org_world, *ORG_WORLD_CALLERS[caller])
    pk = getattr(read_only_org_world, course).pk
    [fetched] = courses_with_view_flags(Course.objects.filter(pk=pk), principal)
    assert can_view_course(principal, fetched) is expected


SCHEME_CELLS = [
    pytest.param(caller, org, scheme, expected, id=f"{caller}-{org}-{scheme}")
    for caller, org, expected in (cell.values for cell in ORG_CELLS)
    if ORG_WORLD_CALLERS[caller][0] == "key"
    for scheme in ("SID", "Bearer")
]


@pytest.mark.parametrize(("caller", "org", "scheme", "expected"), SCHEME_CELLS)
def test_can_view_org_by_either_key_scheme(read_only_org_world, caller, org, scheme, expected):
    """A key in the SID header or as a Bearer token is the same principal (as the API and the
    pages read it from a request)."""
    key = key_of(read_only_org_world, ORG_WORLD_CALLERS[caller][1])
    header = {"HTTP_SID": key} if scheme == "SID" else {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    principal = principal_for_request(RequestFactory().get("/", **header))
    assert can_view_org(principal, getattr(read_only_org_world, org)) is expected


@pytest.fixture
def small_world():
    """A container with a child org, another container; an admin of the first, an outsider."""
    container = make_org("Container", org_type=Org.CONTAINER)
    child = make_org("Child", parent=container)
    other = make_org("Other", org_type=Org.CONTAINER)
    admin, outsider = make_user(username="admin"), make_user(username="outsider")
    make_role(admin, container)
    return container, child, other, Principal(user=admin), Principal(user=outsider)


def test_each_caller_gets_its_own_admin_flags(small_world, django_assert_num_queries):
    container, child, other, admin, outsider = small_world
    ids = [container.pk, child.pk, other.pk]
    for principal in (admin, outsider, admin):
        with django_assert_num_queries(1):
            orgs = orgs_for_viewer(ids, principal)
        assert set(orgs) == set(ids)
        for org in orgs.values():
            assert org.viewer_id == principal.user.pk
            assert isinstance(org.viewer_is_admin, bool)
            # The same answer as the predicate's own query (an org fetched without flags).
            assert org.viewer_is_admin is is_org_admin(principal.user, Org.objects.get(pk=org.pk))
    assert orgs_for_viewer(ids, admin)[child.pk].viewer_is_admin is True
    assert orgs_for_viewer(ids, outsider)[child.pk].viewer_is_admin is False
    assert orgs_for_viewer(ids, admin)[other.pk].viewer_is_admin is False


def test_the_lineage_and_the_course_are_found_with_the_callers_rights(
    small_world, django_assert_num_queries
):
    container, child, other, admin, outsider = small_world
    assert set(org_and_ancestors(child.pk, admin)) == {container.pk, child.pk}
    assert org_and_ancestors(child.pk, admin)[child.pk].viewer_is_admin is True
    assert org_and_ancestors(child.pk, outsider)[child.pk].viewer_is_admin is False
    assert set(org_and_ancestors(other.pk, admin)) == {other.pk}

    shared = make_course("Shared", container=container, shared_with=[child])
    managed = make_course("Managed", container=other)
    make_member(outsider.user, managed, join_status="manager")
    with django_assert_num_queries(1):
        assert course_by_id(str(shared.pk), principal=admin).viewer_manages is True
    assert course_by_id(str(shared.pk), principal=outsider).viewer_manages is False
    assert course_by_id(str(managed.pk), principal=outsider).viewer_manages is True
    assert course_by_id(str(managed.pk), principal=admin).viewer_manages is False
    assert course_by_id("999999", principal=admin) is None


def test_a_role_given_counts_at_once(small_world):
    container, child, other, admin, outsider = small_world
    assert orgs_for_viewer([other.pk], admin)[other.pk].viewer_is_admin is False
    make_role(admin.user, other, OrgRole.ADMIN)
    assert orgs_for_viewer([other.pk], admin)[other.pk].viewer_is_admin is True
