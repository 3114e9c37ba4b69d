"""GET /vfo/orgs/{orgId}/dashboard/members: entries, roles, counts, parameters, pagination."""

import pytest

from dashboards.filters.params import MAX_LIST_ITEMS
from dashboards.models import OrgRole
from tests.factories import make_course, make_member, make_org, make_role, make_user
from tests.vfo import call, error, ids, members_url, pagination
from tests.worlds import NOW, ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_world(read_only_org_world):
    """The org world, built once for this module: its tests only read it (what they write is
    rolled back after each)."""
    return read_only_org_world


def get(client, org_world, org=None, **params):
    return call(client, members_url(org or org_world.sales), org_world.partner_key, **params)


def by_id(response):
    return {entry["id"]: entry for entry in response.json()}


def test_entry_has_exactly_the_spec_fields_with_iso_utc_timestamps(client, org_world):
    entry = by_id(get(client, org_world))[org_world.sales_admin.pk]
    assert list(entry) == [
        "id",
        "firstName",
        "lastName",
        "fn",
        "fullName",
        "location",
        "longDesc",
        "shortDesc",
        "username",
        "email",
        "website",
        "enrolledCount",
        "completedCount",
        "lastSeen",
        "role",
        "displayName",
    ]
    assert entry["firstName"] is None and entry["website"] is None
    assert entry["fullName"] == "Sam Sales"
    assert entry["lastSeen"] == ago(days=1).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_profile_fields_are_returned(client, org_world):
    user = make_user(
        location="Lyon",
        long_desc="Long",
        short_desc="Short",
        website="https://example.org",
        fn="F N",
    )
    make_role(user, org_world.sales, OrgRole.LEARNER)
    entry = by_id(get(client, org_world))[user.pk]
    assert (entry["location"], entry["longDesc"], entry["shortDesc"]) == ("Lyon", "Long", "Short")
    assert (entry["website"], entry["fn"]) == ("https://example.org", "F N")


def test_members_are_direct_roles_and_joined_learners_of_shared_courses(client, org_world):
    assert set(ids(get(client, org_world))) == {
        org_world.sales_admin.pk,
        org_world.instructor.pk,
        org_world.learner.pk,
        org_world.course_learner.pk,
        org_world.admin_joined.pk,
    }


def test_sharing_and_roles_do_not_cascade_to_child_orgs(client, org_world):
    # acme_only is shared with the container only; acme_admin has no role on sales.
    assert ids(get(client, org_world, org_world.sales_east)) == [org_world.east_admin.pk]


def test_role_precedence(client, org_world):
    roles = {entry["id"]: entry["role"] for entry in get(client, org_world).json()}
    assert roles[org_world.admin_joined.pk] == "admin"  # admin AND joined a shared course
    assert roles[org_world.sales_admin.pk] == "admin"
    assert roles[org_world.instructor.pk] == "instructor"  # instructor AND learner
    assert roles[org_world.learner.pk] == "org-learner"
    assert roles[org_world.course_learner.pk] == "course-learner"


def test_learner_who_also_joined_a_course_is_org_learner(client, org_world):
    make_member(org_world.learner, org_world.both)
    assert by_id(get(client, org_world))[org_world.learner.pk]["role"] == "org-learner"


def test_counts_are_per_org(client, org_world):
    entries = by_id(get(client, org_world))
    # both (completed) and sales_only count for sales; support_only and acme_only do not.
    assert entries[org_world.course_learner.pk]["enrolledCount"] == 2
    assert entries[org_world.course_learner.pk]["completedCount"] == 1
    assert entries[org_world.admin_joined.pk]["enrolledCount"] == 1
    assert entries[org_world.admin_joined.pk]["completedCount"] == 1
    # An invitation is not an enrollment.
    assert entries[org_world.learner.pk]["enrolledCount"] == 0
    support = by_id(get(client, org_world, org_world.support))
    assert support[org_world.course_learner.pk]["enrolledCount"] == 2  # both + support_only
    assert support[org_world.course_learner.pk]["completedCount"] == 2


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ({"full_name": "Full", "fn": "Fn", "first_name": "First", "last_name": "Last"}, "Full"),
        ({"full_name": "  ", "fn": "Fn", "first_name": "First", "last_name": "Last"}, "Fn"),
        ({"fn": "", "first_name": "First", "last_name": "Last"}, "First Last"),
        ({"first_name": "First", "last_name": " "}, "First"),
        ({"last_name": "Last"}, "Last"),
        ({}, "Unknown"),
    ],
)
def test_display_name_branches(client, org_world, names, expected):
    user = make_user(**names)
    make_role(user, org_world.sales, OrgRole.LEARNER)
    assert by_id(get(client, org_world))[user.pk]["displayName"] == expected


