"""OpenAPI (drf-spectacular) description of our authentication: any ONE of three schemes."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class CredentialAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "dashboards.authentication.CredentialAuthentication"
    name = ["bearerAuth", "sidHeader", "cookieAuth"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer"},
            {"type": "apiKey", "in": "header", "name": "SID"},
            {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        ]

    def get_security_requirement(self, auto_schema):
        return [{name: []} for name in self.name]
