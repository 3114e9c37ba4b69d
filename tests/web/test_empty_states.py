"""Empty tables: a filtered one offers to clear the filters, an unfiltered one says so without
blaming them, the course roster's links to the plain page; what counts as a filter."""

import pytest
from django.http import QueryDict

from dashboards.web.templatetags.ui import has_filters
from tests.factories import make_course, make_member, make_org, make_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    org = make_org("Acme")
    admin = make_user(username="boss")
    make_role(admin, org)
    course = make_course("Statistics", shared_with=[org])
    make_member(make_user(username="ada", first_name="Ada"), course)
    client.force_login(admin)
    client.org, client.course, client.admin = org, course, admin
    return client


def test_a_filtered_empty_table_offers_to_clear_the_filters(admin_client):
    org = admin_client.org
    page = admin_client.get(f"/orgs/{org.pk}/members/?filter=nobody-by-this-name&perPage=50")
    assert page.status_code == 200
    html = page.content.decode()
    assert "No members match these filters." in html
    assert f'<a href="/orgs/{org.pk}/members/" class="clear-filters">Clear the filters</a>' in html


def test_an_unfiltered_empty_table_says_so_without_blaming_filters(admin_client):
    org, admin = admin_client.org, admin_client.admin
    page = admin_client.get(f"/orgs/{org.pk}/members/{admin.pk}/")
    html = page.content.decode()
    assert "No course of this org links this member yet." in html
    assert "match these filters" not in html


def test_the_course_roster_empty_state_links_to_the_plain_page(admin_client):
    course = admin_client.course
    page = admin_client.get(f"/courses/{course.pk}/?search=zzz")
    html = page.content.decode()
    assert "No members match these filters." in html
    assert f'href="/courses/{course.pk}/" class="clear-filters"' in html


@pytest.mark.parametrize(
    ("query", "filtered"),
    [
        ("", False),
        ("page=2&perPage=50&sort=fullName&order=descending", False),
        ("limit=50&offset=20&ordering=-joined_at", False),
        ("filter=&title=+", False),
        ("filter=ada", True),
        ("role=admin", True),
        ("since=0", True),
    ],
)
def test_has_filters_ignores_paging_sorting_and_blanks(query, filtered):
    assert has_filters(QueryDict(query)) is filtered
