"""Column choice (`columns=`): it shapes the table and the spreadsheet, never the CSV or the
JSON, ignores unknown names, and is remembered per user and listing."""

import io
import re

import openpyxl
import pytest

from dashboards.models import User
from tests.worlds import build_course_roster as build_roster
from tests.worlds import build_org_world as build_world

pytestmark = pytest.mark.django_db


def headers(html):
    thead = html[html.index("<thead") : html.index("</thead>")]
    return [
        re.sub(r"<[^>]+>|[▲▼↕]", "", cell).strip()
        for cell in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)
    ]


def menu(html):
    start = html.index('class="menu columns-menu"')
    return html[start : html.index("</details>", start)]


@pytest.fixture
def roster(client):
    course, users = build_roster()
    client.force_login(users["ada"])
    return {"course": course, "users": users}


def test_columns_shape_the_table_and_the_menu(client, roster):
    url = f"/courses/{roster['course'].pk}/"
    assert headers(client.get(url).text) == [
        "Member",
        "Status",
        "Completion",
        "Joined",
        "Last active",
    ]
    html = client.get(url + "?columns=real_name,last_active_at").text
    assert headers(html) == ["Member", "Last active"]
    ticked = re.findall(r'value="(\w+)" checked', menu(html))
    assert ticked == ["real_name", "last_active_at"]
    assert (
        f'href="/courses/{roster["course"].pk}/members.xlsx?columns=real_name%2Clast_active_at"'
        in html
    )


@pytest.mark.parametrize(
    ("value", "shown"), [("nope", 5), ("", 5), (",,", 5), ("real_name,nope", 1)]
)
def test_unknown_or_no_names_are_ignored(client, roster, value, shown):
    response = client.get(f"/courses/{roster['course'].pk}/?columns={value}")
    assert response.status_code == 200
    assert len(headers(response.text)) == shown


def test_repeated_parameters_work_like_the_form_sends_them(client, roster):
    html = client.get(
        f"/courses/{roster['course'].pk}/?columns=&columns=join_status&columns=real_name"
    ).text
    assert headers(html) == ["Member", "Status"]


def test_the_choice_is_remembered_per_user_and_listing(client, roster):
    course, ada = roster["course"], roster["users"]["ada"]
    client.get(f"/courses/{course.pk}/?columns=real_name,user_completion_rate")
    ada.refresh_from_db()
    assert ada.listing_columns == {"course-members": ["real_name", "user_completion_rate"]}
    # Opened again without `columns`: the remembered choice, also in the spreadsheet link.
    html = client.get(f"/courses/{course.pk}/").text
    assert headers(html) == ["Member", "Completion"]
    assert "members.xlsx?columns=real_name%2Cuser_completion_rate" in html
    # Another user is not affected.
    client.force_login(roster["users"]["bob"])
    assert len(headers(client.get(f"/courses/{course.pk}/").text)) == 5
    # Choosing every column forgets the choice.
    client.force_login(ada)
    client.get(f"/courses/{course.pk}/?columns=")
    assert User.objects.get(pk=ada.pk).listing_columns == {}


def test_a_stored_choice_of_columns_that_no_longer_exist_means_all(client, roster):
    ada = roster["users"]["ada"]
    User.objects.filter(pk=ada.pk).update(listing_columns={"course-members": ["gone"]})
    assert len(headers(client.get(f"/courses/{roster['course'].pk}/").text)) == 5


def test_csv_and_json_keep_the_api_columns(client, roster):
    course = roster["course"]
    text = b"".join(
        client.get(f"/courses/{course.pk}/members.csv?columns=real_name").streaming_content
    ).decode()
    assert text.splitlines()[0].startswith("id,username,real_name,avatar,join_status")
    body = client.get(f"/api/v2/course/{course.pk}/users/?columns=real_name").json()
    assert "join_status" in body["results"][0]


def test_remembering_costs_the_page_no_query(client, roster, django_assert_max_num_queries):
    course = roster["course"]
    client.get(f"/courses/{course.pk}/?columns=real_name")
    with django_assert_max_num_queries(6):
        client.get(f"/courses/{course.pk}/")


def test_org_members_page_takes_columns_and_its_sheet_follows(client):
    w = build_world()
    client.force_login(w.acme_admin)
    html = client.get(f"/orgs/{w.sales.pk}/members/?columns=fullName,role").text
    assert headers(html) == ["Name", "Role"]
    # The remembered choice shapes a spreadsheet downloaded without `columns`.
    content = b"".join(client.get(f"/orgs/{w.sales.pk}/members.xlsx").streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["Name", "Role"]
