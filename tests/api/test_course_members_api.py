"""GET /api/v2/course/{id}/users/: parameters, defaults, ordering, errors, fields, pagination."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.filters.params import MAX_LIST_ITEMS
from dashboards.models import CourseMember, Credential
from tests.factories import make_credential, make_member, make_user
from tests.worlds import iso, t

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_roster(read_only_course_roster):
    """The roster, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_course_roster


DEFAULT_ORDER = ["eve", "dan", "bob", "cyd", "hal", "ivy"]
# The contract's four keys, then the ones docs/api-course.md adds (extensions).
ALLOWED_ORDERINGS = (
    "joined_at, -joined_at, last_active_at, -last_active_at, real_name, -real_name, "
    "user_completion_rate, -user_completion_rate, join_status, -join_status"
)


@pytest.fixture
def roster(course_roster):
    course, users = course_roster
    _, key = make_credential(Credential.PARTNER)
    return {"course": course, "users": users, "key": key}


def get(client, roster, query="", path="users"):
    url = f"/api/v2/course/{roster['course'].pk}/{path}/"
    return client.get(url + (f"?{query}" if query else ""), HTTP_SID=roster["key"])


def names(response, roster):
    by_id = {user.pk: name for name, user in roster["users"].items()}
    assert response.status_code == 200, response.content
    return [by_id[row["id"]] for row in response.json()["results"]]


def test_defaults_are_manager_and_joined_newest_joined_first(client, roster):
    response = get(client, roster)
    assert names(response, roster) == DEFAULT_ORDER
    body = response.json()
    assert body["count"] == 6 and body["next"] is None and body["previous"] is None


def test_a_row_has_every_field_of_the_spec(client, roster):
    rows = {
        row["username"]: row for row in get(client, roster, "statuses=creator").json()["results"]
    }
    assert rows["ada"] == {
        "id": roster["users"]["ada"].pk,
        "username": "ada",
        "real_name": "Ada Lovelace",
        "avatar": "https://cdn.example.org/a.png",
        "join_status": "creator",
        "user_completion_rate": 100,
        "last_active_at": iso(5),
        "joined_at": iso(0),
    }


def test_real_name_follows_the_display_name_rule_with_empty_for_no_name(client, roster):
    rows = get(client, roster, "statuses=creator,manager,joined,invited,requested").json()
    real_names = {row["username"]: row["real_name"] for row in rows["results"]}
    assert real_names == {
        "ada": "Ada Lovelace",
        "bob": "Bob Éclair",
        "cyd": "Cyd Charisse",
        "dan": "Daniel Smith",
        "eve": "",
        "fay": "Fay W.",
        "gus": "Gustavsson",
        "hal": "Hal",
        "ivy": "Ivy Ng",
    }


def test_null_timestamps_and_username_are_null(client, roster):
    nameless = make_user(username=None, email=None)
    make_member(nameless, roster["course"], CourseMember.JOINED)
    rows = get(client, roster, "ordering=joined_at&limit=100").json()["results"]
    row = next(row for row in rows if row["id"] == nameless.pk)
    assert row["username"] is None and row["joined_at"] is None and row["last_active_at"] is None
    assert rows[-1]["id"] == nameless.pk  # null joined_at last; highest id among the nulls


@pytest.mark.parametrize(
    "query",
    [
        "statuses=joined&statuses=invited",
        "statuses=joined,invited",
        "statuses=invited, joined",
        'statuses=["joined","invited"]',
        'statuses=["joined"]&statuses=invited',
        "statuses=joined,,invited,",
        # The bracket form (axios, jQuery, PHP), alone and mixed with the others.
        "statuses[]=joined&statuses[]=invited",
        "statuses%5B%5D=joined&statuses%5B%5D=invited",
        "statuses[]=joined,invited",
        "statuses=joined&statuses[]=invited",
        'statuses[]=invited&statuses=["joined"]',
    ],
)
def test_statuses_in_every_form(client, roster, query):
    assert names(get(client, roster, query), roster) == ["eve", "dan", "cyd", "hal", "fay", "ivy"]


