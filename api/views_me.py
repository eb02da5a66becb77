"""Who the caller is, as the API sees them: the user, roles, agency and the token used."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from api.models import ApiToken
from api.views_base import ApiView
from workflow import policy


class Me(ApiView):
    @extend_schema(summary="Pengguna yang memanggil", responses=inline_serializer("Saya", {
        "username": serializers.CharField(), "nama": serializers.CharField(),
        "peran": serializers.ListField(child=serializers.CharField()),
        "skpd": serializers.CharField(allow_null=True), "token": serializers.DictField(allow_null=True),
    }))
    def get(self, request):
        user, token = request.user, request.auth if isinstance(request.auth, ApiToken) else None
        return Response({
            "username": user.username, "nama": user.display_name, "peran": sorted(policy.roles_of(user)),
            "skpd": user.skpd.nama_pendek if user.skpd_id else None,
            "token": {"nama": token.nama, "akses": token.akses, "berlaku_sampai": token.expires_at} if token else None,
        })
