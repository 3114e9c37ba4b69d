"""The viewer's time zone (the `tz` cookie): the pages and the spreadsheet show times in it and
read the org pages' dates in it; the APIs and the CSV stay in UTC."""

import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest

from dashboards.models import Credential
from dashboards.platform.time_zones import zone_named
from tests.factories import make_credential

pytestmark = pytest.mark.django_db

PARIS = "Europe/Paris"


@pytest.fixture
def roster(client, course_roster):
    course, users = course_roster
    client.force_login(users["ada"])
    return course


def with_zone(client, zone):
    client.cookies["tz"] = zone
    return client


def course_page(client, course):
    response = client.get(f"/courses/{course.pk}/?statuses=creator")
    assert response.status_code == 200
    return response.content.decode()


def test_a_paris_viewer_sees_paris_times(client, roster):
    page = course_page(with_zone(client, PARIS), roster)
    # Ada joined at 09:00 UTC on 1 January: 10:00 in Paris; the machine-readable time stays UTC.
    assert (
        '<time datetime="2025-01-01T09:00:00Z" title="Jan. 1, 2025 10:00:00 Europe/Paris">' in page
    )
    assert "Times in Europe/Paris" in page


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "", "x" * 300, "Etc/UTC"])
def test_an_unknown_zone_is_utc(client, roster, zone):
    page = course_page(with_zone(client, zone), roster)
    assert 'title="Jan. 1, 2025 09:00:00 UTC">' in page and "Times in UTC" in page


def test_zone_names_are_checked_against_the_zone_database():
    assert zone_named(PARIS).key == PARIS
    assert zone_named("America/Argentina/Buenos_Aires") is not None
    for name in (None, "", "UTC", "europe/paris ", "Europe/Nowhere", "/etc/localtime", "\x00"):
        assert zone_named(name) is None


def test_the_apis_ignore_the_zone(client, roster):
    key = make_credential(Credential.PARTNER)[1]
    for path in (
        f"/api/v2/course/{roster.pk}/users/?statuses=creator",
        f"/api/v2/course/{roster.pk}/users/{roster.members.first().user_id}/",
    ):
        utc = client.get(path, HTTP_SID=key)
        paris = with_zone(client, PARIS).get(path, HTTP_SID=key)
        del client.cookies["tz"]
        assert utc.status_code == 200 and paris.content == utc.content
        assert b"+01:00" not in paris.content and b'"2025-01-01T09:00:00Z"' in paris.content


def test_the_csv_stays_utc(client, roster):
    path = f"/courses/{roster.pk}/members.csv?statuses=creator"
    utc = b"".join(client.get(path).streaming_content)
    paris = b"".join(with_zone(client, PARIS).get(path).streaming_content)
    assert paris == utc and b"2025-01-01T09:00:00Z" in utc


def test_the_spreadsheet_is_in_the_viewers_zone(client, roster):
    response = with_zone(client, PARIS).get(f"/courses/{roster.pk}/members.xlsx?statuses=creator")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][3:] == ("Joined (Europe/Paris)", "Last active (Europe/Paris)")
    assert rows[1][3] == datetime(2025, 1, 1, 10, 0)


# The org pages' last-seen dates: days in the viewer's zone, sent to the API as the instants.
JAN_2_PARIS = int(datetime(2024, 1, 1, 23, tzinfo=UTC).timestamp())  # 2024-01-02 00:00 Paris
JAN_4_PARIS = int(datetime(2024, 1, 3, 23, tzinfo=UTC).timestamp())  # 2024-01-04 00:00 Paris


def test_org_page_dates_are_days_in_the_viewers_zone(client, org_world):
    client.force_login(org_world.acme_admin)
    with_zone(client, PARIS)
    members = f"/orgs/{org_world.sales.pk}/members/"
    response = client.get(f"{members}?lastSeenFrom=2024-01-02&lastSeenTo=2024-01-03")
    assert response.status_code == 302
    assert response["Location"] == f"{members}?since={JAN_2_PARIS}&until={JAN_4_PARIS}"
    page = client.get(response["Location"]).content.decode()
    # The inputs show the same days back, and the JSON link carries the same instants.
    assert 'name="lastSeenFrom" value="2024-01-02"' in page
    assert 'name="lastSeenTo" value="2024-01-03"' in page
    json_link = re.search(r'href="([^"]+)" rel="nofollow">View as JSON', page).group(1)
    assert f"since={JAN_2_PARIS}&amp;until={JAN_4_PARIS}" in json_link
    assert "days in Europe/Paris, inclusive" in page
    # In UTC the same instants are other days.
    del client.cookies["tz"]
    page = client.get(response["Location"]).content.decode()
    assert 'name="lastSeenFrom" value="2024-01-01"' in page
    assert "days in UTC, inclusive" in page


def test_a_midnight_skipped_by_a_clock_change_starts_the_day_at_the_first_real_time(
    client, org_world
):
    # Chile moved its clocks from 2024-09-08 00:00 (-04) to 01:00 (-03): that day starts at
    # 01:00 local, 04:00 UTC.
    client.force_login(org_world.acme_admin)
    with_zone(client, "America/Santiago")
    response = client.get(f"/orgs/{org_world.sales.pk}/members/?lastSeenFrom=2024-09-08")
    since = int(datetime(2024, 9, 8, 4, tzinfo=UTC).timestamp())
    assert response["Location"].endswith(f"?since={since}")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_calendars_ends_in_a_zone_are_a_clear_answer(client, org_world, day):
    client.force_login(org_world.acme_admin)
    with_zone(client, "Pacific/Kiritimati")  # UTC+14
    members = f"/orgs/{org_world.sales.pk}/members/"
    response = client.get(f"{members}?lastSeenFrom={day}&lastSeenTo={day}", follow=True)
    assert response.status_code in (200, 400)
