"""The .xlsx downloads of every listing page: the same listing as the page (its filters, its
order, the viewer's rights: 403/404 like the page and the CSV), every matching row, the
table's visible columns (dashboards/exports/spreadsheet.py)."""

from django.http import Http404

from dashboards.access.pages import page_principal
from dashboards.exports.spreadsheet import file_name, listing_xlsx
from dashboards.listings import (
    course_listing,
    course_member_listing,
    member_course_listing,
    org_member_listing,
    portal_member_listing,
)
from dashboards.selectors.orgs import listed_member
from dashboards.tables.courses import CourseMemberTable, CourseTable
from dashboards.tables.orgs import MemberCourseTable, OrgMemberTable
from dashboards.web.columns import chosen_table
from dashboards.web.courses import viewable_course
from dashboards.web.orgs import dates_as_unix_bounds, viewable_org, viewable_portal


@page_principal
def course_members_xlsx(request, course_id):
    course = viewable_course(request, course_id)
    listing = course_member_listing(request.GET, course, whole=True, selectable=True)
    table = chosen_table(
        request, CourseMemberTable, listing_key="course-members", course_id=course.pk
    )
    return listing_xlsx(
        listing, table, filename=file_name(course.title, "members"), sheet="Members"
    )


@page_principal
def org_members_xlsx(request, org_id):
    org = viewable_org(request, org_id)
    listing = org_member_listing(
        dates_as_unix_bounds(request.GET), org, whole=True, selectable=True
    )
    table = chosen_table(request, OrgMemberTable, listing_key="org-members", org=org)
    return listing_xlsx(listing, table, filename=file_name(org.title, "members"), sheet="Members")


@page_principal
def portal_members_xlsx(request, container_id, portal_id):
    _container, portal = viewable_portal(request, container_id, portal_id)
    listing = portal_member_listing(
        dates_as_unix_bounds(request.GET), portal, whole=True, selectable=True
    )
    table = chosen_table(request, OrgMemberTable, listing_key="org-members", org=portal)
    filename = file_name(portal.title, "portal members")
    return listing_xlsx(listing, table, filename=filename, sheet="Members")


@page_principal
def member_courses_xlsx(request, org_id, user_id):
    org = viewable_org(request, org_id)
    member = listed_member(org, user_id)
    if member is None:
        raise Http404("No such member in this org.")
    listing = member_course_listing(request.GET, org, user_id, whole=True)
    table = chosen_table(request, MemberCourseTable, listing_key="member-courses")
    filename = file_name(member.display_name, "courses in", org.title)
    return listing_xlsx(listing, table, filename=filename, sheet="Courses")


@page_principal
def courses_xlsx(request):
    listing = course_listing(request.GET, request.principal, whole=True)
    table = chosen_table(request, CourseTable, listing_key="courses")
    return listing_xlsx(listing, table, filename=file_name("Courses"), sheet="Courses")