@pytest.mark.parametrize(
    "query", ["", "statuses=", "statuses=[]", "statuses=%20,%20", "statuses[]=", "statuses[]=[]"]
)
def test_statuses_absent_or_empty_mean_manager_and_joined(client, roster, query):
    assert names(get(client, roster, query), roster) == DEFAULT_ORDER


def test_every_status_can_be_asked_for(client, roster):
    response = get(client, roster, "statuses=creator,requested")
    assert names(response, roster) == ["ada", "gus"]


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ("statuses=foo", ["foo"]),
        ("statuses=joined,foo", ["foo"]),
        ("statuses=joined&statuses=Joined", ["Joined"]),
        ('statuses=["joined", 7]', ["7"]),
        ("statuses=foo,bar", ["foo", "bar"]),
        ("statuses[]=foo", ["foo"]),
        ("statuses=joined&statuses[]=Joined&statuses[]=bar", ["Joined", "bar"]),
    ],
)
def test_a_bad_status_is_a_400_naming_it_and_the_allowed_ones(client, roster, query, bad):
    response = get(client, roster, query)
    assert response.status_code == 400
    assert response.json() == {
        "statuses": [
            f"'{value}' is not a valid join status; expected one of creator, manager, "
            "joined, invited, requested."
            for value in bad
        ]
    }


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("-joined_at", DEFAULT_ORDER),
        ("joined_at", ["hal", "bob", "cyd", "dan", "eve", "ivy"]),
        ("last_active_at", ["cyd", "dan", "hal", "bob", "eve", "ivy"]),
        ("-last_active_at", ["hal", "cyd", "dan", "bob", "eve", "ivy"]),
        ("last_active_at,-joined_at", ["dan", "cyd", "hal", "eve", "bob", "ivy"]),
        ("-last_active_at,joined_at", ["hal", "cyd", "dan", "bob", "eve", "ivy"]),
        ("joined_at&ordering=last_active_at", ["hal", "cyd", "bob", "dan", "eve", "ivy"]),
        (
            "&ordering[]=joined_at&ordering[]=last_active_at",
            ["hal", "cyd", "bob", "dan", "eve", "ivy"],
        ),
        ("-last_active_at&ordering[]=joined_at", ["hal", "cyd", "dan", "bob", "eve", "ivy"]),
        ("", DEFAULT_ORDER),
    ],
)
def test_ordering_with_nulls_last_and_ties_by_user_id(client, roster, ordering, expected):
    assert names(get(client, roster, f"ordering={ordering}"), roster) == expected


@pytest.mark.parametrize("ordering", ["name", "joined", "-joined_at,id", "+joined_at"])
def test_a_bad_ordering_is_a_400_naming_it(client, roster, ordering):
    response = get(client, roster, f"ordering={ordering.replace('+', '%2B')}")
    bad = ordering.split(",")[-1]
    assert response.status_code == 400
    assert response.json() == {
        "ordering": [f"'{bad}' is not a valid ordering; expected one of {ALLOWED_ORDERINGS}."]
    }


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("eclair", ["bob"]),
        ("ÉCLAIR", ["bob"]),
        ("Éc", ["bob"]),
        ("dan smith", ["dan"]),
        ("smith dan", ["dan"]),
        ("cyd char", ["cyd"]),
        ("bob cyd", []),
        ("example", []),  # email is not searched
        ("hal", ["hal"]),
        ("   ", DEFAULT_ORDER),
        ("a", ["dan", "bob", "cyd", "hal"]),
    ],
)
def test_search_matches_every_term_in_username_or_real_name(client, roster, search, expected):
    response = get(client, roster, f"search={search}")
    assert names(response, roster) == expected


def test_search_combines_with_statuses(client, roster):
    response = get(client, roster, "search=lovelace&statuses=creator,joined")
    assert names(response, roster) == ["ada"]


def test_limit_and_offset_window_the_rows(client, roster):
    response = get(client, roster, "limit=2&offset=2")
    assert names(response, roster) == DEFAULT_ORDER[2:4]
    assert response.json()["count"] == 6


