"""Optional read-replica routing (DATABASE_REPLICA_URL): dashboard reads go to the replica."""

from django.db import connections

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


class ReplicaRouter:
    """Reads of dashboard models from the replica, unless a transaction is open on the primary
    (a writer reads its own writes); every write and migration on the primary."""

    def db_for_read(self, model, **hints):
        if model in DASHBOARD_MODELS and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
