"""The roster and its tally without foreign-key constraints (models/org_roster.py says why).

PostgreSQL drops the constraints. SQLite keeps them in the tables' definitions: dropping one
there means remaking the table, which would take the roster's triggers with it, and SQLite's
deferred checks cost a rebuild little.
"""

from django.db import migrations, models

ROSTER_TABLES = ("dashboards_orgmember", "dashboards_orgmembertally")
KEYS = (
    ("dashboards_orgmember", "org_id", "dashboards_org"),
    ("dashboards_orgmember", "user_id", "dashboards_user"),
    ("dashboards_orgmembertally", "org_id", "dashboards_org"),
)


def drop_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [list(ROSTER_TABLES)],
        )
        for table, name in cursor.fetchall():
            schema_editor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')


def add_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column, target in KEYS:
        schema_editor.execute(
            f'ALTER TABLE {table} ADD CONSTRAINT "{table}_{column}_fk" FOREIGN KEY ({column}) '
            f"REFERENCES {target} (id) DEFERRABLE INITIALLY DEFERRED"
        )


def roster_field(model, field):
    target = "dashboards.user" if field == "user" else "dashboards.org"
    related = {"org": "roster", "user": "roster_rows"}[field] if model == "orgmember" else "+"
    return migrations.AlterField(
        model_name=model,
        name=field,
        field=models.ForeignKey(
            db_constraint=False,
            db_index=False,
            on_delete=models.DO_NOTHING,
            related_name=related,
            to=target,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0006_users_by_name_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                roster_field("orgmember", "org"),
                roster_field("orgmember", "user"),
                roster_field("orgmembertally", "org"),
            ],
            database_operations=[migrations.RunPython(drop_keys, add_keys)],
        )
    ]