def test_next_and_previous_keep_every_other_parameter(client, roster):
    query = "statuses=joined&statuses=manager&search=a&ordering=joined_at&limit=1&offset=1"
    body = get(client, roster, query).json()
    expected_rest = {
        "statuses": ["joined", "manager"],
        "search": ["a"],
        "ordering": ["joined_at"],
        "limit": ["1"],
    }
    nxt = urlsplit(body["next"])
    assert f"{nxt.scheme}://{nxt.netloc}" == "http://testserver"
    assert nxt.path == f"/api/v2/course/{roster['course'].pk}/users/"
    assert parse_qs(nxt.query) == {**expected_rest, "offset": ["2"]}
    assert parse_qs(urlsplit(body["previous"]).query) == expected_rest  # offset 0: dropped


def test_next_is_null_on_the_last_page_and_previous_on_the_first(client, roster):
    last = get(client, roster, "limit=4&offset=4").json()
    assert last["next"] is None
    assert parse_qs(urlsplit(last["previous"]).query) == {"limit": ["4"]}
    first = get(client, roster, "limit=4").json()
    assert first["previous"] is None
    assert parse_qs(urlsplit(first["next"]).query) == {"limit": ["4"], "offset": ["4"]}
    middle = get(client, roster, "limit=2&offset=3").json()
    assert parse_qs(urlsplit(middle["previous"]).query) == {"limit": ["2"], "offset": ["1"]}


def test_a_limit_above_100_is_capped(client, course_roster):
    course, _ = course_roster
    for _n in range(105):
        make_member(make_user(), course, CourseMember.JOINED)
    _, key = make_credential(Credential.PARTNER)
    body = client.get(f"/api/v2/course/{course.pk}/users/?limit=1000", HTTP_SID=key).json()
    assert len(body["results"]) == 100 and body["count"] == 111
    assert parse_qs(urlsplit(body["next"]).query) == {"limit": ["100"], "offset": ["100"]}


@pytest.mark.parametrize("query", ["", "limit=", "offset="])
def test_limit_defaults_to_20_and_offset_to_0(client, course_roster, query):
    course, _ = course_roster
    for n in range(25):
        make_member(make_user(), course, CourseMember.JOINED, joined_at=t(-n))
    _, key = make_credential(Credential.PARTNER)
    body = client.get(f"/api/v2/course/{course.pk}/users/?{query}", HTTP_SID=key).json()
    assert len(body["results"]) == 20 and body["results"][0]["username"] == "eve"
    assert parse_qs(urlsplit(body["next"]).query) == {"limit": ["20"], "offset": ["20"]}


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("limit=0", {"limit": ["Ensure this value is greater than or equal to 1."]}),
        ("limit=-5", {"limit": ["Ensure this value is greater than or equal to 1."]}),
        ("limit=abc", {"limit": ["A valid integer is required."]}),
        ("limit=1.5", {"limit": ["A valid integer is required."]}),
        ("limit=5.0", {"limit": ["A valid integer is required."]}),
        ("offset=-1", {"offset": ["Ensure this value is greater than or equal to 0."]}),
        ("offset=x", {"offset": ["A valid integer is required."]}),
        (
            "limit=0&offset=-1&statuses=nope&ordering=up",
            {
                "limit": ["Ensure this value is greater than or equal to 1."],
                "offset": ["Ensure this value is greater than or equal to 0."],
                "statuses": [
                    "'nope' is not a valid join status; expected one of creator, manager, "
                    "joined, invited, requested."
                ],
                "ordering": [f"'up' is not a valid ordering; expected one of {ALLOWED_ORDERINGS}."],
            },
        ),
    ],
)
def test_bad_window_is_a_400_keyed_by_parameter(client, roster, query, body):
    response = get(client, roster, query)
    assert response.status_code == 400
    assert response.json() == body


