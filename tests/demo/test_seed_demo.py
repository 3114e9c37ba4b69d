"""manage.py seed_demo: a deterministic, realistic demo, with demo logins and keys that work; it
refuses a production host (DEBUG off) unless told the host is a demo."""

import gzip
import io
import json
import re
import shlex
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from dashboards.access import predicates as permissions
from dashboards.access.authentication import Principal, principal_for_key
from dashboards.demo import generator as demo
from dashboards.models import Course, CourseMember, CourseShare, Credential, Org, OrgRole, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

USERS = 120
ROOT = Path(__file__).resolve().parents[2]


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", "--users", str(USERS), "--seed", "7", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed()


# --- the generator ----------------------------------------------------------------------------


def test_same_users_and_seed_give_the_same_records():
    assert demo.demo_dataset(USERS, 7) == demo.demo_dataset(USERS, 7)
    assert demo.demo_dataset(USERS, 7) != demo.demo_dataset(USERS, 8)


def test_times_are_relative_to_the_demo_day():
    from datetime import UTC, datetime

    day = datetime(2030, 5, 17, tzinfo=UTC)
    data = demo.demo_dataset(USERS, 7, now=day)
    assert data == demo.demo_dataset(USERS, 7, now=day)
    last_seen = [u["lastSeen"] for u in data["users"] if u.get("lastSeen")]
    assert max(last_seen) <= "2030-05-17T00:00:00Z"
    assert max(last_seen) >= "2030-05-10"  # recent activity exists, whatever the day


def test_seed_demo_as_of_sets_the_demo_day(db):
    seed("--as-of", "2030-05-17")
    latest = User.objects.exclude(last_seen=None).latest("last_seen").last_seen
    assert latest.date().isoformat() <= "2030-05-17" and latest.year == 2030


def test_batch_size_does_not_change_the_records():
    merged = {kind: [] for kind in demo.KINDS}
    for _, batch in demo.DemoDataset(USERS, 7).batches(batch_users=9):
        for kind, records in batch.items():
            merged[kind] += records
    assert merged == demo.demo_dataset(USERS, 7)


def test_batches_reference_only_what_came_before():
    seen = {"users": set(), "orgs": set(), "courses": set()}
    for _, batch in demo.DemoDataset(USERS, 3).batches(batch_users=25):
        for kind in seen:
            seen[kind] |= {record["id"] for record in batch.get(kind, [])}
        for role in batch.get("orgRoles", []):
            assert role["userId"] in seen["users"] and role["orgId"] in seen["orgs"]
        for course in batch.get("courses", []):
            assert course["createdBy"] in seen["users"]
            assert set(course["sharedWith"]) <= seen["orgs"]
        for member in batch.get("courseMembers", []):
            assert member["userId"] in seen["users"] and member["courseId"] in seen["courses"]
    assert seen["users"] == set(range(1, USERS + 1))


def test_records_follow_the_dataset_format():
    data = demo.demo_dataset(USERS, 7)
    pairs = [(m["userId"], m["courseId"]) for m in data["courseMembers"]]
    assert len(pairs) == len(set(pairs))
    usernames = [u["username"] for u in data["users"] if u["username"]]
    emails = [u["email"] for u in data["users"] if u["email"]]
    assert len(usernames) == len(set(usernames)) and len(emails) == len(set(emails))
    timestamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    for member in data["courseMembers"]:
        assert 0 <= member["completionRate"] <= 100
        assert member["score"] is None or 0 <= member["score"] <= 1
        for field in ("joinedAt", "lastActiveAt", "startDate", "finishDate"):
            assert member[field] is None or timestamp.fullmatch(member[field])
    assert all(len(c["key"]) >= 32 for c in data["credentials"])


def test_too_few_users_is_a_clear_error(db):
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", "--users", "3", stdout=io.StringIO())


def test_memberships_grow_to_about_ten_per_user_at_scale():
    demo_at_scale = demo.DemoDataset(100_000, 1)
    assert demo_at_scale.mean_courses == 10
    assert len(demo_at_scale.containers) == 5


