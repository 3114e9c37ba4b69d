"""Every rule of dataset-format.md: a bad file, the exact problem lines, exit 1, nothing written."""

# ruff: noqa: E501 - one case per line reads as a table

import pytest
from django.db import transaction

from dashboards.dataset import fast_rows
from dashboards.dataset.fields import timestamp
from dashboards.dataset.specs import SPECS
from dashboards.dataset.staging import Staging
from dashboards.dataset.upsert import timestamp_text_adapter
from dashboards.models import User
from tests.dataset_samples import failed_load, full_dataset, run_load, stored_rows, write_json
from tests.factories import make_user

pytestmark = pytest.mark.django_db

STATUSES = "creator, manager, joined, invited, requested"
LISTS = "users, orgs, orgRoles, courses, courseMembers, credentials"
NO_ZONE = "has no timezone (add Z or an offset such as +02:00)"


def edit(name, index, **fields):
    def mutate(data):
        data[name][index].update(fields)

    return mutate


def drop(name, index, field):
    def mutate(data):
        del data[name][index][field]

    return mutate


def append(name, record):
    def mutate(data):
        data[name].append(record)

    return mutate


def replace_list(name, value):
    def mutate(data):
        data[name] = value

    return mutate


def case(id, mutate, *problems):
    return pytest.param(mutate, list(problems), id=id)


