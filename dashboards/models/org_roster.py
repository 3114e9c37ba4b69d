"""The org roster: rows derived by the database from roles, shares and course members."""

from django.db import models
from django.db.models import F

from dashboards.models.fields import CodePointTextField
from dashboards.models.orgs import Org
from dashboards.models.users import User


class OrgMember(models.Model):
    """A user in an org's listings, with their role ranks and counts against it: the roster.

    Written only by the database (dashboards/roster/triggers.py): triggers on roles, shares, course
    members, orgs and users keep it equal to what those tables say. Ranks: 0 admin,
    1 instructor, 2 org-learner, 3 course-learner. role_rank is the rank in the org's member
    listing, NULL for a portal's row of a container admin or instructor who is no member of
    the portal itself; portal_rank is the rank in the portal listing (every row of a portal
    counts). anonymous, name_key and last_seen copy the user's, so that a listing filters,
    sorts and counts within the roster's indexes.
    """

    pk = models.CompositePrimaryKey("org", "user")
    # The primary key (org, user) and org_member_user_idx index both columns already. No
    # foreign-key constraint: the triggers derive every row from the sources and delete a
    # deleted user's or org's rows; a per-row check cost a rebuild more than its inserts.
    org = models.ForeignKey(
        Org, on_delete=models.DO_NOTHING, related_name="roster", db_index=False, db_constraint=False
    )
    user = models.ForeignKey(
        User,
        on_delete=models.DO_NOTHING,
        related_name="roster_rows",
        db_index=False,
        db_constraint=False,
    )
    role_rank = models.PositiveSmallIntegerField(null=True)
    portal_rank = models.PositiveSmallIntegerField()
    enrolled_count = models.PositiveIntegerField()
    completed_count = models.PositiveIntegerField()
    anonymous = models.BooleanField()
    name_key = CodePointTextField()
    last_seen = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The default order; with the flags every listing filters on, it also counts.
            models.Index(
                fields=["org", "name_key", "user", "anonymous", "role_rank"],
                name="org_member_name_idx",
            ),
            models.Index(fields=["org", "role_rank", "user"], name="org_member_role_idx"),
            models.Index(fields=["org", "portal_rank", "user"], name="org_member_portal_idx"),
            models.Index(fields=["org", "last_seen", "user"], name="org_member_seen_idx"),
            models.Index(fields=["user", "org"], name="org_member_user_idx"),
            # sort=enrolledCount / completedCount (ties by user ascending in both orders,
            # so each order has its index), and the overview's enrolled and completion counts.
            models.Index(fields=["org", "enrolled_count", "user"], name="org_member_enrolled_idx"),
            models.Index(
                F("org"), F("enrolled_count").desc(), F("user"), name="org_member_enrolled_desc"
            ),
            models.Index(
                fields=["org", "completed_count", "user"], name="org_member_completed_idx"
            ),
            models.Index(
                F("org"), F("completed_count").desc(), F("user"), name="org_member_completed_desc"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} in the roster of {self.org_id}"


class OrgMemberTally(models.Model):
    """How many roster rows of an org have each (role rank, portal rank, anonymous): the
    counts of the listings that filter on nothing else, without counting rows one by one.

    Kept by triggers on the roster (dashboards/roster/triggers.py). role_key is the row's role_rank,
    or NOT_A_MEMBER for a portal's row of a container admin or instructor.
    """

    NOT_A_MEMBER = 9

    org = models.ForeignKey(
        Org, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    role_key = models.PositiveSmallIntegerField()
    portal_rank = models.PositiveSmallIntegerField()
    anonymous = models.BooleanField()
    members = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "role_key", "portal_rank", "anonymous"], name="org_member_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.members} rows of the roster of {self.org_id}"


class RosterPause(models.Model):
    """Present (one row, inside a bulk write's transaction) while the roster triggers wait
    for that write's rebuild (roster_writes.paused_for_bulk_write)."""

    def __str__(self):
        return "roster triggers paused"
