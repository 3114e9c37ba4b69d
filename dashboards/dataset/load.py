"""Load a dataset (dataset-format.md): check every record, then upsert all in one transaction."""

import contextlib
import os
import sys

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import CASCADE, DO_NOTHING, SET_NULL
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils import timezone
from tqdm import tqdm

from dashboards import text
from dashboards.dataset.errors import DatasetError
from dashboards.dataset.reader import iter_dataset_file, json_type, read_dataset_file
from dashboards.dataset.upsert import upsert
from dashboards.dataset.validate import check_dataset
from dashboards.dataset.write_staged import (
    write_staged_members,
    write_staged_roles,
    write_staged_users,
)
from dashboards.models import (
    Course,
    CourseMember,
    CourseShare,
    Credential,
    Org,
    OrgRole,
    User,
)
from dashboards.roster import writes as roster_writes

__all__ = ["DatasetError", "load_dataset", "load_dataset_file", "read_dataset_file"]

# Above this many roles, courses and course members, one roster rebuild beats a trigger per row;
# above this many users or members, a write into an empty table builds its indexes after it.
ROSTER_REBUILD_ABOVE = 10_000
SQLITE_CACHE_KIB = 128 * 1024  # the member table in memory while it is written (indexes come after)
COURSE_COLUMNS = (
    "id",
    "title",
    "slug",
    "container",
    "created_by",
    "created_at",
    "course_type",
    "privacy",
    "title_key",
)
# The kinds --replace deletes, dependents first.
KINDS = {
    "courseMembers": CourseMember,
    "orgRoles": OrgRole,
    "credentials": Credential,
    "courses": Course,
    "orgs": Org,
    "users": User,
}


def load_dataset(data, *, replace=False, progress=False, analyze=True):
    """Check `data` (a dict) and upsert it; return the number of records per list.

    Raise DatasetError, with nothing written, when any record breaks a rule. With
    `replace`, first delete every row of the kinds (lists) the dataset has. `analyze=False`
    leaves the planner statistics of a large load to the caller (seed_demo's batches).
    """
    if not isinstance(data, dict):
        raise DatasetError([f"dataset: expected an object, got {json_type(data)}"])
    lists = [records for records in data.values() if isinstance(records, list)]
    bar = _bar(progress, total=sum(map(len, lists)), desc="Checking", unit=" records")
    with bar:
        return _load(data, replace, progress, bar, analyze)


def load_dataset_file(path, *, replace=False, progress=False):
    """Load a .json or .json.gz dataset file as load_dataset does, reading it as a stream:
    memory does not grow with the file."""
    size = os.path.getsize(path) if os.path.exists(path) else None
    with _bar(progress, total=size, desc="Checking", unit="B") as bar:
        return _load(iter_dataset_file(path, progress=bar), replace, progress, None)


def _bar(progress, **options):
    return tqdm(file=sys.stderr, disable=not progress, unit_scale=True, **options)


def _load(entries, replace, progress, check_bar, analyze=True):
    with transaction.atomic():
        checked = check_dataset(entries, replace=replace, progress=check_bar)
        counts, rows = checked.counts, checked.rows
        total = sum(counts.values()) + len(checked.org_moves)
        # Only for the writes: the checks' sorts take memory in proportion to the cache.
        with (
            _large_sqlite_cache(),
            _roster_maintenance(replace, counts),
            _bar(progress, total=total, desc="Writing", unit=" rows") as bar,
        ):
            if replace:
                _delete_kinds(checked.present)
            # (Not after a replace: PostgreSQL indexes no table whose deleted rows still have
            # checks pending.)
            bulk_users = counts["users"] > ROSTER_REBUILD_ABOVE and not replace
            write_staged_users(counts["users"], checked.stored_users, bar, bulk=bulk_users)
            _write_orgs(rows["orgs"], checked.org_places, checked.org_moves, bar)
            write_staged_roles(counts["orgRoles"], bar)
            _write_courses(rows["courses"], bar)
            write_staged_members(
                counts["courseMembers"], bar, bulk=counts["courseMembers"] > ROSTER_REBUILD_ABOVE
            )
            _write_credentials(rows["credentials"], bar)
        checked.staging.drop()
        _reset_sequences()
        if analyze and connection.vendor == "postgresql" and _is_bulk(replace, counts):
            analyze_tables()
    return counts


