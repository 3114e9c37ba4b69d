"""What every listing page shows: badges in the filters' words, avatars that carry their initial
for the fallback, a favicon, tables scrolling in a focusable region, cells named by their header
for the narrow cards."""

import re

import pytest

from dashboards.tables.cells import avatar
from tests.factories import make_course, make_member, make_org, make_role, make_user
from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_org_world as build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return course


def test_badges_say_the_labels_the_filters_say(client, roster):
    text = client.get(f"/courses/{roster.pk}/?statuses=creator,joined").text
    assert '<span class="badge badge-creator">Creator</span>' in text
    assert '<span class="badge badge-joined">Joined</span>' in text


def test_org_badges_say_the_labels_the_filters_say(client):
    w = build_world()
    client.force_login(w.acme_admin)
    org_text = client.get(f"/orgs/{w.sales.pk}/members/").text
    assert '<span class="badge badge-course-learner">Course learner</span>' in org_text


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
