"""Pages answer GET and HEAD only, any other method a 405 with Allow, before the CSRF check."""

import pytest
from django.test import Client

from tests.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(org_world):
    return org_world


def member_page(org, user):
    return f"/orgs/{org.pk}/members/{user.pk}/"


def page_urls(w):

    course = make_course("Chemistry", container=w.acme, shared_with=[w.sales])
    portal = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members"
    return [
        "/",
        f"/courses/{course.pk}/",
        f"/courses/{course.pk}/members.csv",
        f"/orgs/{w.sales.pk}/members/",
        f"/orgs/{w.sales.pk}/members.csv",
        member_page(w.sales, w.course_learner),
        f"{portal}/",
        f"{portal}.csv",
    ]


def allowed(response):
    return {method.strip() for method in response["Allow"].split(",")}


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "PATCH", "DELETE", "POST"])
def test_pages_refuse_other_methods_with_405(w, method):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.superuser)
    for url in page_urls(w):
        assert browser.get(url).status_code == 200, url
        response = browser.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert allowed(response) == {"GET", "HEAD"}, url
        assert b"Chemistry" not in response.content and b"@" not in response.content
        assert browser.head(url).status_code == 200, url
