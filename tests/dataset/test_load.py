import gzip
import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth import authenticate
from django.db import connection

from dashboards.access.authentication import InvalidCredentials, principal_for_key
from dashboards.dataset.load import DatasetError, load_dataset, read_dataset_file
from dashboards.models import Course, CourseMember, CourseShare, Credential, Org, OrgRole, User
from tests.dataset_samples import (
    ADA_PASSWORD,
    failed_load,
    full_dataset,
    row_counts,
    run_load,
    stored_rows,
    write_json,
)
from tests.factories import make_course, make_member, make_org, make_role, make_user

pytestmark = pytest.mark.django_db


def at(text):
    return datetime.fromisoformat(text).astimezone(UTC)


def test_load_writes_every_list(tmp_path):
    output = run_load(write_json(tmp_path / "data.json", full_dataset()))

    assert "Loaded 4 users, 5 orgs, 4 orgRoles, 3 courses, 4 courseMembers, 3 credentials" in output
    assert row_counts() == {
        "User": 4,
        "Org": 5,
        "OrgRole": 4,
        "Course": 3,
        "CourseShare": 2,
        "CourseMember": 4,
        "Credential": 3,
    }


def test_user_fields_are_stored_as_the_format_says(tmp_path):
    run_load(write_json(tmp_path / "data.json", full_dataset()))

    ada = User.objects.get(pk=1)
    assert (ada.username, ada.email, ada.first_name, ada.last_name) == (
        "ada",
        "ada@example.org",
        "Ada",
        "Lovelace",
    )
    assert ada.full_name == " Augusta Ada King "  # kept exactly as given
    assert ada.long_desc == "Wrote the first program.\nFor the Analytical Engine."
    assert ada.last_seen == datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    assert ada.is_superuser and ada.is_staff and ada.is_active
    assert ada.display_name == " Augusta Ada King "
    assert ada.name_key == " augusta ada king "
    assert authenticate(username="ada", password=ADA_PASSWORD) == ada

    emile = User.objects.get(pk=2)
    assert (emile.first_name, emile.last_name, emile.location, emile.email) == (None,) * 4
    assert emile.display_name == "Émile Zola" and emile.name_key == "emile zola"
    assert emile.search_key.split("\n") == ["emile zola", "emile"]
    assert emile.roster_search_key.split("\n") == ["emile", "emile zola"]
    assert not emile.has_usable_password() and not emile.is_superuser and not emile.is_staff

    anonymous = User.objects.get(pk=3)
    assert anonymous.display_name == "Unknown" and anonymous.username is None
    assert User.objects.get(pk=4).last_seen == datetime(2026, 10, 15, 8, 30, 0, 250000, tzinfo=UTC)


def test_orgs_are_placed_in_their_tree_even_when_a_child_comes_first(tmp_path):
    run_load(write_json(tmp_path / "data.json", full_dataset()))

    places = dict(Org.objects.values_list("pk", "path"))
    assert places == {10: "/10/", 11: "/10/11/", 12: "/10/11/12/", 13: "/10/13/", 20: "/20/"}
    assert set(Org.objects.values_list("container_id", flat=True)) == {10, 20}
    assert Org.objects.get(pk=20).container_id == 20
    assert Org.objects.get(pk=12).ancestor_ids == [10, 11, 12]


def test_roles_courses_members_and_credentials(tmp_path):
    run_load(write_json(tmp_path / "data.json", full_dataset()))

    assert sorted(OrgRole.objects.values_list("user_id", "org_id", "role")) == [
        (1, 10, "admin"),
        (1, 10, "instructor"),
        (2, 11, "learner"),
        (4, 13, "learner"),
    ]
    intro = Course.objects.get(pk=100)
    assert (intro.title_key, intro.course_type, intro.privacy, intro.created_by_id) == (
        "intro to statistics",
        "structured",
        "open",
        1,
    )
    assert sorted(intro.shared_with.values_list("pk", flat=True)) == [10, 12]
    ete = Course.objects.get(pk=101)
    assert (ete.title_key, ete.slug, ete.created_at, ete.created_by_id) == (
        "cours d'ete",
        "",
        None,
        None,
    )
    loose = Course.objects.get(pk=102)
    assert (loose.container_id, loose.course_type, loose.privacy, loose.slug) == (
        None,
        "self-paced",
        "",
        "",
    )

    finished = CourseMember.objects.get(user_id=2, course_id=100)
    assert finished.last_active_at == at("2026-11-01T15:00:00Z")
    assert (finished.completion_rate, finished.score) == (100, 0.35)
    assert finished.finish_date == at("2026-10-30T00:00:00Z")
    invited = CourseMember.objects.get(user_id=4, course_id=100)
    assert (invited.join_status, invited.completion_rate, invited.score, invited.joined_at) == (
        "invited",
        0,
        None,
        None,
    )
    assert CourseMember.objects.get(user_id=4, course_id=101).score == 1.0

    assert principal_for_key("partner-key-0001").is_partner
    session = principal_for_key("session-key-0001")
    assert (session.user.pk, session.container_id) == (1, 10)
    with pytest.raises(InvalidCredentials):
        principal_for_key("token-key-0001")  # revoked
    token = Credential.objects.get(kind="token")
    assert token.expires_at == at("2026-12-31T23:00:00Z") and token.revoked
    assert token.key_hash == Credential.hash_key("token-key-0001")
    assert "token-key-0001" not in str(list(Credential.objects.values()))


