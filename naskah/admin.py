"""Admin pages for the official documents: the kop (office profile), numbering per kind and the
serial counters, the signing certificates and the roots they must chain to; the record of what
each generated document was made from is read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from filestore.widgets import StoredFileInput, stored_file_text
from lib.dates import moment_text
from naskah import certificates
from naskah.forms import numbering_years
from naskah.models import (
    LegalBasis,
    NaskahRecord,
    NumberingRule,
    OfficeProfile,
    RenderJob,
    SerialCounter,
    SigningCertificate,
    SigningMethod,
    TrustedRoot,
)
from workflow.admin.mixins import BureauPeopleChoices, DossierScopedAdmin


@admin.register(OfficeProfile)
class OfficeProfileAdmin(admin.ModelAdmin):
    list_display = ("unit", "alamat", "telepon", "laman", "surel")
    fieldsets = (
        ("Kop surat", {"fields": ("lambang", "garuda", "instansi", "sekretariat", "unit", "alamat", "kode_pos", "telepon", "laman",
                                  "surel", "kop_diperiksa")}),
        ("Penandatanganan", {"fields": ("kota", "nama_gubernur")}),
        ("Cetakan", {"fields": ("kertas",)}),
    )
    formfield_overrides = {models.FileField: {"widget": StoredFileInput}}

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
        except (KeyError, IndexError, ValueError, ValidationError):
            return "pola tidak valid"

    def get_readonly_fields(self, request, obj=None):
        # Moved to another kind, or deleted, a rule leaves its kind without one: its letters are
        # then made with no number at all (naskah.generate.allocate), as if the Governor's office
        # gave it. The pattern and codes are what an admin changes.
        return ("kind",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False


class SerialCounterForm(forms.ModelForm):
    class Meta:
        model = SerialCounter
        fields = ("kind", "tahun", "terakhir")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A negative year or number was refused with Django's "Pastikan nilai ini lebih besar dari atau
        # sama dengan 0.", naming neither the year nor the number.
        if "tahun" in self.fields:
            years = numbering_years(timezone.localdate())
            told = f"Tahun itu tidak dipakai penomoran: nomor urut hanya dapat diatur untuk tahun {years[0]} sampai {years[-1]}."
            self.fields["tahun"].error_messages.update(min_value=told, max_value=told)
        if "terakhir" in self.fields:
            self.fields["terakhir"].error_messages["min_value"] = (
                "Nomor urut terakhir tidak boleh negatif: isi 0 bila belum ada nomor yang diberikan tahun itu.")

    def clean_tahun(self):
        # Asked only when the counter is added (its year is read-only after). A year no document can
        # be numbered in (27 or 2207 for 2027) was kept, could be neither changed nor deleted, and
        # the year meant started again at 1: the numbers its agenda book had given already.
        tahun = self.cleaned_data["tahun"]
        years = numbering_years(timezone.localdate())
        if tahun is not None and tahun not in years:
            raise ValidationError(
                f"Tahun {tahun} tidak dipakai penomoran: naskah bertanggal paling jauh satu tahun dari hari ini, jadi "
                f"nomor urut hanya dapat diatur untuk tahun {years[0]} sampai {years[-1]}. Periksa tahunnya."
            )
        return tahun

    def clean_terakhir(self):
        terakhir = self.cleaned_data["terakhir"]
        if self.instance.pk is None or terakhir is None:
            return terakhir
        # Read again under the counter's lock, held until the admin's save commits (the admin saves
        # in one transaction): a number a letter takes meanwhile is counted, never given twice.
        issued = (SerialCounter.objects.select_for_update().filter(pk=self.instance.pk)
                  .values_list("terakhir", flat=True).first())
        if issued is not None and terakhir < issued:
            raise ValidationError(
                f"Nomor urut hanya dapat dinaikkan: nomor sampai {issued} sudah diberikan atau dilewati dan tidak boleh dipakai lagi."
            )
        return terakhir


@admin.register(SerialCounter)
class SerialCounterAdmin(admin.ModelAdmin):
    form = SerialCounterForm
    list_display = ("kind", "tahun", "terakhir")
    list_filter = ("tahun", "kind")
    # Its one field an admin changes is read again under the counter's lock and only moved forward
    # (SerialCounterForm.clean_terakhir): an older page cannot take it back. A page version would
    # refuse the admin every time a letter took a number meanwhile.
    own_stale_check = "SerialCounterForm.clean_terakhir"
    # The counter is moved by the app under a row lock; an admin may move it forward (a year
    # started on paper) but not back, nor add a second row for the same kind and year (the
    # constraint forbids it).

    def get_readonly_fields(self, request, obj=None):
        # Moved to another kind or year, a counter would start its own again at 1.
        return ("kind", "tahun") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        # Deleted, it would start its kind and year again at 1 and give the same numbers again.
        return False


@admin.register(NaskahRecord)
class NaskahRecordAdmin(DossierScopedAdmin, admin.ModelAdmin):
    dossier_path = "document__dossier"
    list_display = ("document", "nomor", "versi", "signed_by", "signed_at")
    search_fields = ("nomor",)
    # The record of what was issued and signed: nothing here is edited by hand.
    readonly_fields = ("document", "nomor", "versi", "isian", "tahun_nomor", "token", "sha256", "naskah_final",
                       "final_sha256", "signed_at", "signed_by")
    # The stored file has no URL to link to (filestore.storage): it is named by `naskah_final`.
    exclude = ("final_file",)

    @admin.display(description="naskah final")
    def naskah_final(self, record):
        return stored_file_text(record.final_file)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Its SRIKANDI number too is recorded on the site, by the last step's clerks and in the
        # dossier's history (naskah.srikandi.record_number), never typed over here unlogged.
        return False

    def has_delete_permission(self, request, obj=None):
        # The record of an issued number stays: deleting it would leave a number nobody can trace.
        return False


class CertificateUploadForm(forms.ModelForm):
    """Installs a PKCS#12 file: opened here with its passphrase (a wrong one is refused beside the
    field), then both are kept sealed."""

    berkas = forms.FileField(label="Berkas PKCS#12 (.p12 / .pfx)", required=False)
    sandi = forms.CharField(label="Sandi berkas", required=False, max_length=256, strip=False,
                            widget=forms.PasswordInput(render_value=False))

    class Meta:
        model = SigningCertificate
        fields = ("nama", "pemilik", "aktif")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("berkas")
        if self.instance.pk is None and upload is None:
            self.add_error("berkas", "Pilih berkas PKCS#12 sertifikat.")
        if upload is not None:
            if upload.size > 256 * 1024:
                self.add_error("berkas", "Berkas terlalu besar untuk sebuah sertifikat.")
                return cleaned
            try:
                certificates.fill(self.instance, upload.read(), cleaned.get("sandi") or "")
            except ValidationError as error:
                self.add_error("sandi", error)
                return cleaned
            if self.instance.berlaku_sampai <= timezone.now():
                # Never used (certificates.usable): its official would sign with the institution's.
                self.add_error("berkas", f"Sertifikat ini sudah tidak berlaku sejak {moment_text(self.instance.berlaku_sampai)}, "
                                         "jadi tidak akan pernah dipakai menandatangani. Pasang sertifikat yang masih berlaku.")
                return cleaned
            if SigningCertificate.objects.exclude(pk=self.instance.pk).filter(
                    sidik_sha256=self.instance.sidik_sha256).exists():
                self.add_error("berkas", "Sertifikat ini sudah terpasang.")
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(BureauPeopleChoices, admin.ModelAdmin):
    form = CertificateUploadForm
    list_display = ("nama", "pemilik", "subjek", "berlaku_sampai", "aktif")
    list_filter = ("aktif",)
    readonly_fields = ("subjek", "penerbit", "nomor_seri", "sidik_sha256", "berlaku_mulai", "berlaku_sampai",
                       "dipasang_pada")
    bureau_people_fields = ("pemilik",)

    def has_delete_permission(self, request, obj=None):
        # A certificate documents were signed with is deactivated, not deleted: the record says who signed.
        return False

    def changelist_view(self, request, extra_context=None):
        # Officers meet it only when they sign; the admin, who can mend it, is told here first.
        for row in certificates.usable().order_by("nama"):
            if certificates.role(row) is None:
                self.message_user(request, certificates.KEY_CHANGED.format(nama=row.nama) + (
                    " Pasang kembali kunci yang lama, atau buka sertifikat itu dan unggah ulang berkas PKCS#12-nya "
                    "dengan sandinya."), messages.ERROR)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.berlaku_mulai > timezone.now():
            meanwhile = f" ({obj.pemilik} menandatangani dengan sertifikat instansi)" if obj.pemilik else ""
            self.message_user(request, f"Sertifikat ini baru berlaku mulai {moment_text(obj.berlaku_mulai)}: sampai saat "
                                       f"itu belum dipakai menandatangani{meanwhile}.", messages.WARNING)


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    """The draft decree's Mengingat, in order; a rule repealed is made inactive, not deleted, so what
    older drafts printed stays explained."""

    list_display = ("urutan", "__str__", "aktif", "diperiksa")
    list_display_links = ("__str__",)
    list_editable = ("urutan", "aktif")
    list_filter = ("aktif", "diperiksa")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "urutan":
            # On the page and in the list alike: -1 said Django's "Pastikan nilai ini lebih besar dari
            # atau sama dengan 0.", naming no field.
            field.error_messages["min_value"] = "Urutan tidak boleh negatif: 0 atau lebih, yang kecil tercetak lebih dahulu."
        return field

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SigningMethod)
class SigningMethodAdmin(BureauPeopleChoices, admin.ModelAdmin):
    """Per official: BSrE (SOP_BSRE_URL) or the certificate installed here, and whether a BSrE
    official may fall back on it while BSrE does not answer."""

    list_display = ("pejabat", "cara", "cadangan_lokal")
    list_filter = ("cara", "cadangan_lokal")
    bureau_people_fields = ("pejabat",)


class TrustedRootForm(forms.ModelForm):
    berkas = forms.FileField(label="Sertifikat akar (PEM atau DER)", required=False)

    class Meta:
        model = TrustedRoot
        fields = ("nama", "aktif")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("berkas")
        if self.instance.pk is None and upload is None:
            self.add_error("berkas", "Pilih berkas sertifikat akar.")
        if upload is not None:
            try:
                certificate = certificates.read_root(upload.read(64 * 1024))
            except ValidationError as error:
                self.add_error("berkas", error)
                return cleaned
            for name, value in certificates.root_fields(certificate).items():
                setattr(self.instance, name, value)
            if TrustedRoot.objects.exclude(pk=self.instance.pk).filter(sidik_sha256=self.instance.sidik_sha256).exists():
                self.add_error("berkas", "Sertifikat akar ini sudah dipercaya.")
        return cleaned


@admin.register(TrustedRoot)
class TrustedRootAdmin(admin.ModelAdmin):
    form = TrustedRootForm
    list_display = ("nama", "subjek", "berlaku_sampai", "aktif")
    readonly_fields = ("subjek", "sidik_sha256", "berlaku_sampai")


@admin.register(RenderJob)
class RenderJobAdmin(DossierScopedAdmin, admin.ModelAdmin):
    """What the task worker was asked to lay out and how it ended: where an admin looks when an
    officer says a decree stays "sedang disiapkan" (is sop-iku-worker running?) or failed."""

    list_display = ("dibuat", "dossier", "kind", "tujuan", "status", "tahap", "pemohon", "selesai", "pesan")
    list_filter = ("status", "tujuan", "kind")
    list_select_related = ("dossier", "pemohon")
    readonly_fields = [field.name for field in RenderJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
