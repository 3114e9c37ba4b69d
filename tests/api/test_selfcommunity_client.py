"""The course users endpoint through SelfCommunity's own JavaScript client.

tests/clients/selfcommunity.mjs runs @selfcommunity/api-services (pinned in package.json,
installed by `npm ci`) under Node against live_server, as SelfCommunity's React dashboard
calls it: CourseService.getCourseDashboardUsers(id, params) with the shared client's Bearer
token, and an ApiClient built with an access token (`Authorization: Token <key>`), following
`next` to load more. Every answer must equal the plain API's for the equivalent query string:
the same status, count, ids and order. Without Node or the package the test skips, with the
reason; in CI (CI=true) it fails instead.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urlencode
from urllib.request import Request, urlopen

import pytest

from dashboards.models import CourseMember, Credential
from tests.factories import make_course, make_credential, make_member, make_user

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "clients" / "selfcommunity.mjs"
PACKAGE = ROOT / "node_modules" / "@selfcommunity" / "api-services" / "package.json"
BASE = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

ALL_STATUSES = ["creator", "manager", "joined", "invited", "requested"]
# (name, the params the client is given, the equivalent plain query, follow `next`)
CALLS = [
    ("defaults", {}, {}, False),
    (
        "statuses as an array",
        {"statuses": ["invited", "requested"]},
        {"statuses": "invited,requested"},
        False,
    ),
    ("statuses as one string", {"statuses": "invited"}, {"statuses": "invited"}, False),
    (
        "statuses comma-separated",
        {"statuses": "requested,creator"},
        {"statuses": ["requested", "creator"]},
        False,
    ),
    ("ordering", {"ordering": "-last_active_at"}, {"ordering": "-last_active_at"}, False),
    (
        "two orderings",
        {"ordering": "joined_at,-last_active_at"},
        {"ordering": "joined_at,-last_active_at"},
        False,
    ),
    (
        "ordering as an array",
        {"ordering": ["last_active_at", "joined_at"]},
        {"ordering": "last_active_at,joined_at"},
        False,
    ),
    (
        "search",
        {"search": "ANNA", "statuses": ALL_STATUSES},
        {"search": "anna", "statuses": ",".join(ALL_STATUSES)},
        False,
    ),
    ("limit and offset", {"limit": 7, "offset": 3}, {"limit": 7, "offset": 3}, False),
    ("past the end", {"offset": 500}, {"offset": 500}, False),
    (
        "every page",
        {"limit": 4, "statuses": ALL_STATUSES, "ordering": "last_active_at"},
        {"statuses": ALL_STATUSES, "ordering": "last_active_at", "limit": 100},
        True,
    ),
    ("a bad status", {"statuses": ["joined", "left"]}, {"statuses": "joined,left"}, False),
]


def _missing(reason):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the real-client test must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def node():
    executable = shutil.which("node")
    if executable is None:
        _missing("Node is not installed (the real-client test runs @selfcommunity/api-services)")
    if not PACKAGE.exists():
        _missing("@selfcommunity/api-services is not installed (run `npm ci` at the root)")
    return executable


@pytest.fixture
def course(transactional_db):
    """A course of 30 people in every status, with joined_at ties, null activity and
    accented names, and its creator's key."""
    course = make_course("Statistics")
    first_names = ["Anna", "Ánna", "Joanna", "Bob", "Chloé", "Dana", "Eli", "Hanna", "Ivo", "Zoe"]
    statuses = ["creator"] + ["manager"] * 3 + ["invited"] * 4 + ["requested"] * 3
    statuses += ["joined"] * (30 - len(statuses))
    creator = None
    for n, status in enumerate(statuses):
        user = make_user(username=f"member{n:02d}", first_name=first_names[n % 10])
        active = None if n % 4 == 0 else BASE + dt.timedelta(hours=n % 7)
        joined = None if n % 9 == 8 else BASE - dt.timedelta(days=n // 3)
        make_member(user, course, status, joined_at=joined, last_active_at=active)
        creator = creator or user
    assert CourseMember.objects.filter(course=course).count() == 30
    _, key = make_credential(Credential.TOKEN, user=creator)
    return course, key


def run_client(node, live_server, course, key, auth):
    plan = {
        "baseURL": live_server.url,
        "key": key,
        "courseId": course.pk,
        "calls": [
            {"name": name, "auth": auth, "params": params, "follow": follow}
            for name, params, _, follow in CALLS
        ],
    }
    done = subprocess.run(
        [node, str(SCRIPT), json.dumps(plan)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # The package logs through console.info (stdout) at times: the answer is the last line.
    return {result["name"]: result["pages"] for result in json.loads(done.stdout.splitlines()[-1])}


def plain_answer(live_server, course, key, query):
    """The plain API's status and body for a query string, with a SID header."""
    url = f"{live_server.url}/api/v2/course/{course.pk}/users/?{urlencode(query, doseq=True)}"
    try:
        with urlopen(Request(url, headers={"SID": key}), timeout=30) as response:
            return response.status, json.load(response)
    except HTTPError as error:
        return error.code, json.load(error)


def ids(body):
    return [row["id"] for row in body["results"]]


@pytest.mark.parametrize("auth", ["bearer", "token"])
def test_the_client_gets_what_the_plain_api_gives(node, live_server, course, auth):
    course, key = course
    answers = run_client(node, live_server, course, key, auth)
    for name, _, plain_query, follow in CALLS:
        pages = answers[name]
        status, plain = plain_answer(live_server, course, key, plain_query)
        assert pages[0]["status"] == status, name
        if status != 200:
            assert pages[0]["body"] == plain, name
            continue
        assert all(page["status"] == 200 for page in pages), name
        assert all(page["body"]["count"] == plain["count"] for page in pages), name
        got = [row_id for page in pages for row_id in ids(page["body"])]
        assert got == ids(plain), name
        if follow:
            assert len(pages) == -(-plain["count"] // 4) > 1, name
            assert pages[-1]["body"]["next"] is None, name
        else:
            assert len(pages) == 1, name


def test_the_client_sends_the_bracket_form_and_it_is_read(node, live_server, course):
    """What the issue saw: axios puts `statuses[]=invited&statuses[]=requested` on the wire,
    and the answer holds invited and requested people only, not the default rows."""
    course, key = course
    answers = run_client(node, live_server, course, key, "bearer")
    first = answers["statuses as an array"][0]
    # (axios percent-encodes the brackets: statuses%5B%5D=invited&statuses%5B%5D=requested.)
    assert unquote(first["sent"]).endswith("?statuses[]=invited&statuses[]=requested")
    assert first["body"]["count"] == 7
    statuses = {row["join_status"] for row in first["body"]["results"]}
    assert statuses == {"invited", "requested"}
    assert unquote(answers["ordering as an array"][0]["sent"]).endswith(
        "?ordering[]=last_active_at&ordering[]=joined_at"
    )
    # Loading more keeps the bracket-less parameters the client sent, page after page.
    every_page = answers["every page"]
    assert [len(ids(page["body"])) for page in every_page] == [4] * 7 + [2]
    assert all("limit=4" in page["sent"] for page in every_page)
    assert answers["a bad status"][0]["body"] == {
        "statuses": [
            "'left' is not a valid join status; expected one of creator, manager, joined, "
            "invited, requested."
        ]
    }
