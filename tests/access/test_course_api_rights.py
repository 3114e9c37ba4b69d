"""Who may read a course's roster and stats: the API and the page, by every credential form."""

import pytest

from tests.worlds import COURSE_CASES, COURSE_MATRIX, credential_kwargs, key_for

pytestmark = pytest.mark.django_db

FORBIDDEN = {"detail": "You do not have permission to perform this action."}


@pytest.mark.parametrize("path", ["users", "dashboard"])
@pytest.mark.parametrize(("caller", "form"), COURSE_CASES)
def test_api_permission_matrix(client, course_world, caller, form, path):
    kwargs = credential_kwargs(client, course_world, caller, form)
    response = client.get(f"/api/v2/course/{course_world['course'].pk}/{path}/", **kwargs)
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
def test_api_without_valid_credentials_is_401(client, course_world, caller, headers, path):
    key = key_for(course_world, caller) if caller in {"expired", "revoked"} else ""
    headers = {name: value.format(key=key) for name, value in headers.items()}
    response = client.get(f"/api/v2/course/{course_world['course'].pk}/{path}/", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert set(response.json()) == {"detail"}


def test_a_bad_key_is_refused_even_with_a_valid_cookie(client, course_world):
    client.force_login(course_world["people"]["creator"])
    url = f"/api/v2/course/{course_world['course'].pk}/users/"
    assert client.get(url).status_code == 200
    assert client.get(url, HTTP_SID="no-such-key").status_code == 401


def test_an_inactive_superuser_is_refused(client, course_world):
    superuser = course_world["people"]["superuser"]
    key = key_for(course_world, "superuser")
    superuser.is_active = False
    superuser.save()
    response = client.get(f"/api/v2/course/{course_world['course'].pk}/users/", HTTP_SID=key)
    assert response.status_code == 401
