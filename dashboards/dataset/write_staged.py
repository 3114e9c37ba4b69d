"""Write the staged lists (staging.py) into the real tables, set-wise: one INSERT … SELECT …
ON CONFLICT per list, in the order the tables' indexes like."""

import contextlib

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password, make_password
from django.db import DEFAULT_DB_ALIAS, connection
from django.utils import timezone

from dashboards.dataset.staging import (
    PASSWORD_KEEP,
    PASSWORD_NONE,
    PASSWORD_SET,
    PROFILE_FIELDS,
    table,
)
from dashboards.dataset.upsert import datetime_adapter, upsert_select
from dashboards.models import CourseMember, OrgRole, User
from dashboards.roster import writes as roster_writes
from dashboards.roster.bulk_indexes import built_after

USER_COLUMNS = (
    "id",
    "password",
    "is_superuser",
    "is_staff",
    *PROFILE_FIELDS,
    "last_seen",
    "name_key",
    "search_key",
    "roster_search_key",
    "is_active",
    "date_joined",
)
MEMBER_COLUMNS = (
    "user",
    "course",
    "join_status",
    "joined_at",
    "last_active_at",
    "completion_rate",
    "start_date",
    "finish_date",
    "score",
)
USERS, ROLES, MEMBERS = table("users"), table("orgRoles"), table("courseMembers")


def _quote(name):
    return connection.ops.quote_name(name)


def write_staged_users(count, stored_users, bar, *, bulk):
    """Upsert the `count` staged users; `stored_users`: the database has users the file may
    rename; `bulk`: a large write, which into an empty table builds the secondary indexes
    after the rows (bulk_indexes.py)."""
    if not count:
        return
    user_table = _quote(User._meta.db_table)
    differ = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    empty = not User.objects.exists()
    with connection.cursor() as cursor:
        if stored_users:
            # Usernames and emails that move between users would clash midway through the upsert.
            cursor.execute(
                f"UPDATE {user_table} SET username = NULL, email = NULL WHERE id IN "
                f"(SELECT s.id FROM {USERS} s JOIN {user_table} u ON u.id = s.id "
                f"WHERE u.username {differ} s.username OR u.email {differ} s.email)"
            )
        _set_passwords(cursor, user_table, stored=not empty)
    indexes = contextlib.nullcontext()
    if bulk and empty:
        indexes = built_after(User, DEFAULT_DB_ALIAS)
    with indexes:
        _write_users()
    bar.update(count)


def _write_users():
    now = timezone.now()
    if connection.vendor == "sqlite":
        now = datetime_adapter()(now)
    profile = ", ".join(PROFILE_FIELDS)
    upsert_select(
        User,
        USER_COLUMNS,
        f"SELECT id, password, is_superuser, is_superuser, {profile}, last_seen, name_key, "
        f"search_key, roster_search_key, TRUE, %s FROM {USERS} WHERE TRUE ORDER BY id",
        (now,),
        conflict=("id",),
        update=USER_COLUMNS[1:-2],  # a stored user keeps is_active and date_joined
    )


def _set_passwords(cursor, user_table, *, stored):
    """The hash each staged user gets: the stored one while it still says the same, so
    reloads change nothing (the staged `password` holds a fresh unusable one meanwhile).
    `stored`: the user table has rows (else the staged hashes stand, but for those set)."""
    if stored:
        stored_hash = f"(SELECT u.password FROM {user_table} u WHERE u.id = {USERS}.id)"
        cursor.execute(
            f"UPDATE {USERS} SET password = COALESCE({stored_hash}, password) "
            f"WHERE password_mode = {PASSWORD_KEEP}"
        )
        cursor.execute(
            f"UPDATE {USERS} SET password = {stored_hash} WHERE password_mode = {PASSWORD_NONE} "
            f"AND {stored_hash} LIKE %s",
            (UNUSABLE_PASSWORD_PREFIX + "%",),
        )
    cursor.execute(
        f"SELECT s.id, s.password_given, u.password FROM {USERS} s "
        f"LEFT JOIN {user_table} u ON u.id = s.id WHERE s.password_mode = {PASSWORD_SET}"
    )
    hashes = [
        (_password_hash(given, stored_hash), pk) for pk, given, stored_hash in cursor.fetchall()
    ]
    if hashes:
        cursor.executemany(f"UPDATE {USERS} SET password = %s WHERE id = %s", hashes)


def _password_hash(password, stored):
    if stored and check_password(password, stored):
        return stored
    return make_password(password)


def write_staged_roles(count, bar):
    if count:
        upsert_select(
            OrgRole,
            ("user", "org", "role"),
            f"SELECT user_id, org_id, role FROM {ROLES} WHERE TRUE ORDER BY org_id, role, user_id",
            conflict=("user", "org", "role"),
        )
    bar.update(count)


def write_staged_members(count, bar, *, bulk):
    """Upsert the `count` staged members; `bulk`: a large write (the roster paused), which
    into an empty table builds the secondary indexes after the rows (roster_writes.bulk_write)."""
    indexes = contextlib.nullcontext()
    empty = bulk and not CourseMember.objects.exists()
    if empty:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                roster_writes.large_sorts_in_memory(cursor)
        indexes = roster_writes.bulk_write(CourseMember, foreign_keys=True)
    with indexes:
        _write_members(count, empty)
    bar.update(count)


def _write_members(count, empty):
    if not count:
        return
    columns = ", ".join(CourseMember._meta.get_field(name).column for name in MEMBER_COLUMNS)
    # In (course, user) order the unique index is filled front to back: twice as fast on
    # SQLite.
    select = f"SELECT {columns} FROM {MEMBERS} WHERE TRUE ORDER BY course_id, user_id"
    if empty:
        # Nothing to update, and the checks refused repeated pairs: a plain insert, without
        # PostgreSQL's look-up of each row's pair first (a third faster).
        member_table = _quote(CourseMember._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {member_table} ({columns}) {select}")
        return
    upsert_select(
        CourseMember,
        MEMBER_COLUMNS,
        select,
        conflict=("course", "user"),
        update=MEMBER_COLUMNS[2:],
    )
