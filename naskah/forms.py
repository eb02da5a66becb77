"""What each generated document asks the officer for, with Indonesian messages next to each field.

Every form takes the dossier; `defaults(dossier)` are the values a new form starts with and what the
cetak view prints when a document was uploaded rather than made here.
"""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join

from lib.choices import IdChoiceField
from lib.dates import INVALID_DATE, TZ, clock_time, moment_text, weekday_date
from lib.glyphs import printed, word_bullets
from workflow.forms import SigningFields
from workflow.models import User, titles
from workflow.roles import INTERNAL_ROLES
from worktime.models import load_calendar

# A document is dated within a year of the day it is made (further is a typo), so its number, counted
# per year, is taken in one of the years that span reaches: no other year's serial is ever used.
DATED_WITHIN = dt.timedelta(days=366)
SIFAT = [("Biasa", "Biasa"), ("Segera", "Segera"), ("Sangat Segera", "Sangat Segera")]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


# The fields that say what a document is about (Hal, the meeting's or event's Acara, the decree's
# Tentang): each names the round's year, as its title does (workflow.models.titles).
SUBJECTS = ("hal", "acara", "tentang")


def other_years_named(typed: dict, tahun: int) -> dict[str, str]:
    """The subjects among `typed` (a form's values) naming only years other than the round's
    `tahun`, each with the years it names: a round corrected from 2026 to 2027 kept its Undangan's
    "Hal: ... Tahun 2026" beside a body that said 2027."""
    return {name: said for name in SUBJECTS if (said := titles.other_years(str(typed.get(name) or ""), tahun))}


def numbering_years(today: dt.date) -> range:
    """The years a document made on `today` can be numbered in."""
    return range((today - DATED_WITHIN).year, (today + DATED_WITHIN).year + 1)


def tanggal_field(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET,
        error_messages={"required": f"{label} wajib diisi.", "invalid": INVALID_DATE},
    )


def jam_field(label, required=True):
    return forms.TimeField(
        label=label, required=required, widget=TIME_WIDGET, input_formats=["%H:%M", "%H.%M"],
        error_messages={"required": f"{label} wajib diisi.", "invalid": "Jam tidak valid, contoh 09.00."},
    )


class TypedText(forms.CharField):
    """A text as the officer typed or pasted it, Word's list bullets read as the bullets they show."""

    def to_python(self, value):
        return word_bullets(super().to_python(value))

    def widget_attrs(self, widget):
        # No maxlength on the page: the browser cut a longer paste there without a word (a meeting
        # place of 300 characters kept 200 and printed so). Past its length the text is refused at
        # its field, kept as typed, with how long it is.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


WINGDINGS_SQUARE = "\uf0a7"


class IndentedText(TypedText):
    """A list whose first line's indentation is kept, as the other lines' are: it tells an item from
    the points indented under it (naskah.content.nested_items). Blank lines before it and spaces
    after it are no text, as a stripped field's."""

    def __init__(self, **kwargs):
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        # Word's third bullet level (Wingdings' square) is told from its first (Symbol's bullet), which
        # word_bullets reads as the same bullet: a small square, as Word draws it.
        value = super().to_python((value or "").replace(WINGDINGS_SQUARE, "\u25aa")).rstrip()
        return re.sub(r"\A(?:[ \t]*\r?\n)+", "", value)


def teks_field(label, max_length=300, required=True, rows=None, help_text="", field=TypedText):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return field(
        label=label, max_length=max_length, required=required, widget=widget, help_text=help_text, validators=[printed],
        error_messages={"required": f"{label} wajib diisi.",
                        "max_length": f"{label} paling panjang {max_length} karakter (sekarang %(show_value)d)."},
    )


TEMBUSAN_HELP = "Satu penerima per baris, tanpa “Yth.”; kosongkan bila tanpa tembusan."


def tembusan_field():
    return teks_field("Tembusan", 1000, required=False, rows=3, help_text=TEMBUSAN_HELP)


