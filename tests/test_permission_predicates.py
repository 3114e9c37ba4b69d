"""The rights predicates called directly, one test per (caller, object) of the world: the fast
twin of the HTTP permission matrices (test_org_api_permissions, test_org_pages), on the org
world; test_course_role_predicates.py does the same on the course world.

Principals are made as dashboards/access/authentication.py makes them: from a key
(principal_for_key) or from a logged-in browser session (principal_for_request).
Expected answers come from the contracts: org-dashboard-api.md "Who may read an org's
dashboard" and course-users-api.md "Who may call it".

The last tests are about the queries that fetch objects with a caller's flags on them
(orgs_for_viewer, org_and_ancestors, course_by_id): each caller gets its own answer, in one
query, the same as the predicate's own query, and a role given counts at once.
"""

import pytest
from django.test import RequestFactory

from dashboards.access.authentication import Principal, principal_for_key, principal_for_request
from dashboards.access.predicates import can_view_course, can_view_org, is_org_admin
from dashboards.models import Org, OrgRole
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


def principal_of(world, how, what):
    if how is None:
        return principal_for_request(request_as(None))
    if how == "cookie":
        return principal_for_request(request_as(getattr(world, what)))
    value = world
    for part in what.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return principal_for_key(value)


def request_as(user):
    """A request as the session middleware leaves it: no key presented, user from the cookie."""
    request = RequestFactory().get("/")
    if user is not None:
        request.user = user
    return request


@pytest.mark.parametrize(
    ("caller", "org", "expected"),
    [
        pytest.param(caller, org, org in ORGS_VISIBLE.get(caller, ()), id=f"{caller}-{org}")
        for caller in ORG_WORLD_CALLERS
        for org in ORGS
    ],
)
def test_can_view_org(read_only_org_world, caller, org, expected):
    principal = principal_of(read_only_org_world, *ORG_WORLD_CALLERS[caller])
    assert can_view_org(principal, getattr(read_only_org_world, org)) is expected


@pytest.mark.parametrize(
    ("caller", "course", "expected"),
    [
        pytest.param(
            caller, course, course in COURSES_VISIBLE.get(caller, ()), id=f"{caller}-{course}"
        )
        for caller in ORG_WORLD_CALLERS
        for course in COURSES
    ],
)
def test_can_view_course(read_only_org_world, caller, course, expected):
    principal = principal_of(read_only_org_world, *ORG_WORLD_CALLERS[caller])
    assert can_view_course(principal, getattr(read_only_org_world, course)) is expected


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
