"""Spreadsheet (.xlsx) exports of every listing, read back with openpyxl: headers, types,
dates, the formula guard, row counts equal to the API's, rights like the CSV's."""

import datetime as dt
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.http import FileResponse

from dashboards.exports.spreadsheet import SheetColumn, file_name, row_limit_message, write_workbook
from dashboards.models import CourseMember
from tests.factories import make_member, make_user
from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_org_world as build_world
from tests.worlds import t

pytestmark = pytest.mark.django_db


def sheet(response):
    """The first worksheet's rows as tuples (header first)."""
    assert response.status_code == 200, response.content[:300]
    assert isinstance(response, FileResponse)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    worksheet = workbook.worksheets[0]
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref is not None
    return [tuple(row) for row in worksheet.iter_rows(values_only=True)]


def download_name(response):
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment")
    return disposition


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return {"course": course, "users": users}


@pytest.fixture
def w():
    return build_world()


# The course members -------------------------------------------------------------------------


def test_course_members_sheet_has_human_headers_words_numbers_and_dates(client, roster):
    course = roster["course"]
    response = client.get(
        f"/courses/{course.pk}/members.xlsx?statuses=creator,manager&ordering=joined_at"
    )
    rows = sheet(response)
    assert rows[0] == ("Member", "Status", "Completion %", "Joined (UTC)", "Last active (UTC)")
    assert "Intro to Statistics members" in download_name(response)
    assert dt.date.today().isoformat() in download_name(response)
    ada = next(row for row in rows if row[0] == "Ada Lovelace")
    assert ada == (
        "Ada Lovelace",
        "Creator",
        100,
        t(0).replace(tzinfo=None),
        t(5).replace(tzinfo=None),
    )
    assert isinstance(ada[3], dt.datetime)
    bob = next(row for row in rows if row[0] == "Bob Éclair")
    assert bob[1] == "Manager" and bob[2] == 0 and bob[4] is None


def test_course_members_sheet_rows_are_the_api_rows_in_order(client, roster):
    course = roster["course"]
    query = "statuses=joined,invited&ordering=-last_active_at,joined_at&limit=2&offset=2"
    api = client.get(
        f"/api/v2/course/{course.pk}/users/?{query.replace('limit=2&offset=2', 'limit=100')}"
    ).json()
    rows = sheet(client.get(f"/courses/{course.pk}/members.xlsx?{query}"))
    assert len(rows) - 1 == api["count"]
    assert [row[0] for row in rows[1:]] == [entry["real_name"] for entry in api["results"]]


def test_text_is_never_a_formula(client, roster):
    course = roster["course"]
    make_member(make_user(username="evil", full_name='=HYPERLINK("x")'), course)
    make_member(make_user(username="evil2", full_name="+1+2"), course)
    rows = sheet(client.get(f"/courses/{course.pk}/members.xlsx?search=evil"))
    names = sorted(row[0] for row in rows[1:])
    assert names == ["+1+2", '=HYPERLINK("x")']
    # openpyxl reads a formula cell's text with data_type "f"; these are strings.
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            b"".join(client.get(f"/courses/{course.pk}/members.xlsx?search=evil").streaming_content)
        )
    )
    cells = [row[0] for row in workbook.worksheets[0].iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"s"}


def test_chosen_columns_shape_the_sheet_and_unknown_names_are_ignored(client, roster):
    course = roster["course"]
    rows = sheet(
        client.get(f"/courses/{course.pk}/members.xlsx?columns=last_active_at,real_name,nope")
    )
    assert rows[0] == ("Member", "Last active (UTC)")


def test_bad_parameters_are_a_400_naming_them(client, roster):
    response = client.get(f"/courses/{roster['course'].pk}/members.xlsx?statuses=foo")
    assert response.status_code == 400
    assert response.content.decode().startswith("statuses: 'foo' is not a valid join status")


def test_course_sheet_rights_are_the_pages(client, roster):
    course = roster["course"]
    client.force_login(roster["users"]["cyd"])  # a learner
    assert client.get(f"/courses/{course.pk}/members.xlsx").status_code == 403
    assert client.get("/courses/999999/members.xlsx").status_code == 404
    client.logout()
    assert client.get(f"/courses/{course.pk}/members.xlsx").status_code == 302


# The org's listings -------------------------------------------------------------------------


def test_org_members_sheet_matches_the_api(client, w):
    client.force_login(w.acme_admin)
    query = "sort=lastSeen&order=descending&role=admin,instructor,course-learner"
    rows = sheet(client.get(f"/orgs/{w.sales.pk}/members.xlsx?{query}&perPage=1&page=2"))
    api = client.get(
        f"/vfo/orgs/{w.sales.pk}/dashboard/members?{query}&perPage=100",
        headers={"SID": w.partner_key},
    ).json()
    assert rows[0] == ("Name", "Email", "Role", "Enrolled", "Completed", "Last seen (UTC)")
    assert [row[0] for row in rows[1:]] == [entry["displayName"] for entry in api]
    carl = next(row for row in rows if row[1] == "carl@example.org")
    assert carl[2] == "Course learner" and carl[3] == 2 and isinstance(carl[5], dt.datetime)
    assert "Émile Admin" in [row[0] for row in rows]


