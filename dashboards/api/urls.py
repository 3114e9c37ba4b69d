"""JSON API: the course API family (/api/v2/…) and the org dashboard family (/vfo/…, /orgs/…)."""

from django.urls import path

from dashboards.api import courses

urlpatterns = [
    # str, not int: a non-integer id must be the API's JSON 404, not Django's HTML one.
    path(
        "api/v2/course/<str:course_id>/users/",
        courses.CourseUsersView.as_view(),
        name="api-course-users",
    ),
    path(
        "api/v2/course/<str:course_id>/dashboard/",
        courses.CourseDashboardView.as_view(),
        name="api-course-dashboard",
    ),
]