def test_a_second_load_of_the_same_file_changes_nothing(tmp_path):
    path = write_json(tmp_path / "data.json", full_dataset())
    run_load(path)
    before = stored_rows()

    run_load(path)

    assert stored_rows() == before  # row ids, password hashes, created_at and all


def test_a_reload_updates_changed_records_and_keeps_rows_it_does_not_mention(tmp_path):
    path = write_json(tmp_path / "data.json", full_dataset())
    run_load(path)
    extra_user = make_user(username="outsider")
    data = full_dataset()
    data["users"][3]["firstName"] = "Zoé"
    data["courses"][0]["sharedWith"] = [11]
    data["courseMembers"][2].update(joinStatus="joined", completionRate=5)
    data["credentials"][2]["revoked"] = False
    member_id = CourseMember.objects.get(user_id=4, course_id=100).pk
    token_id = Credential.objects.get(kind="token").pk

    run_load(write_json(path, data))

    assert User.objects.get(pk=4).search_key.startswith("zoe\n")
    assert list(Course.objects.get(pk=100).shared_with.values_list("pk", flat=True)) == [11]
    member = CourseMember.objects.get(user_id=4, course_id=100)
    assert (member.pk, member.join_status, member.completion_rate) == (member_id, "joined", 5)
    token = Credential.objects.get(kind="token")
    assert (token.pk, token.revoked) == (token_id, False)
    assert User.objects.filter(pk=extra_user.pk).exists()
    assert CourseShare.objects.count() == 1


def test_usernames_may_move_between_users_in_one_load(tmp_path):
    run_load(write_json(tmp_path / "data.json", full_dataset()))
    data = full_dataset()
    data["users"][0]["username"], data["users"][3]["username"] = "zoë", "ada"
    data["users"][0]["email"], data["users"][3]["email"] = "zoe@example.org", "ada@example.org"

    run_load(write_json(tmp_path / "swap.json", data))

    assert User.objects.get(pk=1).username == "zoë" and User.objects.get(pk=4).username == "ada"


class TestPasswords:
    def load_user(self, tmp_path, **fields):
        run_load(write_json(tmp_path / "u.json", {"users": [{"id": 7, "username": "u", **fields}]}))
        return User.objects.get(pk=7)

    def test_a_password_is_set_and_kept_while_it_matches(self, tmp_path):
        first = self.load_user(tmp_path, password="first-pass").password
        assert self.load_user(tmp_path, password="first-pass").password == first
        changed = self.load_user(tmp_path, password="second-pass")
        assert changed.password != first and changed.check_password("second-pass")

    def test_without_the_key_a_stored_password_is_kept(self, tmp_path):
        first = self.load_user(tmp_path, password="first-pass").password
        assert self.load_user(tmp_path).password == first

    def test_null_removes_a_usable_password_once(self, tmp_path):
        self.load_user(tmp_path, password="first-pass")
        unusable = self.load_user(tmp_path, password=None).password
        assert not User.objects.get(pk=7).has_usable_password()
        assert self.load_user(tmp_path, password=None).password == unusable

    def test_is_superuser_false_takes_staff_away(self, tmp_path):
        self.load_user(tmp_path, isSuperuser=True)
        user = self.load_user(tmp_path)
        assert not user.is_superuser and not user.is_staff


