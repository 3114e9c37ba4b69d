"""Small things people notice: empty states, the favicon, avatars that fail, a 403 that explains."""

import re

import pytest
from django.http import QueryDict

from dashboards.web.templatetags.ui import avatar, has_filters
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


def test_an_avatar_image_carries_the_initial_for_its_fallback():
    html = avatar("https://cdn.example.org/a.png", "émile")
    assert 'data-initial="É"' in html and 'alt=""' in html


def test_pages_link_a_favicon_that_is_served(admin_client):
    html = admin_client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert admin_client.get("/static/favicon.svg").status_code == 200


def test_tables_scroll_in_a_focusable_region(admin_client):
    html = admin_client.get(f"/orgs/{admin_client.org.pk}/members/").content.decode()
    assert '<div class="table-scroll" tabindex="0" role="region"' in html


def test_the_403_page_explains_org_and_course_rights(client):
    org = make_org("Acme")
    client.force_login(make_user(username="nobody"))
    page = client.get(f"/orgs/{org.pk}/members/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "An org&#x27;s pages are open to its admins" in html or "An org's pages" in html
    assert "A course&#x27;s page" in html or "A course's page" in html


def test_a_superuser_home_leads_to_every_top_level_org(client):
    acme, globex = make_org("Acme"), make_org("Globex")
    make_org("Acme Sales", parent=acme)
    client.force_login(make_user(username="root", is_superuser=True))
    html = client.get("/").content.decode()
    assert "You administer no org." not in html
    links = re.findall(r'<li data-org-id="\d+"><a href="(/orgs/\d+/members/)">([^<]+)</a>', html)
    assert links == [
        (f"/orgs/{acme.pk}/members/", "Acme"),
        (f"/orgs/{globex.pk}/members/", "Globex"),
    ]


def test_other_users_get_no_list_of_every_org(client):
    make_org("Acme")
    client.force_login(make_user(username="plain"))
    html = client.get("/").content.decode()
    assert "You administer no org." in html and "top-orgs" not in html


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_cell_is_named_by_its_header_for_the_narrow_cards(admin_client, language):
    org, course = admin_client.org, admin_client.course
    for url in (f"/orgs/{org.pk}/members/", f"/courses/{course.pk}/?statuses=invited,joined", "/"):
        html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        thead = re.search(r"<thead.*?</thead>", html, re.S).group(0)
        headers = [re.sub(r"<[^>]+>", "", th) for th in re.findall(r"<th\b.*?</th>", thead, re.S)]
        row = re.search(r"<tbody\b.*?<tr\b.*?</tr>", html, re.S).group(0)
        labels = re.findall(r'<td [^>]*data-label="([^"]+)"', row)
        assert labels and len(labels) == len(headers), url
        assert all(label in header for label, header in zip(labels, headers, strict=True)), (
            url,
            labels,
            headers,
        )
