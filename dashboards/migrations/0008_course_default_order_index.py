"""The course users' default order (newest first: `joined_at DESC NULLS LAST, user_id`) as an
index of each course: the first page walks the course's entries in that order, keeping those
of the asked statuses (from the entry itself), instead of sorting all its members.

SQLite writes no NULLS LAST in an index, and its descending order puts the nulls last anyway.
"""

from django.db import migrations

NAME = "cm_course_newest_idx"
ORDER = {
    "postgresql": "course_id, joined_at DESC NULLS LAST, user_id, join_status",
    "sqlite": "course_id, joined_at DESC, user_id, join_status",
}


def create(apps, schema_editor):
    order = ORDER[schema_editor.connection.vendor]
    schema_editor.execute(f"CREATE INDEX {NAME} ON dashboards_coursemember ({order})")


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0007_roster_without_foreign_keys")]

    operations = [migrations.RunPython(create, drop)]
