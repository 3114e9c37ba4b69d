"""Who may open a course's page and its CSV export (dashboards/access/pages.py): a few
representative cells each — allowed and forbidden callers, a bound session inside and outside
its container — by each credential form; the anonymous are sent to log in (htmx told so), a bad
key is a 401, an unknown course a 404 before any 403. The full matrix of callers runs once, on
the predicate (tests/access/test_course_predicates.py)."""

import pytest

from tests.worlds import COURSE_MATRIX, credential_kwargs, key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_world(read_only_course_world):
    """The course world, built once for this module: its tests only read it."""
    return read_only_course_world


# (caller, credential form): allowed, forbidden, bound sessions.
PAGE_CELLS = [
    ("creator", "cookie"),
    ("shared_org_admin", "bearer"),
    ("partner", "sid"),
    ("learner", "cookie"),
    ("sibling_org_admin", "sid"),
    ("bound_session_same_container", "bearer"),
    ("bound_session_other_container", "sid"),
]
CSV_CELLS = [
    ("manager", "cookie"),
    ("ancestor_org_admin", "bearer"),
    ("partner", "bearer"),
    ("invited", "cookie"),
    ("descendant_org_admin", "sid"),
    ("bound_session_other_container", "bearer"),
]


def cells(pairs):
    return [pytest.param(*pair, id="-".join(pair)) for pair in pairs]


@pytest.mark.parametrize(("caller", "form"), cells(PAGE_CELLS))
def test_page_rights_in_representative_cells(client, course_world, caller, form):
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


@pytest.mark.parametrize(("caller", "form"), cells(CSV_CELLS))
def test_csv_export_rights_in_representative_cells(client, course_world, caller, form):
    kwargs = credential_kwargs(client, course_world, caller, form)
    response = client.get(f"/courses/{course_world['course'].pk}/members.csv", **kwargs)
    assert response.status_code == (200 if COURSE_MATRIX[caller] else 403)


def test_page_for_an_unknown_course_is_404_before_403(client, course_world):
    client.force_login(course_world["people"]["stranger"])
    assert client.get("/courses/999999/").status_code == 404
    assert client.get("/courses/99999999999999999999999/").status_code == 404
    assert client.get(f"/courses/{course_world['course'].pk}/").status_code == 403
