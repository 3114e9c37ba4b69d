"""The rough edges of issue 13 ("Everywhere"): a page past the end, members without a name,
counts that agree with the listing they open, one first-click direction for time columns,
human labels in badges."""

import re

import pytest

from dashboards.models import OrgRole
from tests.factories import make_role, make_user
from tests.vfo import call, pagination, portal_url
from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_org_world as build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return course


def test_a_course_page_past_the_end_says_so_and_links_to_the_last_page(client, roster):
    text = client.get(f"/courses/{roster.pk}/?offset=100000&limit=2").text
    assert "Showing 0" not in text and "page 50,001" not in text
    assert 'this page is past the end: <a href="?limit=2&amp;offset=4" class="past-end">' in text
    assert "This page is past the end of the list." in text
    assert "No members in this course yet" not in text


def test_an_org_page_past_the_end_says_so(client):
    w = build_world()
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.sales.pk}/members/?page=999&perPage=2").text
    assert "page 999 of" not in text and "No members yet" not in text
    assert 'href="?perPage=2&amp;page=3" class="past-end">go to the last page (3)</a>' in text


def test_the_first_page_past_the_end_of_one_page_links_to_the_first(client):
    w = build_world()
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.sales.pk}/members/?page=2").text
    assert 'href="?" class="past-end">' in text


def test_an_org_member_without_a_name_shows_the_username(client):
    w = build_world()
    make_role(make_user(username="nameless-nina"), w.sales, OrgRole.LEARNER)
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.sales.pk}/members/?filter=nina").text
    assert ">@nameless-nina</a>" in text


def test_time_columns_open_newest_first_on_the_course_page(client, roster):
    course_text = client.get(f"/courses/{roster.pk}/?ordering=real_name").text
    assert 'href="?ordering=-last_active_at"' in course_text


def test_time_columns_open_newest_first_on_the_org_pages(client):
    w = build_world()
    client.force_login(w.acme_admin)
    org_text = client.get(f"/orgs/{w.sales.pk}/members/").text
    assert 'href="?sort=lastSeen&amp;order=descending"' in org_text
    assert 'href="?sort=role&amp;order=ascending"' in org_text


def test_badges_say_the_labels_the_filters_say(client, roster):
    text = client.get(f"/courses/{roster.pk}/?statuses=creator,joined").text
    assert '<span class="badge badge-creator">Creator</span>' in text
    assert '<span class="badge badge-joined">Joined</span>' in text


def test_org_badges_say_the_labels_the_filters_say(client):
    w = build_world()
    client.force_login(w.acme_admin)
    org_text = client.get(f"/orgs/{w.sales.pk}/members/").text
    assert '<span class="badge badge-course-learner">Course learner</span>' in org_text


def test_a_portals_count_on_its_parent_is_the_count_its_page_shows(client):
    w = build_world()
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.acme.pk}/members/").text
    listed = re.search(
        rf'data-org-id="{w.academy.pk}">.*?([\d,]+) members?</span>', text, re.S
    ).group(1)
    response = call(client, portal_url(w.acme, w.academy), w.partner_key)
    assert int(listed) == pagination(response)["count"]
