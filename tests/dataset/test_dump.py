import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command

from dashboards.dataset.dump import dump_dataset
from dashboards.models import CourseMember, User
from tests.dataset_samples import (
    MODELS,
    full_dataset,
    run_load,
    stored_rows,
    write_json,
)
from tests.factories import make_course, make_member, make_org, make_user

pytestmark = pytest.mark.django_db

NO_PROFILE = dict.fromkeys(
    ("username", "email", "firstName", "lastName", "fn", "fullName", "location", "shortDesc",
     "longDesc", "website", "avatar", "lastSeen"),
)  # fmt: skip
UNSET_MEMBER = {"joinedAt": None, "lastActiveAt": None, "completionRate": 0, "startDate": None,
                "finishDate": None, "score": None}  # fmt: skip

EXPECTED_DUMP = {
    "users": [
        {
            "id": 1,
            "username": "ada",
            "email": "ada@example.org",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "fn": "Countess",
            "fullName": " Augusta Ada King ",
            "location": "London",
            "shortDesc": "Analyst",
            "longDesc": "Wrote the first program.\nFor the Analytical Engine.",
            "website": "https://ada.example.org",
            "avatar": "https://cdn.example.org/ada.png",
            "lastSeen": "2026-11-01T10:00:00Z",
            "isSuperuser": True,
        },
        {"id": 2, **NO_PROFILE, "username": "émile", "fullName": "Émile Zola",
         "isSuperuser": False},
        {"id": 3, **NO_PROFILE, "isSuperuser": False},
        {"id": 4, **NO_PROFILE, "username": "zoë", "firstName": "Zoë",
         "lastSeen": "2026-10-15T08:30:00.250000Z", "isSuperuser": False},
    ],
    "orgs": [
        {"id": 10, "title": "Acme", "parentId": None, "orgType": "container"},
        {"id": 11, "title": "Acme Sales", "parentId": 10, "orgType": "base"},
        {"id": 12, "title": "Acme Sales East", "parentId": 11, "orgType": "topic"},
        {"id": 13, "title": "Acme Academy", "parentId": 10, "orgType": "portal"},
        {"id": 20, "title": "Globex", "parentId": None, "orgType": "container"},
    ],
    "orgRoles": [
        {"userId": 1, "orgId": 10, "role": "admin"},
        {"userId": 1, "orgId": 10, "role": "instructor"},
        {"userId": 2, "orgId": 11, "role": "learner"},
        {"userId": 4, "orgId": 13, "role": "learner"},
    ],
    "courses": [
        {"id": 100, "title": "Intro to Statistics", "slug": "intro-stats", "containerId": 10,
         "createdBy": 1, "createdAt": "2026-09-01T00:00:00Z", "type": "structured",
         "privacy": "open", "sharedWith": [10, 12]},
        {"id": 101, "title": "Cours d'Été", "slug": "", "containerId": 20, "createdBy": None,
         "createdAt": None, "type": "scheduled", "privacy": "", "sharedWith": []},
        {"id": 102, "title": "Loose course", "slug": "", "containerId": None, "createdBy": None,
         "createdAt": None, "type": "self-paced", "privacy": "", "sharedWith": []},
    ],
    "courseMembers": [
        {"userId": 1, "courseId": 100, "joinStatus": "creator", **UNSET_MEMBER},
        {"userId": 2, "courseId": 100, "joinStatus": "joined", "joinedAt": "2026-10-01T09:00:00Z",
         "lastActiveAt": "2026-11-01T15:00:00Z", "completionRate": 100,
         "startDate": "2026-10-02T00:00:00Z", "finishDate": "2026-10-30T00:00:00Z",
         "score": 0.35},
        {"userId": 4, "courseId": 100, "joinStatus": "invited", **UNSET_MEMBER},
        {"userId": 4, "courseId": 101, "joinStatus": "joined", **UNSET_MEMBER,
         "completionRate": 40, "score": 1.0},
    ],
}  # fmt: skip


def empty_the_database():
    for model in reversed(MODELS):
        model.objects.all().delete()


