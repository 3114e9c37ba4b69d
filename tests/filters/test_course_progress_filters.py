"""Who is behind, who has gone quiet (issue 13): the course family's extra orders and
progress/activity filters, the links of the course page's numbers, and one learner's page and
API (GET /api/v2/course/{id}/users/{userId}/)."""

import csv
import io
import re

import pytest

from dashboards.models import CourseMember, Credential
from tests.factories import days_ago, make_course, make_credential, make_member, make_user
from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_course_world as build_world
from tests.worlds import key_for

pytestmark = pytest.mark.django_db

EVERY_STATUS = "statuses=creator,manager,joined,invited,requested"


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return {"course": course, "users": users, "key": make_credential(Credential.PARTNER)[1]}


def api(client, roster, query=""):
    return client.get(
        f"/api/v2/course/{roster['course'].pk}/users/?{query}", HTTP_SID=roster["key"]
    )


def names(client, roster, query):
    response = api(client, roster, query)
    assert response.status_code == 200, response.content
    by_id = {user.pk: name for name, user in roster["users"].items()}
    return [by_id[row["id"]] for row in response.json()["results"]]


def page_ids(response):
    return [int(i) for i in re.findall(r'<tr data-user-id="(\d+)"', response.text)]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        # Normalized names ("Bob Éclair" among the b's); the nameless (eve) last both ways.
        ("real_name", ["ada", "bob", "cyd", "dan", "fay", "gus", "hal", "ivy", "eve"]),
        ("-real_name", ["ivy", "hal", "gus", "fay", "dan", "cyd", "bob", "ada", "eve"]),
        # Ties (bob, fay, gus at 0; ada, eve at 100) by user id.
        (
            "user_completion_rate",
            ["bob", "fay", "gus", "hal", "cyd", "dan", "ivy", "ada", "eve"],
        ),
        (
            "-user_completion_rate",
            ["ada", "eve", "ivy", "dan", "cyd", "hal", "bob", "fay", "gus"],
        ),
        ("join_status", ["ada", "bob", "cyd", "dan", "eve", "hal", "ivy", "fay", "gus"]),
        ("-join_status", ["gus", "fay", "cyd", "dan", "eve", "hal", "ivy", "bob", "ada"]),
        (
            "join_status,-user_completion_rate",
            ["ada", "bob", "eve", "ivy", "dan", "cyd", "hal", "fay", "gus"],
        ),
    ],
)
def test_the_new_orderings(client, roster, ordering, expected):
    assert names(client, roster, f"{EVERY_STATUS}&ordering={ordering}") == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("completion_min=50", ["ada", "dan", "ivy", "eve"]),
        ("completion_max=9", ["bob", "fay", "gus", "hal"]),
        ("completion_min=40&completion_max=55", ["cyd", "dan"]),
        ("completion_min=100&completion_max=100", ["ada", "eve"]),
        ("never_active=true", ["bob", "fay", "gus", "ivy", "eve"]),
        ("never_active=FALSE", ["ada", "cyd", "dan", "hal"]),
        # The roster was last active in 2025: long ago, so inactive for 30 days or never.
        ("inactive_for=30", ["ada", "bob", "cyd", "dan", "fay", "gus", "hal", "ivy", "eve"]),
        ("active_within=30", []),
        ("active_within=36500", ["ada", "cyd", "dan", "hal"]),
        ("completion_max=49&inactive_for=30&statuses=joined", ["cyd", "hal"]),
        (
            "completion_min=&never_active=",
            ["ada", "bob", "cyd", "dan", "fay", "gus", "hal", "ivy", "eve"],
        ),
    ],
)
def test_the_progress_filters(client, roster, query, expected):
    statuses = "" if "statuses=" in query else f"{EVERY_STATUS}&"
    assert names(client, roster, f"{statuses}{query}&ordering=real_name") == expected


def test_activity_is_measured_from_now(client):
    course = make_course("Now")
    key = make_credential(Credential.PARTNER)[1]
    recent = make_member(make_user(), course, last_active_at=days_ago(3))
    month = make_member(make_user(), course, last_active_at=days_ago(20))
    old = make_member(make_user(), course, last_active_at=days_ago(45))
    never = make_member(make_user(), course)

    def ids(query):
        url = f"/api/v2/course/{course.pk}/users/?ordering=joined_at&{query}"
        return {row["id"] for row in client.get(url, HTTP_SID=key).json()["results"]}

    assert ids("active_within=7") == {recent.user_id}
    assert ids("active_within=30") == {recent.user_id, month.user_id}
    assert ids("inactive_for=30") == {old.user_id, never.user_id}
    assert ids("inactive_for=7") == {month.user_id, old.user_id, never.user_id}
    assert ids("inactive_for=7&never_active=false") == {month.user_id, old.user_id}


@pytest.mark.parametrize(
    ("query", "body"),
    [
        (
            "completion_min=101",
            {"completion_min": ["Ensure this value is less than or equal to 100."]},
        ),
        (
            "completion_max=-1",
            {"completion_max": ["Ensure this value is greater than or equal to 0."]},
        ),
        ("completion_min=5.5", {"completion_min": ["A valid integer is required."]}),
        (
            "completion_min=60&completion_max=50",
            {"completion_min": ["Ensure completion_min is less than or equal to completion_max."]},
        ),
        ("active_within=1e3", {"active_within": ["A valid integer is required."]}),
        (
            "inactive_for=36501",
            {"inactive_for": ["Ensure this value is less than or equal to 36500."]},
        ),
        ("never_active=maybe", {"never_active": ["Must be a valid boolean."]}),
        (
            "limit=0&never_active=x&completion_max=200",
            {
                "limit": ["Ensure this value is greater than or equal to 1."],
                "completion_max": ["Ensure this value is less than or equal to 100."],
                "never_active": ["Must be a valid boolean."],
            },
        ),
    ],
)
def test_bad_progress_parameters_are_a_400_keyed_by_name(client, roster, query, body):
    response = api(client, roster, query)
    assert response.status_code == 400
    assert response.json() == body
    assert list(response.json()) == list(body)  # the contract's order of checks


