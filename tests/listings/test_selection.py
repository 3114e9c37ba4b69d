"""Selected rows (`selected=<user ids>`): the exports (CSV, spreadsheet) narrowed to them through
the same listing and rights as every row; the page's checkboxes and selection bar; the APIs
unchanged. (The members' emails: tests/exports/test_emails.py.)"""

import csv
import io
import re

import openpyxl
import pytest
from django.http import QueryDict

from dashboards.listings.selection import MAX_SELECTED
from dashboards.models import User
from dashboards.registry.listings import ORG_MEMBERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(client, course_roster):
    """The course roster (conftest.py), seen by its manager Ada."""
    course, users = course_roster
    client.force_login(users["ada"])
    return {"course": course, "users": users}


@pytest.fixture
def w(org_world):
    return org_world


def csv_rows(response):
    assert response.status_code == 200, response.content[:300]
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def sheet_rows(response):
    assert response.status_code == 200, response.content[:300]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def ids(*users):
    return ",".join(str(user.pk) for user in users)


# The exports of selected rows ----------------------------------------------------------------


def test_course_csv_of_selected_rows_keeps_the_listing_order_and_filters(client, roster):
    course, u = roster["course"], roster["users"]
    url = f"/courses/{course.pk}/members.csv?ordering=real_name&statuses=joined,creator"
    # Comma-separated and repeated alike; fay is invited, so the statuses leave her out.
    selected = f"&selected={ids(u['hal'], u['ada'])}&selected={u['fay'].pk}&selected={u['hal'].pk}"
    rows = csv_rows(client.get(url + selected))
    assert [row["username"] for row in rows] == ["ada", "hal"]
    assert len(csv_rows(client.get(url))) == 6


def test_course_xlsx_of_selected_rows(client, roster):
    course, u = roster["course"], roster["users"]
    url = f"/courses/{course.pk}/members.xlsx?ordering=-user_completion_rate"
    rows = sheet_rows(client.get(f"{url}&selected={ids(u['cyd'], u['dan'], u['bob'])}"))
    assert rows[0][0] == "Member"
    assert [row[0] for row in rows[1:]] == ["Daniel Smith", "Cyd Charisse", "Bob Éclair"]


def test_a_row_outside_the_listing_is_never_exported(client, roster):
    course, u = roster["course"], roster["users"]
    zed = User.objects.get(username="zed")  # a member of another course only
    rows = csv_rows(client.get(f"/courses/{course.pk}/members.csv?selected={ids(zed, u['cyd'])}"))
    assert [row["username"] for row in rows] == ["cyd"]


def test_org_exports_of_selected_rows_stay_within_the_viewers_rights(client, w):
    client.force_login(w.sales_admin)
    outside = [w.portal_learner, w.container_learner, w.stranger]  # no row in Sales
    url = f"/orgs/{w.sales.pk}/members.csv?selected={ids(w.course_learner, w.instructor, *outside)}"
    assert [row["username"] for row in csv_rows(client.get(url))] == ["ivy", "carl"][::-1]
    sheet = sheet_rows(client.get(url.replace(".csv", ".xlsx")))
    assert len(sheet) - 1 == 2
    # An org the viewer may not view stays a 403 whatever is selected.
    client.force_login(w.support_admin)
    assert client.get(url).status_code == 403
    assert client.get(url.replace(".csv", ".xlsx")).status_code == 403


def test_portal_exports_of_selected_rows(client, w):
    client.force_login(w.acme_admin)
    base = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members"
    selected = f"?selected={ids(w.portal_learner, w.course_learner)}"
    assert [row["username"] for row in csv_rows(client.get(f"{base}.csv{selected}"))] == ["pat"]
    assert len(sheet_rows(client.get(f"{base}.xlsx{selected}"))) == 2


@pytest.mark.parametrize(
    "value, message",
    [
        ("abc", "'abc' is not a row id"),
        ("1,-2", "'-2' is not a row id"),
        ("1.5", "'1.5' is not a row id"),
        (str(2**63), "is not a row id"),
        (",".join(str(n) for n in range(1, MAX_SELECTED + 2)), f"At most {MAX_SELECTED}"),
    ],
)
@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_bad_selections_are_a_clear_400(client, roster, value, message, extension):
    course = roster["course"]
    # Long selections come in chunks, as the page sends them (a value holds 300 characters).
    items = value.split(",")
    chunks = [",".join(items[start : start + 40]) for start in range(0, len(items), 40)]
    query = QueryDict(mutable=True)
    query.setlist("selected", chunks)
    response = client.get(f"/courses/{course.pk}/members.{extension}?{query.urlencode()}")
    assert response.status_code == 400
    text = response.content.decode()
    assert text.startswith("selected: ") and message in text


