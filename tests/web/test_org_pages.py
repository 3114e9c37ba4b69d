"""The org admin's pages: parity with the API, controls, htmx partials, pager, cells, breadcrumbs
and child orgs, the member and portal pages, query counts. (Rights:
tests/access/test_org_page_rights.py; the CSV: tests/exports/test_org_members_csv.py.)"""

import re
from urllib.parse import urlsplit

import pytest

from dashboards.models import OrgRole, User
from tests.factories import make_org, make_role, make_user
from tests.vfo import call, pagination, portal_url
from tests.worlds import ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


def members_page(org_world, org=None):
    return f"/orgs/{(org or org_world.sales).pk}/members/"


def member_page(org_world, user=None, org=None):
    return f"/orgs/{(org or org_world.sales).pk}/members/{(user or org_world.course_learner).pk}/"


def portal_page(org_world, portal=None):
    return f"/orgs/{org_world.acme.pk}/portals/{(portal or org_world.academy).pk}/members/"


def row_ids(response, attr="data-user-id"):
    assert response.status_code == 200, response.content[:500]
    return [int(i) for i in re.findall(rf'{attr}="(\d+)"', response.text)]


def json_link(response):
    link = re.search(r'href="([^"]+)" rel="nofollow">View as JSON', response.text).group(1)
    return link.replace("&amp;", "&")


# Parity with the API -----------------------------------------------------------------------

MEMBER_QUERIES = [
    "",
    "perPage=2",
    "perPage=2&page=2",
    "page=9",
    "sort=lastSeen&order=descending",
    "sort=lastSeen&order=ascending&perPage=3",
    "sort=role&order=ascending",
    "sort=fullName&order=descending",
    "role=admin,course-learner",
    "role=admin&role=org-learner",
    "includeAnonymousUsers=TRUE&sort=role&order=descending",
    "filter=EMILE",
    "filter=a%20e",
    f"since={int(ago(days=3).timestamp())}",
    f"until={int(ago(days=2).timestamp())}&sort=lastSeen&order=descending",
]


@pytest.mark.parametrize("query", MEMBER_QUERIES)
@pytest.mark.parametrize("listing", ["members", "portal", "acme"])
def test_page_rows_are_the_api_rows_in_the_same_order(client, org_world, query, listing):
    page_url = {
        "members": members_page(org_world),
        "portal": portal_page(org_world),
        "acme": members_page(org_world, org_world.acme),
    }[listing]
    client.force_login(org_world.acme_admin)
    response = client.get(f"{page_url}?{query}")
    link = json_link(response)
    assert urlsplit(link).path.startswith("/vfo/")
    assert urlsplit(link).query == query.replace("%20", "+").replace(",", "%2C")
    api = client.get(link, headers={"SID": org_world.partner_key})
    assert row_ids(response) == [entry["id"] for entry in api.json()]


@pytest.mark.parametrize(
    "query", ["", "perPage=1&page=2", "title=NEGO", "status=completed", "status=started&title=x"]
)
def test_member_course_page_rows_are_the_api_rows(client, org_world, query):
    client.force_login(org_world.sales_admin)
    response = client.get(f"{member_page(org_world)}?{query}")
    api = client.get(json_link(response), headers={"SID": org_world.partner_key})
    assert row_ids(response, "data-course-id") == [entry["courseId"] for entry in api.json()]


def test_bad_parameters_show_the_api_message(client, org_world):
    client.force_login(org_world.acme_admin)
    response = client.get(f"{members_page(org_world)}?role=boss")
    assert response.status_code == 400 and "Invalid role: &#x27;boss&#x27;" in response.text
    response = client.get(f"{members_page(org_world)}?sort=role")
    assert "Both sort and order are mandatory if one of them is supplied" in response.text
    response = client.get(f"{member_page(org_world)}?status=done")
    assert response.status_code == 400 and "Invalid status: &#x27;done&#x27;" in response.text


# Controls ----------------------------------------------------------------------------------


def test_sortable_headers_set_sort_and_order_with_aria_sort(client, org_world):
    client.force_login(org_world.acme_admin)
    response = client.get(f"{members_page(org_world)}?filter=a&page=2&perPage=2")
    html = response.text
    # Default order is by name ascending; clicking Name turns it descending, back to page 1.
    assert re.search(
        r'aria-sort="ascending">\s*<a href="\?filter=a&amp;perPage=2&amp;'
        r'sort=fullName&amp;order=descending"',
        html,
    )
    # A time column opens newest first, as on the course page.
    assert 'href="?filter=a&amp;perPage=2&amp;sort=lastSeen&amp;order=descending"' in html
    assert 'href="?filter=a&amp;perPage=2&amp;sort=role&amp;order=ascending"' in html
    html = client.get(f"{members_page(org_world)}?sort=lastSeen&order=ascending").text
    assert re.search(
        r'aria-sort="ascending">\s*<a href="\?sort=lastSeen&amp;order=descending"', html
    )
    html = client.get(f"{members_page(org_world)}?sort=role&order=descending").text
    assert re.search(r'aria-sort="descending">\s*<a href="\?sort=role&amp;order=ascending"', html)


