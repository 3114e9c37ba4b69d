"""Temporary tables for the lists that may hold millions of records (users, org roles, course
members): the checker writes their rows there as it reads them, the rules that need the
whole list (repeated ids and names, references) run as SQL over them, and the writer copies
them into the real tables set-wise. The Python side then holds one batch at a time.

The tables live in the load's transaction (dropped at its end); rows go in with executemany
on SQLite and COPY on PostgreSQL.
"""

from django.db import connection

from dashboards.dataset.format import USER_TEXT_FIELDS
from dashboards.dataset.upsert import datetime_adapter

BATCH = 20_000
PROFILE_FIELDS = tuple(model_field for model_field, _ in USER_TEXT_FIELDS.values())

# (column, type) per staged list; "idx" is the record's index in its list.
COLUMNS = {
    "users": (
        ("idx", "int"),
        ("id", "int"),
        *((name, "text") for name in PROFILE_FIELDS),
        ("last_seen", "timestamp"),
        ("password_mode", "int"),  # PASSWORD_KEEP, PASSWORD_NONE or PASSWORD_SET
        ("password_given", "text"),
        ("password", "text"),  # the hash to store, filled in before the write
        ("is_superuser", "bool"),
        ("name_key", "text"),
        ("search_key", "text"),
        ("roster_search_key", "text"),
    ),
    "orgRoles": (("idx", "int"), ("user_id", "int"), ("org_id", "int"), ("role", "text")),
    "courseMembers": (
        ("idx", "int"),
        ("user_id", "int"),
        ("course_id", "int"),
        ("join_status", "text"),
        ("joined_at", "timestamp"),
        ("last_active_at", "timestamp"),
        ("completion_rate", "int"),
        ("start_date", "timestamp"),
        ("finish_date", "timestamp"),
        ("score", "float"),
    ),
    # Small lists the SQL checks compare with: ids only.
    "course_ids": (("id", "int"),),
    "org_ids": (("id", "int"),),
}
PASSWORD_KEEP, PASSWORD_NONE, PASSWORD_SET = 0, 1, 2
TYPES = {
    "postgresql": {
        "int": "bigint",
        "text": "text",
        "timestamp": "timestamptz",
        "bool": "boolean",
        "float": "double precision",
    },
    "sqlite": {
        "int": "integer",
        "text": "text",
        "timestamp": "text",
        "bool": "integer",
        "float": "real",
    },
}
# The indexes the checks and the writer read, built once the rows are in.
INDEXES = {
    "users": ("id", "username", "email"),
    "orgRoles": (),
    "courseMembers": (),
    "course_ids": ("id",),
    "org_ids": ("id",),
}


def table(name):
    """The quoted name of a staged list's temporary table."""
    return connection.ops.quote_name(f"dataset_stage_{name.lower()}")


class Staging:
    """The temporary tables of one load, filled in batches."""

    def __init__(self):
        self.batches = {name: [] for name in COLUMNS}
        self.counts = dict.fromkeys(COLUMNS, 0)
        self.adapt = datetime_adapter() if connection.vendor == "sqlite" else None
        self.timestamps = {
            name: [at for at, (_, kind) in enumerate(columns) if kind == "timestamp"]
            for name, columns in COLUMNS.items()
        }
        types = TYPES[connection.vendor]
        # Created inside the load's transaction: a failed load's rollback takes them away,
        # a successful one drops them (drop()).
        with connection.cursor() as cursor:
            for name, columns in COLUMNS.items():
                listed = ", ".join(f"{column} {types[kind]}" for column, kind in columns)
                suffix = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
                cursor.execute(f"CREATE TEMPORARY TABLE {table(name)} ({listed}){suffix}")

    def restart(self, name):
        """Forget the rows of a list (its key came again in the file: the last one counts)."""
        self.batches[name] = []
        if self.counts[name]:
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table(name)}")
        self.counts[name] = 0

    def add(self, name, row):
        """Stage a row, its datetimes already adapted (stored())."""
        batch = self.batches[name]
        batch.append(row)
        if len(batch) >= BATCH:
            self.flush(name)

    def add_all(self, name, rows):
        for row in rows:
            self.add(name, row)

    def flush(self, name):
        rows, self.batches[name] = self.batches[name], []
        if not rows:
            return
        self.counts[name] += len(rows)
        columns = ", ".join(column for column, _ in COLUMNS[name])
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table(name)} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(COLUMNS[name]))
            cursor.executemany(f"INSERT INTO {table(name)} ({columns}) VALUES ({marks})", rows)

    def stored(self, name, row):
        """A row of `name` with its datetimes as this connection stores them (add() takes
        rows so)."""
        positions = self.timestamps[name]
        if self.adapt is None or not positions:
            return row
        row = list(row)
        for position in positions:
            if row[position] is not None:
                row[position] = self.adapt(row[position])
        return tuple(row)

    def finish(self, names):
        """Write the last batches of these lists and index their tables for the checks."""
        with connection.cursor() as cursor:
            for name in names:
                self.flush(name)
                if not self.counts[name]:
                    continue
                for column in INDEXES[name]:
                    index = connection.ops.quote_name(f"dataset_stage_{name.lower()}_{column}")
                    cursor.execute(f"CREATE INDEX {index} ON {table(name)} ({column})")
                if connection.vendor == "postgresql" and self.counts[name] >= BATCH:
                    cursor.execute(f"ANALYZE {table(name)}")

    def drop(self):
        """Drop the tables now (the load may be part of a longer transaction)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TABLE {', '.join(map(table, COLUMNS))}")
                return
            for name in COLUMNS:
                cursor.execute(f"DROP TABLE {table(name)}")


def first_problems(sql, params=(), limit=50):
    """The first `limit` rows of a query ordered as the problems are reported, and how many
    rows it has in all: (rows, total). The query's last column must be COUNT(*) OVER ()."""
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} LIMIT {int(limit)}", params)
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    return [row[:-1] for row in rows], total
