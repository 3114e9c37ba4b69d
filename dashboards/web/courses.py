"""The course page (stats, completion histogram, the course's members) and its CSV export,
over the same listing as GET /api/v2/course/{id}/users/."""

from functools import partial

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards.access.pages import page_principal, require
from dashboards.access.predicates import can_view_course
from dashboards.api.courses import CourseUserSerializer
from dashboards.exports.csv import listing_csv
from dashboards.exports.spreadsheet import file_name
from dashboards.filters.courses import DEFAULT_STATUSES, JOIN_STATUSES, split_list_param
from dashboards.listings import course_member_listing
from dashboards.models.roles import JOIN_STATUS_LABELS
from dashboards.selectors.courses import (
    BEHIND_BELOW,
    BEHIND_INACTIVE_DAYS,
    OTHER_COURSES_SHOWN,
    course_by_id,
    course_member,
    course_stats,
    member_other_courses,
)
from dashboards.tables.courses import CourseMemberTable
from dashboards.web.columns import ColumnChoice
from dashboards.web.listing import option_choices, render_listing

STATUS_LABELS = JOIN_STATUS_LABELS
# Each stat card's rows: the roster parameters that list what the card counts
# (selectors.courses.course_stats).
STAT_LINKS = {
    "members": "?statuses=joined",
    "managers": "?statuses=creator,manager",
    "average": "?statuses=joined&ordering=user_completion_rate",
    "completed": "?statuses=joined&completion_min=100",
    "active_7d": "?statuses=joined&active_within=7",
    "active_30d": "?statuses=joined&active_within=30",
    "behind": f"?statuses=joined&completion_max={BEHIND_BELOW - 1}"
    f"&inactive_for={BEHIND_INACTIVE_DAYS}",
    "waiting": "?statuses=invited,requested",
}


def viewable_course(request, course_id):
    course = course_by_id(course_id, principal=request.principal)
    if course is None:
        raise Http404("No such course.")
    require(can_view_course, request.principal, course)
    return course


@page_principal
def course_detail(request, course_id):
    """The course page; an htmx request gets the listing region only."""
    course = viewable_course(request, course_id)
    listing = course_member_listing(request.GET, course)
    # As the field reads it: every form (repeated, commas, brackets, a JSON array).
    statuses_sent = split_list_param(listing.filterset.form["statuses"].data)
    defaulted = listing.is_valid and not statuses_sent
    return render_listing(
        request,
        listing,
        template="dashboards/course_detail.html",
        table=partial(
            CourseMemberTable, order_by=listing.cleaned.get("ordering"), course_id=course.pk
        ),
        nouns=lambda count: ngettext("member", "members", count),
        kept=("ordering", "limit"),
        api_url=reverse("api-course-users", args=[course.pk]),
        csv_url=reverse("course-members-csv", args=[course.pk]),
        xlsx_url=reverse("course-members-xlsx", args=[course.pk]),
        columns=ColumnChoice(request, CourseMemberTable, "course-members", remember=True),
        selectable=True,
        context={
            "course": course,
            "statuses": [
                # data-default: app.js ticks them again when every box is unticked, as the
                # listing then shows them.
                {**option, "default": option["value"] in DEFAULT_STATUSES}
                for option in option_choices(listing, "statuses", JOIN_STATUSES, STATUS_LABELS)
            ],
            "count_note": _("(managers and joined learners; tick statuses to change)")
            if defaulted
            else "",
        },
        page_context=lambda: {"stats": course_stats(course), "stat_links": STAT_LINKS},
    )


@page_principal
def course_members_csv(request, course_id):
    """Every member matching the filters, in the chosen order, as streamed CSV."""
    course = viewable_course(request, course_id)
    listing = course_member_listing(request.GET, course, whole=True, selectable=True)
    return listing_csv(
        listing, CourseUserSerializer, filename=file_name(course.title, "members", extension="csv")
    )


@page_principal
def course_member_detail(request, course_id, user_id):
    """One learner in the course (any join status), with their other courses the viewer may
    view: the page of GET /api/v2/course/{id}/users/{userId}/."""
    course = viewable_course(request, course_id)
    member = course_member(course, user_id)
    if member is None:
        raise Http404("No such member in this course.")
    context = {
        "course": course,
        "member": member,
        "display_name": member["real_name"] or member["username"] or _("Unknown"),
        "other_courses": member_other_courses(request.principal, user_id, course),
        "other_courses_limit": OTHER_COURSES_SHOWN,
        "api_url": reverse("api-course-user", args=[course.pk, user_id]),
    }
    return render(request, "dashboards/course_member_detail.html", context)