def test_references_may_point_at_rows_already_in_the_database(tmp_path):
    container = make_org("Stored")
    user = make_user()
    course = make_course(container=container)
    data = {
        "orgs": [{"id": 500, "title": "New team", "parentId": container.pk, "orgType": "base"}],
        "orgRoles": [{"userId": user.pk, "orgId": 500, "role": "admin"}],
        "courses": [{"id": 600, "title": "New", "containerId": container.pk, "createdBy": user.pk,
                     "sharedWith": [500, container.pk]}],
        "courseMembers": [{"userId": user.pk, "courseId": course.pk, "joinStatus": "joined"}],
        "credentials": [{"key": "stored-user-key", "kind": "session", "userId": user.pk,
                         "containerId": container.pk}],
    }  # fmt: skip

    run_load(write_json(tmp_path / "data.json", data))

    assert Org.objects.get(pk=500).path == f"/{container.pk}/500/"
    assert CourseMember.objects.filter(user=user, course=course).exists()


def test_moving_a_stored_org_moves_its_stored_subtree(tmp_path):
    acme, globex = make_org("Acme"), make_org("Globex")
    sales = make_org("Sales", parent=acme)
    east = make_org("East", parent=sales)
    data = {"orgs": [{"id": sales.pk, "title": "Sales", "parentId": globex.pk, "orgType": "base"}]}

    run_load(write_json(tmp_path / "data.json", data))

    east.refresh_from_db()
    assert east.path == f"/{globex.pk}/{sales.pk}/{east.pk}/" and east.container_id == globex.pk


def test_an_org_cannot_move_below_its_own_stored_descendant(tmp_path):
    acme = make_org("Acme")
    sales = make_org("Sales", parent=acme)
    east = make_org("East", parent=sales)
    data = {"orgs": [{"id": sales.pk, "title": "Sales", "parentId": east.pk, "orgType": "base"}]}
    before = stored_rows()

    lines = failed_load(write_json(tmp_path / "data.json", data))

    assert lines == [
        f"orgs[0].parentId: the parent chain loops: {sales.pk} → {east.pk} → {sales.pk}"
    ]
    assert stored_rows() == before


def test_new_rows_get_ids_after_the_loaded_ones(tmp_path):
    run_load(write_json(tmp_path / "data.json", full_dataset()))

    assert make_user().pk > 4
    assert make_org("Later").pk > 20
    assert make_course().pk > 102


def test_replace_deletes_every_row_of_the_kinds_in_the_file(tmp_path):
    admin = make_user(username="root", is_superuser=True, is_staff=True)
    stored_org = make_org("Stored")
    stored_course = make_course("Stored course", container=stored_org, created_by=admin)
    make_member(admin, stored_course)
    make_role(admin, stored_org)
    data = full_dataset()
    data = {"users": data["users"], "orgs": data["orgs"]}

    output = run_load(write_json(tmp_path / "data.json", data), "--replace")

    assert "Loaded 4 users, 5 orgs" in output
    assert sorted(User.objects.values_list("pk", flat=True)) == [1, 2, 3, 4]  # root is gone too
    assert sorted(Org.objects.values_list("pk", flat=True)) == [10, 11, 12, 13, 20]
    stored_course.refresh_from_db()  # a kind not in the file stays, minus what cascaded
    assert (stored_course.container_id, stored_course.created_by_id) == (None, None)
    assert not CourseMember.objects.exists() and not OrgRole.objects.exists()


def test_without_replace_stored_rows_stay(tmp_path):
    other = make_user(username="other")

    run_load(write_json(tmp_path / "data.json", full_dataset()))

    assert User.objects.filter(pk=other.pk).exists()


def test_replace_with_an_empty_list_empties_that_kind_only(tmp_path):
    run_load(write_json(tmp_path / "data.json", full_dataset()))

    run_load(write_json(tmp_path / "empty.json", {"courseMembers": []}), "--replace")

    assert row_counts()["CourseMember"] == 0 and row_counts()["User"] == 4


def test_a_gzipped_file_loads(tmp_path):
    path = tmp_path / "data.json.gz"
    path.write_bytes(gzip.compress(json.dumps(full_dataset()).encode()))

    assert "Loaded 4 users" in run_load(path)


def test_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "users": [\n    {"id": 1,}\n  ]\n}\n')

    lines = failed_load(path)

    assert lines == [f"{path}: line 3 column 14: malformed JSON (Expecting property name "
                     "enclosed in double quotes)"]  # fmt: skip
    assert row_counts()["User"] == 0


