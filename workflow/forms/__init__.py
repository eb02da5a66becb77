"""Forms of the actions on a dossier (shared by the pages and the admin), and of the lists.

Every action form is built as `Form(data, files, dossier=, user=)` and hands the transition its
keyword arguments through `transition_kwargs()`; `workflow.actions` names which form each action
uses.
"""

import math
import re

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.functional import cached_property

from iku.round import unstaffed
from lib.choices import IdChoiceField, IdMultipleChoiceField
from lib.dates import INVALID_DATE, moment_text
from lib.one_line import refuse_line_break
from workflow import gates, policy
from workflow.forms.agency_select import AgencySelect
from workflow.forms.uploads import (
    CONVERT,
    EMPTY,
    JPEG,
    PDF,
    PNG,
    document_from_upload,
    extension,
    megabytes,
    validate_upload,
)
from workflow.models import Dossier, Meeting, Skpd, titles
from workflow.steps import STATE_CHOICES, STEPS, DocKind

SCAN_TYPES = (PDF, JPEG, PNG)
# Spaces typed around a number's slashes ("188.44 / 123 / Kesra-2027"), as the decree is typed and
# searched: the numbers the app writes have none.
SPACED_SLASH = re.compile(r"\s*/\s*")
SCAN_NOT_ALLOWED = "Jenis berkas tidak diizinkan untuk pindaian: hanya PDF, JPEG atau PNG."
SCAN_TIFF = ("Berkas TIFF dari pemindai: pindai ulang dengan keluaran PDF, atau buka lalu simpan/ekspor sebagai PDF, "
             "kemudian unggah lagi.")


class ActionForm(forms.Form):
    """A form whose cleaned fields are the transition's keyword arguments."""

    # Read by a program through the API (api.views_actions sets it), which has no boxes to tick:
    # a refusal names the JSON field and the numbers to send where the page names its boxes.
    for_program = False

    def __init__(self, data=None, files=None, *, dossier=None, user=None, request=None, **kwargs):
        self.request = request
        self.dossier, self.user = dossier, user
        super().__init__(data, files, **kwargs)

    def transition_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(ActionForm):
    catatan = forms.CharField(
        label="Catatan perbaikan",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Catatan perbaikan wajib diisi saat mengembalikan draft."},
    )


