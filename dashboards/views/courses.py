"""The course page (stats, completion histogram, the course's members) and its CSV export,
over the same listing as GET /api/v2/course/{id}/users/."""

from functools import partial

from django.http import Http404
from django.urls import reverse

from dashboards.api.courses import CourseUserSerializer
from dashboards.csv_export import listing_csv
from dashboards.filters.courses import JOIN_STATUSES, split_list_param
from dashboards.listings import course_member_listing
from dashboards.permissions import can_view_course
from dashboards.selectors.courses import course_by_id, course_stats
from dashboards.tables.courses import CourseMemberTable
from dashboards.views.columns import ColumnChoice
from dashboards.views.listing import option_choices, render_listing
from dashboards.views.rights import page_principal, require
from dashboards.xlsx_export import file_name

STATUS_LABELS = {status: status.capitalize() for status in JOIN_STATUSES}


def _viewable_course(request, course_id):
    course = course_by_id(course_id, principal=request.principal)
    if course is None:
        raise Http404("No such course.")
    require(can_view_course, request.principal, course)
    return course


@page_principal
def course_detail(request, course_id):
    """The course page; an htmx request gets the listing region only."""
    course = _viewable_course(request, course_id)
    listing = course_member_listing(request.GET, course)
    defaulted = listing.is_valid and not split_list_param(request.GET.getlist("statuses"))
    return render_listing(
        request,
        listing,
        template="dashboards/course_detail.html",
        table=partial(CourseMemberTable, order_by=listing.cleaned.get("ordering")),
        nouns=("member", "members"),
        kept=("ordering", "limit"),
        api_url=reverse("api-course-users", args=[course.pk]),
        csv_url=reverse("course-members-csv", args=[course.pk]),
        xlsx_url=reverse("course-members-xlsx", args=[course.pk]),
        columns=ColumnChoice(request, CourseMemberTable, "course-members", remember=True),
        context={
            "course": course,
            "statuses": option_choices(listing, "statuses", JOIN_STATUSES, STATUS_LABELS),
            "count_note": "(managers and joined learners; tick statuses to change)"
            if defaulted
            else "",
        },
        page_context=lambda: {"stats": course_stats(course)},
    )


@page_principal
def course_members_csv(request, course_id):
    """Every member matching the filters, in the chosen order, as streamed CSV."""
    course = _viewable_course(request, course_id)
    listing = course_member_listing(request.GET, course, whole=True)
    return listing_csv(
        listing, CourseUserSerializer, filename=file_name(course.title, "members", extension="csv")
    )