def test_filter_controls_reflect_the_address(client, org_world):
    client.force_login(org_world.acme_admin)
    since, until = 1704067200, 1704326400  # 2024-01-01 and 2024-01-04 00:00 UTC
    html = client.get(
        f"{members_page(org_world)}?filter=ivy&role=admin,org-learner&includeAnonymousUsers=true"
        f"&since={since}&until={until}&sort=role&order=ascending&perPage=50"
    ).text
    assert 'name="filter" value="ivy"' in html
    assert 'value="admin" checked' in html and 'value="org-learner" checked' in html
    assert 'value="instructor" checked' not in html
    assert 'name="includeAnonymousUsers" value="true" checked' in html
    assert 'name="lastSeenFrom" value="2024-01-01"' in html
    assert 'name="lastSeenTo" value="2024-01-03"' in html  # until is the day after, exclusive
    for name, value in (("sort", "role"), ("order", "ascending"), ("perPage", "50")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in html


def test_last_seen_dates_become_since_and_until(client, org_world):
    client.force_login(org_world.acme_admin)
    day = ago(days=3).date().isoformat()
    response = client.get(f"{members_page(org_world)}?lastSeenFrom={day}&lastSeenTo={day}&filter=i")
    assert response.status_code == 302
    target = response["Location"]
    assert "lastSeen" not in target and "since=" in target and "until=" in target
    # Both days inclusive: the instructor was seen 3 days ago.
    assert row_ids(client.get(target)) == [org_world.instructor.pk]
    response = client.get(
        f"{members_page(org_world)}?lastSeenFrom={day}&filter=i", headers={"HX-Request": "true"}
    )
    assert "since=" in response["HX-Push-Url"] and "lastSeenFrom" not in response["HX-Push-Url"]
    assert client.get(f"{members_page(org_world)}?lastSeenFrom=&lastSeenTo=")[
        "Location"
    ] == members_page(org_world)


def test_htmx_requests_get_the_member_region_only(client, org_world):
    client.force_login(org_world.acme_admin)
    response = client.get(f"{members_page(org_world)}?filter=ivy", headers={"HX-Request": "true"})
    assert row_ids(response) == [org_world.instructor.pk]
    assert "<html" not in response.text and "listing-filters" not in response.text
    assert 'id="listing-state" hx-swap-oob="true"' in response.text
    assert response["HX-Push-Url"] == f"{members_page(org_world)}?filter=ivy"
    assert "HX-Request" in response["Vary"]
    full = client.get(f"{members_page(org_world)}?filter=ivy")
    assert (
        "<html" in full.text
        and 'hx-trigger="submit, change, input changed delay:300ms from:find input[type=search]"'
        in full.text
    )


def test_pager_and_page_sizes(client, org_world):
    client.force_login(org_world.acme_admin)
    html = client.get(
        f"{members_page(org_world)}?perPage=2&page=2&role=admin,instructor,org-learner,course-learner"
    ).text
    assert "Showing 3–4 of" in html and "5 members" in html and "page 2 of 3" in html
    assert (
        'href="?perPage=2&amp;page=3&amp;role=admin%2Cinstructor%2Corg-learner%2Ccourse-learner"'
        in html
        or "page=3" in html
    )
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert 'href="?role=admin%2Cinstructor%2Corg-learner%2Ccourse-learner&amp;perPage=50"' in html


def test_member_table_cells(client, org_world):
    client.force_login(org_world.acme_admin)
    html = client.get(members_page(org_world)).text
    assert f'href="/orgs/{org_world.sales.pk}/members/{org_world.course_learner.pk}/"' in html
    assert 'class="badge badge-course-learner">Course learner<' in html
    assert 'href="mailto:carl@example.org"' in html
    assert 'title="' in html and "<time datetime=" in html  # relative, exact on hover
    assert ">never<" in html  # Émile was never seen


def test_breadcrumbs_and_child_orgs_with_member_counts(client, org_world):
    child = make_org("Sales West", parent=org_world.sales)
    make_role(make_user(), child, OrgRole.LEARNER)
    make_role(make_user(), child, OrgRole.INSTRUCTOR)
    make_role(make_user(username=None, email=None), child, OrgRole.LEARNER)  # anonymous
    client.force_login(org_world.sales_admin)
    html = client.get(members_page(org_world)).text
    crumbs = html[
        html.index('class="breadcrumbs"') : html.index("</nav>", html.index('class="breadcrumbs"'))
    ]
    assert (
        ">Acme<" in crumbs and f'href="/orgs/{org_world.acme.pk}/members/"' not in crumbs
    )  # no rights
    assert 'aria-current="page">Sales<' in crumbs
    assert f'href="/orgs/{org_world.sales_east.pk}/members/">Sales East</a>' in html
    assert re.search(rf'data-org-id="{child.pk}">.*?2 members', html, re.S)
    assert re.search(rf'data-org-id="{org_world.sales_east.pk}">.*?1 member<', html, re.S)
    client.force_login(org_world.acme_admin)
    html = client.get(members_page(org_world, org_world.sales_east)).text
    assert f'href="/orgs/{org_world.acme.pk}/members/">Acme</a>' in html
    assert f'href="/orgs/{org_world.sales.pk}/members/">Sales</a>' in html
    html = client.get(members_page(org_world, org_world.acme)).text
    assert (
        f'href="/orgs/{org_world.acme.pk}/portals/{org_world.academy.pk}/members/">Academy</a>'
        in html
    )


def test_member_page_shows_profile_and_courses(client, org_world):
    User.objects.filter(pk=org_world.course_learner.pk).update(
        location="Lyon", short_desc="Likes courses", website="https://carl.example.org"
    )
    client.force_login(org_world.sales_admin)
    html = client.get(member_page(org_world)).text
    for text in ("Carl", "carl@example.org", "Lyon", "Likes courses", "https://carl.example.org"):
        assert text in html
    assert "Python basics" in html and "Négociation" in html and "Support tools" not in html
    assert 'class="badge badge-completed"' in html and 'class="badge badge-in-progress"' in html
    assert (
        '<progress max="100" value="40"' in html and ">88%<" in html
    )  # the score as a percentage, as progress
    html = client.get(f"{member_page(org_world)}?title=python").text
    assert "Python basics" in html and "Négociation" not in html
    html = client.get(f"{member_page(org_world)}?status=in-progress").text
    assert 'value="in-progress" checked' in html and "Python basics" not in html


def test_portal_page(client, org_world):
    client.force_login(org_world.acme_admin)
    html = client.get(portal_page(org_world)).text
    assert set(row_ids(client.get(portal_page(org_world)))) == {
        org_world.portal_learner.pk,
        org_world.container_instructor.pk,
        org_world.acme_admin.pk,
    }
    assert "admins and instructors of Acme" in html
    assert f'href="/orgs/{org_world.academy.pk}/members/{org_world.portal_learner.pk}/"' in html


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("per_page", [1, 100])
def test_page_query_count_does_not_grow(client, org_world, django_assert_max_num_queries, per_page):
    for n in range(30):
        make_role(make_user(last_seen=ago(hours=n)), org_world.sales, OrgRole.LEARNER)
    client.force_login(org_world.acme_admin)
    # session + user, org and its ancestors with rights, child orgs, count, page; the
    # overview (one aggregate)
    with django_assert_max_num_queries(7):
        assert client.get(f"{members_page(org_world)}?perPage={per_page}").status_code == 200
    with django_assert_max_num_queries(5):
        client.get(f"{members_page(org_world)}?perPage={per_page}", headers={"HX-Request": "true"})
    with django_assert_max_num_queries(6):
        assert client.get(f"{member_page(org_world)}?perPage={per_page}").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(f"{portal_page(org_world)}?perPage={per_page}").status_code == 200


def test_an_org_member_without_a_name_shows_the_username(client, org_world):
    w = org_world
    make_role(make_user(username="nameless-nina"), w.sales, OrgRole.LEARNER)
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.sales.pk}/members/?filter=nina").text
    assert ">@nameless-nina</a>" in text


def test_a_portals_count_on_its_parent_is_the_count_its_page_shows(client, org_world):
    w = org_world
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.acme.pk}/members/").text
    listed = re.search(
        rf'data-org-id="{w.academy.pk}">.*?([\d,]+) members?</span>', text, re.S
    ).group(1)
    response = call(client, portal_url(w.acme, w.academy), w.partner_key)
    assert int(listed) == pagination(response)["count"]
