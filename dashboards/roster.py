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
so it is right whatever the roster held before. Bulk writers pause the triggers inside their
transaction and rebuild once at the end (`paused_for_bulk_write`), which costs seconds where
a million row refreshes cost minutes.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

ROSTER = "dashboards_orgmember"
PAUSE = "dashboards_rosterpause"
TALLY = "dashboards_orgmembertally"
USER = "dashboards_user"
ORG = "dashboards_org"
ROLE = "dashboards_orgrole"
SHARE = "dashboards_courseshare"
MEMBER = "dashboards_coursemember"

NOT_A_MEMBER = 9  # OrgMemberTally.NOT_A_MEMBER

# An anonymous user: no email, no username and no name (real_name is "" without one);
# for the user row `user` (NEW, OLD or an alias).
_ANONYMOUS = "({user}.email IS NULL AND {user}.username IS NULL AND {user}.real_name = '')"
# The user columns the roster copies or derives its copies from.
USER_COLUMNS = [
    "name_key",
    "last_seen",
    "email",
    "username",
    "first_name",
    "last_name",
    "fn",
    "full_name",
]

# Column values copied by the triggers; a change to any other column touches no roster row.
WATCHED_COLUMNS = {
    ROLE: ["org_id", "user_id", "role"],
    SHARE: ["org_id", "course_id"],
    MEMBER: ["course_id", "user_id", "join_status", "finish_date"],
}


def _scope(table, row):
    """(orgs, users): SQL conditions on an org id and a user id column, naming the roster
    rows that `row` (NEW or OLD) of `table` counts in."""
    if table == ROLE:
        portals = f"SELECT id FROM {ORG} WHERE container_id = {row}.org_id AND org_type = 'portal'"
        return (
            lambda org: f"({org} = {row}.org_id OR {org} IN ({portals}))",
            lambda user: f"{user} = {row}.user_id",
        )
    if table == SHARE:
        return (
            lambda org: f"{org} = {row}.org_id",
            lambda user: (
                f"{user} IN (SELECT user_id FROM {MEMBER} WHERE course_id = {row}.course_id)"
            ),
        )
    if table == MEMBER:
        return (
            lambda org: f"{org} IN (SELECT org_id FROM {SHARE} WHERE course_id = {row}.course_id)",
            lambda user: f"{user} = {row}.user_id",
        )
    return (lambda org: f"{org} = {row}.id", _everything)


def _everything(column):
    return "1 = 1"


def refresh_statements(orgs=_everything, users=_everything):
    """The two statements that recompute the roster rows whose org and user match (rows of
    an org or a user being deleted are not written back: Django's collector and a flush
    delete the sources in any order). Rows go in by org, so that each index of the roster
    (all but one lead with the org) is written region by region: a rebuild at tier M takes a
    third of the time it takes in the order the grouping leaves them.

    Each fact is (org, user, rank, staff, enrolled, completed): a role on the org (rank 0-2),
    an admin or instructor role on a portal's container (staff), an enrollment in a course
    shared with the org (rank 3). role_rank ignores staff facts (NULL: not a member of the
    org itself); portal_rank takes them all.
    """
    return [
        f"DELETE FROM {ROSTER} WHERE {orgs('org_id')} AND {users('user_id')}",
        f"""INSERT INTO {ROSTER} (org_id, user_id, role_rank, portal_rank, enrolled_count,
  completed_count, anonymous, name_key, last_seen)
SELECT f.org_id, f.user_id, f.role_rank, f.portal_rank, f.enrolled, f.completed,
  {_ANONYMOUS.format(user="u")}, u.name_key, u.last_seen
FROM (
  SELECT org_id, user_id, MIN(CASE WHEN staff = 0 THEN rank_of_fact END) AS role_rank,
    MIN(rank_of_fact) AS portal_rank, SUM(enrolled) AS enrolled, SUM(completed) AS completed
  FROM (
    SELECT org_id, user_id,
      CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS rank_of_fact,
      0 AS staff, 0 AS enrolled, 0 AS completed
    FROM {ROLE} WHERE {orgs("org_id")} AND {users("user_id")}
    UNION ALL
    SELECT p.id, r.user_id, CASE r.role WHEN 'admin' THEN 0 ELSE 1 END, 1, 0, 0
    FROM {ROLE} r JOIN {ORG} p ON p.container_id = r.org_id
    WHERE p.org_type = 'portal' AND r.role IN ('admin', 'instructor')
      AND {orgs("p.id")} AND {users("r.user_id")}
    UNION ALL
    SELECT s.org_id, m.user_id, 3, 0, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
    FROM {MEMBER} m JOIN {SHARE} s ON s.course_id = m.course_id
    WHERE m.join_status = 'joined' AND {orgs("s.org_id")} AND {users("m.user_id")}
  ) AS facts GROUP BY org_id, user_id
) AS f JOIN {USER} u ON u.id = f.user_id JOIN {ORG} o ON o.id = f.org_id
ORDER BY f.org_id, f.user_id""",
    ]


