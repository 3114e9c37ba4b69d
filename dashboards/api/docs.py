"""The OpenAPI schema and Swagger UI (assets from drf-spectacular-sidecar, served locally)."""

from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularSwaggerSplitView

# Swagger UI renders with style attributes and data: icons; scripts stay same-origin only.
SWAGGER_UI_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}


@method_decorator(csp_override(SWAGGER_UI_CSP), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI whose page and start-up script are separate files (no inline script)."""

    template_name = "dashboards/api_docs.html"
