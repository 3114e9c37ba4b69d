"""The org roster (OrgMember) always equals what roles, shares and course members say.

`expected_roster` derives the roster in Python from the source tables, straight from the
contract (org-dashboard-api.md: members, role, enrolledCount, completedCount); every test
writes through one path (ORM, bulk, queryset update, cascade, raw SQL, the loader, seed_demo)
and compares the stored roster with it.
"""

import random
from collections import defaultdict
from urllib.parse import urlencode

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.http import QueryDict
from django.utils import timezone

from dashboards.dataset import load as dataset_load
from dashboards.dataset.errors import DatasetError
from dashboards.dataset.load import load_dataset
from dashboards.demo.generator import seed_demo
from dashboards.filters.orgs import OrgMemberFilterSet
from dashboards.listings import Listing, PageWindow
from dashboards.models import (
    Course,
    CourseMember,
    CourseShare,
    Org,
    OrgMember,
    OrgMemberTally,
    OrgRole,
    RosterPause,
    User,
)
from dashboards.roster import bulk_indexes
from dashboards.roster import writes as roster_writes
from dashboards.selectors.orgs import member_tally, org_members, portal_members
from tests.dataset_samples import full_dataset
from tests.factories import make_course, make_member, make_org, make_role, make_user

RANKS = {OrgRole.ADMIN: 0, OrgRole.INSTRUCTOR: 1, OrgRole.LEARNER: 2}
COURSE_LEARNER_RANK = 3


def expected_roster():
    """{(org, user): (role rank, portal rank, enrolled, completed, anonymous, name key, last
    seen)} from the source tables."""
    ranks, staff = {}, {}
    for org, user, role in OrgRole.objects.values_list("org_id", "user_id", "role"):
        ranks[org, user] = min(ranks.get((org, user), COURSE_LEARNER_RANK), RANKS[role])
    portals = Org.objects.filter(org_type=Org.PORTAL).values_list("pk", "container_id")
    for portal, container in portals:
        for user, role in OrgRole.objects.filter(
            org=container, role__in=[OrgRole.ADMIN, OrgRole.INSTRUCTOR]
        ).values_list("user_id", "role"):
            staff[portal, user] = min(staff.get((portal, user), COURSE_LEARNER_RANK), RANKS[role])
    shared_with = defaultdict(list)
    for course, org in CourseShare.objects.values_list("course_id", "org_id"):
        shared_with[course].append(org)
    counts = defaultdict(lambda: [0, 0])
    joined = CourseMember.objects.filter(join_status=CourseMember.JOINED)
    for course, user, finish in joined.values_list("course_id", "user_id", "finish_date"):
        for org in shared_with[course]:
            counts[org, user][0] += 1
            counts[org, user][1] += finish is not None
    users = {
        user.pk: (
            not (user.email or user.username or user.real_name),
            user.name_key,
            user.last_seen,
        )
        for user in User.objects.all()
    }
    roster = {}
    for pair in set(ranks) | set(counts) | set(staff):
        member = pair in ranks or pair in counts
        role_rank = ranks.get(pair, COURSE_LEARNER_RANK) if member else None
        portal_rank = min(
            ranks.get(pair, COURSE_LEARNER_RANK), staff.get(pair, COURSE_LEARNER_RANK)
        )
        roster[pair] = (role_rank, portal_rank, *counts.get(pair, (0, 0)), *users[pair[1]])
    return roster


def stored_roster():
    rows = OrgMember.objects.values_list(
        "org_id",
        "user_id",
        "role_rank",
        "portal_rank",
        "enrolled_count",
        "completed_count",
        "anonymous",
        "name_key",
        "last_seen",
    )
    return {(org, user): tuple(values) for org, user, *values in rows}


def member_row(org, user):
    """(role rank, enrolled, completed) of the user in the org's member listing."""
    role_rank, _, enrolled, completed, *_ = stored_roster()[org, user]
    return role_rank, enrolled, completed


