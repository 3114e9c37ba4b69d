"""The course family's progress orderings and filters (completion, activity measured from now) on
the API, and their 400s keyed by parameter name."""

import pytest

from dashboards.models import Credential
from tests.factories import days_ago, make_course, make_credential, make_member, make_user

pytestmark = pytest.mark.django_db

EVERY_STATUS = "statuses=creator,manager,joined,invited,requested"


@pytest.fixture
def roster(client, read_only_course_roster):
    """The roster, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    course, users = read_only_course_roster
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
