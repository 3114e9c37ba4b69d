"""The home page: the courses and orgs the user may view (a superuser's top-level orgs; nobody else
gets every org), paged, in bounded queries; the org tree and the counts its links open."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.access.authentication import Principal
from dashboards.access.predicates import can_view_course
from dashboards.models import Course, CourseMember, OrgRole
from dashboards.selectors.courses import viewable_courses
from tests.factories import make_course, make_member, make_org, make_role, make_user
from tests.worlds import COURSE_MATRIX, credential_forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course_world):
    world = course_world
    acme = world["orgs"]["acme"]
    # More courses: one the creator only joined, one shared below Sales, one elsewhere.
    joined_only = make_course("Joined only", container=acme)
    make_member(world["people"]["creator"], joined_only, CourseMember.JOINED)
    world["below_sales"] = make_course(
        "Below Sales", container=acme, shared_with=[world["orgs"]["sales_east"]]
    )
    world["globex_course"] = make_course("Globex course", container=world["orgs"]["globex"])
    for _n in range(3):
        make_member(make_user(), world["course"], CourseMember.JOINED)
    make_member(make_user(), world["below_sales"], CourseMember.JOINED)
    make_member(make_user(), world["below_sales"], CourseMember.MANAGER)
    return world


def listed(response):
    rows = re.findall(
        r'<tr [^>]*data-course-id="(\d+)"[^>]*>\s*<td[^>]*><a href="[^"]+">([^<]+)</a></td>\s*'
        r'<td [^>]*class="num"[^>]*>([\d,]+)</td>\s*<td [^>]*class="num"[^>]*>([\d,]+)</td>',
        response.text,
    )
    return {title: (int(members), int(managers)) for _, title, members, managers in rows}


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/"


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("creator", {"Shared course": (4, 2)}),
        ("manager", {"Shared course": (4, 2)}),
        ("shared_org_admin", {"Shared course": (4, 2), "Below Sales": (1, 1)}),
        ("ancestor_org_admin", {"Shared course": (4, 2), "Below Sales": (1, 1)}),
        ("descendant_org_admin", {"Below Sales": (1, 1)}),
        ("learner", {}),
        ("stranger", {}),
        ("other_container_admin", {}),
        (
            "superuser",
            {
                "Below Sales": (1, 1),
                "Globex course": (0, 0),
                "Joined only": (1, 0),
                "Shared course": (4, 2),
            },
        ),
    ],
)
def test_home_lists_the_courses_the_user_may_view_with_counts(client, world, person, expected):
    client.force_login(world["people"][person])
    response = client.get("/")
    assert response.status_code == 200
    assert listed(response) == expected
    assert list(listed(response)) == sorted(expected)  # by title


# Every person of the course world (the callers who can log in).
PEOPLE = [caller for caller in COURSE_MATRIX if "cookie" in credential_forms(caller)]


@pytest.mark.parametrize("person", PEOPLE)
def test_home_lists_exactly_what_can_view_course_allows(world, person):
    principal = Principal(user=world["people"][person])
    expected = {c.pk for c in Course.objects.all() if can_view_course(principal, c)}
    assert set(viewable_courses(principal).values_list("pk", flat=True)) == expected


def test_the_people_are_every_person_of_the_world(world):
    assert set(PEOPLE) == set(world["people"])


def test_a_bound_session_sees_only_its_container(world):
    superuser = world["people"]["superuser"]
    bound = Principal(user=superuser, container_id=world["orgs"]["globex"].pk)
    assert [c.title for c in viewable_courses(bound)] == ["Globex course"]
    assert [c.title for c in viewable_courses(Principal(user=None, is_partner=True))] == [
        "Below Sales",
        "Globex course",
        "Joined only",
        "Shared course",
    ]


def test_home_lists_the_orgs_the_user_administers(client, world):
    admin = world["people"]["shared_org_admin"]
    make_role(admin, make_org("Initech"))
    client.force_login(admin)
    text = client.get("/").text
    section = re.search(r'<section class="panel home-orgs".*?</section>', text, re.S).group(0)
    titles = re.findall(r'<a href="/orgs/\d+/members/">([^<]+)</a>', section)
    # The orgs administered, each with the orgs below it.
    assert titles == ["Acme Sales", "Acme Sales East", "Initech"]
    client.force_login(world["people"]["creator"])
    assert "You administer no org." in client.get("/").text


def test_home_pages_by_limit_and_offset(client, world):
    client.force_login(world["people"]["superuser"])
    page = client.get("/?limit=2&offset=2")
    assert list(listed(page)) == ["Joined only", "Shared course"]
    assert "Showing 3–4 of" in page.text and "4 courses" in page.text
    bad = client.get("/?limit=zero")
    assert bad.status_code == 400 and "A valid integer is required." in bad.text


def test_home_query_count_does_not_grow_with_courses(client, world):
    client.force_login(world["people"]["ancestor_org_admin"])
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(15):
        course = make_course(f"More {n}", shared_with=[world["orgs"]["sales"]])
        make_member(make_user(), course, CourseMember.JOINED)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert len(listed(response)) == 17
    # session, user, count, rows, administered orgs, top orgs, what waits; saved views (none
    # here, so nothing is counted)
    assert len(few) == len(many) <= 8


def test_the_org_tree_counts_the_members_its_links_open(client, world):
    client.force_login(world["people"]["superuser"])
    make_role(world["people"]["superuser"], world["orgs"]["acme"])
    # Anonymous members are left out of the count, as the listing leaves them out by default.
    make_role(make_user(username=None, email=None), world["orgs"]["sales"], OrgRole.LEARNER)
    home = client.get("/").text
    section = re.search(r'<section class="panel home-orgs".*?</section>', home, re.S)
    shown = re.findall(
        r'<li data-org-id="\d+">\s*<a href="(/orgs/\d+/members/|/orgs/\d+/portals/\d+/members/)">'
        r"[^<]+</a>\s*<span class=\"muted\">\w+ · (\d+) members?</span>",
        section.group(0),
    )
    assert len(shown) >= 4
    for link, count in shown:
        page = re.sub(r"<[^>]+>", "", client.get(link).text)
        assert re.search(rf"(?<![\d,]){count} members?\b", page), link


def test_home_lists_administered_orgs_as_a_tree(client, org_world):
    make_role(org_world.sales_admin, org_world.support)
    client.force_login(org_world.sales_admin)
    html = client.get("/").text
    section = html[html.index('id="orgs-heading"') :]
    assert section.index(">Sales<") < section.index(">Sales East<") < section.index(">Support<")
    # Sales East is nested inside Sales' list item.
    assert re.search(
        rf'>Sales</a>.*?<ul class="org-tree">\s*<li data-org-id="{org_world.sales_east.pk}">',
        section,
        re.S,
    )
    assert ">Acme<" not in section


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
