"""OpenAPI (drf-spectacular) description of our authentication: any ONE of four schemes."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class CredentialAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "dashboards.access.authentication.CredentialAuthentication"
    name = ["bearerAuth", "tokenAuth", "sidHeader", "cookieAuth"]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <key>`"},
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "`Authorization: Token <key>` (Django REST framework's token "
                "scheme, as SelfCommunity's JavaScript client sends it): the same keys as Bearer",
            },
            {"type": "apiKey", "in": "header", "name": "SID"},
            {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        ]

    def get_security_requirement(self, auto_schema):
        return [{name: []} for name in self.name]
