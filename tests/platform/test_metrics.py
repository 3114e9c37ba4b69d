"""/metrics (README.md, "Operations"): route latencies, for the allowed addresses (networks too) or
with the token, refused to anyone else."""

import re

import pytest
from django.test import override_settings

from tests.factories import make_credential, make_org, make_role, make_user

pytestmark = pytest.mark.django_db


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
