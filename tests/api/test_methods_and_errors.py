"""Both API families over HTTP: every endpoint answers a valid key; other methods are a 405 with
Allow (HEAD is served); responses are private and never stored; unknown paths of the org family
are JSON 404s; a 500 is JSON, without traceback or SQL."""

import pytest
from django.core.cache import cache
from django.db import DatabaseError

from tests.vfo import call, courses_url, error, members_url, portal_url
from tests.worlds import admin_api_urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_every_endpoint_answers_a_valid_key(client, admin_world):
    for name, url in admin_api_urls(admin_world).items():
        assert client.get(url, headers=bearer(admin_world["key"])).status_code == 200, name


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_with_allow_in_both_families(client, admin_world, method):
    for name, url in admin_api_urls(admin_world).items():
        response = getattr(client, method)(url, headers=bearer(admin_world["key"]))
        assert response.status_code == 405, name
        allowed = {m.strip() for m in response["Allow"].split(",")}
        assert "GET" in allowed and method.upper() not in allowed, name
        if url.startswith("/api/"):
            assert response.json() == {"detail": f'Method "{method.upper()}" not allowed.'}
        else:
            assert response.json() == {
                "error": 405,
                "message": f'Method "{method.upper()}" not allowed',
            }


def test_api_responses_are_private_and_not_stored(client, admin_world):
    urls = [
        *admin_api_urls(admin_world).values(),
        "/api/v2/course/999999/users/",  # 404
        "/vfo/nowhere",  # the family's catch-all 404
        "/api/schema/",
    ]
    for url in urls:
        for headers in (bearer(admin_world["key"]), {}):
            cache_control = client.get(url, headers=headers)["Cache-Control"]
            assert {part.strip() for part in cache_control.split(",")} == {"private", "no-store"}


TRACE_MARKERS = ["Traceback", "RuntimeError", "SELECT", "boom-secret", 'File "']


@pytest.fixture
def broken_selectors(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom-secret SELECT * FROM dashboards_user")

    monkeypatch.setattr("dashboards.api.courses.course_stats", explode)
    monkeypatch.setattr("dashboards.api.orgs.listing_response", explode)


def test_500s_show_no_traceback_or_sql(client, admin_world, broken_selectors, settings):
    assert settings.DEBUG is False
    client.raise_request_exception = False
    headers = bearer(admin_world["key"])
    response = client.get(admin_api_urls(admin_world)["org members"], headers=headers)
    assert response.status_code == 500
    assert response.json() == {"error": 500, "message": "Internal server error"}
    response = client.get(admin_api_urls(admin_world)["course dashboard"], headers=headers)
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.content.decode()
    assert not any(marker in body for marker in TRACE_MARKERS), body
    assert (
        response["Cache-Control"] == "private, no-store" or "no-store" in response["Cache-Control"]
    )


ORG_ENDPOINTS = {
    "org members": lambda w: members_url(w.sales),
    "member courses": lambda w: courses_url(w.sales, w.course_learner),
    "portal members": lambda w: portal_url(w.acme, w.academy),
    "child org members": lambda w: members_url(w.sales_east),
}


def test_a_database_failure_is_a_json_500(client, org_world, monkeypatch):
    def broken(*args):
        raise DatabaseError("connection lost")

    monkeypatch.setattr("dashboards.api.orgs.listing_response", broken)
    response = call(client, members_url(org_world.sales), org_world.partner_key)
    assert error(response) == (500, "Internal server error")
    assert b"connection lost" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/vfo/nothing",
        "/vfo/orgs/1/dashboard",
        "/vfo/orgs/{sales}/dashboard/members/1/courses/extra",
        "/orgs/orgs/1/nothing",
        "/orgs/container/1/portal/2",
    ],
)
def test_unmatched_paths_of_the_family_are_json_404(client, org_world, path):
    response = client.get(
        path.format(sales=org_world.sales.pk), headers={"SID": org_world.partner_key}
    )
    assert error(response) == (404, "Not found")


@pytest.mark.parametrize("endpoint", ["org members", "member courses", "portal members"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_are_json_405_with_allow(client, org_world, method, endpoint):
    url = ORG_ENDPOINTS[endpoint](org_world)
    response = getattr(client, method)(url)  # no credentials needed to learn the method
    assert response.status_code == 405
    assert response.json() == {
        "error": 405,
        "message": f'Method "{method.upper()}" not allowed',
    }
    assert response["Allow"] == "GET, HEAD"


def test_head_is_served(client, org_world):
    response = client.head(members_url(org_world.sales), headers={"SID": org_world.partner_key})
    assert response.status_code == 200 and "X-Pagination" in response
