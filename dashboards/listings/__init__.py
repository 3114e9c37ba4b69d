"""Every listing of the dashboards, defined once: its scope, its FilterSet and its window
kind. Pages, the API and the exports build the same listing and only render it differently
(docs/architecture.md)."""

from dashboards.filters.course_list import CourseFilterSet
from dashboards.filters.courses import CourseMemberFilterSet
from dashboards.filters.orgs import MemberCourseFilterSet, OrgMemberFilterSet
from dashboards.listings.listing import Listing
from dashboards.listings.windows import OffsetWindow, PageWindow
from dashboards.selectors.courses import course_members, member_rows, viewable_courses
from dashboards.selectors.orgs import member_courses, member_tally, org_members, portal_members

__all__ = [
    "Listing",
    "OffsetWindow",
    "PageWindow",
    "course_listing",
    "course_member_listing",
    "member_course_listing",
    "org_member_listing",
    "portal_member_listing",
]


def course_listing(params, principal, **options):
    """The courses a caller may view (the home page)."""
    courses = viewable_courses(principal).select_related("container")
    return Listing(params, courses, CourseFilterSet, OffsetWindow, **options)


def course_member_listing(params, course, **options):
    """A course's members (GET /api/v2/course/{id}/users/), read as member_rows."""
    members = course_members(course)
    return Listing(
        params, members, CourseMemberFilterSet, OffsetWindow, read=member_rows, **options
    )


def org_member_listing(params, org, **options):
    """An org's members (GET /vfo/orgs/{orgId}/dashboard/members), counted by its tally."""
    members, tally = org_members(org), member_tally(org)
    return Listing(params, members, OrgMemberFilterSet, PageWindow, tally=tally, **options)


def portal_member_listing(params, portal, **options):
    """A portal's members with its container's admins and instructors
    (GET /vfo/container/{orgId}/portal/{portalId}/dashboard/members), counted by its tally."""
    members, tally = portal_members(portal), member_tally(portal, portal=True)
    return Listing(params, members, OrgMemberFilterSet, PageWindow, tally=tally, **options)


def member_course_listing(params, org, user_id, **options):
    """A member's courses in an org (GET /vfo/orgs/{orgId}/dashboard/members/{userId}/courses)."""
    courses = member_courses(org, user_id)
    return Listing(params, courses, MemberCourseFilterSet, PageWindow, **options)
