"""GET /api/v2/course/{id}/dashboard/: the course-level stats, computed in the database."""

import pytest
from django.utils import timezone

from dashboards.models import CourseMember, Credential
from tests.factories import days_ago, make_course, make_credential, make_member, make_user

pytestmark = pytest.mark.django_db


def stats(client, course):
    key = make_credential(Credential.PARTNER)[1]
    response = client.get(f"/api/v2/course/{course.pk}/dashboard/", HTTP_SID=key)
    assert response.status_code == 200
    return response.json()


def test_stats_count_only_joined_users_except_managers_invited_and_requested(client):
    course = make_course("Intro to Statistics")
    joined_rates = [0, 9, 10, 19, 50, 89, 90, 100, 100]
    for rate in joined_rates:
        make_member(make_user(), course, CourseMember.JOINED, completion_rate=rate)
    # Non-joined members at 100 and active now: never in avg, completed, active or histogram.
    for status, count in [
        (CourseMember.CREATOR, 1),
        (CourseMember.MANAGER, 2),
        (CourseMember.INVITED, 3),
        (CourseMember.REQUESTED, 4),
    ]:
        for _ in range(count):
            make_member(
                make_user(), course, status, completion_rate=100, last_active_at=days_ago(0)
            )
    make_member(make_user(), make_course("Other"), CourseMember.JOINED, completion_rate=100)
    assert stats(client, course) == {
        "id": course.pk,
        "name": "Intro to Statistics",
        "members": 9,
        "managers": 3,
        "invited": 3,
        "requested": 4,
        "avg_completion_rate": 52,  # 467 / 9 = 51.9
        "completed": 2,
        "active_7d": 0,
        "active_30d": 0,
        "completion_histogram": [2, 2, 0, 0, 0, 1, 0, 0, 1, 3],
    }


def test_average_rounds_half_up(client):
    course = make_course()
    make_member(make_user(), course, completion_rate=40)
    make_member(make_user(), course, completion_rate=41)
    assert stats(client, course)["avg_completion_rate"] == 41


def test_active_counts_are_joined_users_active_within_7_and_30_days(client):
    course = make_course()
    now = timezone.now()
    for age in [0, 6.9, 7.1, 29.9, 30.1, None]:
        make_member(
            make_user(),
            course,
            last_active_at=None if age is None else now - timezone.timedelta(days=age),
        )
    result = stats(client, course)
    assert (result["active_7d"], result["active_30d"]) == (2, 4)


def test_an_empty_course_has_zero_stats(client):
    course = make_course("Empty")
    result = stats(client, course)
    assert result["members"] == result["avg_completion_rate"] == result["completed"] == 0
    assert result["completion_histogram"] == [0] * 10


def test_stats_take_one_query_whatever_the_size(client, django_assert_num_queries):
    course = make_course()
    for rate in range(0, 101, 5):
        make_member(make_user(), course, completion_rate=rate)
    key = make_credential(Credential.PARTNER)[1]
    # credential, course, stats
    with django_assert_num_queries(3):
        response = client.get(f"/api/v2/course/{course.pk}/dashboard/", HTTP_SID=key)
    assert response.status_code == 200
    body = response.json()
    # 21 joined members at 0, 5, …, 100 %: two per tenth, the last holding 90, 95 and 100.
    assert body["members"] == 21 and body["avg_completion_rate"] == 50 and body["completed"] == 1
    assert body["completion_histogram"] == [2] * 9 + [3]
