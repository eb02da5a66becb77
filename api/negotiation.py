"""Which renderer answers a request: DRF's choice, with a `?format=` the address does not offer told
as a refused parameter naming those it does."""

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class Formats(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        offered = [renderer for renderer in renderers if renderer.format == format]
        if not offered:
            # DRF raises Http404 here, answered "Tidak ditemukan.": the program took the address
            # for gone, not the format for one it does not give.
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            raise ValidationError({"format": [f"format “{format[:20]}” tidak tersedia; yang tersedia: {formats}."]})
        return offered
