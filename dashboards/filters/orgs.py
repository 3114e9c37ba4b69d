"""The org dashboard's query parameters, bound by the org pages and the /vfo API alike.

Each FilterSet validates every parameter of its listing with the exact messages of
org-dashboard-api.md; `first_error()` is the one message the API answers with (parameters
are checked in the order of PARAMETERS). A blank value counts as an absent parameter.
"""

import re
from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from dashboards.models import User
from dashboards.selectors.orgs import COURSE_STATUSES, ROLES
from dashboards.text import normalize, search_terms

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
PAGE_SIZES = [20, 50, 100]

# Columns of the listing's roster rows (selectors.orgs): the copies of the user's keys, the rank.
SORTS = {"fullName": "name_key", "lastSeen": "last_seen", "role": "rank"}
ORDERS = ["ascending", "descending"]
BOTH_SORT_AND_ORDER = "Both sort and order are mandatory if one of them is supplied"
PARAM_NUMBER_EXPECTED = "Param number expected"

_INTEGER = re.compile(r"[+-]?[0-9]+")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _text(value):
    """A single parameter's value stripped, or None when blank or absent."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


class ListWidget(forms.Widget):
    """Read every value of a repeated query parameter (role=a&role=b as well as role=a,b)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


class ParameterField(forms.Field):
    """A query parameter named `param` (for its messages): never required, blank means absent."""

    def __init__(self, *, param, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.param = param

    def to_python(self, value):
        return _text(value)


class ItemListField(ParameterField):
    """A comma-separated (or repeated) list of names; blanks around commas and empty items are
    ignored; the first unknown item is named in `Invalid <param>: '<item>'`."""

    widget = ListWidget

    def __init__(self, *, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def to_python(self, value):
        values = [value] if isinstance(value, str) else (value or [])
        items = [item.strip() for raw in values for item in str(raw).split(",")]
        items = [item for item in items if item]
        for item in items:
            if item not in self.choices:
                raise forms.ValidationError(f"Invalid {self.param}: '{item}'")
        return list(dict.fromkeys(items))


class FlagField(ParameterField):
    """`true` or `false` in any case; absent means false."""

    def to_python(self, value):
        text = _text(value)
        if text is None:
            return False
        if text.lower() not in ("true", "false"):
            raise forms.ValidationError(f"Invalid {self.param}: '{value}'")
        return text.lower() == "true"


class UnixTimeField(ParameterField):
    """Unix seconds (an integer) as an aware datetime; out of the datetime range is invalid."""

    def to_python(self, value):
        text = _text(value)
        if text is None:
            return None
        # Past 20 digits no value is in datetime's range; int() of a huge string is slow.
        if _INTEGER.fullmatch(text) and len(text.lstrip("+-0")) <= 20:
            try:
                return _EPOCH + timedelta(seconds=int(text))
            except OverflowError:
                pass
        raise forms.ValidationError(f"Invalid {self.param}: '{value}'")


class PageNumberField(ParameterField):
    """A strict integer within [minimum, maximum] ("2.0" and "1e3" are not integers)."""

    def __init__(self, *, minimum, maximum=None, default, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.default = minimum, maximum, default

    def to_python(self, value):
        text = _text(value)
        if text is None:
            return self.default
        if not _INTEGER.fullmatch(text):
            raise forms.ValidationError(PARAM_NUMBER_EXPECTED)
        number = int(text)
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            expected = (
                f"{self.minimum} or more"
                if self.maximum is None
                else f"{self.minimum} to {self.maximum}"
            )
            raise forms.ValidationError(f"Invalid {self.param}: '{text}' (expected {expected})")
        return number


def page_form_fields():
    return {
        "page": PageNumberField(param="page", minimum=1, default=1),
        "perPage": PageNumberField(
            param="perPage", minimum=1, maximum=MAX_PER_PAGE, default=DEFAULT_PER_PAGE
        ),
    }


class MemberListForm(forms.Form):
    """The parameters that are not filters: sort and order (checked together) and the page."""

    sort = ParameterField(param="sort")
    order = ParameterField(param="order")
    page = page_form_fields()["page"]
    perPage = page_form_fields()["perPage"]  # noqa: N815 (the API's parameter name)

    def clean(self):
        cleaned = super().clean()
        sort, order = cleaned.get("sort"), cleaned.get("order")
        if (sort is None) != (order is None):
            self.add_error("sort", BOTH_SORT_AND_ORDER)
        elif sort is not None:
            if sort not in SORTS:
                self.add_error("sort", f"Bad sort criterion - {self.data.get('sort')}")
            if order not in ORDERS:
                self.add_error("order", f"Bad sort order - {self.data.get('order')}")
        return cleaned


class ParameterFilter(django_filters.Filter):
    """A filter whose form field reports errors under the API's parameter name."""

    def __init__(self, *args, param=None, **kwargs):
        if param is not None:
            kwargs["param"] = param
        super().__init__(*args, **kwargs)


class RoleFilter(ParameterFilter):
    field_class = ItemListField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(rank__in=[ROLES.index(role) for role in value])


class AnonymousUsersFilter(ParameterFilter):
    field_class = FlagField

    def filter(self, qs, value):
        if value:
            return qs
        return qs.filter(anonymous=False)


class LastSeenFilter(ParameterFilter):
    """since (lastSeen ≥ since) or until (lastSeen < until); a NULL lastSeen never matches."""

    field_class = UnixTimeField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"last_seen__{self.lookup_expr}": value})


class ParameterFilterSet(django_filters.FilterSet):
    """Filters applied in declaration order, then the order; errors reported per parameter."""

    PARAMETERS = []

    def filter_queryset(self, queryset):
        for name, filter_ in self.filters.items():
            queryset = filter_.filter(queryset, self.form.cleaned_data.get(name))
        return self.order_queryset(queryset)

    def order_queryset(self, queryset):
        return queryset

    def count(self):
        """The number of matching rows (of a valid filterset)."""
        return self.qs.count()

    def page_rows(self, offset, limit):
        """The rows from offset to offset + limit: their keys found with the filters and the
        order, then the rows read by key (a "deferred join": a deep page skips its offset
        within the indexes, and the filters are not evaluated twice)."""
        keys = self.qs.values("pk")[offset : offset + limit]
        return self.order_queryset(self.queryset.filter(pk__in=keys))

    def first_error(self):
        """The message of the first invalid parameter, in the order of PARAMETERS."""
        errors = self.form.errors
        for name in self.PARAMETERS:
            if name in errors:
                return errors[name][0]
        return next(iter(errors.values()))[0] if errors else None

    @property
    def page(self):
        return self.form.cleaned_data["page"]

    @property
    def per_page(self):
        return self.form.cleaned_data["perPage"]


# More terms than this make no search of a person's names; hundreds of them would pass
# SQLite's expression depth limit (1,000).
MAX_FILTER_TERMS = 32


def narrowing_terms(terms):
    """The terms a filter applies: each once, none that lies within another term (it cannot
    narrow the match), and the first MAX_FILTER_TERMS of those."""
    unique = list(dict.fromkeys(terms))
    kept = [term for term in unique if not any(term != o and term in o for o in unique)]
    return kept[:MAX_FILTER_TERMS]


class OrgMemberFilterSet(ParameterFilterSet):
    """Filter and order the members of an org or a portal (org_members / portal_members)."""

    PARAMETERS = [
        "includeAnonymousUsers",
        "role",
        "filter",
        "sort",
        "order",
        "since",
        "until",
        "page",
        "perPage",
    ]

    includeAnonymousUsers = AnonymousUsersFilter(param="includeAnonymousUsers")  # noqa: N815
    role = RoleFilter(param="role", choices=ROLES)
    filter = django_filters.CharFilter(method="filter_terms")
    since = LastSeenFilter(param="since", lookup_expr="gte")
    until = LastSeenFilter(param="until", lookup_expr="lt")

    # The parameters whose filters a tally (selectors.orgs.member_tally) answers as well.
    TALLIED = ["includeAnonymousUsers", "role"]

    class Meta:
        form = MemberListForm

    def __init__(self, data=None, queryset=None, *, tally=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.tally = tally

    def count(self):
        """The number of matching members: summed from the tally when no other parameter
        filters (a handful of rows instead of every member), else counted."""
        cleaned = self.form.cleaned_data
        untallied = search_terms(cleaned.get("filter") or "") or any(
            cleaned.get(name) is not None for name in ("since", "until")
        )
        if self.tally is None or untallied:
            return super().count()
        tally = self.tally
        for name in self.TALLIED:
            tally = self.filters[name].filter(tally, cleaned.get(name))
        return tally.aggregate(members=Coalesce(Sum("members"), 0))["members"]

    def filter_terms(self, queryset, name, value):
        # search_key holds the normalized name fields, username and email joined by "\n",
        # and a term has no whitespace: a term found in it lies within ONE of them.
        terms = narrowing_terms(search_terms(value))
        if not terms:
            return queryset
        matching = User.objects.all()
        for term in terms:
            matching = matching.filter(search_key__contains=term)
        # IN (the matching users), not a join: both engines find the matching users in one
        # pass over the users (PostgreSQL: its trigram index) and probe the roster's range.
        return queryset.filter(user__in=matching)

    def order_queryset(self, queryset):
        sort = self.form.cleaned_data.get("sort")
        descending = self.form.cleaned_data.get("order") == "descending"
        column = F(SORTS.get(sort, SORTS["fullName"]))
        order = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
        return queryset.order_by(order, "user_id")

    @property
    def sort(self):
        return self.form.cleaned_data.get("sort")

    @property
    def order(self):
        return self.form.cleaned_data.get("order")


class MemberCourseListForm(forms.Form):
    page = page_form_fields()["page"]
    perPage = page_form_fields()["perPage"]  # noqa: N815 (the API's parameter name)


class StatusFilter(ParameterFilter):
    field_class = ItemListField

    def filter(self, qs, value):
        return qs.filter(status__in=value) if value else qs


class MemberCourseFilterSet(ParameterFilterSet):
    """Filter a member's courses in an org (member_courses): title and status."""

    PARAMETERS = ["title", "status", "page", "perPage"]

    title = django_filters.CharFilter(method="filter_title")
    status = StatusFilter(param="status", choices=COURSE_STATUSES)

    class Meta:
        form = MemberCourseListForm

    def filter_title(self, queryset, name, value):
        key = normalize(value.strip())
        return queryset.filter(course__title_key__contains=key) if key else queryset

    def order_queryset(self, queryset):
        return queryset.order_by(F("started_at").asc(nulls_last=True), "course_id")


# The member pages pick last-seen bounds as calendar days (UTC, both inclusive); the URL keeps
# the API's since/until, so these names only ever appear in a form submission.
LAST_SEEN_DATES = {"lastSeenFrom": "since", "lastSeenTo": "until"}


def dates_as_unix_bounds(query):
    """The query with lastSeenFrom/lastSeenTo (YYYY-MM-DD) replaced by since/until; an
    unreadable date is passed on as is, to be reported as a bad since/until."""
    query = query.copy()
    for date_name, param in LAST_SEEN_DATES.items():
        if date_name not in query:
            continue
        raw = query.pop(date_name)[-1].strip()
        query.pop(param, None)
        if not raw:
            continue
        try:
            day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            query[param] = raw
            continue
        seconds = int((day - _EPOCH).total_seconds())
        if param == "until":
            # The next day's start; 9999-12-31 has no next day, so its last second.
            seconds = min(seconds + 86400, _LAST_SECOND)
        query[param] = str(seconds)
    return query


def unix_bounds_as_dates(cleaned_data):
    """The dates to show in the page's from/to inputs for validated since/until."""
    since, until = cleaned_data.get("since"), cleaned_data.get("until")
    return {
        "lastSeenFrom": since.date().isoformat() if since else "",
        "lastSeenTo": _day_before(until).isoformat() if until else "",
    }


_FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)
_LAST_SECOND = int((datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC) - _EPOCH).total_seconds())


def _day_before(until):
    """The day of the last second before until (the first moment there is has none)."""
    return (until - timedelta(seconds=1)).date() if until > _FIRST_MOMENT else until.date()
