"""The org roster (OrgMember): one row per member of an org, kept in step by the database.

An org's members are the users with a direct role on it and the users `joined` in a course
shared with it; a portal's listing adds its container's admins and instructors
(org-dashboard-api.md). Deriving those sets on every request means joining every role and
enrollment of the org, hundreds of milliseconds for a 100,000-member org; the roster holds
them ready, with each member's role ranks and counts, so a listing is an index range.

Triggers on the source tables (org roles, course shares, course members, and the orgs for
portals changing container or type) refresh the roster rows a write can touch, whatever made
the write: the ORM, bulk_create, QuerySet.update, the admin, the dataset loader or raw SQL.
A refresh recomputes those rows from the sources (delete, then insert what the sources say),
so it is right whatever the roster held before. Triggers on the users copy their keys into
the roster, and triggers on the roster keep its tally (OrgMemberTally). Bulk writers pause
the triggers inside their transaction and rebuild once at the end (roster_writes.py), which
costs seconds where a million row refreshes cost minutes.

The SQL is written here once, as templates filled with the models' table names, and
installed as SQLite triggers or PostgreSQL trigger functions. A migration installs a frozen
copy of `install_statements`: a change here needs a new migration carrying the new text and
the golden files under tests/golden/ rewritten (tests/roster/test_frozen_triggers.py compares this
module, the files and the newest roster migration).
"""

from dashboards.models import (
    CourseMember,
    CourseShare,
    Org,
    OrgMember,
    OrgMemberTally,
    OrgRole,
    RosterPause,
    User,
)

TABLES = {
    "roster": OrgMember._meta.db_table,
    "tally": OrgMemberTally._meta.db_table,
    "pause": RosterPause._meta.db_table,
    "user": User._meta.db_table,
    "org": Org._meta.db_table,
    "role": OrgRole._meta.db_table,
    "share": CourseShare._meta.db_table,
    "member": CourseMember._meta.db_table,
}
ROSTER, PAUSE = TABLES["roster"], TABLES["pause"]


class _Condition(str):
    """SQL about one column (or row alias), written `{column}`: in a template,
    `{orgs:s.org_id}` puts the condition `orgs` on s.org_id."""

    def __format__(self, column):
        return self.replace("{column}", column)


def _sql(template, **values):
    """The template with the tables' names and the given values filled in."""
    return template.format(**TABLES, not_a_member=OrgMemberTally.NOT_A_MEMBER, **values)


def _condition(template, **values):
    return _Condition(_sql(template, column="{column}", **values))


EVERYTHING = _Condition("1 = 1")
# An anonymous user: no email, no username and no name (real_name is "" without one).
ANONYMOUS = _Condition(
    "({column}.email IS NULL AND {column}.username IS NULL AND {column}.real_name = '')"
)

# Which roster rows a source row ({row}: NEW or OLD) counts in: (orgs, users), conditions
# on an org id and a user id column (an org's row: all of that org's rows).
SCOPES = {
    "role": (
        "({column} = {row}.org_id OR {column} IN "
        "(SELECT id FROM {org} WHERE container_id = {row}.org_id AND org_type = 'portal'))",
        "{column} = {row}.user_id",
    ),
    "share": (
        "{column} = {row}.org_id",
        "{column} IN (SELECT user_id FROM {member} WHERE course_id = {row}.course_id)",
    ),
    "member": (
        "{column} IN (SELECT org_id FROM {share} WHERE course_id = {row}.course_id)",
        "{column} = {row}.user_id",
    ),
    "org": ("{column} = {row}.id", "1 = 1"),
}

# Recompute the roster rows of the orgs and users that match (rows of an org or a user being
# deleted are not written back: Django's collector and a flush delete the sources in any
# order). Rows go in by org, so that each index of the roster (all but one lead with the
# org) is written region by region: a rebuild at tier M takes a third of the time it takes
# in the order the grouping leaves them.
#
# Each fact is (org, user, rank, staff, enrolled, completed): a role on the org (rank 0-2),
# an admin or instructor role on a portal's container (staff), an enrollment in a course
# shared with the org (rank 3). role_rank ignores staff facts (NULL: not a member of the org
# itself); portal_rank takes them all.
REFRESH = [
    "DELETE FROM {roster} WHERE {orgs:org_id} AND {users:user_id}",
    """INSERT INTO {roster} (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  {anonymous:u}, u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM {role} WHERE {orgs:org_id} AND {users:user_id}
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM {role} r JOIN {org} p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND {orgs:p.id} AND {users:r.user_id}
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM {member} m JOIN {share} s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND {orgs:s.org_id} AND {users:m.user_id}
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN {user} u ON u.id = f.user_id JOIN {org} o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id""",
]