def test_anonymous_users_are_left_out_by_default(client, org_world):
    assert org_world.anonymous.pk not in ids(get(client, org_world))
    for value in ("true", "TRUE", "True"):
        assert org_world.anonymous.pk in ids(get(client, org_world, includeAnonymousUsers=value))
    assert org_world.anonymous.pk not in ids(get(client, org_world, includeAnonymousUsers="FaLsE"))
    entry = by_id(get(client, org_world, includeAnonymousUsers="true"))[org_world.anonymous.pk]
    assert entry["displayName"] == "Unknown" and entry["role"] == "org-learner"


@pytest.mark.parametrize(
    "fields",
    [{"email": "a@example.org"}, {"username": "a"}, {"first_name": "A"}, {"last_name": "A"},
     {"fn": "A"}, {"full_name": "A"}],
)  # fmt: skip
def test_one_identifying_field_makes_a_user_not_anonymous(client, org_world, fields):
    user = make_user(**{"username": None, "email": None, **fields})
    make_role(user, org_world.sales, OrgRole.LEARNER)
    assert user.pk in ids(get(client, org_world))


def test_include_anonymous_users_rejects_other_values(client, org_world):
    assert error(get(client, org_world, includeAnonymousUsers="yes")) == (
        400,
        "Invalid includeAnonymousUsers: 'yes'",
    )


def test_role_filter(client, org_world):
    assert set(ids(get(client, org_world, role="admin"))) == {
        org_world.sales_admin.pk,
        org_world.admin_joined.pk,
    }
    assert set(ids(get(client, org_world, role=" instructor , ,course-learner,"))) == {
        org_world.instructor.pk,
        org_world.course_learner.pk,
    }
    assert ids(get(client, org_world, role="org-learner")) == [org_world.learner.pk]
    assert len(ids(get(client, org_world, role=" , "))) == 5  # nothing but blanks: no filter


def test_role_filter_names_the_first_bad_item(client, org_world):
    assert error(get(client, org_world, role="admin, learner ,boss")) == (
        400,
        "Invalid role: 'learner'",
    )


def test_role_filter_takes_at_most_the_list_limit(client, org_world):
    roles = ["admin", "instructor"] * MAX_LIST_ITEMS
    assert len(ids(get(client, org_world, role=",".join(roles[:MAX_LIST_ITEMS])))) == 3
    assert error(get(client, org_world, role=",".join(roles[: MAX_LIST_ITEMS + 1]))) == (
        400,
        f"Invalid role: 'admin' (at most {MAX_LIST_ITEMS} items)",
    )


def test_filter_matches_every_term_in_one_field_ignoring_case_and_accents(client, org_world):
    assert ids(get(client, org_world, filter="EMILE")) == [org_world.admin_joined.pk]
    assert ids(get(client, org_world, filter="léo")) == [org_world.learner.pk]
    assert ids(get(client, org_world, filter="carl@example")) == [org_world.course_learner.pk]
    assert ids(get(client, org_world, filter="ivy instr")) == [
        org_world.instructor.pk
    ]  # two fields
    assert ids(get(client, org_world, filter="sales-admin")) == [
        org_world.sales_admin.pk
    ]  # username
    assert ids(get(client, org_world, filter="ivy zzz")) == []
    assert len(ids(get(client, org_world, filter="   "))) == 5


def test_filter_term_never_spans_two_fields(client, org_world):
    # first_name "Ivy" + last_name "Instructor": "yins" would only match across the boundary.
    assert ids(get(client, org_world, filter="yins")) == []


def test_filter_with_like_wildcards_is_literal(client, org_world):
    assert ids(get(client, org_world, filter="%")) == []
    assert ids(get(client, org_world, filter="_")) == []


def test_default_order_is_normalized_display_name_then_id(client, org_world):
    twin = make_user(full_name="emile admin")
    make_role(twin, org_world.sales, OrgRole.LEARNER)
    # Carl, emile admin/Émile Admin (equal keys: by id), Ivy Instructor, Léo Learner, Sam Sales
    assert ids(get(client, org_world)) == [
        org_world.course_learner.pk,
        org_world.admin_joined.pk,
        twin.pk,
        org_world.instructor.pk,
        org_world.learner.pk,
        org_world.sales_admin.pk,
    ]


