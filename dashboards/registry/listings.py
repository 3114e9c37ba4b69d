"""The dashboards' listings, each declared once (dashboards/listings/declaration.py): from
each declaration come its page and htmx region, its API answer, its CSV, spreadsheet and
emails downloads, and its saved views. A new listing is one more declaration here, with its
FilterSet (dashboards/filters/) and its table (dashboards/tables/)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dashboards.api.courses import CourseUserSerializer
from dashboards.api.orgs import MemberCourseSerializer, MemberSerializer
from dashboards.filters.course_list import CourseFilterSet
from dashboards.filters.courses import CourseMemberFilterSet
from dashboards.filters.last_seen import PAGE_ONLY, dates_as_unix_bounds
from dashboards.filters.orgs import MemberCourseFilterSet, OrgMemberFilterSet
from dashboards.listings.declaration import Declaration, Page
from dashboards.listings.subjects import (
    viewable_course,
    viewable_org,
    viewable_org_member,
    viewable_portal,
    viewer,
)
from dashboards.listings.windows import OffsetWindow, PageWindow
from dashboards.selectors.courses import course_members, member_rows, viewable_courses
from dashboards.selectors.orgs import member_courses, member_tally, org_members, portal_members
from dashboards.tables.courses import CourseMemberTable, CourseTable
from dashboards.tables.orgs import MemberCourseTable, OrgMemberTable
from dashboards.web import courses, home, orgs


def members(count):
    return ngettext("member", "members", count)


def courses_noun(count):
    return ngettext("course", "courses", count)


COURSES = Declaration(
    name="courses",
    kind=_("courses"),
    nouns=courses_noun,
    subject=viewer,
    scope=lambda principal: viewable_courses(principal).select_related("container"),
    filterset=CourseFilterSet,
    window=OffsetWindow,
    table=CourseTable,
    downloads="courses",
    formats=("xlsx",),
    file_name=lambda principal: ("Courses",),
    sheet="Courses",
    page=Page(
        route="", name="home", template="dashboards/home.html", whole_page=home.home_whole_page
    ),
)

COURSE_MEMBERS = Declaration(
    name="course-members",
    kind=_("course members"),
    nouns=members,
    subject=viewable_course,
    scope=course_members,
    read=member_rows,
    filterset=CourseMemberFilterSet,
    window=OffsetWindow,
    table=CourseMemberTable,
    table_options=lambda request, course: {"course_id": course.pk},
    body=CourseUserSerializer,
    api="api-course-users",
    api_kwargs=lambda course: {"course_id": course.pk},
    selectable=True,
    downloads="courses/<int:course_id>/members",
    formats=("csv", "xlsx"),
    file_name=lambda course: (course.title, "members"),
    sheet="Members",
    page=Page(
        route="courses/<int:course_id>/",
        name="course-detail",
        template="dashboards/course_detail.html",
        context=courses.course_page,
        whole_page=courses.course_whole_page,
    ),
)

# An org's and a portal's members: the same FilterSet, table and body, counted by the tally.
MEMBERS = {
    "kind": _("org members"),
    "nouns": members,
    "filterset": OrgMemberFilterSet,
    "window": PageWindow,
    "page_only": dates_as_unix_bounds,
    "page_only_names": PAGE_ONLY,
    "table": OrgMemberTable,
    "columns": "org-members",
    "table_options": lambda request, org: {"org": org},
    "body": MemberSerializer,
    "selectable": True,
    "formats": ("csv", "xlsx", "emails"),
    "sheet": "Members",
}

ORG_MEMBERS = Declaration(
    **MEMBERS,
    name="org-members",
    subject=viewable_org,
    scope=org_members,
    tally=member_tally,
    api="api-org-members",
    api_kwargs=lambda org: {"org_id": org.pk},
    downloads="orgs/<int:org_id>/members",
    file_name=lambda org: (org.title, "members"),
    page=Page(
        route="orgs/<int:org_id>/members/",
        name="org-members",
        template="dashboards/orgs/members.html",
        context=orgs.member_page,
        whole_page=orgs.org_members_whole_page,
    ),
)

PORTAL_MEMBERS = Declaration(
    **{**MEMBERS, "kind": _("portal members")},
    name="portal-members",
    subject=viewable_portal,
    scope=portal_members,
    tally=lambda portal: member_tally(portal, portal=True),
    api="api-portal-members",
    api_kwargs=lambda portal: {"org_id": portal.container_id, "portal_id": portal.pk},
    downloads="orgs/<int:container_id>/portals/<int:portal_id>/members",
    file_name=lambda portal: (portal.title, "portal members"),
    page=Page(
        route="orgs/<int:container_id>/portals/<int:portal_id>/members/",
        name="portal-members",
        template="dashboards/orgs/members.html",
        context=orgs.member_page,
        whole_page=orgs.portal_members_whole_page,
    ),
)

MEMBER_COURSES = Declaration(
    name="member-courses",
    kind=_("a member's courses"),
    nouns=courses_noun,
    subject=viewable_org_member,
    scope=lambda subject: member_courses(subject.org, subject.user_id),
    filterset=MemberCourseFilterSet,
    window=PageWindow,
    table=MemberCourseTable,
    table_options=lambda request, subject: {"viewable_container": request.principal.container_id},
    body=MemberCourseSerializer,
    api="api-org-member-courses",
    api_kwargs=lambda subject: {"org_id": subject.org.pk, "user_id": subject.user_id},
    downloads="orgs/<int:org_id>/members/<int:user_id>/courses",
    formats=("xlsx",),
    file_name=lambda subject: (subject.member.display_name, "courses in", subject.org.title),
    sheet="Courses",
    page=Page(
        route="orgs/<int:org_id>/members/<int:user_id>/",
        name="org-member-detail",
        template="dashboards/orgs/member_detail.html",
        context=orgs.member_courses_page,
        whole_page=orgs.member_courses_whole_page,
    ),
)

LISTINGS = [COURSES, COURSE_MEMBERS, ORG_MEMBERS, PORTAL_MEMBERS, MEMBER_COURSES]