class DecreeForm(ActionForm):
    nomor_kepgub = forms.CharField(
        label="Nomor Keputusan Gubernur",
        max_length=100,
        error_messages={"required": "Nomor Keputusan Gubernur wajib diisi."},
    )
    tanggal_kepgub = forms.DateField(
        label="Tanggal Keputusan Gubernur",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Tanggal Keputusan Gubernur wajib diisi.", "invalid": INVALID_DATE},
    )
    pindaian = forms.FileField(
        label="Pindaian Keputusan yang ditandatangani", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={"empty": EMPTY, "invalid": "Berkas tidak terbaca; coba unggah lagi."},
    )

    def clean_nomor_kepgub(self):
        # Typed from the paper, a number often gets spaces around its slashes ("188.44/ 123 /HK/2027")
        # or doubled: kept so, the archive's search for the number as printed on the decree would not
        # find the round, and the verification page and exports would carry another number.
        number = " ".join(self.cleaned_data["nomor_kepgub"].split())
        return SPACED_SLASH.sub("/", number)

    def clean_tanggal_kepgub(self):
        day = self.cleaned_data["tanggal_kepgub"]
        # The Governor signed already: a date ahead is a typo, and so is one before the round began.
        if day > timezone.localdate():
            raise forms.ValidationError("Tanggal Keputusan Gubernur tidak boleh sesudah hari ini.")
        if self.dossier is not None and day < timezone.localtime(self.dossier.created_at).date():
            raise forms.ValidationError(
                f"Tanggal Keputusan Gubernur tidak boleh sebelum dosier dibuka ({moment_text(self.dossier.created_at)})."
            )
        # Nor before the Kabiro signed the Nota that carried the draft up: the Governor signs the
        # draft the bureau forwarded, so an earlier date is a slip (a day or a month mistyped).
        signed = self._nota_signed_at()
        if signed is not None and day < timezone.localtime(signed).date():
            raise forms.ValidationError(
                f"Tanggal Keputusan Gubernur tidak boleh sebelum Kabiro menandatangani Nota Dinas "
                f"({moment_text(signed)}): Gubernur menetapkan draft yang diteruskan sesudahnya. Periksa tanggalnya."
            )
        return day

    def clean(self):
        cleaned = super().clean()
        number, day = cleaned.get("nomor_kepgub"), cleaned.get("tanggal_kepgub")
        if number and day:
            # One number names one decree. A revision's own title prints the number of the decree it
            # amends, and that number kept as the revision's made the year's decree read as amended
            # by itself. A number without its year may come again in another year, as its serial
            # starts again in January: only the same year's is refused.
            taken = (Dossier.objects.filter(nomor_kepgub__iexact=number, tanggal_kepgub__year=day.year)
                     .exclude(pk=getattr(self.dossier, "pk", None)).order_by("closed_at", "pk").first())
            if taken is not None:
                self.add_error("nomor_kepgub", forms.ValidationError(
                    f"Nomor {number} sudah tercatat sebagai {taken.decree_text} pada dosier “{taken.judul}”: satu "
                    "nomor hanya untuk satu keputusan. Keputusan perubahan mempunyai nomornya sendiri; periksa nomor di "
                    "bawah judul KEPUTUSAN GUBERNUR, bukan nomor keputusan yang diubahnya.", code="taken"))
        return cleaned

    def _nota_signed_at(self):
        """When the step that signs the Nota was last left (the Kabiro's signature), or None."""
        if self.dossier is None or self.dossier.pk is None:
            return None
        states = [step.state for step in STEPS if DocKind.NOTA_DINAS in step.signs]
        return (self.dossier.visits.filter(state__in=states, left_at__isnull=False)
                .order_by("-left_at").values_list("left_at", flat=True).first())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pindaian"].help_text = (
            f"PDF, JPEG atau PNG dari Keputusan Gubernur yang sudah ditandatangani; paling besar "
            f"{megabytes(settings.UPLOAD_MAX_BYTES, math.floor)} MB.")

    def clean_pindaian(self):
        scan = self.cleaned_data["pindaian"]
        if scan:
            try:
                self.scan_type = validate_upload(scan)
            except forms.ValidationError as refused:
                # The general refusal lists DOCX and XLSX too, which a scan may not be. A scanner's
                # TIFF and a phone's HEIC are the usual files here: what to do with them is said.
                if refused.code != "type":
                    raise
                ext = extension(scan.name)
                advice = SCAN_TIFF if ext in (".tif", ".tiff") else CONVERT.get(ext, "") if ext in (".heic", ".heif") else ""
                raise forms.ValidationError(f"{SCAN_NOT_ALLOWED} {advice}".strip(), code="type") from None
            if self.scan_type not in SCAN_TYPES:
                raise forms.ValidationError("Pindaian harus PDF, JPEG atau PNG.")
        return scan

    def transition_kwargs(self):
        kwargs = dict(self.cleaned_data)
        scan = kwargs.pop("pindaian")
        if scan:
            kwargs["pindaian"] = document_from_upload(scan, DocKind.KEPGUB_PENETAPAN, self.scan_type,
                                                      keterangan=f"Nomor {self.cleaned_data['nomor_kepgub']}")
        return kwargs


