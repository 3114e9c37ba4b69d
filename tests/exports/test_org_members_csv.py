"""The org members' CSV (/orgs/<id>/members.csv, and a portal's): every matching row in the API's
order with the API's fields, whatever page the link was on; csv.writer's bytes of the API's
values whichever writer the engine uses (PostgreSQL's COPY or csv.writer): quoting, formulas
defused, nulls and "" written as nothing, times in ISO 8601 UTC, CRLF line ends, across chunks;
the header alone when no row matches; the byte-order mark and the file name; the page's rights."""

import csv
import datetime as dt
import io
from urllib.parse import unquote

import pytest
from django.http import StreamingHttpResponse

from dashboards.exports import csv as csv_export
from tests.exports.csv_samples import HOSTILE, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("rows_per_chunk", [1, 7, 500])
def test_org_members_csv_is_csv_writer_bytes_of_the_api_values(
    client, org_world, hostile_people, monkeypatch, rows_per_chunk
):
    monkeypatch.setattr(csv_export, "ROWS_PER_CHUNK", rows_per_chunk)
    client.force_login(org_world.acme_admin)
    query = "sort=lastSeen&order=descending"
    api = client.get(
        f"/vfo/orgs/{org_world.sales.pk}/dashboard/members?{query}&perPage=100",
        headers={"SID": org_world.partner_key},
    ).json()
    assert len(api) > len(HOSTILE)
    expected = written(list(api[0]), [list(entry.values()) for entry in api])
    assert body(client.get(f"/orgs/{org_world.sales.pk}/members.csv?{query}")) == expected


def test_an_export_of_no_rows_is_the_header_alone(client, org_world):
    client.force_login(org_world.acme_admin)
    response = client.get(f"/orgs/{org_world.sales.pk}/members.csv?filter=nobody-at-all")
    assert body(response).count(b"\r\n") == 1


def members_page(org_world, org=None):
    return f"/orgs/{(org or org_world.sales).pk}/members/"


def csv_rows(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_every_matching_row_in_the_api_order_with_the_api_fields(client, org_world):
    client.force_login(org_world.acme_admin)
    query = "sort=lastSeen&order=descending&perPage=1&page=2&role=admin,instructor,course-learner"
    response = client.get(f"/orgs/{org_world.sales.pk}/members.csv?{query}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    everything = query.replace("perPage=1&page=2", "perPage=100")
    api = client.get(
        f"/vfo/orgs/{org_world.sales.pk}/dashboard/members?{everything}",
        headers={"SID": org_world.partner_key},
    ).json()
    assert [int(row["id"]) for row in rows] == [entry["id"] for entry in api]
    assert list(rows[0]) == list(api[0])
    carl = next(row for row in rows if row["id"] == str(org_world.course_learner.pk))
    assert carl["role"] == "course-learner" and carl["enrolledCount"] == "2"
    assert carl["lastSeen"].endswith("Z") and carl["website"] == ""


def test_csv_link_drops_the_page(client, org_world):
    client.force_login(org_world.acme_admin)
    html = client.get(f"{members_page(org_world)}?perPage=2&page=2&filter=a").text
    assert f'href="/orgs/{org_world.sales.pk}/members.csv?filter=a"' in html


def test_portal_csv_and_rights(client, org_world):
    client.force_login(org_world.acme_admin)
    response = client.get(f"/orgs/{org_world.acme.pk}/portals/{org_world.academy.pk}/members.csv")
    assert len(csv_rows(response)) == 3
    assert client.get(f"/orgs/{org_world.sales.pk}/members.csv?role=x").status_code == 400
    client.force_login(org_world.support_admin)
    assert client.get(f"/orgs/{org_world.sales.pk}/members.csv").status_code == 403


def test_org_csv_takes_bom_too_and_names_the_org(client, org_world):
    w = org_world
    client.force_login(w.acme_admin)
    response = client.get(f"/orgs/{w.sales.pk}/members.csv?bom=1")
    assert body(response).startswith(b"\xef\xbb\xbf")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert unquote(response["Content-Disposition"]).endswith(f'Sales members {today}.csv"')
