"""Optional read-replica routing (DATABASE_REPLICA_URL): dashboard reads go to the replica."""

import time

from django.conf import settings
from django.db import DatabaseError, connections

from dashboards.models import (
    Course,
    CourseMember,
    CourseShare,
    Org,
    OrgMember,
    OrgMemberTally,
    OrgRole,
    User,
)

REPLICA = "replica"
# The dashboards' data. Credentials and sessions stay on the primary: a revoked key or a
# logout must take effect at once, whatever the replica's lag.
DASHBOARD_MODELS = frozenset(
    {User, Org, OrgRole, OrgMember, OrgMemberTally, Course, CourseShare, CourseMember}
)
DEFAULT_RETRY_SECONDS = 5.0


class ReplicaRouter:
    """Reads of dashboard models from the replica, unless a transaction is open on the primary
    (a writer reads its own writes) or the replica does not answer; every write and migration
    on the primary.

    A replica that cannot be reached is left alone for DATABASE_REPLICA_RETRY_SECONDS: its
    reads go to the primary meanwhile, so a dead standby costs one failed connect per process
    and interval, not one per query, and it is taken back without restarting the app.
    """

    clock = staticmethod(time.monotonic)

    def __init__(self):
        self.replica_down_until = None

    def db_for_read(self, model, **hints):
        if (
            model in DASHBOARD_MODELS
            and not connections["default"].in_atomic_block
            and self.replica_answers()
        ):
            return REPLICA
        return "default"

    def replica_answers(self):
        """Whether the replica is connected (health-checked once per request, as Django does
        before a query); a failed check or connect starts the retry interval."""
        if self.replica_down_until is not None and self.clock() < self.replica_down_until:
            return False
        replica = connections[REPLICA]
        try:
            replica.close_if_health_check_failed()
            replica.ensure_connection()
        except DatabaseError:
            self.replica_down_until = self.clock() + getattr(
                settings, "DATABASE_REPLICA_RETRY_SECONDS", DEFAULT_RETRY_SECONDS
            )
            return False
        self.replica_down_until = None
        return True

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
