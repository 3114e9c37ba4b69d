"""The course page: stats, completion histogram, and the roster (filtered like the API)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from dashboards.api.courses import CourseUserSerializer
from dashboards.csv_export import queryset_rows, streamed_csv
from dashboards.filters.courses import (
    JOIN_STATUSES,
    PAGE_SIZES,
    CourseRosterFilterSet,
    split_list_param,
)
from dashboards.permissions import can_view_course, page_principal, require
from dashboards.selectors.courses import course_by_id, course_members, course_stats, rows_window
from dashboards.tables.courses import CourseRosterTable
from dashboards.views.paging import Pager

TEMPLATE = "dashboards/course_detail.html"
# The CSV's columns are the API's fields, in the API's order: (header, roster field).
CSV_COLUMNS = [(name, field.source) for name, field in CourseUserSerializer().fields.items()]


def _viewable_course(request, course_id):
    course = course_by_id(course_id, principal=request.principal)
    if course is None:
        raise Http404("No such course.")
    require(can_view_course, request.principal, course)
    return course


def _status_choices(filterset):
    if filterset.is_valid():
        chosen = set(filterset.form.cleaned_data["statuses"])
    else:
        chosen = set(filterset.data.getlist("statuses"))
    return [
        {"value": status, "label": status.capitalize(), "checked": status in chosen}
        for status in JOIN_STATUSES
    ]


@page_principal
def course_detail(request, course_id):
    """The course page; an htmx request gets the roster region only."""
    course = _viewable_course(request, course_id)
    filterset = CourseRosterFilterSet(request.GET, queryset=course_members(course))
    context = {
        "course": course,
        "filterset": filterset,
        "statuses": _status_choices(filterset),
        "statuses_defaulted": not split_list_param(request.GET.getlist("statuses")),
        # Set by the table's links, not by the form: kept in hidden inputs so that a filter
        # change keeps the order and page size (and starts again at the first page).
        "kept_params": [
            (name, value) for name in ("ordering", "limit") for value in request.GET.getlist(name)
        ],
        "json_url": _with_query(reverse("api-course-users", args=[course.pk]), request.GET),
        "csv_url": _with_query(
            reverse("course-members-csv", args=[course.pk]),
            _without(request.GET, "limit", "offset"),
        ),
    }
    if filterset.is_valid():
        count, rows = rows_window(filterset.qs, limit=filterset.limit, offset=filterset.offset)
        context["table"] = CourseRosterTable(rows, order_by=filterset.form.cleaned_data["ordering"])
        context["pager"] = Pager.from_offset(
            request.GET,
            count=count,
            limit=filterset.limit,
            offset=filterset.offset,
            shown=len(rows),
            sizes=PAGE_SIZES,
            nouns=("member", "members"),
        )
    else:
        context["errors"] = filterset.error_lists()
    status = 200 if filterset.is_valid() else 400
    if request.htmx and not request.htmx.history_restore_request:
        response = render(
            request, f"{TEMPLATE}#roster", {**context, "partial": True}, status=status
        )
    else:
        context["stats"] = course_stats(course)
        response = render(request, TEMPLATE, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@page_principal
def course_members_csv(request, course_id):
    """Every roster row matching the filters, in the chosen order, as streamed CSV."""
    course = _viewable_course(request, course_id)
    filterset = CourseRosterFilterSet(
        _without(request.GET, "limit", "offset"), queryset=course_members(course)
    )
    if not filterset.is_valid():
        lines = [
            f"{name}: {message}"
            for name, messages in filterset.error_lists().items()
            for message in messages
        ]
        return HttpResponse(
            "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    rows = queryset_rows(filterset.qs, [field for _, field in CSV_COLUMNS])
    return streamed_csv(
        rows,
        header=[name for name, _ in CSV_COLUMNS],
        filename=f"course-{course.pk}-members.csv",
    )


def _without(query, *names):
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query


def _with_query(path, query):
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path
