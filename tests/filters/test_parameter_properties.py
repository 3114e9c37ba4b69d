"""Hypothesis properties of every query-parameter parser: any input gives a value or a clear
validation message, never an exception of another kind; valid inputs parse to what they say."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django import forms
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.filters.courses import (
    JOIN_STATUSES,
    ORDERINGS,
    CourseMemberFilterSet,
    JoinStatusesField,
    OffsetWindowForm,
    OrderingField,
)
from dashboards.filters.orgs import (
    MAX_PER_PAGE,
    ORDERS,
    SORTS,
    FlagField,
    ItemListField,
    MemberCourseFilterSet,
    OrgMemberFilterSet,
    PageNumberField,
    UnixTimeField,
)
from dashboards.filters.params import MAX_LIST_ITEMS
from dashboards.models import CourseMember, User
from dashboards.models.roles import COURSE_STATUSES, ROLES

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# What a query string can carry once Django has decoded it: any text (surrogates cannot
# occur), with the nasty cases made likely.
hostile_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\ufffd",
            "1e3",
            "5.0",
            "0x10",
            "-0",
            "+1",
            "١٢",
            "yes",
            " TRUE ",
            "False",
        ]
    ),
    st.integers().map(str),
    st.integers(min_value=10**18, max_value=10**400).map(str),
    st.integers(min_value=10**18, max_value=10**400).map(lambda n: f"-{n}"),
)


REFUSED = "refused"  # what outcome() gives for a value the field refuses
BLANK = "blank"
# A strict integer: ASCII digits with an optional sign ("1e3", "5.0" and "١٢" are not).
INTEGER = re.compile(r"[+-]?[0-9]+")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIRST_SECOND, LAST_SECOND = -62135596800, 253402300799  # 0001-01-01 to 9999-12-31 23:59:59


def integer(value):
    """What an integer parameter spells, blanks around it ignored: BLANK, an int, or REFUSED."""
    text = value.strip()
    if not text:
        return BLANK
    return int(text) if INTEGER.fullmatch(text) else REFUSED


def outcome(field, value):
    """field.clean(value), or REFUSED after a ValidationError with messages."""
    try:
        return field.clean(value)
    except forms.ValidationError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)
        return REFUSED


def list_is_valid(value, choices, *, json_arrays=False):
    """A list parameter as the contracts spell it: comma-separated items, blanks around and
    between commas ignored, every item one of choices (course-users-api.md adds a JSON array)."""
    text = value.strip()
    if json_arrays and text.startswith("["):
        try:
            items = json.loads(text)
        except ValueError:
            items = None
        if isinstance(items, list):
            items = [item.strip() if isinstance(item, str) else item for item in items]
            return all(item in choices for item in items if item != "")
    return all(item.strip() in choices for item in text.split(",") if item.strip())


def free_text_errors(params, names):
    """Free-text parameters are never an error (the contracts): a NUL in one matches nothing,
    decided before any query (docs/api-course.md, docs/api-org.md)."""
    return set()


@PROPERTY_SETTINGS
@given(st.lists(hostile_text, max_size=4))
def test_join_statuses_any_input(values):
    result = outcome(JoinStatusesField(required=False), values)
    if result != REFUSED:
        assert result and set(result) <= set(JOIN_STATUSES)


@PROPERTY_SETTINGS
@given(
    st.lists(st.sampled_from(JOIN_STATUSES), min_size=1, max_size=MAX_LIST_ITEMS),
    st.integers(0, 2),
)
def test_join_statuses_in_their_three_forms(statuses, form):
    raw = {
        0: statuses,  # repeated
        1: [",".join(statuses)],  # comma-separated
        2: [json.dumps(statuses)],  # a JSON array
    }[form]
    assert JoinStatusesField(required=False).clean(raw) == list(dict.fromkeys(statuses))


@PROPERTY_SETTINGS
@given(st.lists(hostile_text, max_size=4))
def test_ordering_any_input(values):
    result = outcome(OrderingField(required=False), values)
    if result != REFUSED:
        assert result and set(result) <= set(ORDERINGS)
        assert len({key.lstrip("-") for key in result}) == len(result)


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(ORDERINGS), min_size=1, max_size=MAX_LIST_ITEMS))
def test_ordering_keeps_the_first_key_per_field(keys):
    result = OrderingField(required=False).clean([",".join(keys)])
    assert result[0] == keys[0]


@PROPERTY_SETTINGS
@given(limit=hostile_text, offset=hostile_text)
def test_limit_and_offset_any_input(limit, offset):
    form = OffsetWindowForm(QueryDict(mutable=True) | {"limit": limit, "offset": offset})
    limit_number, offset_number = integer(limit), integer(offset)
    expected = {
        "limit": 20 if limit_number == BLANK else limit_number,
        "offset": 0 if offset_number == BLANK else offset_number,
    }
    bad = {
        name
        for name, number in expected.items()
        if number == REFUSED or number < (1 if name == "limit" else 0)
    }
    assert set(form.errors) == bad
    assert form.is_valid() == (not bad)
    if form.is_valid():
        assert 1 <= form.cleaned_data["limit"] <= 100
        assert form.cleaned_data["offset"] >= 0
        assert form.cleaned_data == {
            "limit": min(expected["limit"], 100),
            "offset": expected["offset"],
        }


@PROPERTY_SETTINGS
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_limit_is_capped_and_offset_is_exact(number):
    form = OffsetWindowForm({"limit": str(number), "offset": str(number)})
    # Past the end is an empty page and a limit above 100 is 100 (course-users-api.md).
    assert form.is_valid() == (number >= 1)
    if form.is_valid():
        assert form.cleaned_data["limit"] == min(number, 100)
        assert form.cleaned_data["offset"] == number


@PROPERTY_SETTINGS
@given(st.lists(hostile_text, max_size=4), st.sampled_from(["role", "status"]))
def test_role_and_status_lists_any_input(values, param):
    choices = ROLES if param == "role" else COURSE_STATUSES
    result = outcome(ItemListField(param=param, choices=choices), values)
    if result != REFUSED:
        assert set(result) <= set(choices)


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(ROLES), max_size=MAX_LIST_ITEMS), st.booleans())
def test_roles_comma_separated_or_repeated(roles, repeated):
    field = ItemListField(param="role", choices=ROLES)
    raw = roles if repeated else [" , ".join(roles)]
    assert field.clean(raw) == list(dict.fromkeys(roles))


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(ROLES), min_size=MAX_LIST_ITEMS + 1), st.booleans())
def test_more_roles_than_the_list_limit_are_refused(roles, repeated):
    field = ItemListField(param="role", choices=ROLES)
    raw = roles if repeated else [",".join(roles)]
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(raw)
    assert refused.value.messages == [
        f"Invalid role: '{roles[MAX_LIST_ITEMS]}' (at most {MAX_LIST_ITEMS} items)"
    ]


@PROPERTY_SETTINGS
@given(hostile_text)
def test_flag_any_input(value):
    result = outcome(FlagField(param="includeAnonymousUsers"), value)
    text = value.strip().lower()
    if not text:
        assert result is False  # absent means false
    elif text in ("true", "false"):
        assert result is (text == "true")
    else:
        assert result == REFUSED


@PROPERTY_SETTINGS
@given(hostile_text, st.sampled_from(["since", "until"]))
def test_unix_times_any_input(value, param):
    result = outcome(UnixTimeField(param=param), value)
    seconds = integer(value)
    if seconds == BLANK:
        assert result is None  # absent: no bound
    elif seconds == REFUSED or not FIRST_SECOND <= seconds <= LAST_SECOND:
        assert result == REFUSED
    else:
        assert result.tzinfo is not None and result == EPOCH + timedelta(seconds=seconds)


@PROPERTY_SETTINGS
@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_unix_times_from_far_past_to_far_future(seconds):
    field = UnixTimeField(param="since")
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    in_range = -62135596800 <= seconds <= 253402300799
    result = outcome(field, str(seconds))
    if in_range:
        assert result != REFUSED and int((result - epoch).total_seconds()) == seconds
    else:
        assert result == REFUSED


@PROPERTY_SETTINGS
@given(hostile_text, st.sampled_from(["page", "perPage"]))
def test_page_and_per_page_any_input(value, param):
    field = (
        PageNumberField(param="page", minimum=1, default=1)
        if param == "page"
        else PageNumberField(param="perPage", minimum=1, maximum=MAX_PER_PAGE, default=20)
    )
    result = outcome(field, value)
    if result != REFUSED:
        assert result >= 1 and (param == "page" or result <= MAX_PER_PAGE)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(
            ["includeAnonymousUsers", "role", "filter", "sort", "order", "since", "until"]
            + ["page", "perPage", "other"]
        ),
        st.one_of(hostile_text, st.sampled_from([*SORTS, *ORDERS, *ROLES])),
    )
)
def test_org_member_parameters_any_input(params):
    query = QueryDict(mutable=True)
    query.update(params)
    filterset = OrgMemberFilterSet(query, queryset=User.objects.none())
    if filterset.is_valid():
        assert (filterset.sort is None) == (filterset.order is None)
        assert filterset.sort in (None, *SORTS) and filterset.order in (None, *ORDERS)
    else:
        message = filterset.first_error()
        assert isinstance(message, str) and message


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["title", "status", "page", "perPage"]),
        st.one_of(hostile_text, st.sampled_from(COURSE_STATUSES)),
    )
)
def test_member_course_parameters_any_input(params):
    query = QueryDict(mutable=True)
    query.update(params)
    filterset = MemberCourseFilterSet(query, queryset=CourseMember.objects.none())
    bad = free_text_errors(params, ["title"])
    if not list_is_valid(params.get("status", ""), COURSE_STATUSES):
        bad.add("status")
    for name, most in (("page", None), ("perPage", MAX_PER_PAGE)):
        number = integer(params.get(name, ""))
        if number != BLANK and (number == REFUSED or number < 1 or (most and number > most)):
            bad.add(name)
    assert filterset.is_valid() == (not bad)
    assert set(filterset.form.errors) == bad
    if bad:
        first = next(name for name in MemberCourseFilterSet.PARAMETERS if name in bad)
        assert filterset.first_error() == filterset.form.errors[first][0]


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["search", "statuses", "ordering", "limit", "offset"]),
        st.one_of(hostile_text, st.sampled_from([*JOIN_STATUSES, *ORDERINGS])),
    )
)
def test_course_roster_parameters_any_input(params):
    query = QueryDict(mutable=True)
    query.update(params)
    filterset = CourseMemberFilterSet(query, queryset=CourseMember.objects.none())
    bad = free_text_errors(params, ["search"])
    for name, choices in (("statuses", JOIN_STATUSES), ("ordering", ORDERINGS)):
        # ordering takes a JSON array too: undocumented leniency (only statuses is documented).
        if not list_is_valid(params.get(name, ""), choices, json_arrays=True):
            bad.add(name)
    for name, least in (("limit", 1), ("offset", 0)):
        number = integer(params.get(name, ""))
        if number != BLANK and (number == REFUSED or number < least):
            bad.add(name)
    assert filterset.is_valid() == (not bad)
    errors = filterset.error_lists()
    assert set(errors) == bad
    assert all(
        messages and all(isinstance(m, str) and m for m in messages) for messages in errors.values()
    )
