"""The home page's course listing: the courses a caller may view (viewable_courses), searched
by title, ordered by title, members, waiting users or last activity, windowed by limit/offset.

A page-only listing (no API serves it), worded as the course family words its 400s."""

import django_filters
from django import forms
from django.db.models import F
from django.utils.translation import gettext as _

from dashboards.filters.courses import OffsetWindowForm, split_list_param
from dashboards.filters.params import (
    FreeTextFilter,
    ListWidget,
    ParameterField,
    ParameterFilterSet,
)
from dashboards.text import search_terms

# ordering key → the annotated column of viewable_courses it orders by.
COURSE_ORDER_COLUMNS = {
    "title": "title_key",
    "members": "member_count",
    "waiting": "waiting_count",
    "last_activity": "last_activity",
}
COURSE_ORDERINGS = [form for key in COURSE_ORDER_COLUMNS for form in (key, f"-{key}")]
DEFAULT_COURSE_ORDERING = "title"


class CourseOrderingField(ParameterField):
    """One ordering key of COURSE_ORDERINGS; blank means by title."""

    widget = ListWidget

    def to_python(self, value):
        keys = split_list_param(value)
        bad = [key for key in keys if key not in COURSE_ORDERINGS]
        if bad or len(keys) > 1:
            raise forms.ValidationError(
                [
                    _("'%(key)s' is not a valid ordering; expected one of %(keys)s.")
                    % {"key": key, "keys": ", ".join(COURSE_ORDERINGS)}
                    for key in (bad or keys[1:])
                ]
            )
        return keys[0] if keys else DEFAULT_COURSE_ORDERING


class CourseOrderingParameter(django_filters.Filter):
    field_class = CourseOrderingField

    def filter(self, qs, value):
        return qs


class CourseFilterSet(ParameterFilterSet):
    """The courses a caller may view, searched by title and ordered (ties by id)."""

    PARAMETERS = ["limit", "offset", "search", "ordering"]
    ORDER_PARAMETERS = ("ordering",)

    search = FreeTextFilter(method="filter_search")
    ordering = CourseOrderingParameter()

    class Meta:
        form = OffsetWindowForm

    def filter_search(self, queryset, name, value):
        for term in search_terms(value):
            queryset = queryset.filter(title_key__contains=term)
        return queryset

    def order_queryset(self, queryset):
        key = self.form.cleaned_data.get("ordering") or DEFAULT_COURSE_ORDERING
        column = F(COURSE_ORDER_COLUMNS[key.lstrip("-")])
        order = column.desc(nulls_last=True) if key.startswith("-") else column.asc(nulls_last=True)
        return queryset.order_by(order, "id")