def ranks_row(org, user):
    """(role rank, portal rank, enrolled, completed) of the user's roster row in org."""
    return stored_roster()[org, user][:4]


def expected_tally():
    """{(org, role key, portal rank, anonymous): rows} counted from the stored roster."""
    tally = defaultdict(int)
    for (org, _), (role_rank, portal_rank, _, _, anonymous, _, _) in stored_roster().items():
        role_key = OrgMemberTally.NOT_A_MEMBER if role_rank is None else role_rank
        tally[org, role_key, portal_rank, anonymous] += 1
    return dict(tally)


def stored_tally():
    rows = OrgMemberTally.objects.filter(members__gt=0).values_list(
        "org_id", "role_key", "portal_rank", "anonymous", "members"
    )
    return {tuple(key): members for *key, members in rows}


def assert_roster_in_step():
    assert stored_roster() == expected_roster()
    assert stored_tally() == expected_tally()
    assert not OrgMemberTally.objects.filter(members__lt=0).exists()
    assert not RosterPause.objects.exists()


@pytest.fixture
def world(db):
    acme = make_org("Acme")
    sales = make_org("Sales", parent=acme)
    portal = make_org("Academy", parent=acme, org_type=Org.PORTAL)
    ada, bob, cy = make_user(), make_user(), make_user()
    stats = make_course("Stats", container=acme, shared_with=[acme, sales])
    art = make_course("Art", container=acme, shared_with=[portal])
    make_role(ada, acme, OrgRole.ADMIN)
    make_role(bob, sales, OrgRole.LEARNER)
    make_member(bob, stats)
    make_member(cy, stats, finish_date=timezone.now())
    make_member(cy, art, join_status=CourseMember.INVITED)
    return {
        "orgs": [acme, sales, portal],
        "users": [ada, bob, cy],
        "courses": [stats, art],
    }


