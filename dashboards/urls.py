"""Every route: the JSON APIs, then the pages. Each declared listing (dashboards/registry/)
gives its page, its downloads and its API answer; the rest are listed by hand."""

from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from dashboards.access.pages import page_methods
from dashboards.api import courses as course_api
from dashboards.api import docs, errors
from dashboards.api import orgs as org_api
from dashboards.exports.downloads import download
from dashboards.registry.listings import (
    COURSE_MEMBERS,
    LISTINGS,
    MEMBER_COURSES,
    ORG_MEMBERS,
    PORTAL_MEMBERS,
)
from dashboards.web import courses, login, saved_views
from dashboards.web.listing import listing_page

EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "emails": "/emails.txt"}

api = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    # str, not int: a non-integer id must be the API's JSON 404, not Django's HTML one.
    path(
        "api/v2/course/<str:course_id>/users/",
        course_api.CourseUsersView.as_view(listing=COURSE_MEMBERS),
        name="api-course-users",
    ),
    path(
        "api/v2/course/<str:course_id>/users/<str:user_id>/",
        course_api.CourseUserView.as_view(),
        name="api-course-user",
    ),
    path(
        "api/v2/course/<str:course_id>/dashboard/",
        course_api.CourseDashboardView.as_view(),
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
                org_api.OrgMembersView.as_view(listing=ORG_MEMBERS),
                name=f"api-org-members{suffix}",
            ),
            re_path(
                rf"^{prefix}/orgs/(?P<org_id>[^/]+)/dashboard/members/(?P<user_id>[^/]+)"
                r"/courses/?$",
                org_api.MemberCoursesView.as_view(listing=MEMBER_COURSES),
                name=f"api-org-member-courses{suffix}",
            ),
            re_path(
                rf"^{prefix}/container/(?P<org_id>[^/]+)/portal/(?P<portal_id>[^/]+)"
                r"/dashboard/members/?$",
                org_api.PortalMembersView.as_view(listing=PORTAL_MEMBERS),
                name=f"api-portal-members{suffix}",
            ),
        )
    ],
    re_path(rf"^{errors.ORG_API_PREFIX}", errors.vfo_not_found),
]

listings = [
    route
    for declaration in LISTINGS
    for route in (
        path(declaration.page.route, listing_page(declaration), name=declaration.page.name),
        *(
            path(
                declaration.downloads + EXTENSIONS[kind],
                download(declaration, kind),
                name=f"{declaration.name}-{kind}",
            )
            for kind in declaration.formats
        ),
    )
]

pages = [
    path("views/", saved_views.save_view, name="save-view"),
    path("views/<str:key>/", saved_views.open_view, name="open-view"),
    path("views/<str:key>/rename", saved_views.rename_view, name="rename-view"),
    path("views/<str:key>/delete", saved_views.delete_view, name="delete-view"),
    path(
        "login/",
        page_methods("GET", "HEAD", "POST")(login.LoginView.as_view()),
        name="login",
    ),
    path("logout/", page_methods("POST")(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "courses/<int:course_id>/members/<int:user_id>/",
        courses.course_member_detail,
        name="course-member-detail",
    ),
]

urlpatterns = [*api, *listings, *pages]
