"""The rights predicates called directly, one test per (caller, object) of the world: the fast
twin of the HTTP permission matrices (test_org_api_permissions, test_org_pages), on the org
world; test_course_role_predicates.py does the same on the course world.

Principals are made as dashboards/access/authentication.py makes them: from a key
(principal_for_key) or from a logged-in browser session (principal_for_request).
Expected answers come from the contracts: org-dashboard-api.md "Who may read an org's
dashboard" and course-users-api.md "Who may call it".
"""

import pytest
from django.test import RequestFactory

from dashboards.access.authentication import principal_for_key, principal_for_request
from dashboards.access.predicates import can_view_course, can_view_org

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
