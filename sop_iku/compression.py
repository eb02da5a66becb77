"""Pages and text exports sent gzip-compressed: a kabupaten office on 3G or a shared satellite link
pays per megabyte, and a dossier page of 31 KB is 5 KB compressed, the IKU table of 200 rows 143 KB
about 10-25 KB. Static files are compressed once by collectstatic (WhiteNoise); PDFs, images, XLSX
and ZIPs are compressed already and passed as they are.

BREACH (a secret read from the compressed length of pages that also echo what an attacker sends)
does not find one here: the CSRF token is masked afresh in every response (Django), so no secret
stands still from one response to the next; the session cookie (SameSite=Lax) goes with no
cross-site request but a top-level navigation, not the thousands the attack sends; the API's token
travels in a header no other site can set; and Django adds 0-99 random bytes to each response's
gzip header (its BREACH mitigation), blurring the length the attack measures. What a page lists
is no secret from its own reader, and a search's answer already differs in length by its matches.
"""

from django.middleware.gzip import GZipMiddleware

TEXT = ("text/", "application/json", "application/javascript", "application/xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(TEXT):
            return response
        return super().process_response(request, response)
