"""The admin site: Django's, its recent actions listing each change once (a delegation's is also
written on the accounts it names, for their Riwayat: workflow.delegation_history), and its searches
bounded."""

from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.main import SEARCH_VAR

# What a list's search box (`q`) and a field's search (`term`, Django's autocomplete) are cut to: no
# field searched holds more (the longest, an agency's official name, holds 255). A search of a
# thousand words made SQLite refuse the query (a tree of that many conditions): a 500 on every list.
SEARCHES = (SEARCH_VAR, "term")
SEARCH_MAX = 255


def bounded_searches(request) -> None:
    if any(len(request.GET.get(name, "")) > SEARCH_MAX for name in SEARCHES):
        request.GET = request.GET.copy()
        for name in SEARCHES:
            if name in request.GET:
                request.GET[name] = request.GET[name][:SEARCH_MAX]


class Site(AdminSite):
    def admin_view(self, view, cacheable=False):
        # Every list, page and search of the admin is served through here (its URLs and each
        # ModelAdmin's), so one bound serves them all.
        inner = super().admin_view(view, cacheable)

        def searched(request, *args, **kwargs):
            bounded_searches(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(searched, inner)

    def get_log_entries(self, request):
        from workflow import delegation_history

        return delegation_history.without_account_copies(super().get_log_entries(request))


class SiteConfig(AdminConfig):
    default_site = "sop_iku.admin_site.Site"
