"""The course roster's query parameters, bound by the course page and the course users API alike.

One FilterSet validates every parameter of course-users-api.md (`search`, `statuses`,
`ordering`, `limit`, `offset`), so a bad value gives the same message on the page and in the
API's 400 body, keyed by parameter name.
"""

import json
import re

import django_filters
from django import forms
from django.db.models import F

from dashboards.models import CourseMember
from dashboards.text import search_terms

JOIN_STATUSES = [status for status, _ in CourseMember.JOIN_STATUSES]
DEFAULT_STATUSES = [CourseMember.MANAGER, CourseMember.JOINED]
ORDERINGS = ["joined_at", "-joined_at", "last_active_at", "-last_active_at"]
DEFAULT_ORDERING = ["-joined_at"]
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PAGE_SIZES = [20, 50, 100]

_INTEGER = re.compile(r"[+-]?[0-9]+")


class ListWidget(forms.Widget):
    """Read every value of a repeated query parameter."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


def split_list_param(values):
    """Flatten repeated, comma-separated and JSON-array forms into stripped, non-empty items."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    items = []
    for value in values:
        value = str(value).strip()
        if value.startswith("["):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                items.extend(str(item).strip() for item in parsed)
                continue
        items.extend(part.strip() for part in value.split(","))
    return [item for item in items if item]


class JoinStatusesField(forms.Field):
    """`statuses` in any of its three forms; absent or empty means manager + joined."""

    widget = ListWidget

    def to_python(self, value):
        statuses = list(dict.fromkeys(split_list_param(value)))
        bad = [status for status in statuses if status not in JOIN_STATUSES]
        if bad:
            raise forms.ValidationError(
                [
                    f"'{status}' is not a valid join status; expected one of "
                    f"{', '.join(JOIN_STATUSES)}."
                    for status in bad
                ]
            )
        return statuses or list(DEFAULT_STATUSES)


class OrderingField(forms.Field):
    """`ordering`: one or more keys, comma-separated or repeated; blank means -joined_at."""

    widget = ListWidget

    def to_python(self, value):
        keys = split_list_param(value)
        bad = [key for key in keys if key not in ORDERINGS]
        if bad:
            raise forms.ValidationError(
                [
                    f"'{key}' is not a valid ordering; expected one of {', '.join(ORDERINGS)}."
                    for key in bad
                ]
            )
        # A later key for a field already ordered on can never change the order.
        ordering = {}
        for key in keys:
            ordering.setdefault(key.lstrip("-"), key)
        return list(ordering.values()) or list(DEFAULT_ORDERING)


class WholeNumberField(forms.Field):
    """A strict integer ("5.0" and "1e3" are refused), with a floor and an optional cap."""

    def __init__(self, *, minimum, default, cap=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.minimum, self.default, self.cap = minimum, default, cap

    def to_python(self, value):
        if value is None or not str(value).strip():
            return self.default
        value = str(value).strip()
        if not _INTEGER.fullmatch(value):
            raise forms.ValidationError("A valid integer is required.")
        number = int(value)
        if number < self.minimum:
            raise forms.ValidationError(
                f"Ensure this value is greater than or equal to {self.minimum}."
            )
        return min(number, self.cap) if self.cap is not None else number


class RosterWindowForm(forms.Form):
    """The window onto the roster: `limit` rows from `offset` (the API's pagination)."""

    limit = WholeNumberField(minimum=1, default=DEFAULT_LIMIT, cap=MAX_LIMIT)
    offset = WholeNumberField(minimum=0, default=0)


class JoinStatusesFilter(django_filters.Filter):
    field_class = JoinStatusesField

    def filter(self, qs, value):
        return qs.filter(join_status__in=value)


class RosterOrderingFilter(django_filters.Filter):
    field_class = OrderingField

    def filter(self, qs, value):
        order = [
            F(key[1:]).desc(nulls_last=True) if key.startswith("-") else F(key).asc(nulls_last=True)
            for key in value
        ]
        return qs.order_by(*order, "user_id")


class CourseRosterFilterSet(django_filters.FilterSet):
    """Filter, order and window a course's members (a `course_members` queryset)."""

    search = django_filters.CharFilter(method="filter_search")
    statuses = JoinStatusesFilter()
    ordering = RosterOrderingFilter()

    class Meta:
        form = RosterWindowForm

    def filter_queryset(self, queryset):
        # limit and offset are validated by the form but window the rows later, not filter.
        for name, filter_ in self.filters.items():
            queryset = filter_.filter(queryset, self.form.cleaned_data.get(name))
        return queryset

    def filter_search(self, queryset, name, value):
        # Every term must be found in the normalized "username\nreal_name" of the user.
        for term in search_terms(value):
            queryset = queryset.filter(user__roster_search_key__contains=term)
        return queryset

    @property
    def limit(self):
        return self.form.cleaned_data["limit"]

    @property
    def offset(self):
        return self.form.cleaned_data["offset"]

    def error_lists(self):
        """The errors as a plain dict: parameter name → list of messages."""
        return {name: list(messages) for name, messages in self.form.errors.items()}
