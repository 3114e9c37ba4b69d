from django.contrib import admin
from django.urls import include, path

from dashboards.views.login import LimitedAdminAuthenticationForm

# The admin's log-in says why when the log-in limits refuse it (dashboards/views/login.py).
admin.site.login_form = LimitedAdminAuthenticationForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("dashboards.api.urls")),
    path("", include("dashboards.urls")),
]