# The tally: a roster row counts under (org, role_key, portal_rank, anonymous), role_key
# being its role_rank or, for NULL, OrgMemberTally.NOT_A_MEMBER.
TALLY_ADD = (
    "INSERT INTO {tally} (org_id, role_key, portal_rank, anonymous, members) "
    "VALUES ({row}.org_id, COALESCE({row}.role_rank, {not_a_member}), {row}.portal_rank, "
    "{row}.anonymous, 1) "
    "ON CONFLICT (org_id, role_key, portal_rank, anonymous) "
    "DO UPDATE SET members = {tally}.members + 1"
)
TALLY_REMOVE = (
    "UPDATE {tally} SET members = members - 1 WHERE org_id = {row}.org_id "
    "AND role_key = COALESCE({row}.role_rank, {not_a_member}) AND portal_rank = {row}.portal_rank "
    "AND anonymous = {row}.anonymous"
)
# Recount the tally of the orgs that match.
RETALLY = [
    "DELETE FROM {tally} WHERE {orgs:org_id}",
    "INSERT INTO {tally} (org_id, role_key, portal_rank, anonymous, members) "
    "SELECT org_id, COALESCE(role_rank, {not_a_member}), portal_rank, anonymous, COUNT(*) "
    "FROM {roster} WHERE {orgs:org_id} "
    "GROUP BY org_id, COALESCE(role_rank, {not_a_member}), portal_rank, anonymous",
]

# The user's columns the roster copies or derives its copies from, and the copy.
USER_COLUMNS = "name_key, last_seen, email, username, first_name, last_name, fn, full_name"
USER_CHANGED = (
    "OLD.name_key {differ} NEW.name_key OR OLD.last_seen {differ} NEW.last_seen OR "
    "{anonymous:OLD} {differ} {anonymous:NEW}"
)
USER_COPY = (
    "UPDATE {roster} SET anonymous = {anonymous:NEW}, "
    "name_key = NEW.name_key, last_seen = NEW.last_seen WHERE user_id = NEW.id"
)

# A portal's listing holds its container's staff: an org that changes container or becomes
# or stops being a portal is refreshed whole.
ORG_CHANGED = "OLD.container_id {differ} NEW.container_id OR OLD.org_type {differ} NEW.org_type"
ROSTER_CHANGED = (
    "OLD.anonymous {differ} NEW.anonymous OR OLD.role_rank {differ} NEW.role_rank "
    "OR OLD.portal_rank {differ} NEW.portal_rank OR OLD.org_id {differ} NEW.org_id"
)

# The roster's keys have no ON DELETE CASCADE (Django's collector runs the cascade, and a
# role deleted on the way would refresh its user's rows back in): a deleted user or org takes
# its roster rows with it once it is gone.
USER_GONE = ["DELETE FROM {roster} WHERE user_id = OLD.id"]
ORG_GONE = [
    "DELETE FROM {roster} WHERE org_id = OLD.id",
    "DELETE FROM {tally} WHERE org_id = OLD.id",
]

# Columns the refreshing triggers read; a change to any other column touches no roster row.
WATCHED_COLUMNS = {
    "role": "org_id, user_id, role",
    "share": "org_id, course_id",
    "member": "course_id, user_id, join_status, finish_date",
}


def refresh_statements(orgs=EVERYTHING, users=EVERYTHING):
    """The statements that recompute the roster rows whose org and user match."""
    return [_sql(statement, orgs=orgs, users=users, anonymous=ANONYMOUS) for statement in REFRESH]


def retally_statements(orgs=EVERYTHING):
    """The statements that recount the tally of the orgs that match."""
    return [_sql(statement, orgs=orgs) for statement in RETALLY]


def _refresh(source, row):
    orgs, users = (_condition(scope, row=row) for scope in SCOPES[source])
    return refresh_statements(orgs, users)


def _tally(template, row):
    return [_sql(template, row=row)]