def test_the_roster_holds_each_member_with_rank_and_counts(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    assert {pair: row[:4] for pair, row in stored_roster().items()} == {
        (acme.pk, ada.pk): (0, 0, 0, 0),
        (acme.pk, bob.pk): (3, 3, 1, 0),
        (acme.pk, cy.pk): (3, 3, 1, 1),
        (sales.pk, bob.pk): (2, 2, 1, 0),
        (sales.pk, cy.pk): (3, 3, 1, 1),
        (portal.pk, ada.pk): (None, 0, 0, 0),  # the container's admin, in the portal listing
    }
    assert_roster_in_step()


def test_role_writes(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    role = make_role(cy, portal, OrgRole.INSTRUCTOR)
    assert member_row(portal.pk, cy.pk) == (1, 0, 0)
    role.role = OrgRole.ADMIN
    role.save()
    assert member_row(portal.pk, cy.pk) == (0, 0, 0)
    role.org = sales
    role.save()
    assert (portal.pk, cy.pk) not in stored_roster()
    assert member_row(sales.pk, cy.pk) == (0, 1, 1)
    role.delete()
    assert member_row(sales.pk, cy.pk) == (3, 1, 1)
    OrgRole.objects.filter(user=ada).delete()
    assert (acme.pk, ada.pk) not in stored_roster()
    assert_roster_in_step()


def test_a_second_role_keeps_the_highest_rank(world):
    acme, sales, _ = world["orgs"]
    bob = world["users"][1]
    make_role(bob, sales, OrgRole.INSTRUCTOR)
    assert member_row(sales.pk, bob.pk) == (1, 1, 0)
    OrgRole.objects.filter(user=bob, role=OrgRole.INSTRUCTOR).delete()
    assert member_row(sales.pk, bob.pk) == (2, 1, 0)
    assert_roster_in_step()


def test_share_writes(world):
    acme, sales, portal = world["orgs"]
    stats, art = world["courses"]
    bob, cy = world["users"][1:]
    CourseShare.objects.create(course=stats, org=portal)
    assert member_row(portal.pk, bob.pk) == (3, 1, 0)
    CourseShare.objects.filter(course=stats, org=acme).delete()
    assert (acme.pk, bob.pk) not in stored_roster()
    CourseShare.objects.filter(course=stats, org=portal).update(org=acme)
    assert member_row(acme.pk, bob.pk) == (3, 1, 0)
    assert (portal.pk, bob.pk) not in stored_roster()
    stats.shared_with.set([portal])
    assert_roster_in_step()


def test_course_member_writes(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    stats, art = world["courses"]
    link = CourseMember.objects.get(user=cy, course=art)
    link.join_status = CourseMember.JOINED
    link.save()
    assert member_row(portal.pk, cy.pk) == (3, 1, 0)
    CourseMember.objects.filter(pk=link.pk).update(finish_date=timezone.now())
    assert member_row(portal.pk, cy.pk) == (3, 1, 1)
    CourseMember.objects.filter(pk=link.pk).update(join_status=CourseMember.REQUESTED)
    assert (portal.pk, cy.pk) not in stored_roster()
    CourseMember.objects.filter(user=bob, course=stats).update(course=art)
    assert (acme.pk, bob.pk) not in stored_roster()
    assert member_row(portal.pk, bob.pk) == (3, 1, 0)
    CourseMember.objects.bulk_create(
        [CourseMember(user=ada, course=stats, join_status=CourseMember.JOINED)]
    )
    assert member_row(acme.pk, ada.pk) == (0, 1, 0)
    CourseMember.objects.filter(user=cy).delete()
    assert_roster_in_step()


def test_columns_the_roster_does_not_read_change_nothing(world):
    link = CourseMember.objects.get(user=world["users"][1], course=world["courses"][0])
    before = stored_roster()
    CourseMember.objects.filter(pk=link.pk).update(completion_rate=50, score=0.5)
    assert stored_roster() == before
    assert_roster_in_step()


def test_deleting_users_orgs_and_courses_cascades(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    stats, art = world["courses"]
    bob.delete()
    assert all(user != bob.pk for _, user in stored_roster())
    assert_roster_in_step()
    stats.delete()
    assert_roster_in_step()
    sales.delete()
    assert all(org != sales.pk for org, _ in stored_roster())
    assert_roster_in_step()
    acme.delete()  # the container, its portal and the art course's shares with it
    assert stored_roster() == {}
    assert_roster_in_step()


def test_a_portal_lists_its_containers_admins_and_instructors(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    make_role(bob, acme, OrgRole.INSTRUCTOR)
    assert ranks_row(portal.pk, bob.pk) == (None, 1, 0, 0)
    make_role(bob, portal, OrgRole.LEARNER)
    assert ranks_row(portal.pk, bob.pk) == (2, 1, 0, 0)
    OrgRole.objects.filter(user=bob, org=acme).update(role=OrgRole.LEARNER)
    assert ranks_row(portal.pk, bob.pk) == (2, 2, 0, 0)
    OrgRole.objects.filter(user=ada, org=acme).delete()
    assert (portal.pk, ada.pk) not in stored_roster()
    assert_roster_in_step()


def test_a_new_portal_and_an_org_that_changes_container_or_type(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    second = make_org("Second academy", parent=acme, org_type=Org.PORTAL)
    assert ranks_row(second.pk, ada.pk) == (None, 0, 0, 0)
    globex = make_org("Globex")
    make_role(cy, globex, OrgRole.ADMIN)
    second.parent = globex
    second.save()
    assert (second.pk, ada.pk) not in stored_roster()
    assert ranks_row(second.pk, cy.pk) == (None, 0, 0, 0)
    Org.objects.filter(pk=second.pk).update(org_type=Org.BASE)
    assert (second.pk, cy.pk) not in stored_roster()
    Org.objects.filter(pk=sales.pk).update(org_type=Org.PORTAL)
    assert ranks_row(sales.pk, ada.pk) == (None, 0, 0, 0)
    assert_roster_in_step()


def test_user_changes_are_copied_to_every_roster_row(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    bob.full_name = "Émile Zola"
    bob.last_seen = timezone.now()
    bob.save()
    assert stored_roster()[acme.pk, bob.pk][4:] == (False, "emile zola", bob.last_seen)
    assert stored_roster()[sales.pk, bob.pk][4:] == (False, "emile zola", bob.last_seen)
    bob.username = bob.email = bob.full_name = None
    bob.save()
    assert stored_roster()[acme.pk, bob.pk][4:6] == (True, "unknown")
    User.objects.filter(pk=bob.pk).update(last_seen=None)
    assert stored_roster()[sales.pk, bob.pk][6] is None
    User.objects.filter(pk=bob.pk).update(email="bob@example.org")
    assert stored_roster()[sales.pk, bob.pk][4] is False
    assert_roster_in_step()


def test_moving_an_org_changes_no_roster_row(world):
    acme, sales, portal = world["orgs"]
    before = stored_roster()
    other = make_org("Globex")
    sales.parent = other
    sales.save()
    assert stored_roster() == before


def test_raw_sql_writes_are_followed(world):
    acme = world["orgs"][0]
    cy = world["users"][2]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dashboards_orgrole (user_id, org_id, role) VALUES (%s, %s, %s)",
            [cy.pk, acme.pk, OrgRole.INSTRUCTOR],
        )
    assert member_row(acme.pk, cy.pk) == (1, 1, 1)
    assert_roster_in_step()


@pytest.mark.parametrize("seed", range(6))
def test_random_writes_keep_the_roster_in_step(db, seed):
    rng = random.Random(seed)
    roots = [make_org("Root"), make_org("Other root")]
    orgs = list(roots)
    for n in range(4):
        org_type = rng.choice([Org.BASE, Org.PORTAL])
        orgs.append(make_org(f"Org {n}", parent=rng.choice(orgs), org_type=org_type))
    users = [make_user() for _ in range(6)]
    courses = [make_course(f"Course {n}", container=orgs[0]) for n in range(4)]
    statuses = [status for status, _ in CourseMember.JOIN_STATUSES]

    def role():
        OrgRole.objects.get_or_create(
            user=rng.choice(users),
            org=rng.choice(orgs),
            role=rng.choice(list(RANKS)),
        )

    def unrole():
        OrgRole.objects.filter(pk__in=OrgRole.objects.order_by("?").values("pk")[:1]).delete()

    def share():
        CourseShare.objects.get_or_create(course=rng.choice(courses), org=rng.choice(orgs))

    def unshare():
        CourseShare.objects.filter(
            pk__in=CourseShare.objects.order_by("?").values("pk")[:1]
        ).delete()

    def link():
        CourseMember.objects.update_or_create(
            user=rng.choice(users),
            course=rng.choice(courses),
            defaults={
                "join_status": rng.choice(statuses),
                "finish_date": rng.choice([None, timezone.now()]),
            },
        )

    def relink():
        CourseMember.objects.filter(course=rng.choice(courses)).update(
            join_status=rng.choice(statuses)
        )

    def unlink():
        CourseMember.objects.filter(user=rng.choice(users), course=rng.choice(courses)).delete()

    def rename():
        user = rng.choice(users)
        user.username = rng.choice([None, f"name{rng.randrange(99)}"])
        user.email = None
        user.full_name = rng.choice([None, "Zoë", "Ada"])
        user.last_seen = rng.choice([None, timezone.now()])
        user.save()

    def replace_user():
        users.remove(victim := rng.choice(users))
        victim.delete()
        users.append(make_user())

    def move():
        org = rng.choice(orgs[2:])
        org.parent = rng.choice(roots)
        org.save()

    steps = [
        rename,
        move,
        role,
        role,
        unrole,
        share,
        share,
        unshare,
        link,
        link,
        link,
        relink,
        unlink,
    ]
    for step in rng.choices(steps, k=60) + [replace_user]:
        step()
        assert stored_roster() == expected_roster(), step.__name__
        assert stored_tally() == expected_tally(), step.__name__
    assert_roster_in_step()


def test_a_failed_transaction_leaves_the_roster_as_it_was(world):
    before = stored_roster()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_role(world["users"][2], world["orgs"][2], OrgRole.ADMIN)
        raise RuntimeError("rolled back")
    assert stored_roster() == before


def test_a_paused_bulk_write_rebuilds_once_at_its_end(world):
    acme, sales, portal = world["orgs"]
    cy = world["users"][2]
    before = stored_roster()
    with roster_writes.paused_for_bulk_write():
        assert RosterPause.objects.exists()
        make_role(cy, portal, OrgRole.ADMIN)
        with roster_writes.paused_for_bulk_write():  # nested: the outer one rebuilds
            OrgRole.objects.filter(user=cy, org=portal).update(role=OrgRole.INSTRUCTOR)
        assert stored_roster() == before
    assert member_row(portal.pk, cy.pk) == (1, 0, 0)
    assert_roster_in_step()


def test_an_error_inside_a_pause_leaves_the_triggers_on(world):
    acme, cy = world["orgs"][0], world["users"][2]
    with pytest.raises(RuntimeError), connection.cursor() as cursor, roster_writes._paused(cursor):
        raise RuntimeError("caught by a caller that goes on writing")
    assert not RosterPause.objects.exists()
    make_role(cy, acme, OrgRole.INSTRUCTOR)
    assert member_row(acme.pk, cy.pk) == (1, 1, 1)
    assert_roster_in_step()


def test_a_database_error_inside_a_pause_is_the_error_reported(world):
    """PostgreSQL refuses the resume after it; the rollback takes the pause away."""
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        connection.cursor() as cursor,
        roster_writes._paused(cursor),
    ):
        cursor.execute("INSERT INTO dashboards_rosterpause (id) VALUES (1)")
    assert not RosterPause.objects.exists()
    assert_roster_in_step()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_outside_a_transaction_is_refused():
    make_role(make_user(), make_org("Acme"), OrgRole.ADMIN)
    before = stored_roster()
    with pytest.raises(TransactionManagementError, match="inside a transaction"):
        roster_writes.rebuild()
    assert not RosterPause.objects.exists()
    assert stored_roster() == before
    with transaction.atomic():
        roster_writes.rebuild()
    assert_roster_in_step()


def test_a_bulk_write_to_some_orgs_rebuilds_only_theirs(world):
    acme, sales, portal = world["orgs"]
    ada, bob, cy = world["users"]
    with roster_writes.paused_for_bulk_write(org_ids=[portal.pk, sales.pk]):
        OrgRole.objects.bulk_create(
            [OrgRole(user=user, org=portal, role=OrgRole.LEARNER) for user in (bob, cy)]
        )
        CourseShare.objects.create(course=world["courses"][0], org=portal)
    assert ranks_row(portal.pk, bob.pk) == (2, 2, 1, 0)
    assert_roster_in_step()


def test_small_and_large_loads_keep_the_roster_in_step(db, monkeypatch):
    load_dataset(full_dataset())  # a small load: the triggers, row by row
    assert stored_roster()
    assert_roster_in_step()
    monkeypatch.setattr(dataset_load, "ROSTER_REBUILD_ABOVE", 0)
    data = full_dataset()
    data["orgRoles"].append({"userId": 3, "orgId": 12, "role": "instructor"})
    data["courseMembers"][2]["joinStatus"] = "joined"
    load_dataset(data)  # a large one: paused, then rebuilt
    assert member_row(12, 3) == (1, 0, 0)
    assert member_row(12, 4) == (3, 1, 0)
    assert_roster_in_step()
    load_dataset({"orgRoles": [], "courseMembers": []}, replace=True)
    assert stored_roster() == {}
    assert_roster_in_step()


def test_large_loads_into_empty_and_replaced_tables_keep_the_roster_in_step(db, monkeypatch):
    """The bulk paths: indexes (and PostgreSQL's foreign keys) made again after the rows, even
    when users deleted by the replace still have checks pending."""
    monkeypatch.setattr(dataset_load, "ROSTER_REBUILD_ABOVE", 0)
    load_dataset(full_dataset())  # into empty tables
    assert_roster_in_step()
    data = full_dataset()
    data["courseMembers"][2]["joinStatus"] = "joined"
    load_dataset(data, replace=True)
    assert member_row(12, 4) == (3, 1, 0)
    assert_roster_in_step()


def test_a_load_that_fails_while_writing_changes_no_roster_row(db, monkeypatch):
    load_dataset(full_dataset())
    before = stored_roster()
    monkeypatch.setattr(dataset_load, "ROSTER_REBUILD_ABOVE", 0)

    def broken(*args):
        raise DatasetError(["credentials[0]: the disk is full"])

    monkeypatch.setattr(dataset_load, "_write_credentials", broken)
    data = full_dataset()
    data["orgRoles"].append({"userId": 3, "orgId": 12, "role": "instructor"})
    with pytest.raises(DatasetError):
        load_dataset(data)
    assert stored_roster() == before
    assert_roster_in_step()


def test_seed_demo_keeps_the_roster_in_step(db):
    schema = table_schema()
    seed_demo(users=300)
    assert OrgMember.objects.count() > 300
    assert User.objects.count() == 300 and Course.objects.exists()
    assert_roster_in_step()
    # Into an empty database the indexes, keys and triggers were off during the seed: all back.
    assert table_schema() == schema


def table_schema():
    """The plain indexes, foreign keys and switched-off triggers of the tables a seed fills."""
    with connection.cursor() as cursor:
        schema = {
            model._meta.db_table: (
                bulk_indexes._plain_indexes(cursor, model._meta.db_table),
                bulk_indexes._foreign_keys(cursor, model._meta.db_table),
            )
            for model in (User, CourseMember, OrgMember)
        }
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgenabled = 'D'")
            schema["disabled triggers"] = cursor.fetchall()
    assert all(indexes for indexes, _ in list(schema.values())[:3])
    return schema


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"includeAnonymousUsers": "true"},
        {"role": "admin,course-learner"},
        {"role": "org-learner", "includeAnonymousUsers": "TRUE"},
        {"role": "instructor"},
        {"filter": "user", "role": "course-learner"},
        {"since": "0"},
    ],
)
def test_a_count_from_the_tally_equals_the_rows_counted(world, query):
    acme, sales, portal = world["orgs"]
    anonymous = User.objects.create(username=None, email=None)
    make_member(anonymous, world["courses"][0])
    make_role(world["users"][1], acme, OrgRole.INSTRUCTOR)
    OrgMemberTally.objects.create(  # a tally row left at zero counts nothing
        org=sales, role_key=0, portal_rank=0, anonymous=False, members=0
    )
    listings = [(org_members(org), member_tally(org)) for org in (acme, sales, portal)] + [
        (portal_members(portal), member_tally(portal, portal=True))
    ]
    for members, tally in listings:
        listing = Listing(
            QueryDict(urlencode(query)),
            members,
            filterset=OrgMemberFilterSet,
            window=PageWindow,
            tally=tally,
        )
        assert listing.is_valid
        tallied = listing.filterset.filtered_tally(tally) is not None
        assert tallied == ("filter" not in query and "since" not in query)
        assert listing.count == listing.filterset.qs.count()


def test_sources_deleted_in_any_order_leave_no_roster_row(world):
    """As a flush may: the orgs first, then what refers to them."""
    tables = ["org", "orgrole", "courseshare", "coursemember", "user", "course"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM dashboards_{table}")
    assert stored_roster() == {}
    assert stored_tally() == {}
    connection.check_constraints()
