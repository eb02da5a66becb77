"""/api/v1/ and the user's token page. Every API view answers for itself who may see what (the
policy), so none is behind the login redirect: a program without a session gets 401, not a page."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, include, path, re_path, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from api import (
    views_actions,
    views_documents,
    views_dossiers,
    views_iku,
    views_iku_write,
    views_me,
    views_report,
    views_sakip,
    views_tokens,
)


def _open(view):
    return login_not_required(view.as_view())


# The schema and its docs page are read, nothing else: an OPTIONS made the docs page's HTML
# renderer look for a template it has none of (a 500).
READ_ONLY = ["get", "head"]
UNKNOWN = "Alamat API tidak dikenal."


class Schema(SpectacularAPIView):
    def finalize_response(self, request, response, *args, **kwargs):
        # A refusal (a POST, a throttle) as the API's JSON, not as an OpenAPI YAML document.
        if response.status_code >= 400:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


@csrf_exempt
@login_not_required
def unknown(request):
    """Any address under api/ that no route takes: JSON, not the site's HTML 404 page. Answering
    them all, it leaves Django's APPEND_SLASH nothing to redirect, so it redirects itself."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown:
            if request.method in ("GET", "HEAD"):
                return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
            return not_found(f"{UNKNOWN} Alamat API diakhiri garis miring: {request.path}/")
    return not_found(UNKNOWN)


def not_found(text: str) -> JsonResponse:
    return JsonResponse({"detail": text}, status=404, json_dumps_params={"ensure_ascii": False})


v1 = [
    path("schema/", login_not_required(Schema.as_view(
        permission_classes=[AllowAny], http_method_names=READ_ONLY)), name="api_schema"),
    path("docs/", login_not_required(SpectacularSwaggerSplitView.as_view(
        url_name="api_schema", permission_classes=[AllowAny], http_method_names=READ_ONLY)), name="api_docs"),
    path("saya/", _open(views_me.Me), name="api_me"),
    path("dosier/", _open(views_dossiers.DossierList), name="api_dossiers"),
    path("dosier/<int:pk>/", _open(views_dossiers.DossierDetail), name="api_dossier"),
    path("dosier/<int:pk>/riwayat/", _open(views_dossiers.DossierHistory), name="api_dossier_history"),
    path("dosier/<int:pk>/iku/<str:stage>/", _open(views_iku.IkuTable), name="api_iku_table"),
    path("dosier/<int:pk>/iku/<str:stage>/skpd/<int:skpd>/versi/", _open(views_iku.IkuVersions),
         name="api_iku_versions"),
    path("dosier/<int:pk>/dokumen/", _open(views_documents.DocumentList), name="api_documents"),
    path("dokumen/<int:document>/berkas/", _open(views_documents.DocumentFile), name="api_document_file"),
    path("dosier/<int:pk>/aksi/<str:action>/", _open(views_actions.TakeAction), name="api_action"),
    path("dosier/<int:pk>/ingatkan/", _open(views_actions.Remind), name="api_remind"),
    path("dosier/<int:pk>/iku-saya/", _open(views_iku_write.MyIku), name="api_my_iku"),
    path("dosier/<int:pk>/iku-saya/draf/", _open(views_iku_write.SaveDraft), name="api_my_iku_draft"),
    path("dosier/<int:pk>/iku-saya/kirim/", _open(views_iku_write.Send), name="api_my_iku_send"),
    path("dosier/<int:pk>/sakip/", _open(views_sakip.SakipExport), name="api_sakip"),
    path("verifikasi/", _open(views_documents.Verification), name="api_verification"),
    path("laporan/", _open(views_report.Report), name="api_report"),
]

urlpatterns = [
    path("api/v1/", include(v1)),
    path("token-api/", views_tokens.token_page, name="api_tokens"),
    path("token-api/<int:pk>/cabut/", views_tokens.revoke_token, name="api_token_revoke"),
    # Last: only what no route above takes.
    re_path(r"^api/", unknown),
]
