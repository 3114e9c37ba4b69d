"""The members' emails (Copy emails): of the filtered listing in its order, none for anonymous
members, a portal's too, the listing's rights and parameters, queries that do not grow with the
rows."""

import pytest

from tests.factories import make_role, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


@pytest.fixture
def w(org_world):
    return org_world


def emails(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return b"".join(response.streaming_content).decode().splitlines()


def ids(*users):
    return ",".join(str(user.pk) for user in users)


def test_emails_of_the_filtered_listing_in_its_order(client, w):
    client.force_login(w.sales_admin)
    url = f"/orgs/{w.sales.pk}/members/emails.txt"
    listed = [
        entry["email"]
        for entry in client.get(
            f"/vfo/orgs/{w.sales.pk}/dashboard/members?perPage=100&sort=lastSeen&order=ascending",
            headers={"SID": w.partner_key},
        ).json()
    ]
    assert emails(client.get(f"{url}?sort=lastSeen&order=ascending&page=3")) == listed
    assert emails(client.get(f"{url}?role=course-learner")) == ["carl@example.org"]
    assert emails(client.get(f"{url}?selected={ids(w.instructor, w.stranger)}")) == [
        w.instructor.email
    ]


def test_anonymous_members_give_no_email(client, w):
    client.force_login(w.sales_admin)
    url = f"/orgs/{w.sales.pk}/members/emails.txt?includeAnonymousUsers=true"
    with_anonymous = emails(client.get(f"{url}&selected={ids(w.anonymous, w.learner)}"))
    assert with_anonymous == [w.learner.email]
    assert "" not in emails(client.get(url)) and "None" not in emails(client.get(url))


def test_portal_emails(client, w):
    client.force_login(w.acme_admin)
    url = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members/emails.txt"
    assert sorted(emails(client.get(url))) == sorted(
        [w.portal_learner.email, w.container_instructor.email, w.acme_admin.email]
    )


def test_emails_rights_and_bad_parameters(client, w):
    url = f"/orgs/{w.sales.pk}/members/emails.txt"
    assert client.get(url).status_code == 302  # not logged in: to the log-in page
    client.force_login(w.support_admin)
    assert client.get(url).status_code == 403
    assert client.get("/orgs/999999/members/emails.txt").status_code == 404
    portal = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members/emails.txt"
    assert client.get(portal).status_code == 403
    client.force_login(w.sales_admin)
    response = client.get(f"{url}?role=nobody")
    assert response.status_code == 400
    assert response.content.decode() == "role: Invalid role: 'nobody'\n"
    assert client.get(f"{url}?selected=x").status_code == 400


def test_emails_cost_the_same_queries_whatever_the_rows(client, w, django_assert_max_num_queries):
    client.force_login(w.sales_admin)
    url = f"/orgs/{w.sales.pk}/members/emails.txt"
    with django_assert_max_num_queries(6):
        few = emails(client.get(url))
    for n in range(30):
        make_role(make_user(username=f"more{n}"), w.sales, "learner")
    with django_assert_max_num_queries(6):
        many = emails(client.get(url))
    assert len(many) == len(few) + 30
