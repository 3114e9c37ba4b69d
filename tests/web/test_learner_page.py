"""One learner's page (/courses/<id>/members/<user>/): profile, status, progress and the viewer's
other courses; its errors and query count."""

import pytest

from dashboards.models import CourseMember, Credential
from tests.factories import days_ago, make_course, make_credential, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(client, read_only_course_roster):
    """The roster, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    course, users = read_only_course_roster
    client.force_login(users["ada"])
    return {"course": course, "users": users, "key": make_credential(Credential.PARTNER)[1]}


def test_the_learner_page(client, roster):
    course, cyd = roster["course"], roster["users"]["cyd"]
    CourseMember.objects.filter(user=cyd).update(start_date=days_ago(10), score=0.8)
    mine = make_course("Algebra")
    make_member(cyd, mine, completion_rate=70)
    make_member(roster["users"]["ada"], mine, CourseMember.CREATOR)
    hidden = make_course("Not yours")
    make_member(cyd, hidden)
    response = client.get(f"/courses/{course.pk}/members/{cyd.pk}/")
    assert response.status_code == 200
    text = response.text
    assert '<h1 class="member-name">Cyd Charisse</h1>' in text and "@cyd" in text
    assert '<span class="badge badge-joined">Joined</span>' in text and "80%" in text
    assert f'href="/courses/{mine.pk}/members/{cyd.pk}/">Algebra</a>' in text
    assert "Not yours" not in text
    assert f'href="/api/v2/course/{course.pk}/users/{cyd.pk}/"' in text


def test_the_learner_page_errors(client, roster):
    course = roster["course"]
    assert client.get(f"/courses/{course.pk}/members/{make_user().pk}/").status_code == 404
    client.force_login(roster["users"]["cyd"])  # a learner may not view the course
    assert client.get(f"/courses/{course.pk}/members/999999/").status_code == 403
    client.logout()
    assert client.get(f"/courses/{course.pk}/members/1/").status_code == 302


def test_the_learner_page_query_count(client, roster, django_assert_max_num_queries):
    cyd = roster["users"]["cyd"]
    for n in range(20):
        other = make_course(f"Course {n}")
        make_member(cyd, other)
        make_member(roster["users"]["ada"], other, CourseMember.CREATOR)
    # session, user, course with rights, member, other courses
    with django_assert_max_num_queries(5):
        response = client.get(f"/courses/{roster['course'].pk}/members/{cyd.pk}/")
    assert response.text.count('class="course-links"') == 1
