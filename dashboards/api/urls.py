"""JSON API: the course API family (/api/v2/…) and the org dashboard family (/vfo/…, /orgs/…)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from dashboards.api import courses, docs, errors, orgs

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # str, not int: a non-integer id must be the API's JSON 404, not Django's HTML one.
    path(
        "api/v2/course/<str:course_id>/users/",
        courses.CourseUsersView.as_view(),
        name="api-course-users",
    ),
    path(
        "api/v2/course/<str:course_id>/users/<str:user_id>/",
        courses.CourseUserView.as_view(),
        name="api-course-user",
    ),
    path(
        "api/v2/course/<str:course_id>/dashboard/",
        courses.CourseDashboardView.as_view(),
        name="api-course-dashboard",
    ),
    # The org dashboard family answers under /vfo/… and, as an alias, /orgs/…; path ids are
    # matched loosely so that a bad one gets the family's 400, not an HTML 404.
    *[
        route
        for prefix, suffix in (("vfo", ""), ("orgs", "-alias"))
        for route in (
            re_path(
                rf"^{prefix}/orgs/(?P<org_id>[^/]+)/dashboard/members/?$",
                orgs.OrgMembersView.as_view(),
                name=f"api-org-members{suffix}",
            ),
            re_path(
                rf"^{prefix}/orgs/(?P<org_id>[^/]+)/dashboard/members/(?P<user_id>[^/]+)"
                r"/courses/?$",
                orgs.MemberCoursesView.as_view(),
                name=f"api-org-member-courses{suffix}",
            ),
            re_path(
                rf"^{prefix}/container/(?P<org_id>[^/]+)/portal/(?P<portal_id>[^/]+)"
                r"/dashboard/members/?$",
                orgs.PortalMembersView.as_view(),
                name=f"api-portal-members{suffix}",
            ),
        )
    ],
    re_path(rf"^{errors.ORG_API_PREFIX}", errors.vfo_not_found),
]