def test_malformed_gzipped_json_names_line_and_column(tmp_path):
    path = tmp_path / "bad.json.gz"
    path.write_bytes(gzip.compress(b'{"users": [\n\n  {"id": 1} {"id": 2}]}'))

    assert failed_load(path) == [
        f"{path}: line 3 column 13: malformed JSON (Expecting ',' delimiter)"
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\x1f\x8bnot really gzip", "not a readable gzip file"),
        (b'{"users": [{"id": 1, "username": "\xff"}]}', "line 1 column 35: not UTF-8 text"),
        (b"[]", "expected a JSON object at the top, got list"),
        (b"", "line 1 column 1: malformed JSON (Expecting value)"),
    ],
)
def test_unreadable_files_are_refused(tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_bytes(content)

    lines = failed_load(path)

    assert len(lines) == 1 and lines[0].startswith(f"{path}: ") and problem in lines[0]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path):
    assert failed_load(tmp_path / "nowhere.json") == [
        f"{tmp_path / 'nowhere.json'}: cannot read the file (No such file or directory)"
    ]


def test_one_bad_record_at_the_end_of_a_big_file_writes_nothing(tmp_path):
    run_load(write_json(tmp_path / "data.json", full_dataset()))
    before = stored_rows()
    users = [{"id": pk, "username": f"bulk{pk}"} for pk in range(1000, 3000)]
    members = [{"userId": pk, "courseId": 100, "joinStatus": "joined"} for pk in range(1000, 3000)]
    members.append({"userId": 1000, "courseId": 101, "joinStatus": "left"})
    data = {"users": users, "courseMembers": members}

    lines = failed_load(write_json(tmp_path / "big.json", data))

    assert lines == [
        "courseMembers[2000].joinStatus: 'left' is not one of creator, manager, joined, invited, "
        "requested"
    ]
    assert stored_rows() == before


def test_at_most_50_problems_are_printed_then_a_count(tmp_path):
    data = {"users": [{"id": -pk} for pk in range(1, 61)]}

    lines = failed_load(write_json(tmp_path / "data.json", data))

    assert len(lines) == 51
    assert lines[0] == "users[0].id: expected a positive integer, got -1"
    assert lines[49] == "users[49].id: expected a positive integer, got -50"
    assert lines[50] == "…and 10 more"


def test_the_python_interface_returns_counts_and_raises_dataset_error(tmp_path):
    counts = load_dataset(full_dataset())
    assert counts == {
        "users": 4,
        "orgs": 5,
        "orgRoles": 4,
        "courses": 3,
        "courseMembers": 4,
        "credentials": 3,
    }
    with pytest.raises(DatasetError) as info:
        load_dataset({"users": [{"id": 0}], "orgs": [{"id": 1}]})
    assert info.value.problems == [
        "users[0].id: expected a positive integer, got 0",
        "orgs[0].title: required",
        "orgs[0].orgType: required",
    ]
    assert info.value.total == 3
    with pytest.raises(DatasetError, match=r"^dataset: expected an object, got list$"):
        load_dataset([])

    path = tmp_path / "bad.json"
    path.write_text("{]")
    with pytest.raises(DatasetError, match="line 1 column 2"):
        read_dataset_file(path)
    assert read_dataset_file(write_json(tmp_path / "ok.json", {"users": []})) == {"users": []}


def test_loading_uses_a_constant_number_of_queries(tmp_path, django_assert_max_num_queries):
    run_load(write_json(tmp_path / "data.json", full_dataset()))
    users = [{"id": pk, "username": f"bulk{pk}", "password": None} for pk in range(1000, 1600)]
    members = [{"userId": pk, "courseId": 100, "joinStatus": "joined"} for pk in range(1000, 1600)]
    roles = [{"userId": pk, "orgId": 11, "role": "learner"} for pk in range(1000, 1600)]
    data = {"users": users, "orgRoles": roles, "courseMembers": members}

    # A fixed set of statements, whatever the size: the checks, the staging tables, the writes.
    with django_assert_max_num_queries(45):
        load_dataset(data)

    assert CourseMember.objects.count() == 604


def test_progress_bars_go_to_stderr(tmp_path, capsys):
    from io import StringIO

    from django.core.management import call_command

    path = write_json(tmp_path / "data.json", full_dataset())
    call_command("load_dataset", str(path), "--progress", stdout=StringIO())

    assert "Checking" in capsys.readouterr().err


def test_the_database_tables_are_left_in_a_usable_state_after_a_failed_load(tmp_path):
    data = full_dataset()
    data["credentials"].append({"key": "short", "kind": "partner"})
    failed_load(write_json(tmp_path / "data.json", data))

    assert row_counts() == dict.fromkeys(row_counts(), 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
