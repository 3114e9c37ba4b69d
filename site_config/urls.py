from django.contrib import admin
from django.urls import include, path

from dashboards.web.login import LimitedAdminAuthenticationForm

# The admin's log-in says why when the log-in limits refuse it (dashboards/web/login.py).
admin.site.login_form = LimitedAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    # The language chooser's POST (set_language: a cookie, then back to the page).
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dashboards.urls")),
]
