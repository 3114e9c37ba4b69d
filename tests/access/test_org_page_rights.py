"""Who may open the org pages (members, a member, a portal, a child org's members), logged in or by
key; the anonymous are sent to log in; unknown things are a 404 after the rights check; a member
page shows only a row of that org's (or portal's) listing."""

import re

import pytest

from dashboards.models import OrgRole
from tests.factories import make_role, make_user
from tests.vfo import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(org_world):
    return org_world


def without_token(response):
    return re.sub(r'value="[^"]{64}"', "", response.text)


def member_page(org, user):
    return f"/orgs/{org.pk}/members/{user.pk}/"


def test_a_sub_org_admin_cannot_read_profiles_outside_the_org(client, w):

    support_learner = make_user(username="sid", email="sid@example.org", location="Oslo")
    make_role(support_learner, w.support, OrgRole.LEARNER)
    client.force_login(w.sales_admin)
    unknown = client.get(f"/orgs/{w.sales.pk}/members/999999/")
    assert unknown.status_code == 404
    # People of the same container outside sales: the same 404 as an unknown id, htmx or not.
    for user in (support_learner, w.container_learner, w.portal_learner, w.east_admin):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(member_page(w.sales, user), headers=headers)
            assert response.status_code == 404, user.username
            assert without_token(response) == without_token(unknown)
            assert "sid@example.org" not in response.text
    # The org's members (its listing's rows) still open.
    for user in (w.course_learner, w.learner, w.instructor, w.admin_joined):
        assert client.get(member_page(w.sales, user)).status_code == 200, user.username


def test_a_portal_page_links_to_member_pages_that_open(client, w):
    client.force_login(w.acme_admin)
    html = client.get(f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members/").text
    for user in (w.portal_learner, w.container_instructor):
        link = member_page(w.academy, user)
        assert f'href="{link}"' in html, user.username
        assert client.get(link).status_code == 200, user.username
    assert client.get(member_page(w.academy, w.container_learner)).status_code == 404


def members_page(org_world, org=None):
    return f"/orgs/{(org or org_world.sales).pk}/members/"


def member_page_of(org_world, user=None, org=None):
    return f"/orgs/{(org or org_world.sales).pk}/members/{(user or org_world.course_learner).pk}/"


def portal_page(org_world, portal=None):
    return f"/orgs/{org_world.acme.pk}/portals/{(portal or org_world.academy).pk}/members/"


PAGES = {
    "members": lambda w: members_page(w),
    "member": lambda w: member_page_of(w),
    "portal": lambda w: portal_page(w),
    "east members": lambda w: members_page(w, w.sales_east),
}
PAGE_MATRIX = {
    "superuser": (200, 200, 200, 200),
    "acme_admin": (200, 200, 200, 200),
    "sales_admin": (200, 200, 403, 200),
    "support_admin": (403, 403, 403, 403),
    "east_admin": (403, 403, 403, 200),
    "globex_admin": (403, 403, 403, 403),
    "instructor": (403, 403, 403, 403),
    "learner": (403, 403, 403, 403),
}


def slug(text):
    return text.replace("_", "-").replace(" ", "-")


def assert_the_403_page(response):
    assert response.status_code == 403
    assert '<p class="error-code">403</p>' in response.text
    assert "You may not view this page" in response.text
    assert "data-user-id=" not in response.text and "data-course-id=" not in response.text


# One test per cell: (who, page).
USER_CELLS = [
    pytest.param(who, page, expected, id=f"{slug(who)}-{slug(page)}")
    for who, row in PAGE_MATRIX.items()
    for page, expected in zip(PAGES, row, strict=True)
]


@pytest.mark.parametrize(("who", "page", "expected"), USER_CELLS)
def test_page_rights_for_logged_in_users(client, org_world, who, page, expected):
    client.force_login(getattr(org_world, who))
    response = client.get(PAGES[page](org_world))
    assert response.status_code == expected
    if expected == 403:
        assert_the_403_page(response)


KEY_RIGHTS = {
    "partner_key": 200,
    "bound_here_key": 200,
    "bound_elsewhere_key": 403,
    "expired_key": 401,
    "revoked_key": 401,
}
KEY_CELLS = [
    pytest.param(key, page, scheme, expected, id=f"{slug(key)}-{slug(page)}-{scheme}")
    for key, expected in KEY_RIGHTS.items()
    for page in PAGES
    for scheme in ("SID", "Bearer")
]


@pytest.mark.parametrize(("key", "page", "scheme", "expected"), KEY_CELLS)
def test_page_rights_with_keys(client, org_world, key, page, scheme, expected):
    response = call(client, PAGES[page](org_world), getattr(org_world, key), scheme=scheme)
    assert response.status_code == expected
    if expected == 403:
        assert_the_403_page(response)


@pytest.mark.parametrize("page", list(PAGES))
def test_anonymous_visitors_go_to_log_in(client, org_world, page):
    response = client.get(PAGES[page](org_world))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_anonymous_htmx_requests_are_told_to_log_in(client, org_world):
    response = client.get(members_page(org_world), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/login/")


def test_unknown_things_are_404_after_the_rights_check(client, org_world):
    client.force_login(org_world.acme_admin)
    assert client.get("/orgs/999999/members/").status_code == 404
    assert client.get(f"/orgs/{org_world.sales.pk}/members/999999/").status_code == 404
    assert client.get(member_page_of(org_world, user=org_world.stranger)).status_code == 404
    assert (
        client.get(f"/orgs/{org_world.acme.pk}/portals/{org_world.sales.pk}/members/").status_code
        == 404
    )
    assert (
        client.get(
            f"/orgs/{org_world.sales.pk}/portals/{org_world.academy.pk}/members/"
        ).status_code
        == 404
    )
    client.force_login(org_world.support_admin)
    assert client.get(f"/orgs/{org_world.sales.pk}/members/999999/").status_code == 403
    assert client.get(f"/orgs/{org_world.acme.pk}/portals/999999/members/").status_code == 403
