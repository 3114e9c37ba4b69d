"""docs/ states the contracts on its own: the OpenAPI schema's parameters are the docs' tables,
and no link leaves the repository."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Each API path of the schema, and the heading of the docs section whose table lists its
# query parameters (the portal takes the members endpoint's, as its section says).
PARAMETER_TABLES = {
    "/api/v2/course/{course_id}/users/": ("api-course.md", "### Parameters"),
    "/vfo/orgs/{org_id}/dashboard/members": ("api-org.md", "## Members"),
    "/vfo/container/{org_id}/portal/{portal_id}/dashboard/members": ("api-org.md", "## Members"),
    "/vfo/orgs/{org_id}/dashboard/members/{user_id}/courses": (
        "api-org.md",
        "## A member's courses",
    ),
}


def documented_parameters(doc, heading):
    """The backquoted names in the first column of the first table after the heading."""
    text = (DOCS / doc).read_text()
    section = text[text.index(f"\n{heading}\n") :]
    rows = re.search(r"\n(\|[^\n]*\n)(\|[-| ]+\|\n)((?:\|[^\n]*\n)+)", section).group(3)
    names = set()
    for row in rows.splitlines():
        names |= set(re.findall(r"`([A-Za-z_]+)`", row.split("|")[1]))
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("path", PARAMETER_TABLES)
def test_the_docs_tables_list_the_schemas_query_parameters(client, path):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    in_schema = {
        parameter["name"]
        for parameter in schema["paths"][path]["get"]["parameters"]
        if parameter["in"] == "query"
    }
    assert in_schema, path
    assert documented_parameters(*PARAMETER_TABLES[path]) == in_schema


def test_the_dashboard_endpoint_takes_no_query_parameter(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v2/course/{course_id}/dashboard/"]["get"]
    assert [p for p in operation.get("parameters", []) if p["in"] == "query"] == []


def test_no_link_leaves_the_repository():
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        text = page.read_text()
        assert "../shared" not in text and "shared/spec" not in text, page.name
        for target in re.findall(r"\]\(([^)]+)\)", text):
            assert not re.match(r"[a-z]+:", target), (page.name, target)
            assert (page.parent / target.split("#")[0]).exists(), (page.name, target)