def test_sort_by_full_name_descending_keeps_ties_by_id_ascending(client, org_world):
    twin = make_user(full_name="EMILE ADMIN")
    make_role(twin, org_world.sales, OrgRole.LEARNER)
    assert ids(get(client, org_world, sort="fullName", order="descending")) == [
        org_world.sales_admin.pk,
        org_world.learner.pk,
        org_world.instructor.pk,
        org_world.admin_joined.pk,
        twin.pk,
        org_world.course_learner.pk,
    ]


def test_sort_by_last_seen_puts_never_seen_last_in_both_orders(client, org_world):
    assert ids(get(client, org_world, sort="lastSeen", order="ascending")) == [
        org_world.course_learner.pk,  # 5 days ago
        org_world.instructor.pk,  # 3
        org_world.learner.pk,  # 2
        org_world.sales_admin.pk,  # 1
        org_world.admin_joined.pk,  # never
    ]
    assert ids(get(client, org_world, sort="lastSeen", order="descending")) == [
        org_world.sales_admin.pk,
        org_world.learner.pk,
        org_world.instructor.pk,
        org_world.course_learner.pk,
        org_world.admin_joined.pk,
    ]


def test_sort_by_role_uses_rank_then_id(client, org_world):
    admins = sorted([org_world.sales_admin.pk, org_world.admin_joined.pk])
    assert ids(get(client, org_world, sort="role", order="ascending")) == [
        *admins,
        org_world.instructor.pk,
        org_world.learner.pk,
        org_world.course_learner.pk,
    ]
    assert ids(get(client, org_world, sort="role", order="descending")) == [
        org_world.course_learner.pk,
        org_world.learner.pk,
        org_world.instructor.pk,
        *admins,
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "fullName"}, "Both sort and order are mandatory if one of them is supplied"),
        ({"order": "ascending"}, "Both sort and order are mandatory if one of them is supplied"),
        ({"sort": "name", "order": "ascending"}, "Bad sort criterion - name"),
        ({"sort": "fullName", "order": "up"}, "Bad sort order - up"),
        ({"sort": "fullname", "order": "down"}, "Bad sort criterion - fullname"),
        ({"sort": "lastSeen", "order": "Ascending"}, "Bad sort order - Ascending"),
    ],
)
def test_sort_and_order_messages(client, org_world, params, message):
    assert error(get(client, org_world, **params)) == (400, message)


def test_since_is_inclusive_and_until_exclusive_and_never_seen_are_left_out(client, org_world):
    three_days = int(ago(days=3).timestamp())
    assert set(ids(get(client, org_world, since=three_days))) == {
        org_world.instructor.pk,  # exactly at since
        org_world.learner.pk,
        org_world.sales_admin.pk,
    }
    assert set(ids(get(client, org_world, until=three_days))) == {org_world.course_learner.pk}
    assert ids(get(client, org_world, since=three_days, until=int(ago(days=1).timestamp()))) == [
        org_world.instructor.pk,
        org_world.learner.pk,
    ]
    # Never-seen users are out as soon as either bound is given, however wide.
    assert org_world.admin_joined.pk not in ids(get(client, org_world, since=0))
    assert org_world.admin_joined.pk not in ids(
        get(client, org_world, until=int(NOW.timestamp()) + 10**6)
    )


@pytest.mark.parametrize("name", ["since", "until"])
@pytest.mark.parametrize("value", ["abc", "1.5", "1e9", "99999999999999999999", "--1"])
def test_since_and_until_reject_non_integers_and_values_out_of_range(
    client, org_world, name, value
):
    assert error(get(client, org_world, **{name: value})) == (400, f"Invalid {name}: '{value}'")


def test_negative_unix_time_is_accepted(client, org_world):
    assert len(ids(get(client, org_world, since=-86400))) == 4


def test_query_parameters_are_checked_in_the_documented_order(client, org_world):
    bad = {
        "includeAnonymousUsers": "maybe",
        "role": "boss",
        "sort": "x",
        "order": "y",
        "since": "s",
        "until": "u",
        "page": "p",
        "perPage": "0",
    }
    fixes = [
        ("includeAnonymousUsers", "true", "Invalid includeAnonymousUsers: 'maybe'"),
        ("role", "admin", "Invalid role: 'boss'"),
        ("sort", "role", "Bad sort criterion - x"),
        ("order", "ascending", "Bad sort order - y"),
        ("since", "0", "Invalid since: 's'"),
        ("until", "1", "Invalid until: 'u'"),
        ("page", "1", "Param number expected"),
        ("perPage", "5", "Invalid perPage: '0' (expected 1 to 100)"),
    ]
    for name, good, message in fixes:
        assert error(get(client, org_world, **bad)) == (400, message)
        bad[name] = good
    assert get(client, org_world, **bad).status_code == 200
    # A lone sort is reported before its value is looked at.
    assert error(get(client, org_world, sort="x", since="s")) == (
        400,
        "Both sort and order are mandatory if one of them is supplied",
    )