CASES = [
    # The file's shape: wrong JSON types give a problem line, never a traceback.
    case("unknown list", replace_list("widgets", []), f"widgets: unknown list (the lists are {LISTS})"),
    case("list is an object", replace_list("users", {"id": 1}), "users: expected a list, got object"),
    case("list is null", replace_list("users", None), "users: expected a list, got null"),
    case("list is a string", replace_list("orgs", "10"), "orgs: expected a list, got string"),
    case("record is a number", append("users", 5), "users[4]: expected an object, got number"),
    case("record is a list", append("courses", [1]), "courses[3]: expected an object, got list"),
    case("unknown field", edit("users", 0, nickname="Ada"), "users[0].nickname: unknown field"),
    case(
        "sharedWith is a string",
        edit("courses", 0, sharedWith="10"),
        "courses[0].sharedWith: expected a list of ids, got string",
    ),
    # Ids.
    case("id string", edit("users", 2, id="3"), "users[2].id: expected a positive integer, got '3'"),
    case("id boolean", edit("users", 2, id=True), "users[2].id: expected a positive integer, got true"),
    case("id float", edit("users", 2, id=3.0), "users[2].id: expected a positive integer, got 3.0"),
    case("id zero", edit("orgs", 3, id=0), "orgs[3].id: expected a positive integer, got 0"),
    case("id too big", edit("courses", 2, id=2**63), "courses[2].id: expected a positive integer, got 9223372036854775808"),
    case("id missing", drop("courses", 2, "id"), "courses[2].id: required"),
    case("id twice", append("users", {"id": 2}), "users[4].id: 2 is already the id of users[1]"),
    case("org id twice", append("orgs", {"id": 20, "title": "Again", "parentId": None, "orgType": "container"}), "orgs[5].id: 20 is already the id of orgs[4]"),
    # User text fields.
    case("text number", edit("users", 0, firstName=5), "users[0].firstName: expected a string or null, got number"),
    case("text list", edit("users", 0, email=["a"]), "users[0].email: expected a string or null, got list"),
    case("text too long", edit("users", 0, username="a" * 151), "users[0].username: longer than 150 characters"),
    case("NUL in text", edit("users", 0, location="Lon\x00don"), "users[0].location: contains a NUL character, which the database cannot store"),
    case("lone surrogate", edit("users", 0, fn="\ud800"), "users[0].fn: contains an unpaired surrogate, which is not valid text"),
    case("username twice", edit("users", 3, username="ada"), "users[3].username: 'ada' is already used by users[0]"),
    case("email twice", edit("users", 3, email="ada@example.org"), "users[3].email: 'ada@example.org' is already used by users[0]"),
    case("password blank", edit("users", 0, password=" "), "users[0].password: must not be blank (use null for no password)"),
    case("password number", edit("users", 0, password=1234), "users[0].password: expected a string or null, got number"),
    case("NUL in password", edit("users", 0, password="a\x00b"), "users[0].password: contains a NUL character, which the database cannot store"),
    case("isSuperuser string", edit("users", 0, isSuperuser="yes"), "users[0].isSuperuser: expected true or false, got 'yes'"),
    case("isSuperuser null", edit("users", 0, isSuperuser=None), "users[0].isSuperuser: expected true or false, got null"),
    # Timestamps.
    case("naive timestamp", edit("users", 0, lastSeen="2026-11-01T10:00:00"), f"users[0].lastSeen: '2026-11-01T10:00:00' {NO_ZONE}"),
    case("date only", edit("courses", 0, createdAt="2026-11-01"), f"courses[0].createdAt: '2026-11-01' {NO_ZONE}"),
    case("not a timestamp", edit("users", 0, lastSeen="yesterday"), "users[0].lastSeen: 'yesterday' is not an ISO 8601 timestamp"),
    case("epoch number", edit("users", 0, lastSeen=1700000000), "users[0].lastSeen: expected an ISO 8601 timestamp or null, got number"),
    case("naive joinedAt", edit("courseMembers", 0, joinedAt="2026-10-01 09:00"), f"courseMembers[0].joinedAt: '2026-10-01 09:00' {NO_ZONE}"),
    case("naive expiresAt", edit("credentials", 2, expiresAt="2027-01-01T00:00:00"), f"credentials[2].expiresAt: '2027-01-01T00:00:00' {NO_ZONE}"),
    # Orgs.
    case("orgType unknown", edit("orgs", 2, orgType="team"), "orgs[2].orgType: 'team' is not one of container, base, portal, topic"),
    case("orgType missing", drop("orgs", 2, "orgType"), "orgs[2].orgType: required"),
    case("org title missing", drop("orgs", 2, "title"), "orgs[2].title: required"),
    case("org title blank", edit("orgs", 2, title=" \t"), "orgs[2].title: must not be blank"),
    case("org title number", edit("orgs", 2, title=7), "orgs[2].title: expected a string, got number"),
    case("org title too long", edit("orgs", 2, title="x" * 256), "orgs[2].title: longer than 255 characters"),
    case("NUL in org title", edit("orgs", 2, title="Sales\x00"), "orgs[2].title: contains a NUL character, which the database cannot store"),
    case("container with a parent", edit("orgs", 4, parentId=10), "orgs[4].parentId: a container has no parent (parentId must be null)"),
    case("base without a parent", edit("orgs", 2, parentId=None), "orgs[2].parentId: a base org needs a parent"),
    case("portal without a parent", drop("orgs", 3, "parentId"), "orgs[3].parentId: a portal org needs a parent"),
    case("parent unknown", edit("orgs", 2, parentId=999), "orgs[2].parentId: org 999 is neither in the file nor in the database"),
    case("parent string", edit("orgs", 2, parentId="10"), "orgs[2].parentId: expected a positive integer, got '10'"),
    case("cycle", edit("orgs", 2, parentId=12), "orgs[0].parentId: the parent chain loops: 12 → 11 → 12"),
    case("own parent", edit("orgs", 2, parentId=11), "orgs[2].parentId: the parent chain loops: 11 → 11"),
    # Org roles.
    case("role unknown", edit("orgRoles", 0, role="owner"), "orgRoles[0].role: 'owner' is not one of admin, instructor, learner"),
    case("role user unknown", edit("orgRoles", 0, userId=999), "orgRoles[0].userId: user 999 is neither in the file nor in the database"),
    case("role org unknown", edit("orgRoles", 0, orgId=999), "orgRoles[0].orgId: org 999 is neither in the file nor in the database"),
    case("role user null", edit("orgRoles", 0, userId=None), "orgRoles[0].userId: expected a positive integer, got null"),
    case("role missing", drop("orgRoles", 0, "role"), "orgRoles[0].role: required"),
    case("role twice", append("orgRoles", {"userId": 1, "orgId": 10, "role": "admin"}), "orgRoles[4]: the same role is already given at orgRoles[0]"),
    # Courses.
    case("course title missing", drop("courses", 1, "title"), "courses[1].title: required"),
    case("course title blank", edit("courses", 1, title="  "), "courses[1].title: must not be blank"),
    case("course title null", edit("courses", 1, title=None), "courses[1].title: expected a string, got null"),
    case("slug number", edit("courses", 0, slug=5), "courses[0].slug: expected a string or null, got number"),
    case("container is a base org", edit("courses", 0, containerId=11), "courses[0].containerId: org 11 is a base org, not a container"),
    case("container unknown", edit("courses", 0, containerId=999), "courses[0].containerId: org 999 is neither in the file nor in the database"),
    case("shared outside the container", edit("courses", 0, sharedWith=[10, 20]), "courses[0].sharedWith[1]: org 20 is not in the course's container 10"),
    case("shared without a container", edit("courses", 2, sharedWith=[10]), "courses[2].sharedWith[0]: org 10 cannot be shared with: the course has no container"),
    case("shared twice", edit("courses", 0, sharedWith=[10, 10]), "courses[0].sharedWith[1]: 10 is listed twice"),
    case("shared id string", edit("courses", 0, sharedWith=["10"]), "courses[0].sharedWith[0]: expected a positive integer, got '10'"),
    case("shared org unknown", edit("courses", 0, sharedWith=[999]), "courses[0].sharedWith[0]: org 999 is neither in the file nor in the database"),
    case("type unknown", edit("courses", 0, type="video"), "courses[0].type: 'video' is not one of self-paced, structured, scheduled"),
    case("privacy unknown", edit("courses", 0, privacy="public"), "courses[0].privacy: 'public' is not one of \"\", open, private, secret"),
    case("privacy null", edit("courses", 0, privacy=None), "courses[0].privacy: null is not one of \"\", open, private, secret"),
    case("creator unknown", edit("courses", 0, createdBy=999), "courses[0].createdBy: user 999 is neither in the file nor in the database"),
    # Course members.
    case("member twice", append("courseMembers", {"userId": 2, "courseId": 100, "joinStatus": "manager"}), "courseMembers[4]: user 2 is already a member of course 100 at courseMembers[0]"),
    case("joinStatus unknown", edit("courseMembers", 3, joinStatus="foo"), f"courseMembers[3].joinStatus: 'foo' is not one of {STATUSES}"),
    case("joinStatus missing", drop("courseMembers", 3, "joinStatus"), "courseMembers[3].joinStatus: required"),
    case("completion boolean", edit("courseMembers", 3, completionRate=True), "courseMembers[3].completionRate: expected an integer from 0 to 100, got true"),
    case("completion float", edit("courseMembers", 3, completionRate=40.5), "courseMembers[3].completionRate: expected an integer from 0 to 100, got 40.5"),
    case("completion whole float", edit("courseMembers", 3, completionRate=40.0), "courseMembers[3].completionRate: expected an integer from 0 to 100, got 40.0"),
    case("completion over 100", edit("courseMembers", 3, completionRate=101), "courseMembers[3].completionRate: expected an integer from 0 to 100, got 101"),
    case("completion negative", edit("courseMembers", 3, completionRate=-1), "courseMembers[3].completionRate: expected an integer from 0 to 100, got -1"),
    case("completion string", edit("courseMembers", 3, completionRate="40"), "courseMembers[3].completionRate: expected an integer from 0 to 100, got '40'"),
    case("score over 1", edit("courseMembers", 0, score=1.5), "courseMembers[0].score: expected null or a number from 0 to 1, got 1.5"),
    case("score negative", edit("courseMembers", 0, score=-0.1), "courseMembers[0].score: expected null or a number from 0 to 1, got -0.1"),
    case("score boolean", edit("courseMembers", 0, score=True), "courseMembers[0].score: expected null or a number from 0 to 1, got true"),
    case("score string", edit("courseMembers", 0, score="0.5"), "courseMembers[0].score: expected null or a number from 0 to 1, got '0.5'"),
    case("member user unknown", edit("courseMembers", 0, userId=999), "courseMembers[0].userId: user 999 is neither in the file nor in the database"),
    case("member course unknown", edit("courseMembers", 0, courseId=999), "courseMembers[0].courseId: course 999 is neither in the file nor in the database"),
    # Credentials.
    case("key short", edit("credentials", 0, key="short"), "credentials[0].key: shorter than 8 characters"),
    case("key padded", edit("credentials", 0, key=" padded-key "), "credentials[0].key: starts or ends with whitespace"),
    case("key number", edit("credentials", 0, key=12345678), "credentials[0].key: expected a string, got number"),
    case("key missing", drop("credentials", 0, "key"), "credentials[0].key: required"),
    case("key twice", append("credentials", {"key": "partner-key-0001", "kind": "token", "userId": 1}), "credentials[3].key: the same key is at credentials[0]"),
    case("kind unknown", edit("credentials", 0, kind="admin"), "credentials[0].kind: 'admin' is not one of partner, session, token"),
    case("session without user", edit("credentials", 1, userId=None), "credentials[1].userId: required for a session credential"),
    case("token without user", drop("credentials", 2, "userId"), "credentials[2].userId: required for a token credential"),
    case("partner with user", edit("credentials", 0, userId=1), "credentials[0].userId: a partner key has no user (use null)"),
    case("token with container", edit("credentials", 2, containerId=10), "credentials[2].containerId: only a session has a container"),
    case("session in a base org", edit("credentials", 1, containerId=11), "credentials[1].containerId: org 11 is a base org, not a container"),
    case("credential user unknown", edit("credentials", 1, userId=999), "credentials[1].userId: user 999 is neither in the file nor in the database"),
    case("revoked string", edit("credentials", 2, revoked="no"), "credentials[2].revoked: expected true or false, got 'no'"),
]  # fmt: skip


