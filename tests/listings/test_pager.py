"""A page past the end of a listing says so and links to the last page (to the first, when there is
one page), on the course and the org pages."""

import pytest

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
