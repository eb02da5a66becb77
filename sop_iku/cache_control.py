"""Pages, downloads and exports carry dossiers and names: no shared cache or browser history keeps
them (static files are served before this, with their own long cache)."""

from django.utils.cache import patch_cache_control


class PrivateByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