@pytest.fixture
def loaded(tmp_path):
    """The full dataset, loaded: a bad file must leave these rows exactly as they are."""
    run_load(write_json(tmp_path / "good.json", full_dataset()))
    return stored_rows()


@pytest.mark.parametrize(("mutate", "problems"), CASES)
def test_a_broken_rule_is_reported_and_nothing_is_written(tmp_path, loaded, mutate, problems):
    data = full_dataset()
    mutate(data)

    lines = failed_load(write_json(tmp_path / "bad.json", data))

    assert lines == problems
    assert stored_rows() == loaded


@pytest.mark.parametrize(("mutate", "problems"), CASES)
def test_the_same_rules_hold_on_an_empty_database(tmp_path, mutate, problems):
    data = full_dataset()
    mutate(data)

    lines = failed_load(write_json(tmp_path / "bad.json", data))

    # Without the stored rows, removing a list may leave references dangling too.
    assert problems[0] in lines
    assert stored_rows() == {name: [] for name in stored_rows()}


def test_every_problem_of_a_file_is_reported_in_order(tmp_path):
    data = full_dataset()
    data["users"][1]["lastSeen"] = "2026-01-01T00:00:00"
    data["orgs"][1]["orgType"] = "team"
    data["courseMembers"][0]["score"] = 2
    data["credentials"][0]["key"] = "short"

    assert failed_load(write_json(tmp_path / "bad.json", data)) == [
        f"users[1].lastSeen: '2026-01-01T00:00:00' {NO_ZONE}",
        "orgs[1].orgType: 'team' is not one of container, base, portal, topic",
        "courseMembers[0].score: expected null or a number from 0 to 1, got 2",
        "credentials[0].key: shorter than 8 characters",
    ]


