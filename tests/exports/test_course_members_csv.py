"""The course members' CSV (/courses/<id>/members.csv): every API row across pages with the API's
columns, streamed while it is sent; csv.writer's bytes of the API's values whichever writer the
engine uses; formulas defused; bad filters a 400 naming them; the byte-order mark (`?bom=1`) for
spreadsheet programs and the file name; the download menu."""

import csv
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from dashboards.models import Credential
from tests.exports.csv_samples import HOSTILE, written
from tests.factories import make_credential, make_member, make_user
from tests.worlds import COURSE_QUERIES
from tests.worlds import build_course_roster as build_roster

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


def test_course_csv_is_named_after_the_course(client, roster):
    response = client.get(f"/courses/{roster.pk}/members.csv")
    assert "Intro to Statistics members" in response["Content-Disposition"]


def test_the_download_menu_explains_both_formats(client, roster):
    html = client.get(f"/courses/{roster.pk}/?search=a").text
    menu = html[html.index('class="menu downloads"') :]
    assert f'href="/courses/{roster.pk}/members.csv?search=a&amp;bom=1"' in menu
    assert "The API&#x27;s columns" in menu or "The API's columns" in menu
    assert "For people" in menu


def test_course_members_csv_is_csv_writer_bytes_of_the_api_values(
    client, org_world, hostile_people
):
    client.force_login(org_world.acme_admin)
    query = "ordering=joined_at&statuses=joined,invited"
    api = client.get(
        f"/api/v2/course/{org_world.both.pk}/users/?{query}&limit=100",
        HTTP_SID=org_world.partner_key,
    ).json()["results"]
    assert len(api) > len(HOSTILE)
    expected = written(list(api[0]), [list(entry.values()) for entry in api])
    assert body(client.get(f"/courses/{org_world.both.pk}/members.csv?{query}")) == expected


QUERIES = COURSE_QUERIES


@pytest.fixture
def roster_with_key(client, course_roster):
    course, users = course_roster
    client.force_login(users["ada"])
    return {"course": course, "users": users, "key": make_credential(Credential.PARTNER)[1]}


def csv_rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _api_rows_across_pages(client, roster_with_key, query):
    rows, url = [], f"/api/v2/course/{roster_with_key['course'].pk}/users/?{query}&limit=2"
    while url:
        body = client.get(url, HTTP_SID=roster_with_key["key"]).json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.mark.parametrize("query", [q for q in QUERIES if "offset=100" not in q])
def test_csv_has_every_api_row_across_pages_with_the_api_columns(client, roster_with_key, query):
    api_rows = _api_rows_across_pages(
        client,
        roster_with_key,
        "&".join(
            p for p in query.split("&") if not p.startswith("limit") and not p.startswith("offset")
        ),
    )
    response = client.get(f"/courses/{roster_with_key['course'].pk}/members.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [int(row["id"]) for row in rows] == [row["id"] for row in api_rows]
    for row, api_row in zip(rows, api_rows, strict=True):
        assert list(row) == list(api_row)
        assert row == {k: "" if v is None else str(v) for k, v in api_row.items()}


def test_csv_defuses_spreadsheet_formulas(client, roster_with_key):
    make_member(make_user(username="=cmd", full_name="@SUM(A1)"), roster_with_key["course"])
    rows = csv_rows(client.get(f"/courses/{roster_with_key['course'].pk}/members.csv?search=cmd"))
    assert (rows[0]["username"], rows[0]["real_name"]) == ("'=cmd", "'@SUM(A1)")


def test_csv_with_bad_filters_is_a_400_naming_them(client, roster_with_key):
    response = client.get(f"/courses/{roster_with_key['course'].pk}/members.csv?statuses=foo")
    assert response.status_code == 400
    assert response.content.decode() == (
        "statuses: 'foo' is not a valid join status; expected one of creator, manager, "
        "joined, invited, requested.\n"
    )


def test_csv_streams_rows_while_the_response_is_sent(client, roster_with_key):
    course = roster_with_key["course"]
    for _ in range(30):
        make_member(make_user(), course)
    with CaptureQueriesContext(connection) as before:
        response = client.get(f"/courses/{course.pk}/members.csv")
    assert response.streaming
    assert not any("completion_rate" in q["sql"] for q in before.captured_queries)
    with CaptureQueriesContext(connection) as during:
        rows = csv_rows(response)
    assert len(rows) == 36
    assert len(during) == 1 and "completion_rate" in during.captured_queries[0]["sql"]
