"""The rules over whole lists that are checked in SQL, over the staged rows (staging.py):
repeated ids, names and pairs, and references to users, orgs and courses.

Each check reports its problems in the order the Python checks of validate.py report them
(by record, then by field), and only the first 50 leave the database with the total count.
"""

from django.db import connection

from dashboards.dataset import fields as f
from dashboards.dataset.staging import first_problems, table
from dashboards.models import Course, User

USERS, ROLES, MEMBERS = table("users"), table("orgRoles"), table("courseMembers")
COURSE_IDS, ORG_IDS = table("course_ids"), table("org_ids")


def _quote(name):
    return connection.ops.quote_name(name)


def _unknown(column, staged, stored_table):
    """SQL true when the id in `column` is neither staged nor (stored_table given) stored."""
    condition = f"NOT EXISTS (SELECT 1 FROM {staged} k WHERE k.id = {column})"
    if stored_table:
        condition += (
            f" AND NOT EXISTS (SELECT 1 FROM {_quote(stored_table)} d WHERE d.id = {column})"
        )
    return condition


def _repeats(source, columns, valid):
    """SELECT idx, first, *columns: the records after the first with the same `columns`
    (among those where `valid` holds)."""
    keys = ", ".join(columns)
    return (
        f"SELECT idx, first, {keys} FROM (SELECT idx, {keys}, "
        f"MIN(idx) OVER (PARTITION BY {keys}) AS first FROM {source} WHERE {valid}) AS r "
        "WHERE idx <> first"
    )


class StagedChecks:
    """The SQL checks of one load; `add(where, reason)` and `add_counted` take the problems."""

    def __init__(self, problems, replaced):
        self.problems = problems
        self.replaced = replaced

    def report(self, sql, params, line):
        rows, total = first_problems(sql, params)
        self.problems.add_counted([line(*row) for row in rows], total)

    def stored(self, model, name):
        """The table whose rows count as already there, or None when the list is replaced."""
        return None if self.replaced(name) else model._meta.db_table

    def user_ids(self):
        self.report(
            f"SELECT idx, first, id, COUNT(*) OVER () "
            f"FROM ({_repeats(USERS, ['id'], 'id IS NOT NULL')}) AS d ORDER BY idx",
            (),
            lambda index, first, pk: f"users[{index}].id: {pk} is already the id of users[{first}]",
        )

    def user_names(self, field, stored):
        """`field` (username, email: the same name in the file and the table) is unique
        among the file's users, and (stored) among the stored users the file does not have."""
        valid = f"{field} IS NOT NULL AND id IS NOT NULL"
        self.report(
            f"SELECT idx, first, {field}, COUNT(*) OVER () "
            f"FROM ({_repeats(USERS, [field], valid)}) AS d ORDER BY idx",
            (),
            lambda index, first, value: (
                f"users[{index}].{field}: {f.show(value)} is already used by users[{first}]"
            ),
        )
        if not stored:
            return
        collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
        user_table = _quote(User._meta.db_table)
        self.report(
            f"SELECT h.first, d.id, d.{field}, COUNT(*) OVER () FROM "
            f"(SELECT {field} AS value, MIN(idx) AS first FROM {USERS} WHERE {valid} "
            f"GROUP BY {field}) h JOIN {user_table} d ON d.{field} = h.value "
            f"WHERE NOT EXISTS (SELECT 1 FROM {USERS} s WHERE s.id = d.id) "
            f"ORDER BY h.value{collate}, d.id",
            (),
            lambda first, pk, value: (
                f"users[{first}].{field}: {f.show(value)} is already used by user {pk} "
                "in the database"
            ),
        )

    def org_roles(self):
        unknown_user = _unknown("r.user_id", USERS, self.stored(User, "users"))
        repeats = _repeats(
            ROLES,
            ["user_id", "org_id", "role"],
            "user_id IS NOT NULL AND org_id IS NOT NULL AND role IS NOT NULL",
        )
        lines = {
            0: lambda index, pk: (
                f"orgRoles[{index}].userId: user {pk} is neither in the file nor in the database"
            ),
            1: lambda index, pk: (
                f"orgRoles[{index}].orgId: org {pk} is neither in the file nor in the database"
            ),
            2: lambda index, first: (
                f"orgRoles[{index}]: the same role is already given at orgRoles[{first}]"
            ),
        }
        self.report(
            "SELECT idx, kind, value, COUNT(*) OVER () FROM ("
            f"SELECT idx, 0 AS kind, user_id AS value FROM {ROLES} r "
            f"WHERE user_id IS NOT NULL AND {unknown_user} UNION ALL "
            f"SELECT idx, 1, org_id FROM {ROLES} r "
            f"WHERE org_id IS NOT NULL AND {_unknown('r.org_id', ORG_IDS, None)} UNION ALL "
            f"SELECT idx, 2, first FROM ({repeats}) AS d"
            ") AS p ORDER BY idx, kind",
            (),
            lambda index, kind, value: lines[kind](index, value),
        )

    def course_members(self):
        unknown_user = _unknown("m.user_id", USERS, self.stored(User, "users"))
        unknown_course = _unknown("m.course_id", COURSE_IDS, self.stored(Course, "courses"))
        repeats = _repeats(
            MEMBERS, ["user_id", "course_id"], "user_id IS NOT NULL AND course_id IS NOT NULL"
        )

        def line(index, kind, user, course, first):
            where = f"courseMembers[{index}]"
            if kind == 0:
                return f"{where}.userId: user {user} is neither in the file nor in the database"
            if kind == 1:
                return (
                    f"{where}.courseId: course {course} is neither in the file nor in the database"
                )
            return (
                f"{where}: user {user} is already a member of course {course} "
                f"at courseMembers[{first}]"
            )

        self.report(
            "SELECT idx, kind, user_id, course_id, first, COUNT(*) OVER () FROM ("
            f"SELECT idx, 0 AS kind, user_id, course_id, idx AS first FROM {MEMBERS} m "
            f"WHERE user_id IS NOT NULL AND {unknown_user} UNION ALL "
            f"SELECT idx, 1, user_id, course_id, idx FROM {MEMBERS} m "
            f"WHERE course_id IS NOT NULL AND {unknown_course} UNION ALL "
            f"SELECT idx, 2, user_id, course_id, first FROM ({repeats}) AS d"
            ") AS p ORDER BY idx, kind",
            (),
            line,
        )

    def known_users(self, ids, chunk):
        """The ids among `ids` that are staged users or (unless replaced) stored users."""
        found = set()
        stored = self.stored(User, "users")
        with connection.cursor() as cursor:
            for batch in chunk(sorted(ids)):
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"SELECT id FROM {USERS} WHERE id IN ({marks})", batch)
                found.update(pk for (pk,) in cursor.fetchall())
                if stored:
                    cursor.execute(f"SELECT id FROM {_quote(stored)} WHERE id IN ({marks})", batch)
                    found.update(pk for (pk,) in cursor.fetchall())
        return found