def test_a_top_level_that_is_not_an_object_is_a_problem(tmp_path):
    assert failed_load(write_json(tmp_path / "bad.json", [full_dataset()])) == [
        f"{tmp_path / 'bad.json'}: expected a JSON object at the top, got list"
    ]


@pytest.mark.parametrize("field", ["username", "email"])
def test_usernames_and_emails_are_unique_against_stored_users(tmp_path, field):
    stored = make_user(username="taken", email="taken@example.org")
    value = getattr(stored, field)
    data = {"users": [{"id": 50, "username": "free", field: value}]}
    before = stored_rows()

    assert failed_load(write_json(tmp_path / "bad.json", data)) == [
        f"users[0].{field}: {value!r} is already used by user {stored.pk} in the database"
    ]
    assert stored_rows() == before


def test_a_stored_user_in_the_file_may_keep_its_username(tmp_path):
    stored = make_user(username="taken")

    run_load(write_json(tmp_path / "ok.json", {"users": [{"id": stored.pk, "username": "taken"}]}))

    assert User.objects.get(pk=stored.pk).email is None


def test_replaced_users_neither_clash_nor_count_as_references(tmp_path):
    stored = make_user(username="taken")
    data = full_dataset()
    data["users"][0]["username"] = "taken"
    run_load(write_json(tmp_path / "ok.json", {"users": data["users"]}), "--replace")
    assert User.objects.get(pk=1).username == "taken"

    stored = make_user(username="later")
    data = {
        "users": [{"id": 1}],
        "courseMembers": [{"userId": stored.pk, "courseId": 100, "joinStatus": "joined"}],
        "courses": [{"id": 100, "title": "C"}],
    }
    assert failed_load(write_json(tmp_path / "bad.json", data), "--replace") == [
        f"courseMembers[0].userId: user {stored.pk} is neither in the file nor in the database"
    ]


