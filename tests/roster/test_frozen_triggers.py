"""The roster's trigger SQL, frozen: dashboards/roster/triggers.py, the golden files
(tests/golden/) and the newest roster migration agree, and the database runs exactly that SQL."""

import importlib
import os
import pkgutil
from pathlib import Path

import pytest
from django.db import connection

from dashboards.roster import triggers as roster

# The trigger SQL, frozen: roster.py, the golden files and the newest roster migration agree.

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
FROZEN_ADVICE = (
    "The roster's trigger SQL changed. A trigger change needs a new migration that drops the "
    "old triggers and installs the new ones as frozen literal SQL (ROSTER_DDL, ROSTER_DROP, "
    "ROSTER_REBUILD, as in 0003_org_roster.py), and the golden files tests/golden/"
    "roster_triggers.*.sql rewritten "
    "(UPDATE_GOLDEN=1 pytest tests/roster/test_frozen_triggers.py)."
)


def script(vendor, statements):
    """The statements as the golden file holds them: one SQL script."""
    head = (
        f"-- The org roster's triggers on {vendor}: "
        "dashboards/roster/triggers.py install_statements(),\n"
        "-- as the newest roster migration installs them "
        "(checked by tests/roster/test_frozen_triggers.py).\n"
    )
    return head + "".join(f"\n{statement};\n" for statement in statements)


def newest_roster_migration():
    """The last dashboards migration carrying frozen roster SQL (ROSTER_DDL)."""
    package = importlib.import_module("dashboards.migrations")
    names = sorted(name for _, name, _ in pkgutil.iter_modules(package.__path__))
    modules = [importlib.import_module(f"{package.__name__}.{name}") for name in names]
    return [module for module in modules if hasattr(module, "ROSTER_DDL")][-1]


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_the_trigger_sql_is_frozen_in_the_golden_file_and_the_newest_migration(vendor):
    current = script(vendor, roster.install_statements(vendor))
    golden = GOLDEN / f"roster_triggers.{vendor}.sql"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(current)
    assert current == golden.read_text(), FROZEN_ADVICE
    migration = newest_roster_migration()
    assert script(vendor, migration.ROSTER_DDL[vendor]) == current, FROZEN_ADVICE
    assert roster.drop_statements(vendor) == migration.ROSTER_DROP[vendor], FROZEN_ADVICE
    assert roster.rebuild_statements() == migration.ROSTER_REBUILD, FROZEN_ADVICE


def installed_trigger_sql():
    """{trigger name: its SQL} as stored by the database (PostgreSQL: the function bodies)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal"
            )
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return dict(cursor.fetchall())


def test_the_database_runs_the_frozen_triggers(db):
    """The test database, migrated from zero, holds exactly the triggers roster.py writes."""
    expected = {}
    for statement in roster.install_statements(connection.vendor):
        words = statement.split()
        if words[:2] == ["CREATE", "TRIGGER"] and connection.vendor == "sqlite":
            expected[words[2]] = statement
        elif words[:4] == ["CREATE", "OR", "REPLACE", "FUNCTION"]:
            expected[words[4].removesuffix("()")] = statement.split("$$")[1]
    assert len(expected) == len(roster.trigger_specs(connection.vendor))
    assert installed_trigger_sql() == expected
