"""Admin pages for what the reminder command has sent (read-only: editing would make it send again
or stay silent)."""

from django.contrib import admin

from workflow.admin.mixins import DossierScopedAdmin
from workflow.models import DigestSent, ReminderSent


class SentAdmin(admin.ModelAdmin):
    # A record of what went out; editing it would make the command send again or stay silent.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(DossierScopedAdmin, SentAdmin):
    # Names the dossier and who was reminded of it: listed as the dossiers are, by the policy.
    dossier_path = "visit__dossier"
    list_display = ("sent_at", "kind", "dosier", "posisi", "recipients")
    list_filter = ("kind",)
    list_select_related = ("visit__dossier",)

    @admin.display(description="dosier")
    def dosier(self, obj):
        return obj.visit.dossier

    @admin.display(description="posisi")
    def posisi(self, obj):
        return obj.visit.get_state_display()


@admin.register(DigestSent)
class DigestSentAdmin(SentAdmin):
    list_display = ("tanggal", "jumlah", "recipients", "sent_at")
