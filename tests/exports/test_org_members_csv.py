"""The CSV's bytes are csv.writer's of the API's values, whichever writer the engine uses
(PostgreSQL's COPY or csv.writer): quoting, formulas defused, nulls and "" written as nothing,
times in ISO 8601 UTC, CRLF line ends, across chunks."""

import csv
import datetime as dt
import io

import pytest

from dashboards.exports import csv as csv_export
from dashboards.exports.csv import csv_cell
from dashboards.models import OrgRole, User
from tests.factories import make_member, make_role, make_user

pytestmark = pytest.mark.django_db

# Texts the two writers could write differently.
HOSTILE = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "a,b",
    'say "hi"',
    "two\nlines",
    "cr\ronly",
    "",
    " ",
    "\\.",
    "'quoted",
    "Émile Ünïcødé",
    None,
]
PROFILE = ["first_name", "last_name", "fn", "full_name", "location", "short_desc", "long_desc"]
SEEN = [
    dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC),
    dt.datetime(2025, 3, 1, 9, 30, 0, 250000, tzinfo=dt.UTC),
    dt.datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    None,
]


def written(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()


def body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def hostile_people(org_world):
    people = []
    for index, text in enumerate(HOSTILE):
        profile = {field: HOSTILE[(index + n) % len(HOSTILE)] for n, field in enumerate(PROFILE)}
        user = make_user(
            username=text and f"{text}{index}",
            website=text,
            last_seen=SEEN[index % len(SEEN)],
            **profile,
        )
        make_role(user, org_world.sales, OrgRole.LEARNER)
        make_member(
            user, org_world.both, joined_at=SEEN[(index + 1) % len(SEEN)], completion_rate=index
        )
        people.append(user)
    nameless = make_user(username="nameless")  # real_name is ""
    make_role(nameless, org_world.sales, OrgRole.LEARNER)
    make_member(nameless, org_world.both)
    # Blank texts stored without save() (which stores them as null).
    User.objects.filter(pk=people[0].pk).update(website="", location="", fn="")
    return [*people, nameless]


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


def test_an_export_of_no_rows_is_the_header_alone(client, org_world):
    client.force_login(org_world.acme_admin)
    response = client.get(f"/orgs/{org_world.sales.pk}/members.csv?filter=nobody-at-all")
    assert body(response).count(b"\r\n") == 1
