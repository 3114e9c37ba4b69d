"""Schemathesis against our own OpenAPI schema, in process, with a valid superuser key.

Every operation gets positive and negative examples (≥ 100 each on SQLite, fewer on
PostgreSQL); every response must be no 5xx, of a documented status, content type and
headers, match its documented body, and negative data must be refused with a 4xx.
"""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
EXAMPLES = 30 if ON_POSTGRES else 100


def rejects_negative_data(ctx, response, case):
    """negative_data_rejection, unless the invalid value vanished on the wire: a None or an
    empty list is not sent at all, and an object is sent as its own key=value pairs (unknown
    parameters, ignored), so what arrives is valid."""
    vanishing = (None, [], {})
    if any(v in vanishing or isinstance(v, dict) for v in (case.query or {}).values()):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    rejects_negative_data,
]


def blank_means_absent(openapi):
    """The API contracts read a blank query parameter (and blank list items) as absent: say
    so in the schema the fuzzer reads, so that `sort=` is not taken for negative data."""
    for operations in openapi["paths"].values():
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            value = parameter["schema"]
            if value.get("type") == "array":
                value["items"] = {"anyOf": [value["items"], {"type": "string", "enum": [""]}]}
            elif value.get("type") != "string" or "enum" in value:
                parameter["schema"] = {"anyOf": [value, {"type": "string", "enum": [""]}]}
    return openapi


schema = schemathesis.openapi.from_dict(
    blank_means_absent(SchemaGenerator().get_schema(public=True))
)
schema.config.generation.update(
    modes=["positive", "negative"],
    max_examples=EXAMPLES,
    with_security_parameters=False,
    allow_extra_parameters=False,  # unknown parameters are ignored, as in the spec
    allow_x00=True,
    deterministic=True,
    database="none",
)
application = get_wsgi_application()


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(org_world, settings, keep_test_connection):
    settings.ALLOWED_HOSTS = ["localhost"]  # the host of schemathesis' WSGI requests
    w = org_world
    w.path_ids = {
        "course_id": w.both.pk,
        "org_id": w.acme.pk,
        "user_id": w.course_learner.pk,
        "portal_id": w.academy.pk,
    }
    return w


@pytest.mark.django_db
@schema.given(real_ids=st.booleans())
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_operations(case, real_ids, world):
    if real_ids:
        # Half the examples hit rows that exist, so the 200 bodies are checked too.
        case.path_parameters = {name: world.path_ids[name] for name in case.path_parameters or {}}
    case.call_and_validate(
        app=application,
        headers={"Authorization": f"Bearer {world.keys['superuser']}"},
        checks=CHECKS,
    )
