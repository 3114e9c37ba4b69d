from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dashboards.api import schema  # noqa: F401  (registers the OpenAPI auth extension)
