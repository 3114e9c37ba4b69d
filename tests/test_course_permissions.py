"""Who may read a course's roster and stats: the API and the page, by every credential form."""

import pytest

from tests.course_data import MATRIX, build_world, key_for

pytestmark = pytest.mark.django_db

FORBIDDEN = {"detail": "You do not have permission to perform this action."}


@pytest.fixture
def world():
    return build_world()


def credential_kwargs(client, world, caller, form):
    """Client kwargs presenting caller's credential as a Bearer token, SID header or cookie."""
    if form == "cookie":
        client.force_login(world["people"][caller])
        return {}
    key = key_for(world, caller)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"} if form == "bearer" else {"HTTP_SID": key}


def forms_for(caller):
    if caller in world_people_names():
        return ["bearer", "sid", "cookie"]
    return ["bearer", "sid"]


def world_people_names():
    return {name for name in MATRIX if name not in {"partner"} and "session" not in name}


CASES = [(caller, form) for caller in MATRIX for form in forms_for(caller)]


@pytest.mark.parametrize("path", ["users", "dashboard"])
@pytest.mark.parametrize(("caller", "form"), CASES)
def test_api_permission_matrix(client, world, caller, form, path):
    kwargs = credential_kwargs(client, world, caller, form)
    response = client.get(f"/api/v2/course/{world['course'].pk}/{path}/", **kwargs)
    if MATRIX[caller]:
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
    superuser = world["people"]["superuser"]
    key = key_for(world, "superuser")
    superuser.is_active = False
    superuser.save()
    response = client.get(f"/api/v2/course/{world['course'].pk}/users/", HTTP_SID=key)
    assert response.status_code == 401
