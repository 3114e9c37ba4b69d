"""Who may open the org pages (dashboards/access/pages.py; members, a member, a portal, a child
org's members): a few representative cells, logged in or by key (both schemes) — allowed,
forbidden, a child org seen from above and from below, bound sessions, bad keys. The full matrix
of callers × orgs runs once, on the predicates (tests/access/test_org_predicates.py). The
anonymous are sent to log in; unknown things are a 404 after the rights check; a member page
shows only a row of that org's (or portal's) listing. The org world is built once for the
module: these tests only read it (what they write is rolled back after each)."""

import re

import pytest

from dashboards.models import OrgRole
from tests.factories import make_role, make_user
from tests.vfo import call

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it."""
    return read_only_org_world


@pytest.fixture
def w(org_world):
    return org_world


def members_page(org_world, org=None):
    return f"/orgs/{(org or org_world.sales).pk}/members/"


def member_page_of(org_world, user=None, org=None):
    return f"/orgs/{(org or org_world.sales).pk}/members/{(user or org_world.course_learner).pk}/"


def member_page(org, user):
    return f"/orgs/{org.pk}/members/{user.pk}/"


def portal_page(org_world, portal=None):
    return f"/orgs/{org_world.acme.pk}/portals/{(portal or org_world.academy).pk}/members/"


PAGES = {
    "members": lambda w: members_page(w),
    "member": lambda w: member_page_of(w),
    "portal": lambda w: portal_page(w),
    "east members": lambda w: members_page(w, w.sales_east),
}


def slug(text):
    return text.replace("_", "-").replace(" ", "-")


def assert_the_403_page(response):
    assert response.status_code == 403
    assert '<p class="error-code">403</p>' in response.text
    assert "You may not view this page" in response.text
    assert "data-user-id=" not in response.text and "data-course-id=" not in response.text


# (who logs in, page, expected): each kind of answer.
USER_CELLS = [
    ("superuser", "member", 200),
    ("acme_admin", "portal", 200),
    ("sales_admin", "members", 200),
    ("sales_admin", "portal", 403),  # the container's portal is not below sales
    ("east_admin", "east members", 200),
    ("east_admin", "members", 403),  # rights cascade down, not up
    ("support_admin", "member", 403),
    ("learner", "members", 403),
]


@pytest.mark.parametrize(
    ("who", "page", "expected"),
    [pytest.param(*cell, id=f"{slug(cell[0])}-{slug(cell[1])}") for cell in USER_CELLS],
)
def test_page_rights_for_logged_in_users(client, org_world, who, page, expected):
    client.force_login(getattr(org_world, who))
    response = client.get(PAGES[page](org_world))
    assert response.status_code == expected
    if expected == 403:
        assert_the_403_page(response)


# (key, page, scheme, expected): a partner key, sessions bound inside and outside the
# container, and keys that are no longer valid.
KEY_CELLS = [
    ("partner_key", "portal", "SID", 200),
    ("bound_here_key", "member", "Bearer", 200),
    ("bound_here_key", "east members", "SID", 200),
    ("bound_elsewhere_key", "members", "SID", 403),
    ("expired_key", "east members", "Bearer", 401),
    ("revoked_key", "members", "SID", 401),
]


@pytest.mark.parametrize(
    ("key", "page", "scheme", "expected"),
    [pytest.param(*cell, id=f"{slug(cell[0])}-{slug(cell[1])}-{cell[2]}") for cell in KEY_CELLS],
)
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


# A member page shows only a member of that org --------------------------------------------


def without_token(response):
    return re.sub(r'value="[^"]{64}"', "", response.text)


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
