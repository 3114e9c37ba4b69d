"""JSON API: the course API family (/api/v2/…) and the org dashboard family (/vfo/…, /orgs/…)."""

from django.urls import path  # noqa: F401

urlpatterns = []
