"""One learner of a course, GET /api/v2/course/{id}/users/{userId}/: the list's entry with dates
and score, a 404 for a non-member, the list's rights, constant queries."""

import pytest

from dashboards.models import CourseMember, Credential
from tests.factories import days_ago, make_credential, make_user
from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_course_world as build_world
from tests.worlds import key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return {"course": course, "users": users, "key": make_credential(Credential.PARTNER)[1]}


def api(client, roster, query=""):
    return client.get(
        f"/api/v2/course/{roster['course'].pk}/users/?{query}", HTTP_SID=roster["key"]
    )


def member_api(client, course_id, user_id, key):
    return client.get(f"/api/v2/course/{course_id}/users/{user_id}/", HTTP_SID=key)


def test_the_member_api_is_the_list_entry_with_dates_and_score(client, roster):
    course, cyd = roster["course"], roster["users"]["cyd"]
    CourseMember.objects.filter(user=cyd).update(
        start_date=days_ago(10), finish_date=None, score=0.8333
    )
    body = member_api(client, course.pk, cyd.pk, roster["key"]).json()
    listed = next(
        row
        for row in api(client, roster, "statuses=joined").json()["results"]
        if row["id"] == cyd.pk
    )
    assert {key: body[key] for key in listed} == listed
    assert set(body) - set(listed) == {"start_date", "finish_date", "score"}
    assert body["score"] == 0.83 and body["finish_date"] is None
    assert body["start_date"].endswith("Z")
    # Any join status is a member.
    gus = roster["users"]["gus"]
    assert member_api(client, course.pk, gus.pk, roster["key"]).json()["join_status"] == "requested"


@pytest.mark.parametrize("user_id", ["zed", "abc", "-1", "99999999", "1.0"])
def test_the_member_api_is_a_404_for_a_non_member(client, roster, user_id):
    if user_id == "zed":
        user_id = make_user().pk  # a user, but not in this course
    response = member_api(client, roster["course"].pk, user_id, roster["key"])
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    "caller", ["creator", "shared_org_admin", "learner", "stranger", "partner"]
)
def test_the_member_api_has_the_rights_of_the_list(client, caller):
    world = build_world()
    course, learner = world["course"], world["people"]["learner"]
    key = key_for(world, caller)
    response = member_api(client, course.pk, learner.pk, key)
    listed = client.get(f"/api/v2/course/{course.pk}/users/", HTTP_SID=key)
    assert response.status_code == listed.status_code
    # Rights before existence: a caller without rights learns nothing of who is a member.
    assert member_api(client, course.pk, 999999, key).status_code == (
        404 if listed.status_code == 200 else 403
    )
    assert member_api(client, 999999, learner.pk, key).status_code == 404
    assert client.get(f"/api/v2/course/{course.pk}/users/{learner.pk}/").status_code == 401


def test_the_member_api_query_count(client, roster, django_assert_max_num_queries):
    # credential, course with the caller's rights, member (+ the test client's session)
    with django_assert_max_num_queries(4):
        response = member_api(client, roster["course"].pk, roster["users"]["cyd"].pk, roster["key"])
    assert response.status_code == 200
