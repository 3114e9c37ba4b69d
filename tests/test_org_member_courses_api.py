"""GET /vfo/orgs/{orgId}/dashboard/members/{userId}/courses."""

import pytest

from dashboards.models import CourseMember
from tests.factories import make_course, make_member, make_user
from tests.test_org_world import ago, build_world, call, courses_url, error, pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def get(client, w, user=None, org=None, key=None, **params):
    return call(
        client,
        courses_url(org or w.sales, user or w.course_learner),
        key or w.partner_key,
        **params,
    )


def course_ids(response):
    assert response.status_code == 200, response.content
    return [entry["courseId"] for entry in response.json()]


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_entries_are_the_joined_courses_shared_with_the_org(client, w):
    response = get(client, w)
    assert response.json() == [
        {
            "courseId": w.both.pk,
            "title": "Python basics",
            "status": "completed",
            "percentageCompleted": 100,
            "startDate": iso(ago(days=30)),
            "finishDate": iso(ago(days=10)),
            "score": 0.88,
        },
        {
            "courseId": w.sales_only.pk,
            "title": "Négociation",
            "status": "in-progress",
            "percentageCompleted": 40,
            "startDate": iso(ago(days=20)),  # no start date: the join date
            "finishDate": None,
            "score": None,
        },
    ]
    # Other orgs count other courses: sharing does not cascade from the container.
    assert course_ids(get(client, w, org=w.support)) == [w.both.pk, w.support_only.pk]
    assert course_ids(get(client, w, org=w.acme)) == [w.acme_only.pk]


def test_status_rule_and_order_by_start_with_nulls_last_and_ties_by_course(client, w):
    user = make_user()
    courses = [make_course(f"C{n}", container=w.acme, shared_with=[w.sales]) for n in range(5)]
    make_member(user, courses[0])  # no dates at all: last
    make_member(user, courses[1], start_date=ago(days=5), completion_rate=0)
    make_member(user, courses[2], start_date=ago(days=9), completion_rate=1)
    make_member(user, courses[3], start_date=ago(days=5), finish_date=ago(days=1))
    make_member(user, courses[4], start_date=ago(days=7), join_status=CourseMember.INVITED)
    response = get(client, w, user=user)
    assert [(e["courseId"], e["status"]) for e in response.json()] == [
        (courses[2].pk, "in-progress"),
        (courses[1].pk, "started"),
        (courses[3].pk, "completed"),
        (courses[0].pk, "started"),
    ]
    assert response.json()[-1]["startDate"] is None


def test_title_filter_is_normalized_substring(client, w):
    assert course_ids(get(client, w, title="NEGO")) == [w.sales_only.pk]
    assert course_ids(get(client, w, title="on b")) == [w.both.pk]
    assert course_ids(get(client, w, title="zzz")) == []
    assert course_ids(get(client, w, title="  ")) == [w.both.pk, w.sales_only.pk]


def test_status_filter(client, w):
    assert course_ids(get(client, w, status="completed")) == [w.both.pk]
    assert course_ids(get(client, w, status=" in-progress , started,")) == [w.sales_only.pk]
    assert course_ids(get(client, w, status="started")) == []


def test_status_filter_names_the_first_bad_item(client, w):
    assert error(get(client, w, status="completed,done,x")) == (400, "Invalid status: 'done'")


def test_pagination(client, w):
    response = get(client, w, perPage=1, page=2)
    assert course_ids(response) == [w.sales_only.pk]
    assert pagination(response) == {"count": 2, "page": 2, "pageCount": 2, "perPage": 1}
    assert get(client, w, perPage=1, page=3).json() == []
    assert error(get(client, w, perPage="101")) == (
        400,
        "Invalid perPage: '101' (expected 1 to 100)",
    )
    assert error(get(client, w, page="one")) == (400, "Param number expected")


@pytest.mark.parametrize("org_id", ["abc", "999999", "0", "1e3"])
def test_bad_org_is_invalid_container(client, w, org_id):
    assert error(get(client, w, org=org_id)) == (400, "Invalid VFO container specified")


@pytest.mark.parametrize("user_id", ["999999", "abc", "-1"])
def test_unknown_user(client, w, user_id):
    assert error(get(client, w, user=user_id)) == (404, f"User '{user_id}' not found")


def test_user_outside_the_container(client, w):
    assert error(get(client, w, user=w.stranger)) == (
        404,
        f"User '{w.stranger.pk}' not found in container '{w.sales.pk}'",
    )


@pytest.mark.parametrize("name", ["outsider", "container_learner", "east_admin", "sales_admin"])
def test_any_link_to_the_container_makes_the_user_known(client, w, name):
    # outsider is only invited to a course; the others have roles elsewhere in the tree.
    response = get(client, w, user=getattr(w, name))
    assert response.status_code == 200 and response.json() == []


def test_order_of_checks(client, w):
    url = courses_url("abc", "xyz")
    assert call(client, url).status_code == 401
    assert error(call(client, url, w.keys["learner"])) == (400, "Invalid VFO container specified")
    url = courses_url(w.sales, "xyz")
    assert error(call(client, url, w.keys["support_admin"], status="bad")) == (
        403,
        "Invalid VFO credentials",
    )
    assert error(call(client, url, w.keys["sales_admin"], status="bad")) == (
        404,
        "User 'xyz' not found",
    )
    url = courses_url(w.sales, w.stranger)
    assert error(call(client, url, w.keys["sales_admin"], status="bad"))[0] == 404
    url = courses_url(w.sales, w.course_learner)
    assert error(call(client, url, w.keys["sales_admin"], status="bad")) == (
        400,
        "Invalid status: 'bad'",
    )


def test_alias(client, w):
    vfo = call(client, courses_url(w.sales, w.course_learner), w.partner_key)
    alias = call(client, courses_url(w.sales, w.course_learner, "orgs"), w.partner_key)
    assert alias.json() == vfo.json() and alias["X-Pagination"] == vfo["X-Pagination"]


@pytest.mark.parametrize("per_page", [1, 100])
def test_query_count_is_constant(client, w, django_assert_max_num_queries, per_page):
    user = make_user()
    for n in range(30):
        course = make_course(f"Course {n}", container=w.acme, shared_with=[w.sales])
        make_member(user, course, start_date=ago(days=n), completion_rate=n)
    with django_assert_max_num_queries(4):
        response = get(client, w, user=user, key=w.keys["acme_admin"], perPage=per_page)
    assert len(course_ids(response)) == min(per_page, 30)
