"""Requests refused before anything reads them, with a 400 in Indonesian instead of a 500 deeper in.

A body declared in any charset other than UTF-8: our pages are UTF-8 and every browser posts them
back so; a body declared utf-16 or an unknown charset made request.POST raise (LookupError,
UnicodeDecodeError) inside the CSRF check, a 500.

A NUL in the address of an admin page: the admin's filters and search put every query parameter
into SQL, and PostgreSQL refuses a NUL in any string (`?action=ab%00cd` was a 500). No address the
admin makes holds one, so one is refused for all of its pages at once rather than filter by filter.
"""

from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.http import parse_header_parameters

from sop_iku.errors import page

READABLE = {"utf-8", "utf8", "us-ascii", "ascii"}
NUL = "\x00"
NUL_IN_ADDRESS = ("Alamat halaman ini memuat karakter NUL (%00), yang tidak dapat dicari atau disaring. "
                  "Hapus karakter itu dari alamat, lalu coba lagi.")


def admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


def nul_in_address(request) -> bool:
    if NUL in request.path_info:
        return True
    raw = request.META.get("QUERY_STRING", "")
    if "%00" not in raw and NUL not in raw:
        return False  # the common case, without parsing the query
    return any(NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists())


class DeclaredCharsetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            _, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
            charset = params.get("charset")
            if charset is not None and charset.strip().lower() not in READABLE:
                if request.path_info.startswith("/api/"):
                    # A program reads JSON: the API answers every refusal so (api/errors.py).
                    return JsonResponse({"detail": "Isi permintaan harus UTF-8."}, status=400)
                return page(request, 400)
        if nul_in_address(request):
            admin = admin_prefix()
            if admin and request.path_info.startswith(admin):
                return page(request, 400, NUL_IN_ADDRESS)
        return self.get_response(request)
