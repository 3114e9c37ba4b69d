"""Saved views: create, open, share, rights, rename, delete; counts on the home page."""

import re

import pytest
from django.test import Client

from dashboards.models import OrgRole, SavedView
from dashboards.web.saved_views import COUNTED_VIEWS
from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_org_world as build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def save(client, name, path, query=""):
    return client.post("/views/", {"name": name, "path": path, "query": query})


def home_rows(client):
    html = client.get("/").text
    section = html[html.index('id="saved-views-heading"') : html.index('id="orgs-heading"')]
    return re.findall(
        r'<a href="([^"]+)">([^<]+)</a></td>\s*<td data-label="Lists">([^<]+)</td>\s*'
        r'<td data-label="Rows now" class="num">(.*?)</td>',
        section,
    )


def test_save_open_and_list_with_the_current_count(client, w):
    client.force_login(w.acme_admin)
    query = "role=admin,instructor&sort=lastSeen&order=descending&columns=fullName,role"
    response = save(client, "Sales staff", f"/orgs/{w.sales.pk}/members/", query)
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{w.sales.pk}/members/?{query}"
    view = SavedView.objects.get(user=w.acme_admin)
    assert (view.name, view.query) == ("Sales staff", query)
    api = client.get(
        f"/vfo/orgs/{w.sales.pk}/dashboard/members?role=admin,instructor",
        headers={"SID": w.partner_key},
    ).json()
    [(address, name, kind, count)] = home_rows(client)
    assert name == "Sales staff" and kind == "org members"
    assert address.replace("&amp;", "&") == f"/orgs/{w.sales.pk}/members/?{query}"
    assert int(count) == len(api)
    opened = client.get(f"/views/{view.key}/")
    assert opened.status_code == 302 and opened["Location"] == view.address
    assert client.get(opened["Location"]).status_code == 200


def test_saving_under_the_same_name_updates_the_view(client, w):
    client.force_login(w.acme_admin)
    save(client, "Mine", f"/orgs/{w.sales.pk}/members/", "role=admin")
    save(client, "Mine", f"/orgs/{w.sales.pk}/members/", "role=instructor")
    assert list(SavedView.objects.values_list("query", flat=True)) == ["role=instructor"]


@pytest.mark.parametrize(
    ("name", "path", "query"),
    [
        ("", "/", ""),
        ("x" * 101, "/", ""),
        ("Nope", "/login/", ""),
        ("Nope", "/no/such/page/", ""),
        ("Nope", "//evil.example/", ""),
        ("Nope", "/", "a=" + "b" * 2000),
    ],
)
def test_bad_saves_are_a_400(client, w, name, path, query):
    client.force_login(w.acme_admin)
    assert save(client, name, path, query).status_code == 400
    assert not SavedView.objects.exists()


def test_a_shared_view_applies_the_viewers_own_rights(client, w):
    client.force_login(w.sales_admin)
    save(client, "Sales", f"/orgs/{w.sales.pk}/members/", "role=admin")
    view = SavedView.objects.get()
    client.force_login(w.support_admin)  # no right on Sales
    opened = client.get(f"/views/{view.key}/")
    assert opened.status_code == 302
    assert client.get(opened["Location"]).status_code == 403
    client.force_login(w.acme_admin)  # an admin above Sales
    assert client.get(client.get(f"/views/{view.key}/")["Location"]).status_code == 200
    assert client.get("/views/no-such-key/").status_code == 404
    client.logout()
    assert client.get(f"/views/{view.key}/").status_code == 302  # to log in
    assert "/login/" in client.get(f"/views/{view.key}/")["Location"]


def test_a_view_the_owner_may_no_longer_open_is_listed_without_a_count(client, w):
    client.force_login(w.sales_admin)
    save(client, "Sales", f"/orgs/{w.sales.pk}/members/")
    save(client, "Bad query", f"/orgs/{w.sales.pk}/members/", "role=x")
    rows = {name: count for _, name, _, count in home_rows(client)}
    assert "not available" in rows["Bad query"] and rows["Sales"].isdigit()
    OrgRole.objects.filter(user=w.sales_admin).delete()
    rows = {name: count for _, name, _, count in home_rows(client)}
    assert "not available" in rows["Sales"]


def test_rename_and_delete_are_the_owners_only(client, w):
    client.force_login(w.acme_admin)
    save(client, "First", "/", "limit=50")
    save(client, "Second", "/")
    view = SavedView.objects.get(name="First")
    client.force_login(w.sales_admin)
    assert client.post(f"/views/{view.key}/rename", {"name": "Mine"}).status_code == 404
    assert client.post(f"/views/{view.key}/delete").status_code == 404
    client.force_login(w.acme_admin)
    assert client.post(f"/views/{view.key}/rename", {"name": "Second"}).status_code == 400
    assert client.post(f"/views/{view.key}/rename", {"name": " Renamed  one "}).status_code == 302
    view.refresh_from_db()
    assert view.name == "Renamed one"
    assert client.post(f"/views/{view.key}/delete").status_code == 302
    assert list(SavedView.objects.values_list("name", flat=True)) == ["Second"]


def test_forms_need_post_and_a_csrf_token(w):
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.acme_admin)
    assert client.post("/views/", {"name": "A", "path": "/"}).status_code == 403
    assert client.get("/views/").status_code == 405
    html = client.get(f"/orgs/{w.sales.pk}/members/?role=admin").text
    form = html[html.index('action="/views/"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    assert 'name="query" value="role=admin"' in form
    response = client.post("/views/", {"name": "A", "path": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_anonymous_and_key_callers_cannot_save(client, w):
    assert save(client, "A", "/").status_code == 302  # to log in
    response = client.post("/views/", {"name": "A", "path": "/"}, headers={"SID": w.partner_key})
    assert response.status_code == 403
    assert not SavedView.objects.exists()


def test_home_counts_a_bounded_number_of_views(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    for n in range(COUNTED_VIEWS + 2):
        save(client, f"View {n:02}", f"/courses/{course.pk}/", "statuses=joined")
    rows = home_rows(client)
    assert len(rows) == COUNTED_VIEWS + 2
    assert [count for *_, count in rows[:COUNTED_VIEWS]] == ["5"] * COUNTED_VIEWS
    assert all("not counted" in count for *_, count in rows[COUNTED_VIEWS:])
