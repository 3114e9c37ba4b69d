"""The org family's count sorts (enrolledCount, completedCount; on portals too) and neverSeen on
the API, their 400s, and the API's query count with them."""

import pytest

from tests.vfo import call, error, ids, members_url, pagination, portal_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


def get(client, w, org=None, **params):
    return call(client, members_url(org or w.sales), w.partner_key, **params)


def sales(w, *names):
    return [getattr(w, name).pk for name in names]


@pytest.mark.parametrize(
    ("sort", "order", "expected"),
    [
        # enrolled: carl 2, amy 1, the rest 0 (ties by id ascending in both orders)
        (
            "enrolledCount",
            "ascending",
            ["sales_admin", "instructor", "learner", "admin_joined", "course_learner"],
        ),
        (
            "enrolledCount",
            "descending",
            ["course_learner", "admin_joined", "sales_admin", "instructor", "learner"],
        ),
        # completed: carl 1, amy 1, the rest 0
        (
            "completedCount",
            "ascending",
            ["sales_admin", "instructor", "learner", "course_learner", "admin_joined"],
        ),
        (
            "completedCount",
            "descending",
            ["course_learner", "admin_joined", "sales_admin", "instructor", "learner"],
        ),
    ],
)
def test_sort_by_the_counts(client, w, sort, order, expected):
    assert ids(get(client, w, sort=sort, order=order)) == sales(w, *expected)


def test_the_count_sorts_work_on_portals_too(client, w):
    response = call(
        client,
        portal_url(w.acme, w.academy),
        w.partner_key,
        sort="completedCount",
        order="descending",
    )
    assert ids(response)[0] == w.portal_learner.pk


def test_never_seen_keeps_the_members_never_seen(client, w):
    assert ids(get(client, w, neverSeen="true")) == sales(w, "admin_joined")
    assert ids(get(client, w, neverSeen="TRUE", includeAnonymousUsers="true")) == sales(
        w, "admin_joined", "anonymous"
    )
    assert pagination(get(client, w, neverSeen="true"))["count"] == 1
    assert len(ids(get(client, w, neverSeen="false"))) == len(ids(get(client, w)))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"neverSeen": "maybe"}, "Invalid neverSeen: 'maybe'"),
        ({"neverSeen": "true", "since": "0"}, "neverSeen cannot be combined with since"),
        ({"neverSeen": "true", "until": "0"}, "neverSeen cannot be combined with until"),
        (
            {"neverSeen": "true", "since": "0", "until": "9"},
            "neverSeen cannot be combined with since or until",
        ),
        # In the contract's order of checks: a bad since is named first.
        ({"neverSeen": "true", "since": "x"}, "Invalid since: 'x'"),
        ({"sort": "enrolled", "order": "ascending"}, "Bad sort criterion - enrolled"),
    ],
)
def test_bad_new_parameters_are_the_familys_400(client, w, params, message):
    assert error(get(client, w, **params)) == (400, message)


def test_api_query_count_with_the_new_parameters(client, w, django_assert_max_num_queries):
    # credential, org with rights, count, page
    with django_assert_max_num_queries(4):
        assert (
            get(client, w, neverSeen="true", sort="completedCount", order="descending").status_code
            == 200
        )
    with django_assert_max_num_queries(4):
        assert (
            get(client, w, sort="enrolledCount", order="ascending", perPage="100").status_code
            == 200
        )
