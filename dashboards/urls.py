"""Web pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from dashboards.access.pages import page_methods
from dashboards.exports import emails
from dashboards.web import courses, home, login, orgs, saved_views, spreadsheets

urlpatterns = [
    path("", home.home, name="home"),
    path("courses.xlsx", spreadsheets.courses_xlsx, name="courses-xlsx"),
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
    path("courses/<int:course_id>/", courses.course_detail, name="course-detail"),
    path(
        "courses/<int:course_id>/members.csv",
        courses.course_members_csv,
        name="course-members-csv",
    ),
    path(
        "courses/<int:course_id>/members/<int:user_id>/",
        courses.course_member_detail,
        name="course-member-detail",
    ),
    path(
        "courses/<int:course_id>/members.xlsx",
        spreadsheets.course_members_xlsx,
        name="course-members-xlsx",
    ),
    path("orgs/<int:org_id>/members/", orgs.org_members_page, name="org-members"),
    path("orgs/<int:org_id>/members.csv", orgs.org_members_csv, name="org-members-csv"),
    path("orgs/<int:org_id>/members.xlsx", spreadsheets.org_members_xlsx, name="org-members-xlsx"),
    path(
        "orgs/<int:org_id>/members/emails.txt",
        emails.org_member_emails,
        name="org-member-emails",
    ),
    path(
        "orgs/<int:org_id>/members/<int:user_id>/",
        orgs.org_member_detail,
        name="org-member-detail",
    ),
    path(
        "orgs/<int:org_id>/members/<int:user_id>/courses.xlsx",
        spreadsheets.member_courses_xlsx,
        name="member-courses-xlsx",
    ),
    path(
        "orgs/<int:container_id>/portals/<int:portal_id>/members/",
        orgs.portal_members_page,
        name="portal-members",
    ),
    path(
        "orgs/<int:container_id>/portals/<int:portal_id>/members.csv",
        orgs.portal_members_csv,
        name="portal-members-csv",
    ),
    path(
        "orgs/<int:container_id>/portals/<int:portal_id>/members/emails.txt",
        emails.portal_member_emails,
        name="portal-member-emails",
    ),
    path(
        "orgs/<int:container_id>/portals/<int:portal_id>/members.xlsx",
        spreadsheets.portal_members_xlsx,
        name="portal-members-xlsx",
    ),
]
