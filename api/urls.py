"""/api/v1/ and the user's token page. Every API view answers for itself who may see what (the
policy), so none is behind the login redirect: a program without a session gets 401, not a page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from api import views_me, views_tokens


def _open(view):
    return login_not_required(view.as_view())


v1 = [
    path("schema/", login_not_required(SpectacularAPIView.as_view(permission_classes=[AllowAny])),
         name="api_schema"),
    path("docs/", login_not_required(SpectacularSwaggerSplitView.as_view(
        url_name="api_schema", permission_classes=[AllowAny])), name="api_docs"),
    path("saya/", _open(views_me.Me), name="api_me"),
]

urlpatterns = [
    path("api/v1/", include(v1)),
    path("token-api/", views_tokens.token_page, name="api_tokens"),
    path("token-api/<int:pk>/cabut/", views_tokens.revoke_token, name="api_token_revoke"),
]