@pytest.mark.parametrize("offset", ["6", "7", "100000000000000000000000000000"])
def test_an_offset_past_the_end_is_an_empty_page(client, roster, offset):
    body = get(client, roster, f"offset={offset}").json()
    assert body["count"] == 6 and body["results"] == [] and body["next"] is None


@pytest.mark.parametrize(
    "course_id", ["abc", "12abc", "0", "-1", "1.0", "99999999999999999999999", "٣", "999999"]
)
def test_a_non_integer_or_unknown_id_is_a_json_404(client, roster, course_id):
    for path in ("users", "dashboard"):
        response = client.get(f"/api/v2/course/{course_id}/{path}/", HTTP_SID=roster["key"])
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_errors_come_in_the_order_401_404_403_400(client, roster):
    course_id = roster["course"].pk
    stranger_key = make_credential(Credential.TOKEN, user=make_user())[1]
    anonymous = client.get("/api/v2/course/abc/users/?limit=0")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="api"'
    assert client.get("/api/v2/course/abc/users/", HTTP_SID=stranger_key).status_code == 404
    forbidden = client.get(f"/api/v2/course/{course_id}/users/?limit=0", HTTP_SID=stranger_key)
    assert forbidden.status_code == 403
    assert forbidden.json() == {"detail": "You do not have permission to perform this action."}
    assert get(client, roster, "limit=0").status_code == 400


def test_post_is_not_allowed(client, roster):
    url = f"/api/v2/course/{roster['course'].pk}/users/"
    response = client.post(url, HTTP_SID=roster["key"])
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def _count_queries(client, url, key):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("caller", ["creator", "org_admin", "partner"])
def test_query_count_is_constant(client, course_world, caller, django_assert_max_num_queries):
    world = course_world
    course = world["course"]
    key = make_credential(Credential.PARTNER)[1]
    if caller == "creator":
        key = make_credential(Credential.TOKEN, user=world["people"]["creator"])[1]
    elif caller == "org_admin":
        key = make_credential(Credential.TOKEN, user=world["people"]["ancestor_org_admin"])[1]
    url = f"/api/v2/course/{course.pk}/users/?search=user&ordering=last_active_at,-joined_at"
    for n in range(10):
        make_member(make_user(), course, CourseMember.JOINED, joined_at=t(n))
    small = _count_queries(client, url + "&limit=1", key)
    large = _count_queries(client, url + "&limit=100", key)
    for n in range(150):
        make_member(make_user(), course, CourseMember.JOINED, joined_at=t(n))
    larger = _count_queries(client, url + "&limit=100", key)
    assert small == large == larger
    with django_assert_max_num_queries(4):
        client.get(url + "&limit=100", HTTP_AUTHORIZATION=f"Bearer {key}")
    with django_assert_max_num_queries(4):
        client.get(f"/api/v2/course/{course.pk}/dashboard/", HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.parametrize(
    "query",
    [
        "statuses=" + ",".join(["joined"] * MAX_LIST_ITEMS),
        "ordering=" + ",".join(["-last_active_at"] * MAX_LIST_ITEMS),
        "statuses=joined&" + "&".join(["statuses[]=invited"] * (MAX_LIST_ITEMS - 1)),
    ],
)
def test_a_list_of_the_largest_size_is_read(client, roster, query):
    assert get(client, roster, query).status_code == 200


@pytest.mark.parametrize(
    ("param", "query"),
    [
        ("statuses", "statuses=" + ",".join(["joined"] * (MAX_LIST_ITEMS + 1))),
        ("statuses", "statuses=joined&" + "&".join(["statuses[]=joined"] * MAX_LIST_ITEMS)),
        ("statuses", "statuses=" + json.dumps(["joined"] * (MAX_LIST_ITEMS + 1))),
        ("ordering", "&".join(["ordering=joined_at"] * (MAX_LIST_ITEMS + 1))),
    ],
)
def test_a_longer_list_is_a_400(client, roster, param, query):
    response = get(client, roster, query)
    assert response.status_code == 400
    assert response.json() == {
        param: [f"Ensure this field has no more than {MAX_LIST_ITEMS} elements."]
    }
