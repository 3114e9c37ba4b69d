"""The course page's own parts (stats, completion histogram, statuses; the course members'
listing is declared in dashboards/registry/listings.py) and a learner's page."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from dashboards.access.pages import page_principal
from dashboards.filters.courses import DEFAULT_STATUSES, JOIN_STATUSES, split_list_param
from dashboards.listings.subjects import viewable_course
from dashboards.models.roles import JOIN_STATUS_LABELS
from dashboards.selectors.courses import (
    BEHIND,
    OTHER_COURSES_SHOWN,
    course_member,
    course_stats,
    member_other_courses,
)
from dashboards.web.listing import option_choices

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
    "behind": f"?{urlencode(BEHIND)}",
    "waiting": "?statuses=invited,requested",
}


def course_page(request, course, listing):
    """The course page's filters besides the table (its htmx region too)."""
    # As the field reads it: every form (repeated, commas, brackets, a JSON array).
    statuses_sent = split_list_param(listing.filterset.form["statuses"].data)
    defaulted = listing.is_valid and not statuses_sent
    return {
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
    }


def course_whole_page(request, course, listing):
    return {"stats": course_stats(course), "stat_links": STAT_LINKS}


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