def test_the_cap_is_allowed_and_a_blank_selection_is_no_selection(client, roster):
    course = roster["course"]
    # The roster's ids among MAX_SELECTED (ids go past any bound on PostgreSQL, whose
    # sequences earlier tests advanced).
    ids = sorted(user.pk for user in roster["users"].values())
    ids += [n for n in range(1, MAX_SELECTED * 2) if n not in ids][: MAX_SELECTED - len(ids)]
    chunks = [",".join(map(str, ids[start : start + 40])) for start in range(0, MAX_SELECTED, 40)]
    query = "&".join(f"selected={chunk}" for chunk in chunks)
    assert len(csv_rows(client.get(f"/courses/{course.pk}/members.csv?{query}"))) == 6
    assert len(csv_rows(client.get(f"/courses/{course.pk}/members.csv?selected=%20,"))) == 6


def test_the_course_api_ignores_selected(client, roster):
    course, u = roster["course"], roster["users"]
    api = f"/api/v2/course/{course.pk}/users/"
    assert client.get(f"{api}?selected={u['cyd'].pk}").json() == client.get(api).json()
    assert client.get(f"{api}?selected=abc").status_code == 200


def test_the_org_api_ignores_selected(client, w):
    org_api = f"/vfo/orgs/{w.sales.pk}/dashboard/members"
    headers = {"SID": w.partner_key}
    selected = client.get(f"{org_api}?selected={w.instructor.pk}", headers=headers)
    assert selected.json() == client.get(org_api, headers=headers).json()
    assert selected["X-Pagination"] == client.get(org_api, headers=headers)["X-Pagination"]


def test_a_selection_counts_rows_not_the_tally(w):
    selected = QueryDict(f"selected={ids(w.instructor, w.learner, w.stranger)}")
    narrowed, whole = (
        ORG_MEMBERS.build(selected, w.sales, whole=True),
        ORG_MEMBERS.build(selected, w.sales),
    )
    assert narrowed.is_valid and whole.is_valid
    assert narrowed.count == 2 and whole.count == 5


# The page --------------------------------------------------------------------------------


def test_the_course_page_has_a_labelled_checkbox_per_row_and_a_selection_bar(client, roster):
    course = roster["course"]
    text = client.get(f"/courses/{course.pk}/?ordering=real_name&limit=2&search=a").text
    assert re.findall(r'class="row-select" value="(\d+)" aria-label="([^"]+)"', text) == [
        (str(roster["users"]["bob"].pk), "Select Bob Éclair"),
        (str(roster["users"]["cyd"].pk), "Select Cyd Charisse"),
    ]
    assert 'class="page-select" aria-label="Select every row on this page"' in text
    bar = re.search(r'<div class="selection-bar" hidden\s+data-selection-key="([^"]*)"', text)
    # The selection lasts while the filters do: not the order, the window or the columns.
    assert bar.group(1) == "search=a"
    count = re.search(r'<p class="listing-count" aria-live="polite"><strong>(\d+)', text).group(1)
    assert int(count) > 2 and f'data-count="{count}"' in text
    assert f"Select all {count} matching" in text
    export = f"/courses/{course.pk}/members.csv?ordering=real_name&amp;search=a"
    assert f'data-export-url="{export}"' in text
    # The course family shows no emails: nothing to copy.
    assert "data-copy-emails" not in text


def test_org_and_portal_pages_are_selectable_with_copy_emails(client, w):
    client.force_login(w.acme_admin)
    org = client.get(f"/orgs/{w.sales.pk}/members/?role=admin&perPage=20&sort=role&order=ascending")
    assert "data-copy-emails" in org.text
    assert f'data-url="/orgs/{w.sales.pk}/members/emails.txt?role=admin' in org.text
    assert 'data-selection-key="role=admin"' in org.text
    assert 'aria-label="Select Sam Sales"' in org.text
    portal = client.get(f"/orgs/{w.acme.pk}/portals/{w.academy.pk}/members/").text
    assert "row-select" in portal and "/members/emails.txt" in portal


def test_other_listings_are_not_selectable(client, w):
    client.force_login(w.acme_admin)
    text = client.get(f"/orgs/{w.sales.pk}/members/{w.course_learner.pk}/").text
    assert "row-select" not in text and "selection-bar" not in text
    assert "row-select" not in client.get("/").text
