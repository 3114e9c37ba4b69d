"""The course roster sorted by several keys (`ordering=a,-b`): the chips that show and remove each
key, the headers' "then by" links that add one, aria-sort on the primary key only; the org
family sorts by one key and has neither. Time columns open newest first on every listing."""

import html as html_module
import re

import pytest

from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_org_world as build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return {"course": course, "users": users}


def page(client, roster, query=""):
    response = client.get(f"/courses/{roster['course'].pk}/?{query}")
    assert response.status_code == 200
    return response.text


def chips(text):
    """(label, arrow, link) of each chip, in order."""
    found = re.findall(
        r'<a class="chip" href="([^"]*)">([^<]+?) <span aria-hidden="true">([↑↓])</span>', text
    )
    return [(label, arrow, html_module.unescape(href)) for href, label, arrow in found]


def then_links(text):
    return {
        label: html_module.unescape(href)
        for href, label in re.findall(
            r'<a href="([^"]+)" class="then-by" aria-label="Then by ([^"]+)"', text
        )
    }


def aria_sorts(text):
    return dict(
        (label, sort)
        for sort, label in re.findall(r'aria-sort="(\w+)">\s*<a href="[^"]+">([^<]+)<', text)
    )


def test_chips_show_each_key_in_order_and_remove_it(client, roster):
    text = page(client, roster, "ordering=user_completion_rate,-last_active_at&offset=2")
    assert chips(text) == [
        ("Completion", "↑", "?ordering=-last_active_at"),
        ("Last active", "↓", "?ordering=user_completion_rate"),
    ]
    assert "Sorted by" in text and ">then<" in text
    # The chips are boosted like the headers' links, and say what they do to a screen reader.
    assert re.search(r'<p class="sort-chips" hx-boost="true">', text)
    assert "(ascending): remove this sort key" in text


def test_removing_the_last_key_goes_back_to_the_default_order(client, roster):
    text = page(client, roster, "ordering=real_name&search=a")
    assert chips(text) == [("Member", "↑", "?search=a")]


def test_no_chips_without_an_ordering_in_the_address(client, roster):
    text = page(client, roster)
    assert chips(text) == [] and "sort-chips" not in text


def test_then_by_adds_a_further_key_and_the_header_still_sorts_by_one(client, roster):
    text = page(client, roster, "ordering=user_completion_rate,-last_active_at&offset=2")
    assert then_links(text) == {
        "Member": "?ordering=user_completion_rate%2C-last_active_at%2Creal_name",
        "Status": "?ordering=user_completion_rate%2C-last_active_at%2Cjoin_status",
        # A time column is added newest first, as its header first sorts it.
        "Joined": "?ordering=user_completion_rate%2C-last_active_at%2C-joined_at",
    }
    header = re.search(r'aria-sort="ascending">\s*<a href="([^"]+)">Completion', text)
    assert html_module.unescape(header.group(1)) == "?ordering=-user_completion_rate"
    # aria-sort marks the primary key only.
    assert aria_sorts(text) == {
        "Member": "none",
        "Status": "none",
        "Completion": "ascending",
        "Joined": "none",
        "Last active": "none",
    }


def test_following_then_by_orders_the_rows_as_the_api_does(client, roster):
    course = roster["course"]
    users = roster["users"]
    first = page(client, roster, "statuses=creator,joined&ordering=-user_completion_rate")
    link = then_links(first)["Joined"]
    assert "statuses=creator%2Cjoined" in link
    text = page(client, roster, link.lstrip("?"))
    assert [label for label, _, _ in chips(text)] == ["Completion", "Joined"]
    shown = [int(user) for user in re.findall(r'<tr data-user-id="(\d+)"', text)]
    api = client.get(f"/api/v2/course/{course.pk}/users/?{link.lstrip('?')}")
    assert shown == [row["id"] for row in api.json()["results"]]
    # Ada and Eve are both at 100 %: the second key puts Eve (joined later) first, where
    # the first key alone breaks the tie by id (Ada).
    assert shown[:2] == [users["eve"].pk, users["ada"].pk]


def test_the_org_family_sorts_by_one_key_without_chips(client):
    w = build_world()
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.sales.pk}/members/?sort=lastSeen&order=descending").text
    assert "sort-chips" not in text and "then-by" not in text


@pytest.fixture
def logged_in_roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return course


def test_time_columns_open_newest_first_on_the_course_page(client, logged_in_roster):
    course_text = client.get(f"/courses/{logged_in_roster.pk}/?ordering=real_name").text
    assert 'href="?ordering=-last_active_at"' in course_text


def test_time_columns_open_newest_first_on_the_org_pages(client):
    w = build_world()
    client.force_login(w.acme_admin)
    org_text = client.get(f"/orgs/{w.sales.pk}/members/").text
    assert 'href="?sort=lastSeen&amp;order=descending"' in org_text
    assert 'href="?sort=role&amp;order=ascending"' in org_text
