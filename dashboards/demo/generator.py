"""Write the demo into the database, and find its logins and keys there again.

The records come from demo_records (no Django); the logins, passwords and keys are
DEMO-ONLY: public (printed by seed_demo, written in the README), never for production.
"""

import sys
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection
from tqdm import tqdm

from dashboards.demo.records import (
    DEFAULT_SEED,
    DEFAULT_USERS,
    KINDS,
    LOGINS,
    MANAGER,
    MIN_USERS,
    ORG_ADMIN,
    ORG_ADMIN_SESSION,
    ORG_ADMIN_TOKEN,
    PARTNER_KEY,
    SUPERUSER,
    DemoDataset,
    DemoLogin,
    demo_dataset,
)
from dashboards.models import (
    Course,
    CourseMember,
    Credential,
    Org,
    OrgRole,
    User,
)
from dashboards.roster import writes as roster_writes

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_USERS",
    "KINDS",
    "LOGINS",
    "MANAGER",
    "MIN_USERS",
    "ORG_ADMIN",
    "ORG_ADMIN_SESSION",
    "ORG_ADMIN_TOKEN",
    "PARTNER_KEY",
    "SUPERUSER",
    "DemoAccess",
    "DemoDataset",
    "DemoLogin",
    "demo_access",
    "demo_dataset",
    "seed_demo",
]


def seed_demo(
    users=DEFAULT_USERS, seed=DEFAULT_SEED, *, now=None, replace=False, progress=False, out=None
):
    """Write the demo through the dataset loader, batch by batch, in one transaction.

    Return the number of records written per kind. With replace, the first batch (which
    holds every kind) empties the dataset's tables first.
    """
    from dashboards.dataset.load import analyze_tables, load_dataset

    demo = DemoDataset(users, seed, now=now)
    counts = dict.fromkeys(KINDS, 0)
    postgresql = connection.vendor == "postgresql"
    with (
        tqdm(total=users, unit=" users", disable=not progress, file=out or sys.stderr) as bar,
        roster_writes.paused_for_bulk_write(),
        _built_after(empty=not User.objects.exists()),
    ):
        for index, (n_users, batch) in enumerate(demo.batches()):
            # Fresh statistics each time the tables have doubled: the checks of later batches
            # plan on them, and analyzing after every batch would cost more than the writes.
            analyze = postgresql and index & (index + 1) == 0
            load_dataset(batch, replace=replace and index == 0, progress=False, analyze=analyze)
            for kind, records in batch.items():
                counts[kind] += len(records)
            bar.update(n_users)
    if postgresql:
        analyze_tables()
    return counts


@contextmanager
def _built_after(*, empty):
    """Into an empty database, the users' and members' plain indexes and foreign keys are built
    once at the end rather than kept in step batch after batch, and PostgreSQL calls no roster
    trigger on those tables meanwhile (roster_writes.bulk_write)."""
    if not empty:
        yield
        return
    with (
        roster_writes.bulk_write(User, foreign_keys=True),
        roster_writes.bulk_write(CourseMember, foreign_keys=True),
    ):
        yield


@dataclass(frozen=True)
class DemoAccess:
    """What seed_demo prints: the demo logins and keys found in the database, with real ids."""

    logins: list  # (DemoLogin, present in the database)
    keys: list  # (label, key), only keys present in the database
    container: Org | None
    course: Course | None
    managed_courses: int

    @property
    def is_demo(self):
        return any(present for _, present in self.logins)


def demo_access():
    """Look up the demo logins, keys and example ids in the database."""
    usernames = User.objects.filter(username__in=[login.username for login in LOGINS])
    present = set(usernames.values_list("username", flat=True))
    labels = {
        PARTNER_KEY: "partner key",
        ORG_ADMIN_TOKEN: f"token of {ORG_ADMIN.username}",
        ORG_ADMIN_SESSION: f"session of {ORG_ADMIN.username}",
    }
    stored = set(
        Credential.objects.filter(
            key_hash__in=[Credential.hash_key(key) for key in labels]
        ).values_list("key_hash", flat=True)
    )
    container = (
        Org.objects.filter(
            org_type=Org.CONTAINER,
            roles__user__username=ORG_ADMIN.username,
            roles__role=OrgRole.ADMIN,
        )
        .order_by("id")
        .first()
    )
    course = None
    if container is not None:
        course = (
            Course.objects.filter(container=container, shares__isnull=False).order_by("id").first()
        )
    managed = CourseMember.objects.filter(
        user__username=MANAGER.username, join_status=CourseMember.MANAGER
    ).count()
    return DemoAccess(
        logins=[(login, login.username in present) for login in LOGINS],
        keys=[(label, key) for key, label in labels.items() if Credential.hash_key(key) in stored],
        container=container,
        course=course,
        managed_courses=managed,
    )
