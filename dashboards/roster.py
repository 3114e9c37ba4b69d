"""The org roster (OrgMember): one row per member of an org, kept in step by the database.

An org's members are the users with a direct role on it and the users `joined` in a course
shared with it (org-dashboard-api.md). Deriving that set on every request means joining every
role and enrollment of the org, hundreds of milliseconds for a 100,000-member org; the roster
holds it ready, with each member's role rank and counts, so a listing is an index range.

Triggers on the three source tables (org roles, course shares, course members) refresh the
roster rows a write can touch, whatever made the write: the ORM, bulk_create, QuerySet.update,
the admin, the dataset loader or raw SQL. A refresh recomputes those rows from the sources
(delete, then insert what the sources say), so it is right whatever the roster held before.
Bulk writers pause the triggers inside their transaction and rebuild once at the end
(`paused_for_bulk_write`), which costs seconds where a million row refreshes cost minutes.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

ROSTER = "dashboards_orgmember"
PAUSE = "dashboards_rosterpause"
ROLE = "dashboards_orgrole"
SHARE = "dashboards_courseshare"
MEMBER = "dashboards_coursemember"

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
        return (lambda org: f"{org} = {row}.org_id", lambda user: f"{user} = {row}.user_id")
    if table == SHARE:
        return (
            lambda org: f"{org} = {row}.org_id",
            lambda user: (
                f"{user} IN (SELECT user_id FROM {MEMBER} WHERE course_id = {row}.course_id)"
            ),
        )
    return (
        lambda org: f"{org} IN (SELECT org_id FROM {SHARE} WHERE course_id = {row}.course_id)",
        lambda user: f"{user} = {row}.user_id",
    )


def _everything(column):
    return "1 = 1"


def refresh_statements(orgs=_everything, users=_everything):
    """The two statements that recompute the roster rows whose org and user match."""
    return [
        f"DELETE FROM {ROSTER} WHERE {orgs('org_id')} AND {users('user_id')}",
        f"""INSERT INTO {ROSTER} (org_id, user_id, role_rank, enrolled_count, completed_count)
SELECT org_id, user_id, MIN(role_rank), SUM(enrolled), SUM(completed) FROM (
  SELECT org_id, user_id,
    CASE role WHEN 'admin' THEN 0 WHEN 'instructor' THEN 1 ELSE 2 END AS role_rank,
    0 AS enrolled, 0 AS completed
  FROM {ROLE} WHERE {orgs("org_id")} AND {users("user_id")}
  UNION ALL
  SELECT s.org_id, m.user_id, 3, 1, CASE WHEN m.finish_date IS NULL THEN 0 ELSE 1 END
  FROM {MEMBER} m JOIN {SHARE} s ON s.course_id = m.course_id
  WHERE m.join_status = 'joined' AND {orgs("s.org_id")} AND {users("m.user_id")}
) AS facts GROUP BY org_id, user_id""",
    ]


def _refresh_for(table, row):
    return refresh_statements(*_scope(table, row))


def trigger_statements(vendor):
    """CREATE statements for the triggers that keep the roster in step (SQLite or PostgreSQL)."""
    statements = []
    for table, columns in WATCHED_COLUMNS.items():
        of_columns = ", ".join(columns)
        if vendor == "postgresql":
            function = f"{table}_roster"
            old = ";\n    ".join(_refresh_for(table, "OLD"))
            new = ";\n    ".join(_refresh_for(table, "NEW"))
            statements += [
                f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM {PAUSE}) THEN RETURN NULL; END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    {old};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    {new};
  END IF;
  RETURN NULL;
END $$""",
                f"CREATE TRIGGER {function} AFTER INSERT OR DELETE OR UPDATE OF {of_columns} "
                f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
            ]
            continue
        events = {
            "insert": ("INSERT", ["NEW"]),
            "delete": ("DELETE", ["OLD"]),
            "update": (f"UPDATE OF {of_columns}", ["OLD", "NEW"]),
        }
        for suffix, (event, rows) in events.items():
            body = "".join(
                f"  {statement};\n" for row in rows for statement in _refresh_for(table, row)
            )
            statements.append(
                f"CREATE TRIGGER {table}_roster_{suffix} AFTER {event} ON {table} "
                f"WHEN NOT EXISTS (SELECT 1 FROM {PAUSE})\nBEGIN\n{body}END"
            )
    # The roster's keys have no ON DELETE CASCADE (Django's collector runs the cascade, and a
    # role deleted on the way would refresh its user's rows back in): a deleted user or org
    # takes its roster rows with it once it is gone.
    for table, column in (("dashboards_user", "user_id"), ("dashboards_org", "org_id")):
        statement = f"DELETE FROM {ROSTER} WHERE {column} = OLD.id"
        if vendor == "postgresql":
            function = f"{table}_roster"
            statements += [
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n  IF NOT EXISTS (SELECT 1 FROM {PAUSE}) THEN {statement}; END IF;\n"
                "  RETURN NULL;\nEND $$",
                f"CREATE TRIGGER {function} AFTER DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            ]
        else:
            statements.append(
                f"CREATE TRIGGER {table}_roster_delete AFTER DELETE ON {table} "
                f"WHEN NOT EXISTS (SELECT 1 FROM {PAUSE})\nBEGIN\n  {statement};\nEND"
            )
    return statements


def drop_statements(vendor):
    tables = [*WATCHED_COLUMNS, "dashboards_user", "dashboards_org"]
    if vendor == "postgresql":
        return [f"DROP FUNCTION IF EXISTS {table}_roster() CASCADE" for table in tables]
    suffixes = {table: ["insert", "delete", "update"] for table in WATCHED_COLUMNS}
    return [
        f"DROP TRIGGER IF EXISTS {table}_roster_{suffix}"
        for table in tables
        for suffix in suffixes.get(table, ["delete"])
    ]


def rebuild(using=DEFAULT_DB_ALIAS):
    """Recompute the whole roster from the source tables (call inside a transaction)."""
    with connections[using].cursor() as cursor:
        for statement in refresh_statements():
            cursor.execute(statement)


@contextmanager
def paused_for_bulk_write():
    """Run a bulk write with the roster triggers paused, then rebuild the roster, all in one
    transaction: other connections never see the pause nor a stale roster."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {PAUSE}")
            if cursor.fetchone():  # an enclosing bulk write rebuilds at its end
                yield
                return
            cursor.execute(f"INSERT INTO {PAUSE} (id) VALUES (1)")
        yield
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PAUSE}")
        rebuild()
