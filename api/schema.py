"""How the OpenAPI schema describes the token scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "tokenApi"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "sopiku_<awalan>_<rahasia>",
                "description": "Token API dari halaman Token API (dibuat sekali tampil)."}