def analyze_tables():
    """Fresh planner statistics for the tables a large load filled (the roster's come with
    its rebuild): until autovacuum gets to them, PostgreSQL plans as for empty tables."""
    models = (User, Org, OrgRole, Course, CourseShare, CourseMember)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _roster_maintenance(replace, counts):
    """Keep the org roster in step row by row for a small write; pause its triggers and
    rebuild it once for a replace or a large write (roster.py)."""
    if _is_bulk(replace, counts):
        return roster_writes.paused_for_bulk_write()
    return contextlib.nullcontext()


def _is_bulk(replace, counts):
    roster_rows = sum(counts[name] for name in ("orgRoles", "courses", "courseMembers"))
    return replace or roster_rows > ROSTER_REBUILD_ABOVE


def _delete_kinds(present):
    """Delete every row of the listed kinds, and what on_delete asks for rows that refer to them."""
    for name, model in KINDS.items():
        if name in present:
            _delete_all(model)


def _delete_all(model):
    # Django's cascade collector fetches every row and deletes in batches of 100 (10 s for
    # 100,000 users); when the whole table goes, a few statements do the same work.
    relations = [
        relation
        for relation in get_candidate_relations_to_delete(model._meta)
        # The whole table goes anyway; DO_NOTHING relations (the roster) are the
        # database's to clear.
        if relation.related_model is not model and relation.on_delete is not DO_NOTHING
    ]
    if any(relation.on_delete not in (CASCADE, SET_NULL) for relation in relations):
        model._base_manager.all().delete()
        return
    for relation in relations:
        name = relation.field.name
        referring = relation.related_model._base_manager.filter(**{f"{name}__isnull": False})
        if relation.on_delete is CASCADE:
            referring.delete()
        else:
            referring.update(**{name: None})
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _write_orgs(rows, places, moves, bar):
    values = [(pk, title, org_type, parent, *places[pk]) for _, pk, title, parent, org_type in rows]
    upsert(
        Org,
        ("id", "title", "org_type", "parent", "path", "container"),
        values,
        conflict=("id",),
        update=("title", "org_type", "parent", "path", "container"),
        progress=bar,
    )
    moved = [Org(pk=pk, path=path, container_id=container) for pk, path, container in moves]
    Org.objects.bulk_update(moved, ["path", "container"], batch_size=500)
    bar.update(len(moved))


def _write_courses(rows, bar):
    if not rows:
        return
    values = [
        (pk, title, slug, container, creator, created_at, kind, privacy, text.normalize(title))
        for _, pk, title, slug, container, creator, created_at, kind, privacy, _ in rows
    ]
    upsert(
        Course, COURSE_COLUMNS, values, conflict=("id",), update=COURSE_COLUMNS[1:], progress=bar
    )
    # Each course of the file ends up shared with exactly its sharedWith orgs.
    wanted = {(row[1], org) for row in rows for org in row[-1]}
    course_ids = sorted({row[1] for row in rows})
    stale, stored = [], set()
    for start in range(0, len(course_ids), 5000):
        shares = CourseShare.objects.filter(course_id__in=course_ids[start : start + 5000])
        for pk, course, org in shares.values_list("pk", "course_id", "org_id"):
            if (course, org) in wanted:
                stored.add((course, org))
            else:
                stale.append(pk)
    for start in range(0, len(stale), 5000):
        CourseShare.objects.filter(pk__in=stale[start : start + 5000]).delete()
    upsert(CourseShare, ("course", "org"), sorted(wanted - stored), conflict=("course", "org"))


def _write_credentials(rows, bar):
    now = timezone.now()
    values = [
        (Credential.hash_key(key), kind, user, container, expires_at, revoked, now)
        for _, key, kind, user, container, expires_at, revoked in rows
    ]
    upsert(
        Credential,
        ("key_hash", "kind", "user", "container", "expires_at", "revoked", "created_at"),
        values,
        conflict=("key_hash",),
        update=("kind", "user", "container", "expires_at", "revoked"),  # keep created_at
        progress=bar,
    )


def _reset_sequences():
    """Move id sequences past the explicit ids just written, so new rows get fresh ids."""
    statements = connection.ops.sequence_reset_sql(no_style(), [User, Org, Course])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextlib.contextmanager
def _large_sqlite_cache():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
