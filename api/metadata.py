"""What an OPTIONS request is answered: the methods the address serves, in the API's words. DRF's
own answer named the view's Python class in English ("Dossier List", "Take Action", "Send") beside
JSON renderers, the only English a program met from the API, and told nothing the schema does not."""

from django.urls import reverse
from rest_framework.metadata import BaseMetadata


class Allowed(BaseMetadata):
    def determine_metadata(self, request, view):
        methods = view.allowed_methods
        return {"detail": f"Alamat ini melayani {', '.join(methods)}; uraian setiap operasinya ada di skema OpenAPI "
                          f"{reverse('api_schema')}.", "metode": methods}
