"""The admin site: Django's, its recent actions listing each change once (a delegation's is also
written on the accounts it names, for their Riwayat: workflow.delegation_history)."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class Site(AdminSite):
    def get_log_entries(self, request):
        from workflow import delegation_history

        return delegation_history.without_account_copies(super().get_log_entries(request))


class SiteConfig(AdminConfig):
    default_site = "sop_iku.admin_site.Site"