def _tally_statements(row, step):
    """Add `step` (1 or -1) to the tally of roster row `row` (NEW or OLD)."""
    key = f"COALESCE({row}.role_rank, {NOT_A_MEMBER})"
    if step > 0:
        return [
            f"INSERT INTO {TALLY} (org_id, role_key, portal_rank, anonymous, members) "
            f"VALUES ({row}.org_id, {key}, {row}.portal_rank, {row}.anonymous, 1) "
            "ON CONFLICT (org_id, role_key, portal_rank, anonymous) "
            f"DO UPDATE SET members = {TALLY}.members + 1"
        ]
    return [
        f"UPDATE {TALLY} SET members = members - 1 WHERE org_id = {row}.org_id "
        f"AND role_key = {key} AND portal_rank = {row}.portal_rank "
        f"AND anonymous = {row}.anonymous"
    ]


def retally_statements(orgs=_everything):
    """The two statements that recount the tally of the orgs that match."""
    key = f"COALESCE(role_rank, {NOT_A_MEMBER})"
    return [
        f"DELETE FROM {TALLY} WHERE {orgs('org_id')}",
        f"INSERT INTO {TALLY} (org_id, role_key, portal_rank, anonymous, members) "
        f"SELECT org_id, {key}, portal_rank, anonymous, COUNT(*) FROM {ROSTER} "
        f"WHERE {orgs('org_id')} GROUP BY org_id, {key}, portal_rank, anonymous",
    ]


def _refresh_for(table, row):
    return refresh_statements(*_scope(table, row))


def _triggers(vendor):
    """(name, table, event, condition, statements) of every roster trigger."""
    differ = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    found = []
    for table, columns in WATCHED_COLUMNS.items():
        found += [
            (f"{table}_roster_insert", table, "INSERT", None, _refresh_for(table, "NEW")),
            (f"{table}_roster_delete", table, "DELETE", None, _refresh_for(table, "OLD")),
            (
                f"{table}_roster_update",
                table,
                f"UPDATE OF {', '.join(columns)}",
                None,
                _refresh_for(table, "OLD") + _refresh_for(table, "NEW"),
            ),
        ]
    # A portal's listing holds its container's staff: a new portal, or an org that changes
    # container or becomes or stops being a portal, is refreshed whole.
    found += [
        (
            f"{ORG}_roster_insert",
            ORG,
            "INSERT",
            "NEW.org_type = 'portal'",
            _refresh_for(ORG, "NEW"),
        ),
        (
            f"{ORG}_roster_update",
            ORG,
            "UPDATE OF container_id, org_type",
            f"OLD.container_id {differ} NEW.container_id OR OLD.org_type {differ} NEW.org_type",
            _refresh_for(ORG, "NEW"),
        ),
    ]
    copied = (
        f"UPDATE {ROSTER} SET anonymous = {_ANONYMOUS.format(user='NEW')}, "
        "name_key = NEW.name_key, last_seen = NEW.last_seen WHERE user_id = NEW.id"
    )
    changed = (
        f"OLD.name_key {differ} NEW.name_key OR OLD.last_seen {differ} NEW.last_seen OR "
        f"{_ANONYMOUS.format(user='OLD')} {differ} {_ANONYMOUS.format(user='NEW')}"
    )
    found.append(
        (f"{USER}_roster_update", USER, f"UPDATE OF {', '.join(USER_COLUMNS)}", changed, [copied])
    )
    found += [
        (f"{ROSTER}_tally_insert", ROSTER, "INSERT", None, _tally_statements("NEW", 1)),
        (f"{ROSTER}_tally_delete", ROSTER, "DELETE", None, _tally_statements("OLD", -1)),
        (
            f"{ROSTER}_tally_update",
            ROSTER,
            "UPDATE OF org_id, role_rank, portal_rank, anonymous",
            f"OLD.anonymous {differ} NEW.anonymous OR OLD.role_rank {differ} NEW.role_rank "
            f"OR OLD.portal_rank {differ} NEW.portal_rank OR OLD.org_id {differ} NEW.org_id",
            _tally_statements("OLD", -1) + _tally_statements("NEW", 1),
        ),
    ]
    # The roster's keys have no ON DELETE CASCADE (Django's collector runs the cascade, and a
    # role deleted on the way would refresh its user's rows back in): a deleted user or org
    # takes its roster rows with it once it is gone.
    for table, column in ((USER, "user_id"), (ORG, "org_id")):
        statements = [f"DELETE FROM {ROSTER} WHERE {column} = OLD.id"]
        if table == ORG:
            statements.append(f"DELETE FROM {TALLY} WHERE org_id = OLD.id")
        found.append((f"{table}_roster_delete", table, "DELETE", None, statements))
    return found


