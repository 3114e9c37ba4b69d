"""can_view_course (dashboards/access/predicates.py) over the whole course world, once: every
caller (creator, manager, learner, invited, org admins around the sharing org, keys) by every
credential form it can present (Bearer, SID, the browser's cookie), on the course as fetched
plainly and as the selectors fetch it, against COURSE_MATRIX (course-users-api.md "Who may
call it"). The course API, page and downloads check a few representative cells each
(tests/access/test_course_*_rights.py). Principals are made as
dashboards/access/authentication.py makes them. A separate module from test_org_predicates.py:
the two worlds cannot share one database (both have a "stranger"); each is built once per
module (read_only_course_world)."""

import pytest
from django.test import RequestFactory

from dashboards.access.authentication import principal_for_key, principal_for_request
from dashboards.access.predicates import can_view_course, courses_with_view_flags
from dashboards.models import Course
from tests.worlds import COURSE_CASES, COURSE_MATRIX, key_for

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


def request_presenting(world, caller, form):
    """A request as the middleware leaves it: a key in a header, or the user from the cookie."""
    if form == "cookie":
        request = RequestFactory().get("/")
        request.user = world["people"][caller]
        return request
    key = key_for(world, caller)
    header = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if form == "bearer" else {"HTTP_SID": key}
    return RequestFactory().get("/", **header)


@pytest.mark.parametrize(
    ("caller", "form"), [pytest.param(*case, id="-".join(case)) for case in COURSE_CASES]
)
def test_can_view_course_by_every_credential_form(read_only_course_world, caller, form):
    principal = principal_for_request(request_presenting(read_only_course_world, caller, form))
    course = read_only_course_world["course"]
    assert can_view_course(principal, course) is COURSE_MATRIX[caller]
    # As the API and the page fetch it: with the caller's flags annotated.
    [fetched] = courses_with_view_flags(Course.objects.filter(pk=course.pk), principal)
    assert can_view_course(principal, fetched) is COURSE_MATRIX[caller]