class NaskahForm(forms.Form):
    tanggal_surat = tanggal_field("Tanggal surat")
    sifat = forms.ChoiceField(label="Sifat", choices=SIFAT, error_messages={
        "required": "Pilih sifat surat.", "invalid_choice": "Sifat surat tidak dikenal."})

    def __init__(self, *args, dossier, today=None, stored=False, **kwargs):
        """`stored`: reading back what was kept (naskah.record.form_data), where a person named then
        is still that person, even since deactivated."""
        self.dossier = dossier
        self.stored = stored
        # The day the form is filled in; a reprint passes the day the document was made.
        self.today = today or timezone.localdate()
        sent = args[0] if args else kwargs.get("data")
        if sent is None:
            # Only a blank form shows its defaults: a sent one shows what was sent (none of these
            # fields is disabled), and working them out reads the dossier's people again.
            kwargs.setdefault("initial", self.defaults(dossier))
        super().__init__(*args, **kwargs)

    @classmethod
    def defaults(cls, dossier) -> dict:
        return {"tanggal_surat": timezone.localdate(), "sifat": "Biasa"}

    @classmethod
    def posted_defaults(cls, dossier) -> dict:
        """The defaults as a browser posts them: dates and times as text, empty for none."""
        posted = {}
        for name, value in cls.defaults(dossier).items():
            if isinstance(value, dt.time):
                value = value.strftime("%H:%M")
            elif isinstance(value, dt.date):
                value = value.isoformat()
            posted[name] = "" if value is None else value
        return posted

    def clean_tanggal_surat(self):
        return self.dated("tanggal_surat")

    def dated(self, name) -> dt.date:
        """The date the document bears, as typed in field `name`. A letter may be dated a little
        ahead (signed tomorrow) but not a year out by a typo; nor before its round was opened: in
        January, last year typed out of habit took a number in last year's series."""
        day, label = self.cleaned_data[name], self.fields[name].label
        if abs(day - self.today) > DATED_WITHIN:
            raise forms.ValidationError(f"{label} harus dalam satu tahun dari hari ini.")
        if day < timezone.localtime(self.dossier.created_at).date():
            raise forms.ValidationError(
                f"{label} tidak boleh sebelum dosier dibuka ({moment_text(self.dossier.created_at)}); periksa tahunnya."
            )
        return day

    def clean(self):
        cleaned = super().clean()
        tahun = self.dossier.tahun
        for name, said in other_years_named(cleaned, tahun).items():
            self.add_error(name, f"{self.fields[name].label} menyebut Tahun {said}, tetapi dosier ini untuk Tahun IKU "
                                 f"{tahun}: samakan tahunnya.")
        return cleaned

    def tanggal_naskah(self) -> dt.date:
        """The date the document bears; its year is the year of its number."""
        return self.cleaned_data["tanggal_surat"]

    def isian(self) -> dict:
        """The submitted values as strings, to bind the form again when the document is reprinted."""
        return {name: self.data.get(name, "") for name in self.fields}