def test_the_generator_imports_no_django():
    code = (
        "import sys; import dashboards.demo.records; "
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_make_dataset_writes_the_demo_records(tmp_path):
    from bench import make_dataset

    out = tmp_path / "demo.json.gz"
    make_dataset.main([str(out), "--users", str(USERS), "--seed", "7", "--as-of", "2030-05-17"])
    day = datetime(2030, 5, 17, tzinfo=UTC)
    with gzip.open(out, "rt", encoding="utf-8") as written:
        assert json.load(written) == demo.demo_dataset(USERS, 7, now=day)


def test_make_dataset_resizes_the_demo(tmp_path):
    from bench import make_dataset

    out = tmp_path / "demo.json"
    shape = ["--containers", "2", "--orgs", "30", "--courses", "40", "--members", "600"]
    make_dataset.main([str(out), "--users", "200", *shape])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert sum(org["orgType"] == "container" for org in data["orgs"]) == 2
    assert len(data["orgs"]) >= 30 and len(data["courses"]) == 40
    learners = [m for m in data["courseMembers"] if m["joinStatus"] not in ("creator", "manager")]
    assert 400 <= len(learners) <= 800


# --- the seeded database ----------------------------------------------------------------------


def snapshot():
    """Every row of the demo's tables, without salted password hashes and creation clocks."""
    user_fields = [
        f.attname
        for f in User._meta.concrete_fields
        if f.attname not in ("password", "last_login", "date_joined")
    ]
    return {
        "users": list(User.objects.order_by("id").values_list(*user_fields)),
        "orgs": list(Org.objects.order_by("id").values_list()),
        "roles": list(
            OrgRole.objects.order_by("user", "org", "role").values_list("user", "org", "role")
        ),
        "courses": list(Course.objects.order_by("id").values_list()),
        "shares": list(CourseShare.objects.order_by("course", "org").values_list("course", "org")),
        "members": list(
            CourseMember.objects.order_by("course", "user").values_list(
                *[f.attname for f in CourseMember._meta.concrete_fields if f.attname != "id"]
            )
        ),
        "credentials": list(
            Credential.objects.order_by("key_hash").values_list(
                "key_hash", "kind", "user", "container", "expires_at", "revoked"
            )
        ),
    }


def test_two_runs_with_the_same_seed_write_the_same_rows(seeded):
    first = snapshot()
    assert len(first["users"]) == USERS
    seed("--replace")
    assert snapshot() == first


def test_demo_logins_authenticate(seeded):
    admin = authenticate(username="admin", password="admin-demo-pass")
    assert admin is not None and admin.is_superuser and admin.is_staff
    orgadmin = authenticate(username="orgadmin", password="orgadmin-demo-pass")
    assert orgadmin is not None and not orgadmin.is_superuser
    manager = authenticate(username="manager", password="manager-demo-pass")
    assert manager is not None
    assert authenticate(username="admin", password="wrong") is None


def test_the_org_admin_administers_a_container(seeded):
    role = OrgRole.objects.select_related("org").get(user__username="orgadmin")
    assert role.role == OrgRole.ADMIN and role.org.org_type == Org.CONTAINER


def test_the_manager_manages_courses_and_administers_no_org(seeded):
    manager = User.objects.get(username="manager")
    managed = Course.objects.filter(
        members__user=manager, members__join_status=CourseMember.MANAGER
    )
    assert managed.count() >= 3
    assert not OrgRole.objects.filter(user=manager).exists()
    principal = Principal(user=manager)
    assert all(permissions.can_view_course(principal, course) for course in managed)
    container = Org.objects.filter(org_type=Org.CONTAINER).first()
    assert not permissions.can_view_org(principal, container)


def test_demo_keys_work(seeded):
    orgadmin = User.objects.get(username="orgadmin")
    container = Org.objects.get(roles__user=orgadmin, roles__role=OrgRole.ADMIN)
    assert principal_for_key(demo.PARTNER_KEY).is_partner
    token = principal_for_key(demo.ORG_ADMIN_TOKEN)
    assert token.user == orgadmin and token.container_id is None
    session = principal_for_key(demo.ORG_ADMIN_SESSION)
    assert session.user == orgadmin and session.container_id == container.pk
    assert permissions.can_view_org(session, container)


def test_the_demo_has_anonymous_never_seen_and_accented_users(seeded):
    anonymous = User.objects.filter(
        username__isnull=True,
        email__isnull=True,
        first_name__isnull=True,
        last_name__isnull=True,
        fn__isnull=True,
        full_name__isnull=True,
    )
    assert anonymous.exists()
    assert User.objects.filter(last_seen__isnull=True).exists()
    names = set(User.objects.values_list("display_name", flat=True))
    assert "Unknown" in names
    assert any(not name.isascii() for name in names)
    assert User.objects.filter(full_name__isnull=False).exists()
    assert User.objects.filter(fn__isnull=False).exists()
    assert User.objects.filter(first_name__isnull=False, last_name__isnull=True).exists()
    assert User.objects.filter(first_name__isnull=True, last_name__isnull=False).exists()


def test_the_demo_has_every_join_status_and_stage(seeded):
    statuses = set(CourseMember.objects.values_list("join_status", flat=True))
    assert statuses == {s for s, _ in CourseMember.JOIN_STATUSES}
    joined = CourseMember.objects.filter(join_status=CourseMember.JOINED)
    assert joined.filter(completion_rate=0).exists()
    assert joined.filter(completion_rate__gt=0, completion_rate__lt=100).exists()
    completed = joined.filter(completion_rate=100, finish_date__isnull=False)
    assert completed.filter(score__isnull=False).exists()
    assert CourseMember.objects.filter(last_active_at__isnull=True).exists()
    per_course = Course.objects.annotate(
        creators=Count("members", filter=Q(members__join_status=CourseMember.CREATOR)),
        managers=Count("members", filter=Q(members__join_status=CourseMember.MANAGER)),
    )
    assert all(c.creators == 1 and c.managers >= 1 for c in per_course)
    assert all(
        c.created_by_id == c.members.get(join_status=CourseMember.CREATOR).user_id
        for c in Course.objects.all()
    )


def test_org_trees_are_deep_and_a_course_skips_a_sibling(seeded):
    containers = Org.objects.filter(org_type=Org.CONTAINER)
    assert containers.count() == 3
    depths = [len(org.ancestor_ids) for org in Org.objects.all()]
    assert max(depths) >= 4  # container → base → base → topic
    assert Org.objects.filter(org_type=Org.PORTAL).exists()
    assert Org.objects.filter(org_type=Org.TOPIC).exists()
    skipped = False
    for share in CourseShare.objects.select_related("org"):
        siblings = Org.objects.filter(parent_id=share.org.parent_id).exclude(pk=share.org_id)
        if share.org.parent_id and siblings.exclude(shares__course=share.course_id).exists():
            skipped = True
            break
    assert skipped
    for course in Course.objects.prefetch_related("shared_with"):
        assert all(org.container_id == course.container_id for org in course.shared_with.all())


def test_if_empty_writes_nothing_on_a_database_with_users(db):
    make_user(username="someone")
    out = seed("--if-empty")
    assert "nothing written" in out
    assert User.objects.count() == 1
    assert not Org.objects.exists() and not Credential.objects.exists()


def test_if_empty_on_a_seeded_database_prints_the_logins_again(seeded):
    users = User.objects.count()
    out = seed("--if-empty")
    assert "nothing written" in out
    assert "orgadmin-demo-pass" in out and demo.ORG_ADMIN_TOKEN in out
    assert User.objects.count() == users


def test_seeding_a_database_with_users_needs_a_flag(db):
    make_user()
    with pytest.raises(CommandError, match="--if-empty"):
        seed()


def test_if_empty_seeds_an_empty_database(db):
    seed("--if-empty")
    assert User.objects.count() == USERS


def test_the_output_lists_logins_urls_and_working_api_calls(seeded, client):
    out = seeded
    for login in demo.LOGINS:
        assert f"{login.username}" in out and login.password in out
    assert "http://127.0.0.1:8000/ " in out and "http://127.0.0.1:8000/admin/" in out
    assert "DEMO ONLY" in out
    curls = [line.strip() for line in out.splitlines() if line.strip().startswith("curl ")]
    assert any("/api/v2/course/" in c and "Authorization: Bearer" in c for c in curls)
    assert any("/vfo/orgs/" in c and "SID:" in c for c in curls)
    for curl in curls:
        words = shlex.split(curl)
        header = words[words.index("-H") + 1]
        name, _, value = header.partition(": ")
        url = words[-1].removeprefix("http://127.0.0.1:8000")
        meta = {"HTTP_" + name.upper().replace("-", "_"): value}
        response = client.get(url, **meta)
        assert response.status_code == 200, (curl, response.content[:200])
        assert response.json()


# --- a production host ------------------------------------------------------------------------


def test_seed_demo_refuses_without_debug_unless_the_host_is_a_demo(settings):
    from django.core.management import CommandError, call_command

    from dashboards.models import User

    settings.DEBUG, settings.DEMO_HOST = False, False
    out = io.StringIO()
    with pytest.raises(CommandError, match="--demo-host"):
        call_command("seed_demo", "--users", "60", stdout=out, stderr=out)
    assert not User.objects.exists()
    call_command("seed_demo", "--users", "60", "--demo-host", stdout=out, stderr=out)
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    settings.DEBUG = True  # make run
    call_command("seed_demo", "--if-empty", stdout=out, stderr=out)
    assert "nothing written" in out.getvalue()
