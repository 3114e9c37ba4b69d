"""The benchmark's data tiers: seed_demo at a fixed date, then a bulk shaping step.

seed_demo's org trees are realistic but small (the largest org holds about a quarter of the
users), so the tier then grows two orgs in bulk (shape): container 1 gets a learner role for 9
users in 10 and every 10th course (~100,000 members at tier M), its first portal a learner role
for every second user and every 20th course (~50,000). Both steps are deterministic, so a tier
is the same on every machine.
"""

import io

from django.core.management import call_command
from django.db import connection

from bench.make_dataset import AS_OF
from dashboards.demo import generator as demo
from dashboards.models import Course, CourseMember, CourseShare, Org, OrgRole, User
from dashboards.roster import writes as roster_writes

TIERS = {
    "M": {"users": 100_000},
    "L": {"users": 1_000_000},
}
BIG_ORG_ID = 1


def portal_of(container_id):
    """The first portal of the container (the tier's ~50,000-member portal)."""
    return Org.objects.filter(container_id=container_id, org_type=Org.PORTAL).order_by("pk").first()


def tier_users(tier):
    return TIERS[tier]["users"]


def ensure_tier(tier, *, out):
    """Build the tier in the configured database unless it is already there; refuse a
    database that holds other data."""
    users = User.objects.count()
    if users == 0:
        out(f"Building tier {tier} ({tier_users(tier):,} users) with seed_demo …")
        call_command(
            "seed_demo",
            users=tier_users(tier),
            as_of=AS_OF,
            verbosity=0,
            skip_checks=True,
            stdout=io.StringIO(),
        )
        users = User.objects.count()
    if users != tier_users(tier):
        raise SystemExit(
            f"The database holds {users:,} users, not tier {tier}'s {tier_users(tier):,}: "
            "point DATABASE_URL at an empty database (or this tier's) for the benchmark."
        )
    shape(out=out)


def shape(*, out):
    """Grow the big org and its portal, in bulk and idempotently: learner roles for 9 users in
    10 (the portal: 1 in 2) and every 10th course shared (the portal: every 20th)."""
    big = Org.objects.get(pk=BIG_ORG_ID)
    portal = portal_of(big.pk)
    if OrgRole.objects.filter(org=big, role=OrgRole.LEARNER).count() > tier_size() // 2:
        return
    out(f"Shaping: members for org {big.pk} and portal {portal.pk} …")
    role, share = OrgRole._meta.db_table, CourseShare._meta.db_table
    users, courses = User._meta.db_table, Course._meta.db_table
    with (
        roster_writes.paused_for_bulk_write(org_ids=[big.pk, portal.pk]),
        connection.cursor() as cursor,
    ):
        for org, users_where, courses_where in (
            (big, "id %% 10 <> 0", "id %% 10 = 1"),
            (portal, "id %% 2 = 0", "id %% 20 = 1"),
        ):
            cursor.execute(
                f"INSERT INTO {role} (user_id, org_id, role) SELECT id, %s, %s FROM {users} "
                f"WHERE {users_where} ON CONFLICT DO NOTHING",
                [org.pk, OrgRole.LEARNER],
            )
            cursor.execute(
                f"INSERT INTO {share} (course_id, org_id) SELECT id, %s FROM {courses} "
                f"WHERE {courses_where} ON CONFLICT DO NOTHING",
                [org.pk],
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def tier_size():
    return User.objects.count()


def demo_people():
    """The callers of the scenarios: the org admin (token and session), the superuser."""
    org_admin = User.objects.get(username=demo.ORG_ADMIN.username)
    superuser = User.objects.get(username=demo.SUPERUSER.username)
    return org_admin, superuser


def biggest_course():
    """The course with the most joined members."""
    from django.db.models import Count, Q

    return (
        Course.objects.annotate(n=Count("members", filter=Q(members__join_status="joined")))
        .order_by("-n", "pk")
        .first()
    )


def member_of(org):
    """A user with joined courses shared with org (the member-courses scenario's user)."""
    shared = CourseShare.objects.filter(org=org).values("course_id")
    return (
        CourseMember.objects.filter(join_status=CourseMember.JOINED, course__in=shared)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