def test_a_tree_too_deep_for_the_path_column_is_refused(tmp_path):
    base = 10**17  # 18-digit ids: from level 52 on, "/id/…/" passes 1000 characters
    orgs = [{"id": base, "title": "Root", "parentId": None, "orgType": "container"}]
    orgs += [
        {"id": base + level, "title": f"L{level}", "parentId": base + level - 1, "orgType": "base"}
        for level in range(1, 60)
    ]

    lines = failed_load(write_json(tmp_path / "deep.json", {"orgs": orgs}))

    assert lines[0] == "orgs[52].parentId: the tree is too deep (path over 1000 chars)"
    assert len(lines) == 8  # levels 52 to 59


MEMBER = {"userId": 7, "courseId": 9, "joinStatus": "joined"}


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"joinedAt": "2026-11-20T10:15:30Z", "lastActiveAt": None, "completionRate": 40},
        {"startDate": "2024-02-29T23:59:59Z", "finishDate": "2026-01-01T00:00:00Z", "score": 1},
        {"completionRate": None, "score": 0.25},
        {"completionRate": 100, "score": 0},
    ],
)
def test_the_members_fast_path_stages_what_the_field_checks_stage(fields):
    record = {**MEMBER, **fields}
    with transaction.atomic():
        staging = Staging()
        checked = [5] + [
            check(record[name]) if name in record else default
            for name, check, default in SPECS["courseMembers"]
        ]
        expected = staging.stored("courseMembers", tuple(checked))
        fast = fast_rows.member_row_checker(timestamp_text_adapter())(5, record)
        transaction.set_rollback(True)
    # PostgreSQL gets the timestamps' text, which it parses itself.
    assert [timestamp(v) if type(v) is str and "T" in v else v for v in fast] == list(expected)


@pytest.mark.parametrize(
    "fields",
    [
        {"joinedAt": "2026-11-20T10:15:30+02:00"},
        {"joinedAt": "2026-11-20T10:15:30.5Z"},
        {"joinedAt": "2026-02-30T10:15:30Z"},
        {"joinedAt": "２０２６-11-20T10:15:30Z"},
        {"finishDate": 1},
        {"userId": True},
        {"courseId": 0},
        {"joinStatus": "JOINED"},
        {"joinStatus": ["joined"]},
        {"completionRate": 101},
        {"score": float("nan")},
        {"score": True},
    ],
)
def test_the_members_fast_path_leaves_anything_else_to_the_field_checks(db, fields):
    assert fast_rows.member_row_checker(timestamp_text_adapter())(0, {**MEMBER, **fields}) is None
