"""How a program signs in to the API (a token in the Authorization header), what a read-only token
may not do, and how often anyone may ask (counted in the database, like the other quotas, so every
worker and server shares one count)."""

from django.conf import settings
from rest_framework import authentication, exceptions, permissions, throttling

from api import tokens
from api.models import ApiToken
from sop_iku.client_address import client_address
from throttle.limits import address_key, admit, retry_after

KEYWORDS = ("bearer", "token")


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sopiku_…` (or `Token sopiku_…`)."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Header Authorization harus berbentuk “Bearer <token>”.")
        token = tokens.find(header[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed("Token tidak dikenal, sudah dicabut, atau sudah kedaluwarsa.")
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScope(permissions.BasePermission):
    message = "Token ini hanya untuk membaca. Buat token baca-tulis untuk mengubah data."

    def has_permission(self, request, view):
        token = request.auth
        return not isinstance(token, ApiToken) or request.method in permissions.SAFE_METHODS or token.writes


class ApiThrottle(throttling.BaseThrottle):
    """SOP_API_REQUESTS requests a minute per token (or per signed-in user, or per address)."""

    PERIOD = 60

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            key = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            key = f"user:{request.user.pk}"
        else:
            key = address_key(client_address(request))
        if admit("api", key, settings.SOP_API_REQUESTS, self.PERIOD):
            return True
        self.key = key
        return False

    def wait(self):
        return retry_after("api", self.key, settings.SOP_API_REQUESTS, self.PERIOD)