def dump_text(tmp_path, name="dump.json"):
    path = tmp_path / name
    call_command("dump_dataset", str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def loaded(tmp_path):
    run_load(write_json(tmp_path / "full.json", full_dataset()))


def test_dump_writes_the_format_sorted_with_stable_keys(tmp_path, loaded):
    path = dump_text(tmp_path)

    text = path.read_text(encoding="utf-8")
    dumped = json.loads(text)
    assert dumped == EXPECTED_DUMP
    assert list(dumped) == ["users", "orgs", "orgRoles", "courses", "courseMembers"]
    assert [list(user) for user in dumped["users"]] == [list(EXPECTED_DUMP["users"][0])] * 4
    assert list(dumped["courseMembers"][0]) == list(EXPECTED_DUMP["courseMembers"][1])
    lines = text.splitlines()
    assert lines[:2] == ["{", '  "users": [']
    assert lines[2] == "    " + json.dumps(EXPECTED_DUMP["users"][0], ensure_ascii=False) + ","
    assert text.endswith("\n  ]\n}\n")


def test_credentials_and_passwords_never_leave_the_database(tmp_path, loaded):
    text = dump_text(tmp_path).read_text(encoding="utf-8")

    assert "credentials" not in text and "key" not in text
    assert "password" not in text and User.objects.get(pk=1).password not in text


def test_load_of_a_dump_into_an_empty_database_dumps_identically(tmp_path, loaded):
    first = dump_text(tmp_path, "first.json").read_bytes()
    empty_the_database()

    run_load(tmp_path / "first.json")
    second = dump_text(tmp_path, "second.json").read_bytes()

    assert second == first


def test_gzipped_dumps_are_identical_too(tmp_path, loaded):
    first = dump_text(tmp_path, "first.json.gz")
    empty_the_database()
    run_load(first)

    second = dump_text(tmp_path, "second.json.gz").read_bytes()

    assert second == first.read_bytes()
    assert json.loads(gzip.decompress(second)) == EXPECTED_DUMP


def test_a_dump_reloaded_over_its_own_data_changes_nothing(tmp_path, loaded):
    path = dump_text(tmp_path)
    before = stored_rows()

    run_load(path)

    assert stored_rows() == before


def test_rows_made_outside_the_loader_dump_in_id_order(tmp_path):
    later, earlier = make_user(pk=30, username="later"), make_user(pk=10, username="earlier")
    acme = make_org("Acme", pk=5)
    course_b, course_a = make_course("B", pk=9, container=acme), make_course("A", pk=8)
    for user in (later, earlier):
        for course in (course_b, course_a):
            make_member(user, course)

    dumped = json.loads(dump_text(tmp_path).read_text(encoding="utf-8"))

    assert [user["id"] for user in dumped["users"]] == [10, 30]
    assert [course["id"] for course in dumped["courses"]] == [8, 9]
    assert [(m["courseId"], m["userId"]) for m in dumped["courseMembers"]] == [
        (8, 10),
        (8, 30),
        (9, 10),
        (9, 30),
    ]
    assert CourseMember.objects.count() == 4


def test_an_empty_database_dumps_empty_lists_that_load(tmp_path):
    path = dump_text(tmp_path)

    assert path.read_text() == (
        '{\n  "users": [],\n  "orgs": [],\n  "orgRoles": [],\n  "courses": [],\n'
        '  "courseMembers": []\n}\n'
    )
    assert "Loaded nothing" in run_load(path)


def test_dump_to_stdout_and_to_file_objects(tmp_path, loaded, capsys):
    call_command("dump_dataset", "-")
    captured = capsys.readouterr()
    assert json.loads(captured.out) == EXPECTED_DUMP
    assert "Wrote 4 users, 5 orgs, 4 orgRoles, 3 courses, 4 courseMembers to -." in captured.err

    text, binary = io.StringIO(), io.BytesIO()
    assert dump_dataset(text) == {
        "users": 4,
        "orgs": 5,
        "orgRoles": 4,
        "courses": 3,
        "courseMembers": 4,
    }
    dump_dataset(binary)
    assert binary.getvalue().decode("utf-8") == text.getvalue() == captured.out
    assert not binary.closed


def test_a_dump_that_cannot_be_written_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("dump_dataset", str(tmp_path / "missing-dir" / "out.json"))
    assert list(tmp_path.iterdir()) == []
