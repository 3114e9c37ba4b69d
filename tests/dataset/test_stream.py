"""Loading a file as a stream: the reader gives json.loads' own messages, the problems come
in the same order as for the parsed dict, the staged lists (several batches, COPY on
PostgreSQL) load whole, and the loader's memory does not grow with the file."""

import gzip
import json
import random
import tracemalloc

import pytest

from dashboards.dataset import reader, staging
from dashboards.dataset.errors import DatasetError
from dashboards.dataset.load import load_dataset, load_dataset_file
from dashboards.models import CourseMember, OrgMember, OrgRole, User
from tests.dataset_samples import full_dataset, stored_rows, write_json


def parsed_as_before(raw, name):
    """What the loader said before it streamed: bytes.decode, then json.loads."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return [f"{name}: line {line} column {column}: not UTF-8 text ({error.reason})"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [f"{name}: line {error.lineno} column {error.colno}: malformed JSON ({error.msg})"]
    if not isinstance(data, dict):
        return [f"{name}: expected a JSON object at the top, got {reader.json_type(data)}"]
    return data


def parsed_by_stream(path):
    try:
        return reader.read_dataset_file(path)
    except DatasetError as error:
        return error.problems


BREAKS = [b",", b"]", b"}", b"{", b"[", b'"', b"\\", b" ", b"\n", b"x", b":", b"tr", b"1",
          b"\xff", b"\xc3", b"\\u12", "é".encode(), b"-", b"1e"]  # fmt: skip


def test_the_reader_says_what_json_loads_says_for_any_broken_file(tmp_path, monkeypatch):
    """Random cuts and insertions, read through windows of 1 byte to 1 MiB: the same data or
    the same single problem line (reason, line and column) as json.loads."""
    rng = random.Random(17)
    records = [
        {"id": pk, "username": f"zoë{pk}", "x": [1, 2.5, None, True], "s": 'a\\é"b\u00e9'}
        for pk in range(12)
    ]
    base = json.dumps({"users": records, "orgs": [], "junk": {"a": [1]}, "n": None}, indent=1)
    path = tmp_path / "broken.json"
    for _ in range(600):
        monkeypatch.setattr(reader, "CHUNK", rng.choice([1, 2, 3, 7, 64, 1 << 20]))
        raw = bytearray(base.encode())
        for _ in range(rng.choice([0, 1, 1, 2])):
            at = rng.randrange(len(raw) + 1)
            if rng.random() < 0.2:
                del raw[at:]
            else:
                raw[at:at] = rng.choice(BREAKS)
        raw = bytes(raw)
        compress = rng.random() < 0.3
        path.write_bytes(gzip.compress(raw) if compress else raw)

        assert parsed_by_stream(path) == parsed_as_before(raw, str(path)), raw


def test_a_broken_gzip_stream_is_reported_before_the_json_inside(tmp_path):
    path = tmp_path / "cut.json.gz"
    path.write_bytes(gzip.compress(b'{"users": [{"id": 1,}]}' + b" " * 5000)[:-12])

    with pytest.raises(DatasetError) as info:
        reader.read_dataset_file(path)

    assert info.value.problems[0].startswith(f"{path}: not a readable gzip file")


def messy_dataset():
    """Problems in every list and of every kind, lists out of order, a list given twice."""
    data = full_dataset()
    members = [{"userId": 1, "courseId": 100, "joinStatus": "joined"}] * 3 + [
        {"userId": 999, "courseId": 998, "joinStatus": "left"},
        {"userId": 2, "courseId": 101, "joinStatus": "joined", "score": 2},
    ]
    return {
        "courseMembers": data["courseMembers"] + members,
        "extra": [1, 2],
        "users#": None,  # becomes "users": null, replaced by the last "users", as in json.loads
        "credentials": data["credentials"] + [{"key": "partner-key-0001", "kind": "partner"}],
        "orgRoles": data["orgRoles"] + [data["orgRoles"][0], {"userId": 77, "orgId": 78}],
        "courses": data["courses"] + [{"id": 100, "title": "Again", "createdBy": 55}],
        "orgs": data["orgs"] + [{"id": 30, "title": "Lost", "parentId": 31, "orgType": "base"}],
        "more": {},
        "users": data["users"]
        + [{"id": 1, "username": "ada"}, {"id": 5, "username": "ada", "email": "x"}],
    }


@pytest.mark.django_db(transaction=True)
def test_a_streamed_file_lists_every_problem_in_the_order_of_the_parsed_dict(tmp_path):
    data = messy_dataset()
    text = json.dumps(data).replace('"users#"', '"users"', 1)  # keep both "users" keys
    path = tmp_path / "messy.json"
    path.write_text(text)
    with pytest.raises(DatasetError) as parsed:
        load_dataset(json.loads(text))

    with pytest.raises(DatasetError) as streamed:
        load_dataset_file(path)

    assert streamed.value.problems == parsed.value.problems
    assert streamed.value.total == parsed.value.total == len(parsed.value.problems)
    lines = parsed.value.problems
    assert lines[:3] == [
        "extra: unknown list (the lists are users, orgs, orgRoles, courses, courseMembers, "
        "credentials)",
        "more: unknown list (the lists are users, orgs, orgRoles, courses, courseMembers, "
        "credentials)",
        "orgRoles[5].role: required",
    ]
    in_order = [
        "users[4].id: 1 is already the id of users[0]",
        "courses[3].id: 100 is already the id of courses[0]",
        "users[5].username: 'ada' is already used by users[0]",
        "orgs[5].parentId: org 31 is neither in the file nor in the database",
        "orgRoles[4]: the same role is already given at orgRoles[0]",
        "orgRoles[5].userId: user 77 is neither in the file nor in the database",
        "courses[3].createdBy: user 55 is neither in the file nor in the database",
        "courseMembers[6]: user 1 is already a member of course 100 at courseMembers[1]",
        "courseMembers[7].userId: user 999 is neither in the file nor in the database",
        "credentials[3].key: the same key is at credentials[0]",
    ]
    assert [line for line in lines if line in in_order] == in_order
    assert User.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_problems_found_in_sql_are_counted_beyond_the_first_50(tmp_path):
    members = [{"userId": 900 + n % 70, "courseId": 100, "joinStatus": "joined"} for n in range(90)]
    data = {**full_dataset(), "courseMembers": members}

    with pytest.raises(DatasetError) as info:
        load_dataset_file(write_json(tmp_path / "many.json", data))

    # 90 unknown users and 20 repeated pairs: the first 50 by record, 110 in all.
    assert info.value.total == 110
    assert info.value.problems[0] == (
        "courseMembers[0].userId: user 900 is neither in the file nor in the database"
    )
    assert info.value.problems[49] == (
        "courseMembers[49].userId: user 949 is neither in the file nor in the database"
    )


def bulk_dataset(users, members_per_user=4):
    data = full_dataset()
    data["users"] += [
        {"id": pk, "username": f"user{pk}", "lastSeen": "2026-11-01T10:00:00Z", "password": None}
        for pk in range(1000, 1000 + users)
    ]
    data["orgRoles"] += [
        {"userId": pk, "orgId": 11, "role": "learner"} for pk in range(1000, 1000 + users)
    ]
    data["courseMembers"] += [
        {"userId": pk, "courseId": course, "joinStatus": "joined", "score": 0.5,
         "joinedAt": "2026-10-01T09:00:00+02:00", "finishDate": None}
        for pk in range(1000, 1000 + users)
        for course in (100, 101, 102)[: members_per_user - 1]
    ]  # fmt: skip
    return data


@pytest.mark.django_db(transaction=True)
def test_staged_lists_load_whole_across_many_batches(tmp_path, monkeypatch):
    """Batches of 100 rows (executemany on SQLite, COPY on PostgreSQL), then set-wise writes."""
    monkeypatch.setattr(staging, "BATCH", 100)
    path = write_json(tmp_path / "bulk.json", bulk_dataset(1234))

    counts = load_dataset_file(path)

    assert counts["users"] == 1238 and counts["courseMembers"] == 4 + 3 * 1234
    assert User.objects.count() == 1238 and OrgRole.objects.count() == 4 + 1234
    member = CourseMember.objects.get(user_id=1500, course_id=101)
    assert (member.score, member.finish_date, member.joined_at.isoformat()) == (
        0.5,
        None,
        "2026-10-01T07:00:00+00:00",
    )
    assert not User.objects.get(pk=1500).has_usable_password()
    # A reload changes nothing, passwords included; the roster follows the large load.
    before = stored_rows()
    load_dataset_file(path)
    assert stored_rows() == before
    assert OrgMember.objects.filter(org_id=11).count() == 1 + 1234


def traced_peak(path):
    tracemalloc.start()
    try:
        load_dataset_file(path, replace=True)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.django_db(transaction=True)
def test_memory_does_not_grow_with_the_file(tmp_path, monkeypatch):
    """The peak of Python allocations for a file 4× larger stays within 1.5× (it grew
    linearly when the file was parsed whole: ~1.5 GB at 1,000,000 members)."""
    monkeypatch.setattr(staging, "BATCH", 500)
    monkeypatch.setattr(reader, "CHUNK", 16 * 1024)
    small = write_json(tmp_path / "small.json", bulk_dataset(1000))
    large = write_json(tmp_path / "large.json", bulk_dataset(4000))
    traced_peak(small)  # warm up: imports, caches

    small_peak, large_peak = traced_peak(small), traced_peak(large)

    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    assert CourseMember.objects.count() == 4 + 3 * 4000