QUERIES = [
    "ordering=real_name",
    f"{EVERY_STATUS}&ordering=-real_name&limit=3&offset=3",
    f"{EVERY_STATUS}&ordering=join_status,-user_completion_rate",
    "ordering=user_completion_rate&completion_min=10",
    "statuses=joined&completion_max=49&inactive_for=30",
    f"{EVERY_STATUS}&never_active=true&ordering=-join_status",
]


@pytest.mark.parametrize("query", QUERIES)
def test_page_rows_api_rows_and_csv_rows_agree(client, roster, query):
    url = f"/courses/{roster['course'].pk}/"
    api_ids = [row["id"] for row in api(client, roster, query).json()["results"]]
    assert page_ids(client.get(f"{url}?{query}")) == api_ids
    whole = re.sub(r"&?(limit|offset)=\d+", "", query)
    response = client.get(f"{url}members.csv?{whole}")
    text = b"".join(response.streaming_content).decode("utf-8")
    csv_ids = [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]
    assert csv_ids == [
        row["id"] for row in api(client, roster, f"{whole}&limit=100").json()["results"]
    ]


def test_every_header_sorts_by_its_api_ordering(client, roster):
    text = client.get(f"/courses/{roster['course'].pk}/?ordering=real_name").text
    headers = dict(
        (label, href.replace("&amp;", "&"))
        for href, label in re.findall(r'<th[^>]*>\s*<a href="([^"]+)"[^>]*>([^<]+)<', text)
    )
    assert headers == {
        "Member": "?ordering=-real_name",
        "Status": "?ordering=join_status",
        "Completion": "?ordering=user_completion_rate",
        "Joined": "?ordering=-joined_at",
        "Last active": "?ordering=-last_active_at",
    }
    assert re.search(r'aria-sort="ascending">\s*<a href="\?ordering=-real_name"', text)


def test_names_link_to_the_learner_page_and_the_nameless_show_their_username(client, roster):
    course, eve = roster["course"], roster["users"]["eve"]
    text = client.get(f"/courses/{course.pk}/?statuses=joined").text
    assert f'href="/courses/{course.pk}/members/{eve.pk}/">@eve</a>' in text
    nobody = make_user(username=None, email=None)
    make_member(nobody, course, joined_at=None)
    text = client.get(f"/courses/{course.pk}/?statuses=joined&ordering=real_name&limit=100").text
    assert f'href="/courses/{course.pk}/members/{nobody.pk}/">Unknown</a>' in text


def _card_links(text):
    return dict(
        (label, (href.replace("&amp;", "&"), value))
        for href, label, value in re.findall(
            r'<a class="stat-card" href="([^"]+)"><p class="stat-label">([^<]+)</p>'
            r'<p class="stat-value">([^<]+)</p>',
            text,
        )
    )


def test_every_card_and_bar_links_to_the_rows_it_counts(client, roster):
    url = f"/courses/{roster['course'].pk}/"
    text = client.get(url).text
    cards = _card_links(text)
    assert set(cards) == {
        "Members",
        "Managers",
        "Average completion",
        "Completed",
        "Behind",
        "Waiting",
    }
    for label, (href, value) in cards.items():
        if label == "Average completion":
            continue
        assert api(client, roster, href[1:]).json()["count"] == int(value), label
    assert cards["Waiting"] == ("?statuses=invited,requested", "2")
    assert cards["Behind"][1] == "2"  # cyd (40 %) and hal (9 %), long inactive
    for active in ("active_within=7", "active_within=30"):
        assert f'href="?statuses=joined&amp;{active}"' in text
    bars = re.findall(r'<a href="([^"]+)" class="bar-link" aria-label="[^"]*: (\d+) member', text)
    assert len(bars) == 10
    for href, count in bars:
        assert api(client, roster, href.replace("&amp;", "&")[1:]).json()["count"] == int(count)
    assert bars[9][0] == "?statuses=joined&amp;completion_min=90&amp;completion_max=100"


def test_the_filter_form_shows_the_progress_filters(client, roster):
    query = "completion_min=10&completion_max=49&inactive_for=30&never_active=false"
    text = client.get(f"/courses/{roster['course'].pk}/?{query}").text
    assert 'name="completion_min" min="0" max="100"' in text and 'value="49"' in text
    assert '<option value="false" selected>' in text


def test_page_query_count_with_every_filter(client, roster, django_assert_max_num_queries):
    url = (
        f"/courses/{roster['course'].pk}/?ordering=real_name,-join_status&completion_min=1"
        "&completion_max=99&inactive_for=7&never_active=false&limit=100"
    )
    for n in range(60):
        make_member(make_user(), roster["course"], completion_rate=n, last_active_at=days_ago(n))
    # session, user, course with the caller's rights, count, rows, stats
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


# --- one learner -----------------------------------------------------------------------


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
