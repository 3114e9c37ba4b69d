"""The error pages: a 403 that explains who may view what, a 500 without internals."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


TRACE_MARKERS = ["Traceback", "RuntimeError", "SELECT", "boom-secret", 'File "']


def test_a_500_page_shows_no_traceback(client, admin_world, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom-secret SELECT * FROM dashboards_user")

    monkeypatch.setattr("dashboards.listings.subjects.course_by_id", explode)
    client.raise_request_exception = False
    client.force_login(admin_world["admin"])
    response = client.get(reverse("course-detail", args=[admin_world["course"].pk]))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert not any(marker in body for marker in TRACE_MARKERS), body


def test_the_403_page_explains_org_and_course_rights(client):
    org = make_org("Acme")
    client.force_login(make_user(username="nobody"))
    page = client.get(f"/orgs/{org.pk}/members/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "An org&#x27;s pages are open to its admins" in html or "An org's pages" in html
    assert "A course&#x27;s page" in html or "A course's page" in html