class TembusanForm(NaskahForm):
    """A letter, whose Tembusan field tells under it which typed lines will not print as Tembusan
    because the letter is addressed to that official already (naskah.content.tembusan leaves them
    out): the text as sent, else as the form starts (the last version's, or the default)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Worked out only when the page shows the field: a reprint binds this form too
        # (naskah.record.form_data) and needs no notice, nor the addressees read for it.
        self.fields["tembusan"].help_text = lazy(self._tembusan_help, str)()

    def _tembusan_help(self) -> str:
        from naskah.content import tembusan_addressed

        text = self.data.get("tembusan", "") if self.is_bound else self.initial.get("tembusan") or ""
        left_out = tembusan_addressed(self.dossier, text)
        if not left_out:
            return TEMBUSAN_HELP
        return format_html(
            '{}<br><strong id="tembusan-tujuan">Tidak dicetak sebagai Tembusan, karena surat ini sudah '
            "ditujukan kepadanya: {}.</strong>", TEMBUSAN_HELP,
            format_html_join("; ", "“{}”", ((line,) for line in left_out)))


class UndanganForm(TembusanForm):
    hal = teks_field("Hal", 200)
    tanggal_acara = tanggal_field("Hari/tanggal acara")
    waktu_mulai = jam_field("Waktu mulai")
    waktu_selesai = jam_field("Waktu selesai", required=False)
    tempat = teks_field("Tempat", 200)
    acara = teks_field("Acara", 300)
    tembusan = tembusan_field()

    @classmethod
    def defaults(cls, dossier):
        from naskah.signature import jabatan_as_written, official_of
        from workflow.roles import Role

        kabiro = jabatan_as_written(Role.KABIRO, official_of(Role.KABIRO))
        return super().defaults(dossier) | {
            "tembusan": f"{kabiro} (sebagai laporan)",
            "hal": f"Undangan Workshop Penyusunan Indikator Kinerja Utama Tahun {dossier.tahun}",
            "tanggal_acara": first_working_day(timezone.localdate() + dt.timedelta(days=7)),
            "waktu_mulai": dt.time(9, 0),
            "tempat": "Aula Kantor Gubernur Kalimantan Barat, Jalan Ahmad Yani, Pontianak",
            "acara": f"Workshop Penyusunan Indikator Kinerja Utama (IKU) Perangkat Daerah Tahun {dossier.tahun}",
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("waktu_mulai"), data.get("waktu_selesai")
        if start and end and end <= start:
            self.add_error("waktu_selesai", "Waktu selesai harus sesudah waktu mulai.")
        day = data.get("tanggal_acara")
        if day and data.get("tanggal_surat") and day < data["tanggal_surat"]:
            self.add_error("tanggal_acara", "Hari acara tidak boleh sebelum tanggal surat.")
        elif day and (off := load_calendar().day(day).off):
            # As the letter's deadline (SuratSkpdForm): a workshop typed for 1 January invited every
            # agency to New Year's Day, and nothing said so until they wrote back.
            self.add_error("tanggal_acara", f"Hari acara jatuh pada hari libur ({weekday_date(day)}: {off}); "
                                            f"pilih hari kerja, mis. {weekday_date(first_working_day(day))}.")
        return data


def first_working_day(day: dt.date) -> dt.date:
    """`day`, or the first working day after it in the admin's calendar (a week from a Saturday is a
    Saturday); `day` itself if none comes within a month."""
    calendar = load_calendar()
    for offset in range(31):
        candidate = day + dt.timedelta(days=offset)
        if not calendar.day(candidate).off:
            return candidate
    return day


def _pegawai(stored=False):
    if stored:
        return User.objects.all()
    return User.objects.filter(is_active=True, role_set__role__in=INTERNAL_ROLES).distinct().order_by("nama")


class PegawaiField(IdChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.jabatan})" if obj.jabatan else obj.display_name


BUTIR_HELP = ("Satu butir per baris. Rincian sebuah butir: baris di bawahnya yang menjorok (mis. “  - …”), "
              "atau “a.”, “b.” di bawah butir bernomor; rincian dari rincian menjorok lebih dalam lagi, atau "
              "“i.”, “ii.” di bawah “a.”. Daftar bertingkat yang disalin dari Word tetap bertingkat.")


NEXT_DAY_LABEL = "Rapat selesai keesokan harinya (lewat tengah malam)"


class NotulenForm(NaskahForm):
    acara = teks_field("Rapat (topik)", 300)
    tanggal_rapat = tanggal_field("Hari/tanggal rapat")
    waktu_mulai = jam_field("Waktu mulai")
    waktu_ditutup = jam_field("Rapat ditutup pukul")
    selesai_besok = forms.BooleanField(label=NEXT_DAY_LABEL, required=False)
    tempat = teks_field("Tempat", 200)
    pimpinan = PegawaiField(label="Pimpinan rapat", queryset=None, error_messages={
        "required": "Pilih pimpinan rapat.", "invalid_choice": "Pimpinan rapat tidak dikenal."})
    pencatat = PegawaiField(label="Pencatat (notulis)", queryset=None, error_messages={
        "required": "Pilih pencatat rapat.", "invalid_choice": "Pencatat rapat tidak dikenal."})
    peserta = teks_field("Peserta", 3000, rows=4, help_text="Satu peserta per baris.")
    pembukaan = teks_field("Pembukaan", 3000, rows=3)
    pembahasan = teks_field("Pembahasan", 6000, rows=6, help_text=BUTIR_HELP, field=IndentedText)
    keputusan = teks_field("Keputusan", 4000, rows=4, help_text=BUTIR_HELP, field=IndentedText)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pimpinan"].queryset = _pegawai(self.stored)
        self.fields["pencatat"].queryset = _pegawai(self.stored)
        # Minutes bear the date of their meeting and have no sifat: the officer is not asked.
        del self.fields["sifat"]
        del self.fields["tanggal_surat"]

    def clean_tanggal_rapat(self):
        # The minutes bear the meeting's date, and their number that date's year.
        day = self.dated("tanggal_rapat")
        # Minutes record a meeting held: dated ahead (a letter's year of leeway), the chair signed
        # minutes of a meeting months away. A reprint compares with the day they were made.
        if day > self.today:
            raise forms.ValidationError("Hari/tanggal rapat tidak boleh sesudah hari ini: notulen mencatat rapat "
                                        "yang sudah berlangsung.")
        return day

    def tanggal_naskah(self):
        return self.cleaned_data["tanggal_rapat"]

    @staticmethod
    def closes_at(data) -> dt.datetime | None:
        """When the meeting `data` (the form's cleaned values) records was closed, in Pontianak time:
        the minutes are signed only after it (naskah.record.meeting_not_over)."""
        day, end = data.get("tanggal_rapat"), data.get("waktu_ditutup")
        if not (day and end):
            return None
        if data.get("selesai_besok"):
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, end, tzinfo=TZ)

    DEFAULT_START, DEFAULT_CLOSE = dt.time(9, 0), dt.time(11, 0)

    @classmethod
    def last_meeting_day(cls, now: dt.datetime, opened: dt.date) -> dt.date:
        """The day offered for the meeting: today once a morning's meeting would be over, else the
        last working day before, not before the round was `opened` (`dated` refuses that). Minutes
        typed after midnight or early in the morning are of a meeting already held: today's 09.00 to
        11.00 had not happened, and its minutes could not be signed until it had."""
        today = now.date()
        if now.time() >= cls.DEFAULT_CLOSE or opened >= today:
            return today
        calendar = load_calendar()
        day = today - dt.timedelta(days=1)
        # A fortnight back passes the longest leave (Lebaran's); the round's first day stops it sooner.
        while day > opened and day > today - dt.timedelta(days=14):
            if not calendar.day(day).off:
                return day
            day -= dt.timedelta(days=1)
        return day

    @classmethod
    def defaults(cls, dossier):
        from naskah.signature import signer_for
        from workflow.roles import Role

        chair, _ = signer_for(Role.KASUBAG)
        clerk, _ = signer_for(Role.STAF)
        return super().defaults(dossier) | {
            "acara": f"Rapat Persiapan Workshop Penyusunan Indikator Kinerja Utama Tahun {dossier.tahun}",
            "tanggal_rapat": cls.last_meeting_day(timezone.localtime(), timezone.localtime(dossier.created_at).date()),
            "waktu_mulai": cls.DEFAULT_START,
            "waktu_ditutup": cls.DEFAULT_CLOSE,
            "tempat": "Ruang Rapat Biro Kesejahteraan Rakyat",
            "pimpinan": chair.pk if chair else None,
            "pencatat": clerk.pk if clerk else None,
            "peserta": "Kepala Subbagian Tata Usaha\nTim Penyelenggara Workshop",
            "pembukaan": "Rapat dibuka oleh pimpinan rapat yang menyampaikan maksud dan tujuan rapat.",
            "pembahasan": "Persiapan tempat, jadwal dan narasumber workshop.\nKelengkapan bahan: DPA SKPD.",
            "keputusan": "Workshop dilaksanakan sesuai undangan.\nTim menyiapkan format Konsep IKU.",
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("waktu_mulai"), data.get("waktu_ditutup")
        if not (start and end):
            return data
        if data.get("selesai_besok") and end >= start:
            # Ticked by mistake, a meeting of two hours would print as one of a day and two hours.
            self.add_error("waktu_ditutup", f"Rapat yang selesai keesokan harinya ditutup lebih awal dari jam mulainya "
                                            f"(dimulai {clock_time(start)}, ditutup mis. 01.30). Bila rapat selesai pada "
                                            f"hari yang sama, hapus centang “{NEXT_DAY_LABEL}”.")
        elif not data.get("selesai_besok") and end <= start:
            past_midnight = (f" Bila rapat berlangsung lewat tengah malam, centang “{NEXT_DAY_LABEL}” di bawah ini."
                             if end < start else "")
            self.add_error("waktu_ditutup", f"Rapat harus ditutup sesudah dimulai.{past_midnight}")
        return data


class SuratSkpdForm(TembusanForm):
    hal = teks_field("Hal", 200)
    batas_waktu = tanggal_field("Batas waktu koordinasi")
    isi_tambahan = teks_field("Isi tambahan", 2000, required=False, rows=3)
    tembusan = tembusan_field()

    @classmethod
    def defaults(cls, dossier):
        return super().defaults(dossier) | {
            "tembusan": "Sekretaris Daerah Provinsi Kalimantan Barat (sebagai laporan)",
            "hal": f"Penyusunan Indikator Kinerja Utama Tahun {dossier.tahun}",
            "batas_waktu": first_working_day(timezone.localdate() + dt.timedelta(days=14)),
        }

    def clean(self):
        data = super().clean()
        deadline = data.get("batas_waktu")
        if deadline and data.get("tanggal_surat") and deadline <= data["tanggal_surat"]:
            self.add_error("batas_waktu", "Batas waktu harus sesudah tanggal surat.")
        elif deadline and data.get("tanggal_surat") and (deadline - data["tanggal_surat"]).days > 366:
            # As the letter's own date: a year out is a typo (9999), not a coordination deadline.
            self.add_error("batas_waktu", "Batas waktu paling lambat satu tahun sesudah tanggal surat.")
        elif deadline and (off := load_calendar().day(deadline).off):
            # The SOP's time runs on working days: a deadline on a Sunday asks agencies for a day nobody works.
            self.add_error("batas_waktu", f"Batas waktu jatuh pada hari libur ({weekday_date(deadline)}: {off}); "
                                          f"pilih hari kerja, mis. {weekday_date(first_working_day(deadline))}.")
        return data


class NotaDinasForm(NaskahForm):
    hal = teks_field("Hal", 300)
    isi_tambahan = teks_field("Isi tambahan", 2000, required=False, rows=3)

    @classmethod
    def defaults(cls, dossier):
        from naskah.content import decree_subject, decrees_revised

        # A second round of the year sends an amendment of the year's decree, and says so.
        subject = (decree_subject(dossier) if decrees_revised(dossier)
                   else f"Penetapan Indikator Kinerja Utama Perangkat Daerah Tahun {dossier.tahun}")
        return super().defaults(dossier) | {"hal": f"Penyampaian Draft Keputusan Gubernur tentang {subject}"}


class DraftKepgubForm(NaskahForm):
    tentang = teks_field("Tentang", 300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The decree's date and nature are the Governor's to set; the draft leaves them blank.
        del self.fields["sifat"]
        self.fields["tanggal_surat"].label = "Tanggal draft"

    @classmethod
    def defaults(cls, dossier):
        from naskah.content import decree_subject

        return super().defaults(dossier) | {"tentang": decree_subject(dossier)}


class CosignForm(SigningFields):
    """A signature beside another's (naskah.cosign), confirmed as the step's signature is."""

    def __init__(self, data=None, *, user, request=None):
        self.user, self.request = user, request
        super().__init__(data)
        self.setup_signing(True)
        self.plan = None

    def clean(self):
        cleaned = super().clean()
        self.plan = self.signing_plan(cleaned)
        return cleaned
