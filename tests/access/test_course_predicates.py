"""can_view_course called directly for every caller of the course world (creator, manager,
learner, invited, org admins around the sharing org, keys): the fast twin of
test_course_permissions and test_pages_course_permissions, against the same COURSE_MATRIX
(course-users-api.md "Who may call it"). Principals are made as dashboards/access/authentication.py
makes them (a separate module from test_permission_predicates: the two worlds cannot share one
database, both have a "stranger")."""

import pytest
from django.test import RequestFactory

from dashboards.access.authentication import principal_for_key, principal_for_request
from dashboards.access.predicates import can_view_course
from tests.worlds import COURSE_MATRIX, key_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("caller", "expected"), COURSE_MATRIX.items())
def test_can_view_course_by_course_role(read_only_course_world, caller, expected):
    principal = principal_for_key(key_for(read_only_course_world, caller))
    assert can_view_course(principal, read_only_course_world["course"]) is expected


@pytest.mark.parametrize("caller", ["superuser", "creator", "shared_org_admin"])
def test_can_view_course_by_cookie_is_the_same_as_by_key(read_only_course_world, caller):
    request = RequestFactory().get("/")
    request.user = read_only_course_world["people"][caller]
    principal = principal_for_request(request)
    assert can_view_course(principal, read_only_course_world["course"]) is COURSE_MATRIX[caller]
