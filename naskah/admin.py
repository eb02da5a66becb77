"""Admin pages for the official documents: the kop (office profile), numbering per kind and the
serial counters; the record of what each generated document was made from is read-only."""

from django.contrib import admin

from naskah.models import NaskahRecord, NumberingRule, OfficeProfile, SerialCounter


@admin.register(OfficeProfile)
class OfficeProfileAdmin(admin.ModelAdmin):
    list_display = ("unit", "alamat", "telepon", "laman", "surel")
    fieldsets = (
        ("Kop surat", {"fields": ("instansi", "sekretariat", "unit", "alamat", "kode_pos", "telepon", "laman", "surel")}),
        ("Penandatanganan", {"fields": ("kota", "nama_gubernur")}),
        ("Cetakan", {"fields": ("kertas",)}),
    )

    def has_add_permission(self, request):
        # One letterhead: the documents use the first row, a second would be ignored.
        return not OfficeProfile.objects.exists()


@admin.register(NumberingRule)
class NumberingRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "kode_klasifikasi", "kode_unit", "pola", "contoh")

    @admin.display(description="contoh")
    def contoh(self, obj):
        try:
            return obj.format(1, 2027)
        except (KeyError, IndexError, ValueError):
            return "pola tidak valid"


@admin.register(SerialCounter)
class SerialCounterAdmin(admin.ModelAdmin):
    list_display = ("kind", "tahun", "terakhir")
    list_filter = ("tahun", "kind")
    # The counter is moved by the app under a row lock; an admin may set it (a year started on
    # paper) but not add a second row for the same kind and year (the constraint forbids it).


@admin.register(NaskahRecord)
class NaskahRecordAdmin(admin.ModelAdmin):
    list_display = ("document", "nomor", "versi", "signed_by", "signed_at")
    search_fields = ("nomor",)
    # The record of what was issued and signed: nothing here is edited by hand.
    readonly_fields = ("document", "nomor", "versi", "isian", "tahun_nomor", "token", "sha256", "final_file",
                       "final_sha256", "signed_at", "signed_by")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The record of an issued number stays: deleting it would leave a number nobody can trace.
        return False
