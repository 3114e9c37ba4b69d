"""The course page and the progress filters: its rows, the API's and the CSV's agree; every header
sorts by its API ordering; names link to the learner page; every card and bar links to the rows
it counts; the filter form; the query count."""

import csv
import io
import re

import pytest

from dashboards.models import Credential
from tests.factories import days_ago, make_credential, make_member, make_user

pytestmark = pytest.mark.django_db

EVERY_STATUS = "statuses=creator,manager,joined,invited,requested"


@pytest.fixture
def roster(client, read_only_course_roster):
    """The roster, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    course, users = read_only_course_roster
    client.force_login(users["ada"])
    return {"course": course, "users": users, "key": make_credential(Credential.PARTNER)[1]}


def api(client, roster, query=""):
    return client.get(
        f"/api/v2/course/{roster['course'].pk}/users/?{query}", HTTP_SID=roster["key"]
    )


def page_ids(response):
    return [int(i) for i in re.findall(r'<tr data-user-id="(\d+)"', response.text)]


QUERIES = [
    "ordering=real_name",
    f"{EVERY_STATUS}&ordering=-real_name&limit=3&offset=3",
    f"{EVERY_STATUS}&ordering=join_status,-user_completion_rate",
    "ordering=user_completion_rate&completion_min=10",
    "statuses=joined&completion_max=49&inactive_for=30",
    f"{EVERY_STATUS}&never_active=true&ordering=-join_status",
]


@pytest.mark.parametrize("query", QUERIES)
def test_page_rows_api_rows_and_csv_rows_agree(client, roster, query):
    url = f"/courses/{roster['course'].pk}/"
    api_ids = [row["id"] for row in api(client, roster, query).json()["results"]]
    assert page_ids(client.get(f"{url}?{query}")) == api_ids
    whole = re.sub(r"&?(limit|offset)=\d+", "", query)
    response = client.get(f"{url}members.csv?{whole}")
    text = b"".join(response.streaming_content).decode("utf-8")
    csv_ids = [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]
    assert csv_ids == [
        row["id"] for row in api(client, roster, f"{whole}&limit=100").json()["results"]
    ]


def test_every_header_sorts_by_its_api_ordering(client, roster):
    text = client.get(f"/courses/{roster['course'].pk}/?ordering=real_name").text
    headers = dict(
        (label, href.replace("&amp;", "&"))
        for href, label in re.findall(r'<th[^>]*>\s*<a href="([^"]+)"[^>]*>([^<]+)<', text)
    )
    assert headers == {
        "Member": "?ordering=-real_name",
        "Status": "?ordering=join_status",
        "Completion": "?ordering=user_completion_rate",
        "Joined": "?ordering=-joined_at",
        "Last active": "?ordering=-last_active_at",
    }
    assert re.search(r'aria-sort="ascending">\s*<a href="\?ordering=-real_name"', text)


def test_names_link_to_the_learner_page_and_the_nameless_show_their_username(client, roster):
    course, eve = roster["course"], roster["users"]["eve"]
    text = client.get(f"/courses/{course.pk}/?statuses=joined").text
    assert f'href="/courses/{course.pk}/members/{eve.pk}/">@eve</a>' in text
    nobody = make_user(username=None, email=None)
    make_member(nobody, course, joined_at=None)
    text = client.get(f"/courses/{course.pk}/?statuses=joined&ordering=real_name&limit=100").text
    assert f'href="/courses/{course.pk}/members/{nobody.pk}/">Unknown</a>' in text


def _card_links(text):
    return dict(
        (label, (href.replace("&amp;", "&"), value))
        for href, label, value in re.findall(
            r'<a class="stat-card" href="([^"]+)"><p class="stat-label">([^<]+)</p>'
            r'<p class="stat-value">([^<]+)</p>',
            text,
        )
    )


def test_every_card_and_bar_links_to_the_rows_it_counts(client, roster):
    url = f"/courses/{roster['course'].pk}/"
    text = client.get(url).text
    cards = _card_links(text)
    assert set(cards) == {
        "Members",
        "Managers",
        "Average completion",
        "Completed",
        "Behind",
        "Waiting",
    }
    for label, (href, value) in cards.items():
        if label == "Average completion":
            continue
        assert api(client, roster, href[1:]).json()["count"] == int(value), label
    assert cards["Waiting"] == ("?statuses=invited,requested", "2")
    assert cards["Behind"][1] == "2"  # cyd (40 %) and hal (9 %), long inactive
    for active in ("active_within=7", "active_within=30"):
        assert f'href="?statuses=joined&amp;{active}"' in text
    bars = re.findall(r'<a href="([^"]+)" class="bar-link" aria-label="[^"]*: (\d+) member', text)
    assert len(bars) == 10
    for href, count in bars:
        assert api(client, roster, href.replace("&amp;", "&")[1:]).json()["count"] == int(count)
    assert bars[9][0] == "?statuses=joined&amp;completion_min=90&amp;completion_max=100"


def test_the_filter_form_shows_the_progress_filters(client, roster):
    query = "completion_min=10&completion_max=49&inactive_for=30&never_active=false"
    text = client.get(f"/courses/{roster['course'].pk}/?{query}").text
    assert 'name="completion_min" min="0" max="100"' in text and 'value="49"' in text
    assert '<option value="false" selected>' in text


def test_page_query_count_with_every_filter(client, roster, django_assert_max_num_queries):
    url = (
        f"/courses/{roster['course'].pk}/?ordering=real_name,-join_status&completion_min=1"
        "&completion_max=99&inactive_for=7&never_active=false&limit=100"
    )
    for n in range(60):
        make_member(make_user(), roster["course"], completion_rate=n, last_active_at=days_ago(n))
    # session, user, course with the caller's rights, count, rows, stats
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
