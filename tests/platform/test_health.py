"""/healthz, /readyz, /metrics and the request log (README.md, "Operations")."""

import json
import logging
import re
import time

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dashboards.platform import health
from dashboards.platform.request_log import JsonLinesFormatter, RequestIdFilter
from tests.factories import make_credential, make_org, make_role, make_user

pytestmark = pytest.mark.django_db

REPLICA_ROUTING = override_settings(DATABASE_ROUTERS=[health.REPLICA_ROUTER])


def stopped(alias_settings):
    """Connection settings of a database that is not running (same engine)."""
    dead = {**alias_settings}
    if dead["ENGINE"].endswith("sqlite3"):
        dead["NAME"] = "/nonexistent-directory/stopped.sqlite3"
    else:
        dead.update(HOST="127.0.0.1", PORT="1")
    return dead


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_is_alive_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["dash.example.org"])
def test_probes_answer_plain_http_to_any_host_name(client):
    # A load balancer probes over HTTP by address: neither the HTTPS redirect nor the host
    # check may turn that into a 301 or a 400.
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.3.7:8000")
        assert response.status_code == 200, path
    assert client.get("/login/", HTTP_HOST="dash.example.org").status_code == 301


def test_probes_take_get_and_head_only(client):
    response = client.post("/readyz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert client.head("/healthz").status_code == 200


# --- /readyz ----------------------------------------------------------------------------------


def test_readyz_is_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert set(body["checks"]) == {"database"}  # no replica configured


def test_readyz_turns_503_when_the_database_stops_and_200_when_it_returns(client, monkeypatch):
    live = connections.settings["default"]
    monkeypatch.setitem(connections.settings, "default", stopped(live))
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 2
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"]["status"] == "error"
    # Nothing about the database (host, user, password) is told to the caller.
    assert "nonexistent" not in response.content.decode() and "PORT" not in str(response.json())

    monkeypatch.setitem(connections.settings, "default", live)
    assert client.get("/readyz").status_code == 200


@override_settings(READYZ_TIMEOUT=0.3)
def test_readyz_answers_503_within_its_timeout_when_the_database_hangs(client, monkeypatch):
    real_ping = health.ping
    monkeypatch.setattr(health, "ping", lambda alias: time.sleep(1))
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 0.9
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "timeout"

    monkeypatch.setattr(health, "ping", real_ping)
    time.sleep(1)  # the stuck probe ends; the next one runs at once
    assert client.get("/readyz").status_code == 200


def test_the_replica_is_checked_only_when_one_is_configured():
    assert health.database_aliases() == ["default"]
    with REPLICA_ROUTING:
        assert health.database_aliases() == ["default", "replica"]


@pytest.fixture
def probed_replica(monkeypatch):
    """A replica alias for the probes (the suite's own 'replica' mirrors the test database
    and may not be connected to from a thread)."""
    monkeypatch.setattr(health, "database_aliases", lambda: ["default", "ops_replica"])
    open_connection = health.open_connection

    def point_at(alias_settings):
        def opened(alias):
            if alias != "ops_replica":
                return open_connection(alias)
            return load_backend(alias_settings["ENGINE"]).DatabaseWrapper(alias_settings, alias)

        monkeypatch.setattr(health, "open_connection", opened)

    return point_at


def test_readyz_reports_the_replica_when_one_is_configured(client, probed_replica):
    probed_replica({**connections.settings["default"]})
    body = client.get("/readyz").json()
    assert body["status"] == "ok"
    assert body["checks"]["ops_replica"]["status"] == "ok"


def test_a_stopped_replica_leaves_the_host_ready_but_degraded(client, probed_replica):
    # Its reads fall back to the primary (dashboards/platform/routers.py): the host still serves.
    probed_replica(stopped(connections.settings["default"]))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["ops_replica"]["status"] == "error"
    assert response.json()["checks"]["database"]["status"] == "ok"


# --- the request log --------------------------------------------------------------------------


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


# --- /metrics ---------------------------------------------------------------------------------


def test_metrics_show_the_org_members_route_latency_after_a_request(client):
    org = make_org("Acme")
    admin = make_user(username="ada")
    make_role(admin, org)
    key = "ops-token-key-00001"
    make_credential(key=key, user=admin)
    assert client.get(f"/vfo/orgs/{org.pk}/dashboard/members", HTTP_SID=key).status_code == 200
    text = client.get("/metrics").content.decode()
    assert re.search(
        r'django_http_requests_latency_seconds_by_view_method_bucket\{le="[^"]+",'
        r'method="GET",view="api-org-members"\}',
        text,
    ) or re.search(r'latency_seconds_by_view_method_bucket\{.*view="api-org-members"', text)
    assert 'django_http_responses_total_by_status_view_method_total{method="GET",status="200"' in (
        text
    ) or re.search(r'responses_total_by_status_view_method_total\{.*status="200"', text)
    assert re.search(r'dashboards_db_queries_per_request_count\{view="api-org-members"\}', text)


def test_metrics_are_refused_to_other_addresses(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"python_gc" not in response.content


@override_settings(METRICS_TOKEN="scrape-secret-123", METRICS_ALLOWED_IPS=[])
def test_metrics_are_readable_with_the_token(client):
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 403
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-123")
    assert right.status_code == 200 and b"# TYPE" in right.content


@override_settings(METRICS_ALLOWED_IPS=["10.0.0.0/8"])
def test_metrics_addresses_may_be_networks(client):
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="11.0.0.1").status_code == 403


def test_djangos_own_lines_about_a_request_carry_its_id(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/api/v2/course/1/users/")
    assert response.status_code == 401
    [warning] = [record for record in caplog.records if record.name == "django.request"]
    assert warning.request_id == response["X-Request-ID"]
