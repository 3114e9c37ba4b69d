"""GET /vfo/orgs/{orgId}/dashboard/members/{userId}/courses."""

import pytest

from dashboards.models import CourseMember
from tests.factories import make_course, make_member, make_user
from tests.vfo import call, courses_url, error, pagination
from tests.worlds import ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


def get(client, org_world, user=None, org=None, key=None, **params):
    return call(
        client,
        courses_url(org or org_world.sales, user or org_world.course_learner),
        key or org_world.partner_key,
        **params,
    )


def course_ids(response):
    assert response.status_code == 200, response.content
    return [entry["courseId"] for entry in response.json()]


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_entries_are_the_joined_courses_shared_with_the_org(client, org_world):
    response = get(client, org_world)
    assert response.json() == [
        {
            "courseId": org_world.both.pk,
            "title": "Python basics",
            "status": "completed",
            "percentageCompleted": 100,
            "startDate": iso(ago(days=30)),
            "finishDate": iso(ago(days=10)),
            "score": 0.88,
        },
        {
            "courseId": org_world.sales_only.pk,
            "title": "Négociation",
            "status": "in-progress",
            "percentageCompleted": 40,
            "startDate": iso(ago(days=20)),  # no start date: the join date
            "finishDate": None,
            "score": None,
        },
    ]
    # Other orgs count other courses: sharing does not cascade from the container.
    assert course_ids(get(client, org_world, org=org_world.support)) == [
        org_world.both.pk,
        org_world.support_only.pk,
    ]
    assert course_ids(get(client, org_world, org=org_world.acme)) == [org_world.acme_only.pk]


def test_status_rule_and_order_by_start_with_nulls_last_and_ties_by_course(client, org_world):
    user = make_user()
    courses = [
        make_course(f"C{n}", container=org_world.acme, shared_with=[org_world.sales])
        for n in range(5)
    ]
    make_member(user, courses[0])  # no dates at all: last
    make_member(user, courses[1], start_date=ago(days=5), completion_rate=0)
    make_member(user, courses[2], start_date=ago(days=9), completion_rate=1)
    make_member(user, courses[3], start_date=ago(days=5), finish_date=ago(days=1))
    make_member(user, courses[4], start_date=ago(days=7), join_status=CourseMember.INVITED)
    response = get(client, org_world, user=user)
    assert [(e["courseId"], e["status"]) for e in response.json()] == [
        (courses[2].pk, "in-progress"),
        (courses[1].pk, "started"),
        (courses[3].pk, "completed"),
        (courses[0].pk, "started"),
    ]
    assert response.json()[-1]["startDate"] is None


def test_title_filter_is_normalized_substring(client, org_world):
    assert course_ids(get(client, org_world, title="NEGO")) == [org_world.sales_only.pk]
    assert course_ids(get(client, org_world, title="on b")) == [org_world.both.pk]
    assert course_ids(get(client, org_world, title="zzz")) == []
    assert course_ids(get(client, org_world, title="  ")) == [
        org_world.both.pk,
        org_world.sales_only.pk,
    ]


def test_status_filter(client, org_world):
    assert course_ids(get(client, org_world, status="completed")) == [org_world.both.pk]
    assert course_ids(get(client, org_world, status=" in-progress , started,")) == [
        org_world.sales_only.pk
    ]
    assert course_ids(get(client, org_world, status="started")) == []


def test_status_filter_names_the_first_bad_item(client, org_world):
    assert error(get(client, org_world, status="completed,done,x")) == (
        400,
        "Invalid status: 'done'",
    )


def test_pagination(client, org_world):
    response = get(client, org_world, perPage=1, page=2)
    assert course_ids(response) == [org_world.sales_only.pk]
    assert pagination(response) == {"count": 2, "page": 2, "pageCount": 2, "perPage": 1}
    assert get(client, org_world, perPage=1, page=3).json() == []
    assert error(get(client, org_world, perPage="101")) == (
        400,
        "Invalid perPage: '101' (expected 1 to 100)",
    )
    assert error(get(client, org_world, page="one")) == (400, "Param number expected")


@pytest.mark.parametrize("org_id", ["abc", "999999", "0", "1e3"])
def test_bad_org_is_invalid_container(client, org_world, org_id):
    assert error(get(client, org_world, org=org_id)) == (400, "Invalid VFO container specified")


@pytest.mark.parametrize("user_id", ["999999", "abc", "-1"])
def test_unknown_user(client, org_world, user_id):
    assert error(get(client, org_world, user=user_id)) == (404, f"User '{user_id}' not found")


def test_user_outside_the_container(client, org_world):
    assert error(get(client, org_world, user=org_world.stranger)) == (
        404,
        f"User '{org_world.stranger.pk}' not found in container '{org_world.sales.pk}'",
    )


@pytest.mark.parametrize("name", ["outsider", "container_learner", "east_admin", "sales_admin"])
def test_any_link_to_the_container_makes_the_user_known(client, org_world, name):
    # outsider is only invited to a course; the others have roles elsewhere in the tree.
    response = get(client, org_world, user=getattr(org_world, name))
    assert response.status_code == 200 and response.json() == []


def test_order_of_checks(client, org_world):
    url = courses_url("abc", "xyz")
    assert call(client, url).status_code == 401
    assert error(call(client, url, org_world.keys["learner"])) == (
        400,
        "Invalid VFO container specified",
    )
    url = courses_url(org_world.sales, "xyz")
    assert error(call(client, url, org_world.keys["support_admin"], status="bad")) == (
        403,
        "Invalid VFO credentials",
    )
    assert error(call(client, url, org_world.keys["sales_admin"], status="bad")) == (
        404,
        "User 'xyz' not found",
    )
    url = courses_url(org_world.sales, org_world.stranger)
    assert error(call(client, url, org_world.keys["sales_admin"], status="bad"))[0] == 404
    url = courses_url(org_world.sales, org_world.course_learner)
    assert error(call(client, url, org_world.keys["sales_admin"], status="bad")) == (
        400,
        "Invalid status: 'bad'",
    )


def test_alias(client, org_world):
    vfo = call(
        client, courses_url(org_world.sales, org_world.course_learner), org_world.partner_key
    )
    alias = call(
        client,
        courses_url(org_world.sales, org_world.course_learner, "orgs"),
        org_world.partner_key,
    )
    assert alias.json() == vfo.json() and alias["X-Pagination"] == vfo["X-Pagination"]


@pytest.mark.parametrize("per_page", [1, 100])
def test_query_count_is_constant(client, org_world, django_assert_max_num_queries, per_page):
    user = make_user()
    for n in range(30):
        course = make_course(f"Course {n}", container=org_world.acme, shared_with=[org_world.sales])
        make_member(user, course, start_date=ago(days=n), completion_rate=n)
    with django_assert_max_num_queries(4):
        response = get(
            client, org_world, user=user, key=org_world.keys["acme_admin"], perPage=per_page
        )
    assert len(course_ids(response)) == min(per_page, 30)
