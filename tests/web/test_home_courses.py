"""The home page's courses as a listing: search by title, sorts, container and id,
and the summary of what waits across the viewer's courses."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.models import CourseMember
from tests.factories import make_course, make_member, make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    acme, globex = make_org("Acme"), make_org("Globex")
    now = timezone.now()
    courses = {
        "acme_accounting": make_course("A Practical Guide to Accounting", container=acme),
        "globex_accounting": make_course("A Practical Guide to Accounting", container=globex),
        "eclair": make_course("Éclairs for beginners", container=acme),
        "zen": make_course("Zen gardens"),
    }
    active = {"acme_accounting": 3, "globex_accounting": 40, "eclair": 1}
    for name, days in active.items():
        make_member(make_user(), courses[name], last_active_at=now - timezone.timedelta(days=days))
    for _ in range(2):
        make_member(make_user(), courses["eclair"])  # joined, never active
    make_member(make_user(), courses["zen"], CourseMember.REQUESTED)
    make_member(make_user(), courses["zen"], CourseMember.INVITED)
    make_member(make_user(), courses["eclair"], CourseMember.INVITED)
    client.force_login(make_user(is_superuser=True, is_staff=True))
    return courses


def rows(response):
    assert response.status_code == 200, response.content[:300]
    return [int(pk) for pk in re.findall(r'data-course-id="(\d+)"', response.text)]


def test_search_by_part_of_the_title_ignoring_case_and_accents(client, world):
    assert rows(client.get("/?search=ECLAIR")) == [world["eclair"].pk]
    assert rows(client.get("/?search=guide accounting")) == [
        world["acme_accounting"].pk,
        world["globex_accounting"].pk,
    ]
    assert "No course matches this search." in client.get("/?search=nothing-like-it").text
    # A NUL matches nothing, as in every free-text filter (the database never receives it).
    assert rows(client.get("/?search=guide%00")) == []


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["acme_accounting", "globex_accounting", "eclair", "zen"]),
        ("-title", ["zen", "eclair", "acme_accounting", "globex_accounting"]),
        ("-members", ["eclair", "acme_accounting", "globex_accounting", "zen"]),
        ("-waiting", ["zen", "eclair", "acme_accounting", "globex_accounting"]),
        # Newest activity first; a course without any last (nulls last in both orders).
        ("-last_activity", ["eclair", "acme_accounting", "globex_accounting", "zen"]),
        ("last_activity", ["globex_accounting", "acme_accounting", "eclair", "zen"]),
    ],
)
def test_sorts(client, world, ordering, expected):
    assert rows(client.get(f"/?ordering={ordering}")) == [world[name].pk for name in expected]


def test_equal_titles_are_told_apart_by_container_and_id(client, world):
    text = client.get("/?search=accounting").text
    for name, container in (("acme_accounting", "Acme"), ("globex_accounting", "Globex")):
        row = re.search(rf'<tr [^>]*data-course-id="{world[name].pk}".*?</tr>', text, re.S).group(0)
        assert f">{container}</td>" in row and f">#{world[name].pk}</td>" in row


def test_headers_sort_and_a_bad_ordering_is_a_400(client, world):
    text = client.get("/?search=a").text
    assert 'href="?search=a&amp;ordering=-members"' not in text
    assert 'href="?search=a&amp;ordering=members"' in text
    assert 'href="?search=a&amp;ordering=-last_activity"' in text  # newest first at first
    bad = client.get("/?ordering=size")
    assert bad.status_code == 400 and "&#x27;size&#x27; is not a valid ordering" in bad.text


def test_what_waits_is_counted_and_linked(client, world):
    text = client.get("/").text
    cards = dict(
        re.findall(r'<p class="stat-label">([^<]+)</p><p class="stat-value">([^<]+)</p>', text)
    )
    # requested: zen; invited: zen, eclair; inactive 30 days: globex (40 days) + 2 never active
    assert cards["Requests"] == "1" and cards["Invitations"] == "2"
    assert cards["Inactive learners"] == "3"
    assert 'href="?ordering=-waiting"' in text and 'href="?ordering=last_activity"' in text


def test_home_query_count(client, world, django_assert_max_num_queries):
    for n in range(30):
        make_member(make_user(), make_course(f"More {n}"))
    # session, user, count, rows (with their containers), orgs, top orgs, what waits, the
    # caller's saved views
    with django_assert_max_num_queries(8):
        assert client.get("/?search=o&ordering=-last_activity&limit=100").status_code == 200


def test_the_containers_shown_cost_no_query_per_row(client, world):
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(5):
        make_course(f"Course in its own container {n}", container=make_org(f"Container {n}"))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").status_code == 200
    assert len(many) == len(few)