def trigger_statements(vendor):
    """CREATE statements for the triggers that keep the roster in step (SQLite or PostgreSQL);
    none acts while a bulk write has paused them."""
    statements = []
    for name, table, event, condition, body in _triggers(vendor):
        steps = "".join(f"  {statement};\n" for statement in body)
        if vendor == "postgresql":
            when = f" WHEN ({condition})" if condition else ""
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n  IF EXISTS (SELECT 1 FROM {PAUSE}) THEN RETURN NULL; END IF;\n"
                f"{steps}  RETURN NULL;\nEND $$",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} "
                f"EXECUTE FUNCTION {name}()",
            ]
        else:
            when = f" AND ({condition})" if condition else ""
            statements.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"WHEN NOT EXISTS (SELECT 1 FROM {PAUSE}){when}\nBEGIN\n{steps}END"
            )
    return statements


# PostgreSQL only: sort=lastSeen&order=descending in its very order, nulls last (SQLite has
# no NULLS LAST in an index; its descending order puts NULLs last anyway).
SEEN_DESC_INDEX = (
    f"CREATE INDEX org_member_seen_desc_idx ON {ROSTER} "
    "(org_id, last_seen DESC NULLS LAST, user_id)"
)


def install_statements(vendor):
    """The triggers (trigger_statements) and, on PostgreSQL, the roster's descending index."""
    extra = [SEEN_DESC_INDEX] if vendor == "postgresql" else []
    return trigger_statements(vendor) + extra


def drop_statements(vendor):
    if vendor == "postgresql":
        return ["DROP INDEX IF EXISTS org_member_seen_desc_idx"] + [
            f"DROP FUNCTION IF EXISTS {name}() CASCADE" for name, *_ in _triggers(vendor)
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, *_ in _triggers(vendor)]


def _among(org_ids):
    """The org condition of a rebuild: the orgs in org_ids, or every org for None."""
    if org_ids is None:
        return _everything
    listed = ", ".join(str(int(org_id)) for org_id in org_ids) or "NULL"
    return lambda column: f"{column} IN ({listed})"


def rebuild(using=DEFAULT_DB_ALIAS, *, org_ids=None):
    """Recompute the roster and its tally from the source tables, with the triggers paused
    (call inside a transaction): all of it, or only the rows of the orgs in org_ids."""
    orgs = _among(org_ids)
    with connections[using].cursor() as cursor, _paused(cursor):
        if cursor.db.vendor == "postgresql":
            # Group millions of facts in memory rather than in temporary files (this
            # transaction only).
            cursor.execute("SET LOCAL work_mem = '256MB'")
        for statement in refresh_statements(orgs) + retally_statements(orgs):
            cursor.execute(statement)
        # Fresh planner statistics: without them both engines pick poor plans for listings.
        cursor.execute(f"ANALYZE {ROSTER}")


@contextmanager
def _paused(cursor):
    """Pause the triggers for the enclosed statements unless they are paused already; True
    when this pause is the outermost one."""
    cursor.execute(f"SELECT 1 FROM {PAUSE}")
    if cursor.fetchone():
        yield False
        return
    cursor.execute(f"INSERT INTO {PAUSE} (id) VALUES (1)")
    yield True
    cursor.execute(f"DELETE FROM {PAUSE}")


@contextmanager
def paused_for_bulk_write(*, org_ids=None):
    """Run a bulk write with the roster triggers paused, then rebuild the roster (only the
    rows of org_ids when given: a write that touches no other org's members), all in one
    transaction: other connections never see the pause nor a stale roster."""
    with transaction.atomic(), connection.cursor() as cursor, _paused(cursor) as outermost:
        yield
        if outermost:  # within another bulk write, that one rebuilds at its end
            rebuild(org_ids=org_ids)
