"""The org family's filters at their limits: dates at the calendar's ends answer a page or a 400,
and the longest accepted search answers on every listing, its terms capped."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


@pytest.fixture
def w(org_world):
    return org_world


# Date boundaries answer a page or a 400 -------------------------------------------------------

EDGE_DATES = [
    "lastSeenTo=9999-12-31",
    "lastSeenFrom=9999-12-31",
    "lastSeenTo=0001-01-01",
    "lastSeenFrom=0001-01-01&lastSeenTo=9999-12-31",
    "until=-62135596800",
    "since=-62135596800",
    "until=253402300799",
    "since=253402300799",
    "until=253402300800",
]


@pytest.mark.parametrize("query", EDGE_DATES)
def test_date_boundaries_answer_a_page_or_a_400(client, w, query):
    client.force_login(w.acme_admin)
    portal = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}"
    for base in (f"/orgs/{w.sales.pk}/members", portal + "/members"):
        for url, headers in (
            (f"{base}/?{query}", {}),
            (f"{base}/?{query}", {"HX-Request": "true"}),
            (f"{base}.csv?{query}", {}),
        ):
            response = client.get(url, headers=headers, follow=True)
            assert response.status_code in (200, 400), (url, headers)


def test_the_last_day_there_is_keeps_everyone_seen_until_then(client, w):
    client.force_login(w.acme_admin)
    response = client.get(f"/orgs/{w.sales.pk}/members/?lastSeenTo=9999-12-31")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert 'value="9999-12-31"' in response.text
    shown = set(re.findall(r'data-user-id="(\d+)"', response.text))
    seen = {w.sales_admin, w.instructor, w.learner, w.course_learner}
    assert {str(user.pk) for user in seen} <= shown


# Any accepted filter answers; the terms applied are capped ------------------------------------


def listed_ids(client, url, query):
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()]


# Values at the 300-character limit (dashboards.filters.params.MAX_PARAMETER_LENGTH).
LONG_FILTERS = [
    "a " * 150,  # 150 terms: past SQLite's expression depth before the cap
    "ab " * 100,
    " ".join(chr(0x4E00 + n) for n in range(150)),  # 150 distinct terms
]


@pytest.mark.parametrize("value", LONG_FILTERS)
def test_every_accepted_filter_answers_on_every_listing(client, w, value):
    client.force_login(w.acme_admin)
    portal = f"/orgs/{w.acme.pk}/portals/{w.academy.pk}"
    for url in (
        f"/orgs/{w.sales.pk}/members/",
        f"{portal}/members/",
        f"/orgs/{w.sales.pk}/members.csv",
    ):
        for extra in ({}, {"sort": "lastSeen", "order": "descending"}):
            assert client.get(url, {"filter": value, **extra}).status_code == 200, url
    api = f"/vfo/orgs/{w.sales.pk}/dashboard/members"
    assert listed_ids(client, api, {"filter": value}) == listed_ids(
        client, api, {"filter": value.split()[0] if value.startswith("a") else value[:63]}
    )


def test_repeated_and_contained_terms_change_no_result(client, w):
    from dashboards.text import MAX_SEARCH_TERMS, search_terms

    client.force_login(w.acme_admin)
    api = f"/vfo/orgs/{w.sales.pk}/dashboard/members"
    carl = listed_ids(client, api, {"filter": "carl"})
    assert carl == [w.course_learner.pk]
    assert listed_ids(client, api, {"filter": "car carl ca CARL c"}) == carl
    assert listed_ids(client, api, {"filter": "carl " * 60}) == carl
    # Past MAX_SEARCH_TERMS distinct terms, the rest are not applied.
    letters = [chr(0x4E00 + n) for n in range(MAX_SEARCH_TERMS)]
    assert listed_ids(client, api, {"filter": " ".join(["carl", *letters])}) == []
    assert search_terms(" ".join([*letters, "carl"])) == letters
    assert search_terms("ca carl car CARL x") == ["carl", "x"]
