"""What every API view shares: a body read by the API's own parser (api.parsers), a write through a
token names the token in its audit event, and a read takes only the query parameters it declares
(`query_parameters`, which the schema lists: api.schema.ApiSchema), each once."""

from rest_framework.exceptions import ValidationError
from rest_framework.views import APIView

from api.models import ApiToken
from api.parsers import JsonBody
from api.schema import ApiSchema
from workflow.audit import through

# DRF's own parameter choosing the answer's renderer (api.negotiation), which every read takes.
FORMAT = "format"
READS = ("GET", "HEAD")


class ApiView(APIView):
    parser_classes = [JsonBody]
    schema = ApiSchema()
    # The query parameters a read takes besides its filters' and pages' (OpenApiParameter each).
    query_parameters = ()

    def dispatch(self, request, *args, **kwargs):
        # The token's name, set once the request is authenticated (`initial`), is let go however the
        # request ends: a failure nobody foresaw skips `finalize_response`, and the name stayed set in
        # the worker, on the next person's writes on a page.
        self._named = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            if self._named is not None:
                through.stop_naming(self._named)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in READS:
            refuse_unknown_parameters(request, self.known_parameters())
        if isinstance(request.auth, ApiToken):
            self._named = through.name_writes(request.auth.nama)

    def known_parameters(self) -> list[str]:
        """Every parameter this read takes, in the order the schema lists them: its filters, its
        pages', its own, and format."""
        filters = getattr(self, "filterset_class", None)
        paginator = getattr(self, "paginator", None)
        return [*(filters.base_filters if filters else ()),
                *(p["name"] for p in (paginator.get_schema_operation_parameters(self) if paginator else ())),
                *(p.name for p in self.query_parameters), FORMAT]


def refuse_unknown_parameters(request, known: list[str]):
    """A parameter a read does not take (?jenis=, ?year=, a misspelt ?tahn=) was ignored, and one sent
    twice (?tahun=2026&tahun=2027) read by its last value: the program was answered 200 as if its
    request had been honoured. Either is a 400 naming it, in the filters' shape."""
    wrong = {}
    for name in request.query_params:
        if name not in known:
            wrong[name[:50]] = ["Parameter tidak dikenal. Yang dikenal: " + ", ".join(known) + "."]
        elif len(request.query_params.getlist(name)) > 1:
            wrong[name] = [f"{name} disebut lebih dari sekali; sebut sekali saja."]
    if wrong:
        raise ValidationError(wrong)
