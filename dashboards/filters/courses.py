"""The course members' query parameters, bound by the course page, its CSV and the course
users API alike.

One FilterSet validates every parameter of course-users-api.md (`search`, `statuses`,
`ordering`, `limit`, `offset`), so a bad value gives the same message on the page and in the
API's 400 body, keyed by parameter name.
"""

import django_filters
from django import forms
from django.utils.translation import gettext as _

from dashboards.filters.course_progress import (
    ProgressBoundsForm,
    ProgressFilters,
    order_expressions,
)
from dashboards.filters.params import (
    BracketListWidget,
    FreeTextFilter,
    ListParameterField,
    ParameterFilterSet,
    WholeNumberField,
    list_items,
)
from dashboards.models import CourseMember
from dashboards.text import search_terms

JOIN_STATUSES = [status for status, _ in CourseMember.JOIN_STATUSES]
DEFAULT_STATUSES = [CourseMember.MANAGER, CourseMember.JOINED]
# The contract's keys, then ours (docs/api-course.md): each with its descending form.
ORDER_KEYS = ["joined_at", "last_active_at", "real_name", "user_completion_rate", "join_status"]
ORDERINGS = [form for key in ORDER_KEYS for form in (key, f"-{key}")]
DEFAULT_ORDERING = ["-joined_at"]
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def split_list_param(values):
    """The course family's list forms: repeated, comma-separated and JSON arrays."""
    return list_items(values, json_arrays=True)


class CourseListField(ListParameterField):
    """The course family's list forms: repeated, `name[]`, comma-separated, JSON arrays."""

    widget = BracketListWidget
    json_arrays = True


class JoinStatusesField(CourseListField):
    """`statuses` in any of its forms, mixed; absent or empty means manager + joined."""

    def to_python(self, value):
        statuses = list(dict.fromkeys(self.items(value)))
        bad = [status for status in statuses if status not in JOIN_STATUSES]
        if bad:
            raise forms.ValidationError(
                [
                    _("'%(status)s' is not a valid join status; expected one of %(statuses)s.")
                    % {"status": status, "statuses": ", ".join(JOIN_STATUSES)}
                    for status in bad
                ]
            )
        return statuses or list(DEFAULT_STATUSES)


class OrderingField(CourseListField):
    """`ordering`: one or more keys, in any of the list forms; blank means -joined_at."""

    def to_python(self, value):
        keys = self.items(value)
        bad = [key for key in keys if key not in ORDERINGS]
        if bad:
            raise forms.ValidationError(
                [
                    _("'%(key)s' is not a valid ordering; expected one of %(keys)s.")
                    % {"key": key, "keys": ", ".join(ORDERINGS)}
                    for key in bad
                ]
            )
        # A later key for a field already ordered on can never change the order.
        ordering = {}
        for key in keys:
            ordering.setdefault(key.lstrip("-"), key)
        return list(ordering.values()) or list(DEFAULT_ORDERING)


class OffsetWindowForm(forms.Form):
    """The window onto a listing of the course family: `limit` rows from `offset`."""

    limit = WholeNumberField(minimum=1, default=DEFAULT_LIMIT, cap=MAX_LIMIT)
    offset = WholeNumberField(minimum=0, default=0)


class CourseMemberForm(ProgressBoundsForm, OffsetWindowForm):
    """The window, and the completion bounds checked together."""


class JoinStatusesFilter(django_filters.Filter):
    field_class = JoinStatusesField

    def filter(self, qs, value):
        return qs.filter(join_status__in=value)


class OrderingParameter(django_filters.Filter):
    """Validates `ordering`; the FilterSet's order_queryset applies it."""

    field_class = OrderingField

    def filter(self, qs, value):
        return qs


class CourseMemberFilterSet(ParameterFilterSet, ProgressFilters):
    """Filter and order a course's members (a `course_members` queryset)."""

    PARAMETERS = [
        "limit",
        "offset",
        "search",
        "statuses",
        "ordering",
        *ProgressFilters.PROGRESS_PARAMETERS,
    ]
    ORDER_PARAMETERS = ("ordering",)

    search = FreeTextFilter(method="filter_search")
    statuses = JoinStatusesFilter()
    ordering = OrderingParameter()

    class Meta:
        form = CourseMemberForm

    def filter_search(self, queryset, name, value):
        # Every term must be found in the normalized "username\nreal_name" of the user.
        for term in search_terms(value):
            queryset = queryset.filter(user__roster_search_key__contains=term)
        return queryset

    def order_queryset(self, queryset):
        order = [
            expression
            for key in self.form.cleaned_data.get("ordering") or DEFAULT_ORDERING
            for expression in order_expressions(key)
        ]
        return queryset.order_by(*order, "user_id")
