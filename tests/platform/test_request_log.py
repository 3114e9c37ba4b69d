"""The request log (README.md, "Operations"): one line per request with its id, route, status,
duration and queries, as JSON lines too; a request id kept only when sane and from a trusted
proxy; probes and scrapes not logged; Django's own lines about a request carry its id."""

import json
import logging
import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from dashboards.platform.request_log import JsonLinesFormatter, RequestIdFilter
from tests.factories import make_credential, make_org

pytestmark = pytest.mark.django_db


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "dashboards.request"]


def test_one_log_line_per_request_with_its_id_route_status_duration_and_queries(client, caplog):
    caplog.set_level(logging.INFO, logger="dashboards.request")
    response = client.get("/login/")
    generated = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    [line] = request_lines(caplog)
    assert line.request_id == generated
    assert (line.method, line.path, line.route, line.status) == ("GET", "/login/", "login", 200)
    assert line.duration_ms >= 0 and line.queries >= 0


def test_the_request_log_counts_the_requests_queries(client, caplog):
    caplog.set_level(logging.INFO, logger="dashboards.request")
    org = make_org("Acme")
    key = "ops-partner-key-0001"
    make_credential("partner", key=key)
    with CaptureQueriesContext(connections["default"]) as queries:
        client.get(f"/vfo/orgs/{org.pk}/dashboard/members", HTTP_SID=key)
    [line] = request_lines(caplog)
    assert line.route == "api-org-members" and line.status == 200
    assert line.queries == len(queries) > 0


def test_probes_and_scrapes_are_not_logged(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/healthz")
    client.get("/readyz")
    client.get("/metrics")
    assert caplog.records == []


def test_a_sane_request_id_from_a_trusted_proxy_is_kept(client):
    response = client.get("/login/", HTTP_X_REQUEST_ID="lb-7f3a:42")
    assert response["X-Request-ID"] == "lb-7f3a:42"


@pytest.mark.parametrize("presented", ["", "a b", "x" * 200, "id\nforged log line", "<script>"])
def test_an_odd_request_id_is_replaced(client, presented):
    response = client.get("/login/", HTTP_X_REQUEST_ID=presented)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_request_id_from_an_untrusted_peer_is_replaced(client):
    response = client.get("/login/", HTTP_X_REQUEST_ID="client-chosen", REMOTE_ADDR="203.0.113.9")
    assert response["X-Request-ID"] != "client-chosen"


def test_json_lines_carry_the_request_fields():
    record = logging.LogRecord("dashboards.request", logging.INFO, __file__, 1, "GET /", (), None)
    record.__dict__.update(request_id="abc", method="GET", route="home", status=200, queries=3)
    RequestIdFilter().filter(record)
    entry = json.loads(JsonLinesFormatter().format(record))
    assert entry["request_id"] == "abc" and entry["status"] == 200 and entry["queries"] == 3
    assert entry["level"] == "INFO" and entry["message"] == "GET /"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])


def test_djangos_own_lines_about_a_request_carry_its_id(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/api/v2/course/1/users/")
    assert response.status_code == 401
    [warning] = [record for record in caplog.records if record.name == "django.request"]
    assert warning.request_id == response["X-Request-ID"]