class DecreeCorrectionForm(DecreeForm):
    """The decree's record corrected after the round closed: its number, date or scan, with the
    reason kept in the history beside the old and the new."""

    alasan = forms.CharField(
        label="Alasan koreksi", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Alasan koreksi wajib diisi: riwayat mencatat mengapa catatan diubah."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dossier is not None and not self.is_bound:
            self.initial = {"nomor_kepgub": self.dossier.nomor_kepgub, "tanggal_kepgub": self.dossier.tanggal_kepgub}

    def clean(self):
        cleaned = super().clean()
        unchanged = (cleaned.get("nomor_kepgub", "").strip() == self.dossier.nomor_kepgub
                     and cleaned.get("tanggal_kepgub") == self.dossier.tanggal_kepgub and not cleaned.get("pindaian"))
        if unchanged and not self.errors:
            raise forms.ValidationError("Tidak ada yang dikoreksi: ubah nomor, tanggal, atau lampirkan pindaian.")
        return cleaned


class CancelForm(ActionForm):
    alasan = forms.CharField(
        label="Alasan pembatalan",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Alasan pembatalan wajib diisi."},
    )


def _signs_something(dossier, step) -> bool:
    """Whether finishing `step` signs a document made here: a step whose letter was uploaded
    (signed on paper) asks no password."""
    from naskah import record

    return any(record.awaits_finishing(record.latest(dossier, kind)) for kind in step.signs)


class SigningFields(forms.Form):
    """What a signer confirms a signature with: their login password (a wrong one is refused and
    counted with failed logins by django-axes, so a borrowed session cannot sign), or, for an
    official the admin set to BSrE, their NIK and BSrE passphrase for this signing only (and, where
    allowed, the local certificate when BSrE does not answer). The form sets `user` and `request`
    and calls `setup_signing`."""

    # Set by the API (as ActionForm's): the BSrE refusals name the JSON fields, not the page's box.
    for_program = False

    kata_sandi = forms.CharField(
        label="Kata sandi Anda (konfirmasi tanda tangan)", max_length=128, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Naskah yang dibuat aplikasi pada langkah ini ditandatangani secara elektronik dengan sertifikat "
                  "Anda (atau sertifikat instansi).",
        error_messages={"required": "Masukkan kata sandi Anda untuk menandatangani."},
    )

    nik = forms.CharField(
        label="NIK Anda (terdaftar di BSrE)", max_length=16, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="16 angka, seperti di KTP. Tidak disimpan.",
    )
    passphrase = forms.CharField(
        label="Passphrase sertifikat elektronik BSrE", max_length=128, required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text="Bukan kata sandi aplikasi ini. Dikirim ke BSrE untuk penandatanganan ini saja, tidak disimpan.",
    )
    pakai_sertifikat_lokal = forms.BooleanField(
        label="BSrE tidak dapat dihubungi: tandatangani dengan sertifikat yang dipasang di aplikasi", required=False,
        help_text="Diizinkan admin untuk Anda. Isi kata sandi aplikasi di atas; NIK dan passphrase tidak diperlukan.",
    )

    def setup_signing(self, signs: bool) -> None:
        """Ask for the signature when `signs`, the way the admin set the user to sign."""
        from naskah import signers

        self.bsre_method = signers.method_of(self.user) if signs else None
        if not signs:
            del self.fields["kata_sandi"]
        if self.bsre_method is None:
            for name in ("nik", "passphrase", "pakai_sertifikat_lokal"):
                del self.fields[name]
        else:
            self.fields["kata_sandi"].required = False
            self.fields["kata_sandi"].help_text = ("Diisi hanya bila menandatangani dengan sertifikat yang dipasang di "
                                                   "aplikasi karena BSrE tidak dapat dihubungi.")
            if not self.bsre_method.cadangan_lokal:
                del self.fields["pakai_sertifikat_lokal"]
                self.fields["nik"].required = self.fields["passphrase"].required = True
                self.fields["nik"].error_messages["required"] = "NIK terdiri atas 16 angka, seperti di KTP Anda."
                self.fields["passphrase"].error_messages["required"] = (
                    "Masukkan passphrase sertifikat elektronik BSrE Anda untuk menandatangani.")
            self.order_fields(["nik", "passphrase", "pakai_sertifikat_lokal", "kata_sandi"])

    def clean_kata_sandi(self):
        if self.bsre_method is None:
            self._check_password(self.cleaned_data["kata_sandi"])
        return ""

    def _check_password(self, password: str) -> None:
        # authenticate() with the request: django-axes counts a wrong password as a failed login.
        if authenticate(self.request, username=self.user.get_username(), password=password) is None:
            raise forms.ValidationError(
                "Kata sandi salah: tidak ada yang ditandatangani. Kesalahan ini dihitung sebagai gagal masuk."
            )

    def _bsre_plan(self, cleaned):
        """How a BSrE official signs: through BSrE, after the service confirmed their NIK can sign;
        with the local certificate only when allowed and BSrE really does not answer."""
        from naskah import bsre, signers

        allowed = self.bsre_method.cadangan_lokal
        client = bsre.Client()
        if cleaned.get("pakai_sertifikat_lokal"):
            try:
                client.user_status(cleaned.get("nik") or "0" * 16)
            except bsre.ServiceDown:
                if not self.data.get("kata_sandi"):
                    self.add_error("kata_sandi", "Masukkan kata sandi aplikasi Anda untuk menandatangani dengan "
                                                 "sertifikat yang dipasang di aplikasi.")
                    return None
                try:
                    self._check_password(self.data["kata_sandi"])
                except forms.ValidationError as error:
                    self.add_error("kata_sandi", error)
                    return None
                return signers.Plan(signers.LOCAL_FALLBACK)
            except bsre.BsreError:
                pass
            self.add_error("pakai_sertifikat_lokal", "Layanan BSrE dapat dihubungi: tandatangani melalui BSrE dengan "
                                                     "NIK dan passphrase Anda.")
            return None
        nik, passphrase = cleaned.get("nik", ""), cleaned.get("passphrase", "")
        if not (len(nik) == 16 and nik.isdigit()):
            self.add_error("nik", "NIK terdiri atas 16 angka, seperti di KTP Anda.")
        if not passphrase:
            self.add_error("passphrase", "Masukkan passphrase sertifikat elektronik BSrE Anda untuk menandatangani.")
        if self.errors:
            return None
        try:
            client.user_status(nik)
        except (bsre.NikNotRegistered, bsre.CertificateRevoked) as error:
            self.add_error("nik", str(error))
            return None
        except bsre.ServiceDown as error:
            self.add_error(None, str(error) + (signers.fallback_hint(self.for_program) if allowed else ""))
            return None
        except bsre.BsreError as error:
            self.add_error(None, str(error))
            return None
        return signers.Plan(signers.BSRE, nik=nik, passphrase=passphrase, fallback_allowed=allowed,
                            for_program=self.for_program)

    def signing_plan(self, cleaned):
        """How the signature is made (naskah.signers.Plan), once the fields are valid; None when
        nothing is signed or a field was refused."""
        from naskah import signers

        if "kata_sandi" not in self.fields or self.errors:
            return None
        return self._bsre_plan(cleaned) if self.bsre_method is not None else signers.Plan(signers.LOCAL)


class FinishForm(SigningFields, ActionForm):
    """Finish the current step. At a step whose Output is the agencies' IKU, the Kasubag lists the
    agencies moved on without (each missing one must be ticked). At a step that signs documents
    (`Step.signs`), the signer confirms with their login password: a wrong one is refused and
    counted with failed logins (django-axes), so a borrowed session cannot sign."""

    # Its own fields before the signature's, as the page always showed them.
    field_order = ["skpd_belum_mengirim", "catatan", "kata_sandi"]
    skpd_belum_mengirim = IdMultipleChoiceField(
        label="SKPD yang belum mengirim (dicatat dalam riwayat)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # Django's "Masukkan pilihan yang valid" speaks of a select's options; the API sends numbers,
        # and a page reaches it when the agency sent after the page was opened.
        error_messages={"invalid_choice": "SKPD nomor %(value)s tidak termasuk SKPD undangan yang belum mengirim "
                                          "(sudah mengirim, atau tidak diundang)."},
    )
    catatan = forms.CharField(label="Catatan", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        step = self.dossier.step if self.dossier is not None else None
        signs = step is not None and _signs_something(self.dossier, step)
        self.setup_signing(signs)
        self.missing = gates.missing_submissions(self.dossier, step) if step else []
        if self.missing:
            field = self.fields["skpd_belum_mengirim"]
            field.queryset = Skpd.objects.filter(pk__in=[s.pk for s in self.missing])
            # Waiting for an agency nobody acts for waits for nobody, and a table sent back for fixes
            # is awaited again: each name says so where it is ticked.
            nobody = {agency.pk for agency in unstaffed(self.missing)}
            # Both where both hold: a reopened table whose officer was deactivated since.
            self.marks = {agency.pk: " (" + "; ".join(
                mark for mark, holds in (("dibuka kembali, belum dikirim lagi", agency.reopened),
                                         ("belum ada petugas", agency.pk in nobody)) if holds) + ")"
                for agency in self.missing if agency.reopened or agency.pk in nobody}
            # By the short name, as the refusal below, the gate, the round's table and the history name
            # them and as the boxes are sorted: the abbreviation (Bappeda, DPPESDM) read as another agency.
            field.label_from_instance = lambda agency: f"{agency.nama_pendek}{self.marks.get(agency.pk, '')}"
            if not step.iku_stage:
                # At step 6 only the reopened tables are awaited: ticked, the Nota goes on with what they sent before.
                field.label = "SKPD yang IKU-nya dibuka kembali dan belum dikirim lagi (dilanjutkan dengan tabel " \
                              "yang dikirim sebelumnya; dicatat dalam riwayat)"
            if nobody:
                field.help_text = ("SKPD bertanda “belum ada petugas” tidak punya pengguna aktif berperan SKPD, sehingga "
                                   "tidak dapat mengirim IKU lewat aplikasi: catat sebagai belum mengirim, atau minta "
                                   "admin menambahkan petugasnya (Admin › Pengguna) lalu tunggu kirimannya.")
        else:
            del self.fields["skpd_belum_mengirim"]

    def clean_skpd_belum_mengirim(self):
        ticked = set(self.cleaned_data["skpd_belum_mengirim"])
        unticked = [s for s in self.missing if s not in ticked]
        if unticked:
            if self.for_program:
                # A program ticks nothing: it sends the agencies' numbers, which it is told with their names.
                def named(s):
                    mark = self.marks.get(s.pk, "").strip(" ()")
                    return f"{s.pk} ({s.nama_pendek}{', ' + mark if mark else ''})"
                raise forms.ValidationError(
                    "skpd_belum_mengirim harus memuat nomor setiap SKPD yang belum mengirim untuk melanjutkan tanpa "
                    "kiriman mereka; belum disebut: " + ", ".join(named(s) for s in unticked) + "."
                )
            # Named as the boxes are.
            if not self.dossier.step.iku_stage:
                raise forms.ValidationError(
                    "Centang semua SKPD yang IKU-nya dibuka kembali dan belum dikirim lagi untuk melanjutkan "
                    "dengan tabel yang dikirimnya sebelumnya: " + ", ".join(s.nama_pendek for s in unticked) + "."
                )
            raise forms.ValidationError(
                "Centang semua SKPD yang belum mengirim untuk melanjutkan tanpa kiriman mereka: "
                + ", ".join(f"{s.nama_pendek}{self.marks.get(s.pk, '')}" for s in unticked) + "."
            )
        return list(ticked)

    def clean(self):
        cleaned = super().clean()
        if "kata_sandi" in self.fields:
            # Before the signer is asked (BSrE called): minutes of a meeting not closed yet are
            # refused with when they can be signed, what was typed here kept.
            from naskah import record

            now = timezone.now()
            for made in (record.latest(self.dossier, kind) for kind in self.dossier.step.signs):
                if record.awaits_finishing(made):
                    for text in record.meeting_not_over(made, self.dossier, now):
                        self.add_error(None, text)
        self.plan = self.signing_plan(cleaned)
        return cleaned

    def transition_kwargs(self):
        kwargs = {"skpd_belum_mengirim": self.cleaned_data.get("skpd_belum_mengirim", []),
                  "catatan": self.cleaned_data["catatan"]}
        if getattr(self, "plan", None) is not None:
            kwargs["tanda_tangan"] = self.plan
        return kwargs


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_at", "tempat", "pimpinan", "ringkasan"]
        widgets = {
            "held_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ringkasan": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "held_at": {"required": "Waktu rapat wajib diisi.", "invalid": "Waktu rapat tidak valid."},
            "tempat": {"required": "Tempat rapat wajib diisi.",
                       "max_length": "Tempat rapat paling panjang %(limit_value)d karakter (sekarang %(show_value)d)."},
            "pimpinan": {"required": "Pimpinan rapat wajib diisi.",
                         "max_length": "Pimpinan rapat paling panjang %(limit_value)d karakter (sekarang %(show_value)d)."},
            "ringkasan": {"required": "Ringkasan dan keputusan rapat wajib diisi.",
                          "max_length": "Ringkasan dan keputusan paling panjang %(limit_value)d karakter "
                                        "(sekarang %(show_value)d)."},
        }

    def __init__(self, data=None, files=None, *, dossier=None, user=None, request=None, **kwargs):
        self.request = request
        self.dossier, self.user = dossier, user
        super().__init__(data, files, **kwargs)
        for field in self.fields.values():
            # No maxlength on the page: the browser cut a longer paste there without a word (a place
            # of 300 characters kept 200). Past its length a text is refused at its field, as typed.
            field.widget.attrs.pop("maxlength", None)

    def clean_held_at(self):
        held_at = self.cleaned_data["held_at"]
        problem = meeting_time_problem(held_at, self.dossier.state_entered_at, timezone.now())
        if problem:
            raise forms.ValidationError(problem)
        return held_at

    def transition_kwargs(self):
        return {"meeting": self.save(commit=False)}


def meeting_time_problem(held_at, step_entered_at, now) -> str:
    """Why a meeting time cannot count for the step now, or "": a meeting of this step is held
    during its stay (since it began) and has already taken place."""
    if held_at > now:
        return "Waktu rapat tidak boleh di masa depan: catat rapat setelah rapat berlangsung."
    # The form takes minutes: a meeting in the minute the step began counts.
    if held_at < step_entered_at.replace(second=0, microsecond=0):
        return (
            f"Rapat ini terjadi sebelum langkah ini dimulai ({moment_text(step_entered_at)}); "
            "catat hanya rapat langkah ini."
        )
    return ""


class AgencyChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, skpd):
        # Shown by the name it is sorted by: sorting by the full name and showing the short one
        # looked random.
        return skpd.nama_pendek


# The groups of the agency picker, in the order of the province's organisation chart; a kind not
# listed comes after them, alphabetically.
KIND_ORDER = ("Sekretariat Daerah", "Sekretariat DPRD", "Inspektorat", "Dinas", "Badan", "Biro", "Satuan", "Rumah Sakit")


def kind_rank(kind: str) -> tuple:
    for rank, known in enumerate(KIND_ORDER):
        if kind.startswith(known):
            return (rank, kind)
    return (len(KIND_ORDER), kind or "Lainnya")


class TitleYearForm(forms.Form):
    """A round's year and title, as opening it and correcting it ask them: a title naming another
    year is refused at the title, the prefilled one follows the year (`workflow.models.titles`)."""

    # Its bounds in words, as the API's year filter says them: Django's own were "Pastikan nilai ini lebih
    # besar dari atau sama dengan 2000.", naming no year.
    tahun = forms.IntegerField(label="Tahun IKU", min_value=2000, max_value=2100,
                               error_messages={"required": "Tahun wajib diisi.", "invalid": "Tahun harus angka.",
                                               "min_value": "Tahun IKU paling awal %(limit_value)s.",
                                               "max_value": "Tahun IKU paling akhir %(limit_value)s."})
    judul = forms.CharField(label="Judul", max_length=255, error_messages={"required": "Judul wajib diisi."})

    def clean_judul(self):
        # The title heads every hand-off e-mail's Subject, where a line break fails the send.
        judul = self.cleaned_data["judul"]
        refuse_line_break(judul, "Judul")
        return judul

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("judul") and cleaned.get("tahun"):
            try:
                cleaned["judul"] = titles.fit(cleaned["judul"], cleaned["tahun"])
            except forms.ValidationError as error:
                self.add_error("judul", error)
        return cleaned


class SameYearForm(TitleYearForm):
    """A year and title that must not make a second round of a year unasked: the rounds already
    opened for the year the form holds are shown above it and a tick is asked before another."""

    tetap_buat = forms.BooleanField(
        label="Saya tahu sudah ada dosier untuk tahun ini; tetap buat dosier baru", required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page's script keeps the prefilled title on the year (static/js/dosier_baru.js).
        self.fields["judul"].widget.attrs["data-title-pattern"] = titles.PATTERN

    def other_rounds(self, tahun: int):
        return Dossier.objects.rounds_of(tahun)

    @cached_property
    def same_year(self) -> list:
        """The running or finished dossiers already opened for the year the form holds, typed or
        offered (none while it holds no valid year): the warning above the form, and what `clean`
        asks before a second dossier for that year."""
        try:
            tahun = self.fields["tahun"].clean(self["tahun"].value())
        except forms.ValidationError:
            return []
        return list(self.other_rounds(tahun)[:3])

    def clean(self):
        cleaned = super().clean()
        tahun = cleaned.get("tahun")
        if tahun and not cleaned.get("tetap_buat") and self.same_year:
            self.add_error("tetap_buat", f"Sudah ada dosier untuk tahun {tahun}. Centang kotak ini bila memang perlu dosier kedua.")
        return cleaned


class DossierCreateForm(SameYearForm):
    invited = AgencyChoiceField(
        label="SKPD yang diundang",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pilih sedikitnya satu SKPD yang diundang.",
                        "invalid_choice": "SKPD yang dipilih tidak ada atau sudah tidak aktif."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A deactivated agency is not offered for new dossiers.
        self.fields["invited"].queryset = Skpd.objects.active().order_by("nama_pendek", "pk")

    @cached_property
    def without_officer(self) -> list:
        """The agencies offered that no active user acts for (role SKPD): invited, nobody there is told
        of the round nor can send its IKU. Said here, where the Kasubag decides whom to invite: on a
        fresh install only the dossier page said it, once they had been invited."""
        return unstaffed(self.offered)

    @cached_property
    def offered(self) -> list:
        return list(self.fields["invited"].queryset)

    def groups(self) -> list[tuple[str, list]]:
        """The invited checkboxes grouped by the agencies' kind (dinas, badan, biro ...), each box
        marked `unstaffed` when nobody acts for its agency (`without_officer`) and carrying the
        agency's `other_names` for the search box."""
        # From the agencies offered, read once for the boxes and `without_officer`: not asked again.
        kinds = {agency.pk: agency.kind for agency in self.offered}
        # The search box finds an agency by its other names too, which the box's label does not show.
        names = {agency.pk: agency.other_names for agency in self.offered}
        unstaffed_ids = {agency.pk for agency in self.without_officer}
        grouped: dict[str, list] = {}
        for box in self["invited"]:
            pk = int(box.data["value"].value)
            box.unstaffed = pk in unstaffed_ids
            box.other_names = names.get(pk, "")
            grouped.setdefault(kinds.get(pk, "") or "Lainnya", []).append(box)
        return sorted(grouped.items(), key=lambda item: kind_rank(item[0]))


class DossierCorrectionForm(ActionForm, SameYearForm):
    """A round's title and year corrected (the Kasubag while nothing has gone out, the admin at any
    time), the reason kept in the history beside the old and the new. Moved into a year that already
    has a round, it warns and asks the tick as opening a second round of a year does."""

    alasan = forms.CharField(
        label="Alasan koreksi", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Alasan koreksi wajib diisi: riwayat mencatat mengapa judul atau tahun diubah."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tetap_buat"].label = "Saya tahu sudah ada dosier untuk tahun itu; tetap pindahkan dosier ini ke sana"
        if self.dossier is not None and not self.is_bound:
            # The page's script asks for another year's page (`?tahun=`) to show its warning.
            asked = self.request.GET.get("tahun") if self.request is not None else None
            self.initial = {"tahun": asked if asked and asked.isdigit() else self.dossier.tahun,
                            "judul": self.dossier.judul}

    def other_rounds(self, tahun: int):
        if self.dossier is None or tahun == self.dossier.tahun:
            return Dossier.objects.none()
        return super().other_rounds(tahun).exclude(pk=self.dossier.pk)

    def clean(self):
        cleaned = super().clean()
        if (not self.errors and cleaned.get("judul") == self.dossier.judul
                and cleaned.get("tahun") == self.dossier.tahun):
            raise forms.ValidationError("Tidak ada yang dikoreksi: ubah judul atau tahunnya.")
        return cleaned

    def transition_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("tahun", "judul", "alasan")}


class ArchiveFilterForm(forms.Form):
    # The box's maxlength keeps the address short of what the server reads in one line.
    q = forms.CharField(label="Cari", required=False, max_length=200,
                        error_messages={"max_length": "Kata pencarian paling panjang 200 karakter."})
    # The round's IKU year, as the list's column and the report say: a round opened in December for
    # next year's IKU is not among the rounds of the year it was opened in.
    tahun = forms.IntegerField(label="Tahun IKU", required=False, min_value=2000, max_value=2100,
                               error_messages={"invalid": "Tahun harus angka, misalnya 2026.",
                                               "min_value": "Tahun paling awal 2000.",
                                               "max_value": "Tahun paling akhir 2100."})
    state = forms.ChoiceField(label="Posisi", required=False)
    skpd = IdChoiceField(label="SKPD", queryset=None, required=False, empty_label="Semua SKPD", widget=AgencySelect)
    urut = forms.ChoiceField(
        label="Urutkan", required=False,
        choices=[("-created_at", "Terbaru dahulu"), ("created_at", "Terlama dahulu")],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "Semua posisi")] + STATE_CHOICES
        # Where the search looks (`pages._matching`), as far as the user may search.
        self.fields["q"].help_text = (
            "Judul, nomor keputusan, dokumen, SKPD yang diundang, atau nama yang bertindak (nama: minimal 3 huruf)."
            if policy.reads_history(user) else "Judul, nomor keputusan, atau dokumen.")
        if policy.scoped_to_invitations(user):
            # An agency sees only the rounds it is invited to: filtering them by another agency
            # would tell it which rounds invite that agency.
            del self.fields["skpd"]
        else:
            self.fields["skpd"].queryset = Skpd.objects.all()

    def applied(self) -> list[str]:
        """The filters the list was drawn with, as its printed copy names them (archive.html): paper
        has no form to show them, and a filtered list read as the whole archive."""
        if not self.is_bound or not self.is_valid():
            return []
        data, said = self.cleaned_data, []
        if data["q"].strip():
            said.append(f"cari “{data['q'].strip()}”")
        if data["tahun"]:
            said.append(f"Tahun IKU {data['tahun']}")
        if data["state"]:
            said.append(f"posisi {dict(self.fields['state'].choices)[data['state']]}")
        if data.get("skpd"):
            said.append(f"SKPD {data['skpd'].nama_pendek}")
        return said
