"""Project-wide checks: migrations match the models, the OpenAPI schema is clean."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v2/course/{course_id}/users/",
        "/vfo/orgs/{org_id}/dashboard/members",
        "sidHeader",
        "bearerAuth",
    ):
        assert path in schema
