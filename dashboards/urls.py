"""Web pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from dashboards.views import courses, home

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("courses/<int:course_id>/", courses.course_detail, name="course-detail"),
    path(
        "courses/<int:course_id>/members.csv",
        courses.course_members_csv,
        name="course-members-csv",
    ),
]
