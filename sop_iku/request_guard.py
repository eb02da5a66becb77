"""Refuse a request body declared in any charset other than UTF-8, before anything reads it.

Our pages are UTF-8 and every browser posts them back so; a body declared utf-16 or an unknown
charset made request.POST raise (LookupError, UnicodeDecodeError) inside the CSRF check, a 500.
"""

from django.utils.http import parse_header_parameters

from sop_iku.errors import page

READABLE = {"utf-8", "utf8", "us-ascii", "ascii"}


class DeclaredCharsetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            _, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
            charset = params.get("charset")
            if charset is not None and charset.strip().lower() not in READABLE:
                return page(request, 400)
        return self.get_response(request)
