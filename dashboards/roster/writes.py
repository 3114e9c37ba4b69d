"""Bulk writes and the org roster: the triggers paused inside the write's transaction, the
roster and its tally rebuilt once at its end (dashboards/roster/triggers.py holds the SQL).

`paused_for_bulk_write` wraps a bulk write; `rebuild` refuses to run outside a transaction
(other connections would see the triggers paused and the roster half rebuilt); `bulk_write`
fills a table with its indexes, keys and roster triggers off meanwhile (bulk_indexes.py).
"""

from contextlib import contextmanager, nullcontext, suppress

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.transaction import TransactionManagementError

from dashboards.models import OrgMember
from dashboards.roster.bulk_indexes import built_after
from dashboards.roster.triggers import PAUSE, ROSTER, rebuild_statements, trigger_specs


def rebuild(using=DEFAULT_DB_ALIAS, *, org_ids=None):
    """Recompute the roster and its tally from the source tables, with the triggers paused,
    inside the caller's transaction: all of it, or only the rows of the orgs in org_ids."""
    if not connections[using].in_atomic_block:
        # In autocommit, other connections would see the triggers paused and the roster
        # half rebuilt, and a failure would leave it so.
        raise TransactionManagementError(
            "roster_writes.rebuild() runs inside a transaction: call it within "
            "transaction.atomic() (or use roster_writes.paused_for_bulk_write())."
        )
    vendor = connections[using].vendor
    statements = rebuild_statements(org_ids)
    deletes, inserts = statements[0::2], statements[1::2]  # the roster's, then the tally's
    bulk = nullcontext()
    if org_ids is None:
        # Every row is rewritten: build the indexes once at the end (bulk_indexes.py).
        bulk = bulk_write(OrgMember, using)
    with connections[using].cursor() as cursor, _paused(cursor):
        if vendor == "postgresql":
            large_sorts_in_memory(cursor)
        with bulk:
            for statement in deletes:
                cursor.execute(statement)
            roster_insert, tally_insert = inserts
            if vendor == "postgresql" and org_ids is None:
                # Millions of facts: hashed into groups, they come out in no order and are
                # sorted again for the insert; sorted first, they come grouped in that order
                # (twice as fast at tier M).
                cursor.execute("SET LOCAL enable_hashagg = off")
                cursor.execute(roster_insert)
                cursor.execute("SET LOCAL enable_hashagg TO DEFAULT")
            else:
                cursor.execute(roster_insert)
            cursor.execute(tally_insert)
        # Fresh planner statistics: without them both engines pick poor plans for listings.
        cursor.execute(f"ANALYZE {ROSTER}")


@contextmanager
def _paused(cursor):
    """Pause the triggers for the enclosed statements unless they are paused already; True
    when this pause is the outermost one. The triggers are back when it ends, error or not."""
    cursor.execute(f"SELECT 1 FROM {PAUSE}")
    if cursor.fetchone():
        yield False
        return
    cursor.execute(f"INSERT INTO {PAUSE} (id) VALUES (1)")
    try:
        yield True
    except BaseException:
        # A database error may have broken the transaction (PostgreSQL then refuses every
        # statement): its rollback takes the pause away, and the error is the one to report.
        with suppress(DatabaseError):
            cursor.execute(f"DELETE FROM {PAUSE}")
        raise
    cursor.execute(f"DELETE FROM {PAUSE}")


def large_sorts_in_memory(cursor):
    """PostgreSQL: group millions of rows and build their indexes in memory rather than in
    temporary files (this transaction only)."""
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")


def bulk_write(model, using=DEFAULT_DB_ALIAS, *, foreign_keys=False):
    """For a write that fills `model`'s table within `paused_for_bulk_write`: its indexes
    (and foreign keys) built after it (bulk_indexes.py) and, on PostgreSQL, the roster's
    triggers on the table not even called (a paused trigger still runs a function per row
    to find out)."""
    table = model._meta.db_table
    names = [name for name, on, *_ in trigger_specs(connections[using].vendor) if on == table]
    return built_after(model, using, foreign_keys=foreign_keys, skipped_triggers=names)


@contextmanager
def paused_for_bulk_write(*, org_ids=None):
    """Run a bulk write with the roster triggers paused, then rebuild the roster (only the
    rows of org_ids when given: a write that touches no other org's members), all in one
    transaction: other connections never see the pause nor a stale roster."""
    with transaction.atomic(), connection.cursor() as cursor, _paused(cursor) as outermost:
        yield
        if outermost:  # within another bulk write, that one rebuilds at its end
            rebuild(org_ids=org_ids)
