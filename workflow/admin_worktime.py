"""Admin pages for the working-time calendar (office hours, days off) and the reminders sent."""

from django.contrib import admin

from workflow.models import DigestSent, HariKhusus, Jadwal, JamKerja, ReminderSent
from workflow.worktime import package_days


class JamKerjaInline(admin.TabularInline):
    model = JamKerja
    extra = 0
    fields = ("hari", "masuk", "pulang", "istirahat_mulai", "istirahat_selesai")


@admin.register(Jadwal)
class JadwalAdmin(admin.ModelAdmin):
    inlines = [JamKerjaInline]
    list_display = ("nama", "bawaan", "mulai", "sampai", "ringkasan")
    fields = ("nama", "bawaan", "mulai", "sampai", "dasar")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hari")

    @admin.display(description="jam kerja")
    def ringkasan(self, obj):
        return "; ".join(str(row) for row in obj.hari.all()) or "tidak ada hari kerja"


@admin.register(HariKhusus)
class HariKhususAdmin(admin.ModelAdmin):
    list_display = ("tanggal", "jenis", "keterangan", "menurut_kalender_nasional")
    list_filter = ("jenis",)
    date_hierarchy = "tanggal"
    search_fields = ("keterangan",)

    @admin.display(description="menurut kalender nasional")
    def menurut_kalender_nasional(self, obj):
        found = package_days(obj.tanggal.year).get(obj.tanggal)
        return f"{found[0]}: {found[1]}" if found else "-"


class SentAdmin(admin.ModelAdmin):
    # A record of what went out; editing it would make the command send again or stay silent.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(SentAdmin):
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