def test_pagination_header_and_pages(client, org_world):
    response = get(client, org_world, perPage=2)
    assert response["X-Pagination"] == '{"count": 5, "page": 1, "pageCount": 3, "perPage": 2}'
    everyone = ids(get(client, org_world))
    pages = [ids(get(client, org_world, perPage=2, page=page)) for page in (1, 2, 3)]
    assert pages == [everyone[0:2], everyone[2:4], everyone[4:5]]
    assert pagination(get(client, org_world, page=3, perPage=2)) == {
        "count": 5,
        "page": 3,
        "pageCount": 3,
        "perPage": 2,
    }


def test_defaults_are_page_1_of_20(client, org_world):
    assert pagination(get(client, org_world)) == {
        "count": 5,
        "page": 1,
        "pageCount": 1,
        "perPage": 20,
    }


def test_page_past_the_end_is_an_empty_array(client, org_world):
    for page in ("4", str(10**30)):
        response = get(client, org_world, perPage=2, page=page)
        assert response.status_code == 200 and response.json() == []
        assert pagination(response) == {
            "count": 5,
            "page": int(page),
            "pageCount": 3,
            "perPage": 2,
        }


def test_empty_result(client, org_world):
    response = get(client, org_world, filter="nobody-at-all")
    assert response.json() == []
    assert pagination(response) == {"count": 0, "page": 1, "pageCount": 0, "perPage": 20}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "x"}, "Param number expected"),
        ({"page": "1.0"}, "Param number expected"),
        ({"perPage": "ten"}, "Param number expected"),
        ({"page": "0"}, "Invalid page: '0' (expected 1 or more)"),
        ({"page": "-3"}, "Invalid page: '-3' (expected 1 or more)"),
        ({"perPage": "0"}, "Invalid perPage: '0' (expected 1 to 100)"),
        ({"perPage": "500"}, "Invalid perPage: '500' (expected 1 to 100)"),
    ],
)
def test_page_and_per_page_messages(client, org_world, params, message):
    assert error(get(client, org_world, **params)) == (400, message)


def test_per_page_bounds_are_accepted(client, org_world):
    assert pagination(get(client, org_world, perPage=1))["pageCount"] == 5
    assert pagination(get(client, org_world, perPage=100))["pageCount"] == 1


def test_blank_parameters_count_as_absent(client, org_world):
    blank = ("includeAnonymousUsers", "role", "filter", "sort", "order", "since", "until")
    response = get(client, org_world, page="", perPage="", **dict.fromkeys(blank, ""))
    assert ids(response) == ids(get(client, org_world))


def test_unknown_org_and_bad_org_ids(client, org_world):
    for org_id in ("999999", "abc", "-1", "1.0", "99999999999999999999999"):
        assert error(call(client, members_url(org_id), org_world.partner_key)) == (
            400,
            f"Invalid org ID specified : '{org_id}'",
        )


def test_alias_answers_the_same(client, org_world):
    params = {"sort": "role", "order": "descending", "perPage": 3}
    vfo = call(client, members_url(org_world.sales), org_world.partner_key, **params)
    alias = call(
        client, members_url(org_world.sales, prefix="orgs"), org_world.partner_key, **params
    )
    assert alias.json() == vfo.json() and alias["X-Pagination"] == vfo["X-Pagination"]


@pytest.mark.parametrize("per_page", [1, 100])
def test_query_count_does_not_grow_with_page_size_or_org_size(
    client, org_world, django_assert_max_num_queries, per_page
):
    big = make_org("Big", parent=org_world.acme)
    course = make_course("Big course", container=org_world.acme, shared_with=[big])
    for n in range(60):
        user = make_user(last_seen=ago(minutes=n))
        make_role(user, big, [OrgRole.ADMIN, OrgRole.INSTRUCTOR, OrgRole.LEARNER][n % 3])
        make_member(user, course, finish_date=NOW if n % 2 else None)
    key = org_world.keys["acme_admin"]  # a token of an admin: credential, org + rights, count, page
    for params, matching in (
        ({}, 60),
        ({"sort": "role", "order": "ascending", "role": "admin,instructor"}, 40),
        ({"sort": "lastSeen", "order": "descending", "since": "0"}, 60),
    ):
        with django_assert_max_num_queries(4):
            response = call(
                client, members_url(big), key, perPage=per_page, filter="user", **params
            )
        assert len(ids(response)) == min(per_page, matching)
