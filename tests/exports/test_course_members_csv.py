"""The CSV's `?bom=1` (a UTF-8 byte-order mark for spreadsheet programs) and its file name."""

import datetime as dt
from urllib.parse import unquote

import pytest

from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_org_world as build_world

pytestmark = pytest.mark.django_db


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return course


@pytest.mark.parametrize("value", ["1", "true", "TRUE"])
def test_bom_starts_the_file_and_the_rows_are_unchanged(client, roster, value):
    plain = body(client.get(f"/courses/{roster.pk}/members.csv?search=eclair"))
    marked = body(client.get(f"/courses/{roster.pk}/members.csv?search=eclair&bom={value}"))
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert marked == b"\xef\xbb\xbf" + plain
    assert "Éclair" in marked.decode("utf-8-sig")


@pytest.mark.parametrize("value", ["0", "", "x"])
def test_any_other_bom_value_means_none(client, roster, value):
    assert not body(client.get(f"/courses/{roster.pk}/members.csv?bom={value}")).startswith(
        b"\xef\xbb\xbf"
    )


def test_org_csv_takes_bom_too_and_names_the_org(client):
    w = build_world()
    client.force_login(w.acme_admin)
    response = client.get(f"/orgs/{w.sales.pk}/members.csv?bom=1")
    assert body(response).startswith(b"\xef\xbb\xbf")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert unquote(response["Content-Disposition"]).endswith(f'Sales members {today}.csv"')


def test_course_csv_is_named_after_the_course(client, roster):
    response = client.get(f"/courses/{roster.pk}/members.csv")
    assert "Intro to Statistics members" in response["Content-Disposition"]


def test_the_download_menu_explains_both_formats(client, roster):
    html = client.get(f"/courses/{roster.pk}/?search=a").text
    menu = html[html.index('class="menu downloads"') :]
    assert f'href="/courses/{roster.pk}/members.csv?search=a&amp;bom=1"' in menu
    assert "The API&#x27;s columns" in menu or "The API's columns" in menu
    assert "For people" in menu
