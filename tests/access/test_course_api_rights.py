"""The course API's rights adapter (dashboards/access/drf.py, GET /api/v2/course/{id}/users/
and /dashboard/): a few representative cells — allowed and forbidden callers, a bound session
inside and outside its container, a missing course — by each credential form (Bearer, SID,
the browser's cookie). The full matrix of callers runs once, on the predicate
(tests/access/test_course_predicates.py). Also: no valid credential is a 401, a bad key is
refused beside a valid cookie, an inactive superuser is refused. The course world is built
once for the module: these tests only read it (what they write is rolled back after each)."""

import pytest

from dashboards.models import User
from tests.worlds import COURSE_MATRIX, credential_kwargs, key_for

pytestmark = pytest.mark.django_db

FORBIDDEN = {"detail": "You do not have permission to perform this action."}


# (caller, credential form, path): allowed, forbidden, bound sessions, a missing course.
CELLS = [
    ("creator", "bearer", "users"),
    ("shared_org_admin", "cookie", "dashboard"),
    ("ancestor_org_admin", "sid", "users"),
    ("partner", "sid", "dashboard"),
    ("learner", "sid", "users"),
    ("descendant_org_admin", "bearer", "dashboard"),
    ("shared_org_instructor", "cookie", "users"),
    ("bound_session_same_container", "bearer", "users"),
    ("bound_session_other_container", "sid", "dashboard"),
    ("superuser", "bearer", "missing"),
]


@pytest.fixture
def world(read_only_course_world):
    """The course world, built once for this module: its tests only read it."""
    return read_only_course_world


@pytest.mark.parametrize(
    ("caller", "form", "path"), [pytest.param(*cell, id="-".join(cell)) for cell in CELLS]
)
def test_representative_cells(client, world, caller, form, path):
    kwargs = credential_kwargs(client, world, caller, form)
    if path == "missing":
        response = client.get("/api/v2/course/999999/users/", **kwargs)
        assert response.status_code == 404 and set(response.json()) == {"detail"}
        return
    response = client.get(f"/api/v2/course/{world['course'].pk}/{path}/", **kwargs)
    if COURSE_MATRIX[caller]:
        assert response.status_code == 200, response.content
    else:
        assert response.status_code == 403
        assert response.json() == FORBIDDEN


@pytest.mark.parametrize("path", ["users", "dashboard"])
@pytest.mark.parametrize(
    ("caller", "headers"),
    [
        ("anonymous", {}),
        ("expired", {"HTTP_AUTHORIZATION": "Bearer {key}"}),
        ("expired", {"HTTP_SID": "{key}"}),
        ("revoked", {"HTTP_SID": "{key}"}),
        ("unknown", {"HTTP_AUTHORIZATION": "Bearer no-such-key"}),
        ("malformed", {"HTTP_AUTHORIZATION": "Basic abc"}),
        ("empty", {"HTTP_SID": ""}),
    ],
)
def test_api_without_valid_credentials_is_401(client, world, caller, headers, path):
    key = key_for(world, caller) if caller in {"expired", "revoked"} else ""
    headers = {name: value.format(key=key) for name, value in headers.items()}
    response = client.get(f"/api/v2/course/{world['course'].pk}/{path}/", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(response.json()) == {"detail"}


def test_a_bad_key_is_refused_even_with_a_valid_cookie(client, world):
    client.force_login(world["people"]["creator"])
    url = f"/api/v2/course/{world['course'].pk}/users/"
    assert client.get(url).status_code == 200
    assert client.get(url, HTTP_SID="no-such-key").status_code == 401


def test_an_inactive_superuser_is_refused(client, world):
    key = key_for(world, "superuser")
    # An UPDATE, not a save(): the shared world's objects stay as built.
    User.objects.filter(pk=world["people"]["superuser"].pk).update(is_active=False)
    response = client.get(f"/api/v2/course/{world['course'].pk}/users/", HTTP_SID=key)
    assert response.status_code == 401
