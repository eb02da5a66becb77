"""What every API view shares: a body read by the API's own parser (api.parsers), and a write
through a token names the token in its audit event."""

from rest_framework.views import APIView

from api.models import ApiToken
from api.parsers import JsonBody
from workflow.audit import through


class ApiView(APIView):
    parser_classes = [JsonBody]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        token = request.auth if isinstance(request.auth, ApiToken) else None
        self._through = through.api_token(token.nama) if token else None
        if self._through:
            self._through.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        if getattr(self, "_through", None):
            self._through.__exit__(None, None, None)
            self._through = None
        return super().finalize_response(request, response, *args, **kwargs)
