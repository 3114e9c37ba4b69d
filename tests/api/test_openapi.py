"""The OpenAPI schema at /api/schema/ (it validates without warnings) and Swagger UI at /api/docs/
(local assets)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from dashboards.filters.params import MAX_LIST_ITEMS, MAX_PARAMETER_LENGTH
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "/api/v2/course/{course_id}/users/": {
        "course_id",
        "limit",
        "offset",
        "search",
        "statuses",
        "ordering",
        "completion_min",
        "completion_max",
        "active_within",
        "inactive_for",
        "never_active",
    },
    "/api/v2/course/{course_id}/users/{user_id}/": {"course_id", "user_id"},
    "/api/v2/course/{course_id}/dashboard/": {"course_id"},
    "/vfo/orgs/{org_id}/dashboard/members": {
        "org_id",
        "includeAnonymousUsers",
        "role",
        "filter",
        "sort",
        "order",
        "since",
        "until",
        "neverSeen",
        "page",
        "perPage",
    },
    "/vfo/orgs/{org_id}/dashboard/members/{user_id}/courses": {
        "org_id",
        "user_id",
        "title",
        "status",
        "page",
        "perPage",
    },
    "/vfo/container/{org_id}/portal/{portal_id}/dashboard/members": {
        "org_id",
        "portal_id",
        "includeAnonymousUsers",
        "role",
        "filter",
        "sort",
        "order",
        "since",
        "until",
        "neverSeen",
        "page",
        "perPage",
    },
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_every_endpoint_and_parameter_is_described(schema):
    for path, names in OPERATIONS.items():
        assert set(parameters(schema, path)) == names, path
    # Each family is also reachable under its /orgs/… alias.
    assert "/orgs/orgs/{org_id}/dashboard/members" in schema["paths"]


def test_parameters_carry_their_enums_and_ranges(schema):
    roster = parameters(schema, "/api/v2/course/{course_id}/users/")
    assert roster["statuses"]["schema"]["items"]["enum"] == [
        "creator",
        "manager",
        "joined",
        "invited",
        "requested",
    ]
    assert "-last_active_at" in roster["ordering"]["schema"]["items"]["enum"]
    assert roster["limit"]["schema"]["minimum"] == 1
    assert roster["offset"]["schema"]["minimum"] == 0
    members = parameters(schema, "/vfo/orgs/{org_id}/dashboard/members")
    assert members["role"]["schema"]["items"]["enum"] == [
        "admin",
        "instructor",
        "org-learner",
        "course-learner",
    ]
    assert sorted(members["sort"]["schema"]["enum"]) == [
        "completedCount",
        "enrolledCount",
        "fullName",
        "lastSeen",
        "role",
    ]
    assert members["order"]["schema"]["enum"] == ["ascending", "descending"]
    assert members["perPage"]["schema"] | {} == {"type": "integer", "minimum": 1, "maximum": 100}
    assert members["page"]["schema"]["minimum"] == 1
    assert members["since"]["schema"]["minimum"] < 0 < members["until"]["schema"]["maximum"]
    assert members["includeAnonymousUsers"]["schema"]["type"] == "boolean"
    courses = parameters(schema, "/vfo/orgs/{org_id}/dashboard/members/{user_id}/courses")
    assert courses["status"]["schema"]["items"]["enum"] == ["started", "in-progress", "completed"]


def test_both_pagination_styles_are_described(schema):
    roster = schema["paths"]["/api/v2/course/{course_id}/users/"]["get"]["responses"]["200"]
    ref = roster["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {
        "count",
        "next",
        "previous",
        "results",
    }
    for path in OPERATIONS:
        if path.startswith("/vfo/"):
            ok = schema["paths"][path]["get"]["responses"]["200"]
            assert "X-Pagination" in ok["headers"], path
            assert ok["content"]["application/json"]["schema"]["type"] == "array"


def test_both_error_shapes_are_described(schema):
    for path in OPERATIONS:
        responses = schema["paths"][path]["get"]["responses"]
        for status in ("400", "401", "403", "404", "500"):
            body = responses[status]["content"]["application/json"]["schema"]
            if path.startswith("/vfo/"):
                assert set(body["properties"]) == {"error", "message"}, (path, status)
            else:
                assert set(body["properties"]) == {"detail"}, (path, status)


def test_the_four_auth_schemes_are_described(schema):
    schemes = schema["components"]["securitySchemes"]
    assert set(schemes) == {"bearerAuth", "tokenAuth", "sidHeader", "cookieAuth"}
    assert schemes["bearerAuth"] | {"description": ""} == {
        "type": "http",
        "scheme": "bearer",
        "description": "",
    }
    token = schemes["tokenAuth"]
    assert token["type"] == "apiKey" and token["in"] == "header"
    assert (
        token["name"] == "Authorization" and "`Authorization: Token <key>`" in token["description"]
    )
    assert schemes["sidHeader"] == {"type": "apiKey", "in": "header", "name": "SID"}
    assert schemes["cookieAuth"]["in"] == "cookie"
    for path in OPERATIONS:
        requirement = schema["paths"][path]["get"]["security"]
        assert requirement == [
            {name: []} for name in ("bearerAuth", "tokenAuth", "sidHeader", "cookieAuth")
        ], path


def test_the_list_forms_and_every_limit(schema):
    roster = parameters(schema, "/api/v2/course/{course_id}/users/")
    assert "`statuses[]=invited&statuses[]=requested`" in roster["statuses"]["description"]
    assert '`["invited","requested"]`' in roster["statuses"]["description"]
    assert "`ordering[]=…`" in roster["ordering"]["description"]
    for path in OPERATIONS:
        for parameter in parameters(schema, path).values():
            if parameter["schema"].get("type") == "array":
                assert parameter["schema"]["maxItems"] == MAX_LIST_ITEMS, parameter["name"]
                assert parameter["explode"] is False, parameter["name"]
    texts = [
        roster["search"],
        parameters(schema, "/vfo/orgs/{org_id}/dashboard/members")["filter"],
        parameters(schema, "/vfo/orgs/{org_id}/dashboard/members/{user_id}/courses")["title"],
    ]
    for text in texts:
        assert text["schema"] == {"type": "string", "maxLength": MAX_PARAMETER_LENGTH}
    for path in OPERATIONS:
        for parameter in parameters(schema, path).values():
            if parameter["in"] == "path":
                assert parameter["schema"]["minimum"] == 1, (path, parameter["name"])


def test_swagger_ui_uses_local_assets_and_no_inline_script(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    for source in sources:
        assert not source.startswith(("http:", "https:", "//")), source
        if source.startswith("/static/") or "script" in source:
            assert client.get(source).status_code == 200, source
    script = client.get(reverse("api-docs"), {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_pages_link_to_the_api_docs(client):
    user = make_user()
    client.force_login(user)
    for url in ("/", reverse("login")):
        html = client.get(url, follow=True).content.decode()
        assert f'href="{reverse("api-docs")}"' in html, url


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
