"""/healthz and /readyz (README.md, "Operations"): alive without the database; ready when it
answers (and the replica, when one is configured, reported and allowed to be down); 503 within
the timeout when it stops or hangs."""

import time

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import override_settings

from dashboards.platform import health

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