def test_org_members_sheet_name_and_rights(client, w):
    client.force_login(w.acme_admin)
    response = client.get(f"/orgs/{w.sales.pk}/members.xlsx")
    assert "Sales members" in download_name(response)
    assert client.get(f"/orgs/{w.sales.pk}/members.xlsx?role=x").status_code == 400
    client.force_login(w.support_admin)
    assert client.get(f"/orgs/{w.sales.pk}/members.xlsx").status_code == 403
    assert client.get("/orgs/999999/members.xlsx").status_code == 404


def test_portal_members_sheet(client, w):
    client.force_login(w.acme_admin)
    rows = sheet(client.get(f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members.xlsx"))
    assert len(rows) - 1 == 3
    client.force_login(w.sales_admin)
    url = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members.xlsx"
    assert client.get(url).status_code == 403


def test_member_courses_sheet(client, w):
    client.force_login(w.acme_admin)
    url = f"/orgs/{w.sales.pk}/members/{w.course_learner.pk}/courses.xlsx"
    rows = sheet(client.get(url))
    assert rows[0] == (
        "Course",
        "Status",
        "Progress %",
        "Started (UTC)",
        "Finished (UTC)",
        "Score",
    )
    python = next(row for row in rows if row[0] == "Python basics")
    assert python[1] == "Completed" and python[2] == 100 and python[5] == pytest.approx(0.876)
    api = client.get(
        f"/vfo/orgs/{w.sales.pk}/dashboard/members/{w.course_learner.pk}/courses",
        headers={"SID": w.partner_key},
    ).json()
    assert len(rows) - 1 == len(api)
    assert client.get(f"/orgs/{w.sales.pk}/members/{w.stranger.pk}/courses.xlsx").status_code == 404
    client.force_login(w.support_admin)
    assert client.get(url).status_code == 403


def test_home_courses_sheet(client, w):
    client.force_login(w.superuser)
    rows = sheet(client.get("/courses.xlsx?limit=1"))
    assert rows[0][:4] == ("Course", "Members", "Managers", "Waiting")
    assert rows[0][4].startswith("Last activity") and rows[0][5:] == ("Container", "Id")
    assert len(rows) - 1 == 6
    assert all(isinstance(row[1], int) for row in rows[1:])


# The writer ---------------------------------------------------------------------------------


def test_the_page_says_when_rows_do_not_fit_and_the_download_refuses(client, roster, monkeypatch):
    monkeypatch.setattr("dashboards.exports.spreadsheet.MAX_SHEET_ROWS", 3)
    monkeypatch.setattr("dashboards.web.listing.MAX_SHEET_ROWS", 3)
    course = roster["course"]
    html = client.get(f"/courses/{course.pk}/").text
    assert "do not fit in a spreadsheet" in html
    assert f'href="/courses/{course.pk}/members.xlsx' not in html
    response = client.get(f"/courses/{course.pk}/members.xlsx")
    assert response.status_code == 400
    assert "do not fit" in response.content.decode()


def test_the_page_offers_both_downloads_without_the_window(client, roster):
    course = roster["course"]
    html = client.get(f"/courses/{course.pk}/?limit=2&offset=2&search=a").text
    assert f'href="/courses/{course.pk}/members.xlsx?search=a"' in html
    assert f'href="/courses/{course.pk}/members.csv?search=a"' in html


def test_writer_handles_every_kind_of_value(tmp_path):
    path = tmp_path / "out.xlsx"
    columns = [
        SheetColumn("Text", "a"),
        SheetColumn("Number", "b"),
        SheetColumn("When (UTC)", "c", kind="time"),
        SheetColumn("Role", "d", words={0: "Admin"}),
    ]
    aware = dt.datetime(2025, 3, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    rows = [("x" * 40000, 1.5, aware, 0), (None, None, None, 7), ("@x", -3, None, None)]
    assert write_workbook(str(path), columns, iter(rows)) == 3
    values = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert len(values[1][0]) == 32767
    assert values[1][1:] == (1.5, dt.datetime(2025, 3, 1, 10, 30), "Admin")
    assert values[2] == (None, None, None, 7)
    assert values[3] == ("@x", -3, None, None)


def test_file_names_keep_accents_and_drop_path_characters():
    name = file_name('Cours / Été: "A"', "members", today=dt.date(2026, 5, 1))
    assert name == "Cours Été A members 2026-05-01.xlsx"


def test_row_limit_message_names_the_count():
    assert "2,000,000 rows" in row_limit_message(2_000_000)


def test_empty_listing_gives_a_header_only_sheet(client, roster):
    course = roster["course"]
    CourseMember.objects.filter(course=course).exclude(user=roster["users"]["ada"]).delete()
    rows = sheet(client.get(f"/courses/{course.pk}/members.xlsx?search=nobody"))
    assert len(rows) == 1
