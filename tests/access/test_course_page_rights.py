"""Who may open a course's page and its CSV export, by every credential form."""

import pytest

from tests.worlds import COURSE_CASES, COURSE_MATRIX, credential_kwargs, key_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("caller", "form"), COURSE_CASES)
def test_page_permission_matrix(client, course_world, caller, form):
    kwargs = credential_kwargs(client, course_world, caller, form)
    response = client.get(f"/courses/{course_world['course'].pk}/", **kwargs)
    if COURSE_MATRIX[caller]:
        assert response.status_code == 200
        assert "Shared course" in response.text
    else:
        assert response.status_code == 403
        assert "You may not view this page" in response.text
        assert "Shared course" not in response.text


@pytest.mark.parametrize("suffix", ["", "members.csv"])
def test_page_sends_the_anonymous_to_log_in(client, course_world, suffix):
    url = f"/courses/{course_world['course'].pk}/{suffix}"
    response = client.get(url + "?search=a")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_page_tells_htmx_to_go_to_log_in(client, course_world):
    response = client.get(f"/courses/{course_world['course'].pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/login/?next=")


@pytest.mark.parametrize("caller", ["expired", "revoked"])
def test_page_refuses_a_bad_key_with_401(client, course_world, caller):
    response = client.get(
        f"/courses/{course_world['course'].pk}/",
        HTTP_AUTHORIZATION=f"Bearer {key_for(course_world, caller)}",
    )
    assert response.status_code == 401
    assert "Shared course" not in response.text


@pytest.mark.parametrize(("caller", "form"), COURSE_CASES)
def test_csv_export_permission_matrix(client, course_world, caller, form):
    kwargs = credential_kwargs(client, course_world, caller, form)
    response = client.get(f"/courses/{course_world['course'].pk}/members.csv", **kwargs)
    assert response.status_code == (200 if COURSE_MATRIX[caller] else 403)


def test_page_for_an_unknown_course_is_404_before_403(client, course_world):
    client.force_login(course_world["people"]["stranger"])
    assert client.get("/courses/999999/").status_code == 404
    assert client.get("/courses/99999999999999999999999/").status_code == 404
    assert client.get(f"/courses/{course_world['course'].pk}/").status_code == 403