def trigger_specs(vendor):
    """(name, table, event, condition, statements) of every roster trigger."""
    differ = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"

    def sql(template):
        return _sql(template, differ=differ, anonymous=ANONYMOUS)

    found = []
    for source, columns in WATCHED_COLUMNS.items():
        table = TABLES[source]
        found += [
            (f"{table}_roster_insert", table, "INSERT", None, _refresh(source, "NEW")),
            (f"{table}_roster_delete", table, "DELETE", None, _refresh(source, "OLD")),
            (
                f"{table}_roster_update",
                table,
                f"UPDATE OF {columns}",
                None,
                _refresh(source, "OLD") + _refresh(source, "NEW"),
            ),
        ]
    org, user, roster = TABLES["org"], TABLES["user"], TABLES["roster"]
    found += [
        (f"{org}_roster_insert", org, "INSERT", "NEW.org_type = 'portal'", _refresh("org", "NEW")),
        (
            f"{org}_roster_update",
            org,
            "UPDATE OF container_id, org_type",
            sql(ORG_CHANGED),
            _refresh("org", "NEW"),
        ),
        (
            f"{user}_roster_update",
            user,
            f"UPDATE OF {USER_COLUMNS}",
            sql(USER_CHANGED),
            [sql(USER_COPY)],
        ),
        (f"{roster}_tally_insert", roster, "INSERT", None, _tally(TALLY_ADD, "NEW")),
        (f"{roster}_tally_delete", roster, "DELETE", None, _tally(TALLY_REMOVE, "OLD")),
        (
            f"{roster}_tally_update",
            roster,
            "UPDATE OF org_id, role_rank, portal_rank, anonymous",
            sql(ROSTER_CHANGED),
            _tally(TALLY_REMOVE, "OLD") + _tally(TALLY_ADD, "NEW"),
        ),
        (f"{user}_roster_delete", user, "DELETE", None, [sql(s) for s in USER_GONE]),
        (f"{org}_roster_delete", org, "DELETE", None, [sql(s) for s in ORG_GONE]),
    ]
    return found


PG_TRIGGER = """CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM {pause}) THEN RETURN NULL; END IF;
{steps}  RETURN NULL;
END $$"""
PG_BINDING = (
    "CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} EXECUTE FUNCTION {name}()"
)
SQLITE_TRIGGER = """CREATE TRIGGER {name} AFTER {event} ON {table} \
WHEN NOT EXISTS (SELECT 1 FROM {pause}){when}
BEGIN
{steps}END"""


def trigger_statements(vendor):
    """CREATE statements for the triggers that keep the roster in step (SQLite or PostgreSQL);
    none acts while a bulk write has paused them."""
    statements = []
    for name, table, event, condition, body in trigger_specs(vendor):
        steps = "".join(f"  {statement};\n" for statement in body)
        values = {"name": name, "table": table, "event": event, "steps": steps}
        if vendor == "postgresql":
            when = f" WHEN ({condition})" if condition else ""
            statements += [_sql(PG_TRIGGER, **values), _sql(PG_BINDING, when=when, **values)]
        else:
            when = f" AND ({condition})" if condition else ""
            statements.append(_sql(SQLITE_TRIGGER, when=when, **values))
    return statements


# PostgreSQL only: sort=lastSeen&order=descending in its very order, nulls last (SQLite has
# no NULLS LAST in an index; its descending order puts NULLs last anyway).
SEEN_DESC_INDEX = (
    f"CREATE INDEX org_member_seen_desc_idx ON {ROSTER} "
    "(org_id, last_seen DESC NULLS LAST, user_id)"
)


def install_statements(vendor):
    """The triggers (trigger_statements) and, on PostgreSQL, the roster's descending index:
    what the newest roster migration installs, frozen (tests/golden/)."""
    extra = [SEEN_DESC_INDEX] if vendor == "postgresql" else []
    return trigger_statements(vendor) + extra


def drop_statements(vendor):
    if vendor == "postgresql":
        return ["DROP INDEX IF EXISTS org_member_seen_desc_idx"] + [
            f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name, *_ in trigger_specs(vendor)
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, *_ in trigger_specs(vendor)]


def _among(org_ids):
    """The org condition of a rebuild: the orgs in org_ids, or every org for None."""
    if org_ids is None:
        return EVERYTHING
    listed = ", ".join(str(int(org_id)) for org_id in org_ids) or "NULL"
    return _Condition(f"{{column}} IN ({listed})")


def rebuild_statements(org_ids=None):
    """Recompute the roster and its tally: all of it, or only the rows of the orgs in org_ids."""
    orgs = _among(org_ids)
    return refresh_statements(orgs) + retally_statements(orgs)
