"""Admin-edited data of the official documents (naskah dinas): the letterhead and the numbering.

Both are data, not code: the bureau confirms its address and changes classification codes when a
new Permendagri says so (docs/domain.md, "Nomor surat"). The tables keep the names they had in the
`workflow` app.
"""

import base64
import io
import math
import re
import secrets
import string
import unicodedata

import filetype
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from workflow.roles import ACTOR_LABEL_LENGTH
from workflow.steps import DocKind, Signatory

CONFIRM = "Nilai awal contoh: Biro memastikan isinya sebelum surat pertama dicetak."
LAMBANG_TYPES = ("image/png", "image/jpeg")
LAMBANG_MAX_BYTES = 1024 * 1024
# An emblem is printed about 3 cm wide: 2000 px is over 1600 dpi. A flat-coloured emblem of 4000 x
# 4800 px is a PNG of 120 KB, and cost each letter printed 0,6 s and 300 MB (12000 px: 6 s, 1 GB).
LAMBANG_MAX_SIDE = 2000
HEAD_BYTES = 8192
# Where the emblems print (static/css/print.css, tests/naskah/test_kop_layout.py reads them there):
# the kop's is fitted into a box 20 x 22 mm (object-fit: contain), the decree's Garuda is 24 mm tall.
KOP_LAMBANG_MM = (20, 22)
GARUDA_HEIGHT_MM = 24
# The least sharpness an emblem may print at. 300 dpi is what a printer lays down, but the province's
# own emblem files are often 200 px wide, and would be refused; at 150 dpi a 20 mm wide shield (119 px)
# prints clean on an office laser printer, while a 64 px logo (81 dpi) shows its steps and blurs.
LAMBANG_MIN_DPI = 150
MM_PER_INCH = 25.4


# What the print fonts (print.css: Arial, Liberation Sans, DejaVu Sans) draw on any install: Latin
# with the Latin-1 and Latin Extended-A letters, and the common punctuation (dashes, quotes, …, ‰).
# A character outside prints as an empty box on a signed letter, or as nothing a reader can see.
PRINTABLE = ((0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x17F), (0x2010, 0x2027), (0x2030, 0x203A))
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def unprintable(text: str) -> str | None:
    """The first character of `text` the print fonts do not draw, or None."""
    return next((char for char in text if not any(low <= ord(char) <= high for low, high in PRINTABLE)), None)


def is_control(char: str) -> bool:
    return unicodedata.category(char).startswith("C") or char in LINE_BREAKS


def character_text(char: str) -> str:
    """How a refusal names a character: a control character by what it does, as it has no shape."""
    code = f"U+{ord(char):04X}"
    if char in LINE_BREAKS:
        return f"baris baru ({code})"
    if char == "\t":
        return f"tab ({code})"
    if is_control(char):
        return f"karakter tak terlihat {code}"
    return f"“{char}” ({code})"


def print_problem(text: str) -> str:
    """Why `text` cannot be printed on a document as it is, or ""."""
    char = unprintable(text)
    if char is None:
        return ""
    if is_control(char):
        return (f"Tidak boleh memuat karakter kendali: {character_text(char)}. Naskah mencetaknya sebagai satu baris "
                "teks biasa.")
    return (f"Karakter {character_text(char)} tidak ada pada huruf cetak naskah dan akan tercetak sebagai kotak kosong; "
            "gunakan huruf Latin dan tanda baca biasa.")


# The kop's lines are centred on the page in 14-16 pt capitals (print.css): about 40 characters
# fill one, and a longer word cannot be broken, so it runs past the paper's edge.
KOP_WORD_MAX = 40
# Words break at spaces, not at a non-breaking space, which joins its neighbours on the page.
WORD_GAP = re.compile(r"[^\S\u00a0]+")
# What the kop prints before the telephone and the website (naskah/_kop.html), typed again before
# the value as letterheads write it ("Telp. (0561) 736541", "Website: ..."); followed by a colon or a
# space, so that an address such as "web.kalbarprov.go.id" is not taken for a label.
KOP_LABELS = {
    "telepon": ("Telepon", re.compile(r"(?:telp|tlp|tel|telepon|telpon|phone)\.?(?:\s*:\s*|\s+)", re.IGNORECASE)),
    "laman": ("Laman", re.compile(r"(?:laman|website|web|situs)\.?(?:\s*:\s*|\s+)", re.IGNORECASE)),
}
# An Indonesian postcode (five digits) ending the address: the kop prints the kode pos after it.
POSTCODE_AT_END = re.compile(r"(?:^|\s)(\d{5})\s*$")


def kop_print_mm(width: int, height: int) -> tuple[float, float]:
    """The size the kop prints an emblem of `width` x `height` px at: fitted into its box, kept in shape."""
    box_width, box_height = KOP_LAMBANG_MM
    scale = min(box_width / width, box_height / height)
    return width * scale, height * scale


def garuda_print_mm(width: int, height: int) -> tuple[float, float]:
    return width * GARUDA_HEIGHT_MM / height, GARUDA_HEIGHT_MM


def too_small(what: str, width: int, height: int, printed: tuple[float, float]) -> str:
    """Why an image of `width` x `height` px printed `printed` mm would print blurred, or ""."""
    least = [math.ceil(mm / MM_PER_INCH * LAMBANG_MIN_DPI - 1e-9) for mm in printed]
    if width >= least[0] and height >= least[1]:
        return ""
    size = " x ".join(f"{mm:.0f}" for mm in printed)
    return (f"Gambar {what} terlalu kecil: {width} x {height} piksel, sedangkan tercetak {size} mm, sehingga tampak "
            f"buram dan bergerigi. Paling kecil {least[0]} x {least[1]} piksel untuk gambar berbentuk ini "
            f"({LAMBANG_MIN_DPI} dpi). Unggah gambar yang lebih besar (misalnya dari berkas aslinya), bukan gambar yang "
            "diperbesar.")


def validate_lambang(upload) -> None:
    """The kop's emblem (OfficeProfile.lambang)."""
    check_emblem(upload, "lambang", kop_print_mm)


def validate_garuda(upload) -> None:
    """The Garuda above the decree (OfficeProfile.garuda)."""
    check_emblem(upload, "Garuda", garuda_print_mm)


def check_emblem(upload, what: str, print_mm) -> None:
    if upload.size > LAMBANG_MAX_BYTES:
        raise ValidationError("Lambang paling besar 1 MB.")
    upload.seek(0)
    kind = filetype.guess(upload.read(HEAD_BYTES))
    upload.seek(0)
    if kind is None or kind.mime not in LAMBANG_TYPES:
        raise ValidationError("Lambang harus gambar PNG atau JPEG.")
    from PIL import Image

    # A file cut short or damaged was stored, and every letter then printed without its emblem,
    # saying nothing. Checked by verify(): the printer (WeasyPrint) has Pillow load a truncated
    # image without complaint, so load() would not tell.
    try:
        with Image.open(upload) as image:
            width, height = image.size
            if max(width, height) > LAMBANG_MAX_SIDE:
                raise ValidationError(
                    f"Gambar lambang terlalu besar: {width} x {height} piksel; paling besar {LAMBANG_MAX_SIDE} piksel "
                    "per sisi (cukup untuk dicetak tajam). Perkecil gambarnya, lalu unggah lagi.")
            # A 64 px logo was accepted, and every letter printed it blurred across 20 mm.
            if problem := too_small(what, width, height, print_mm(width, height)):
                raise ValidationError(problem)
            # A 16-bit greyscale PNG (Pillow's "I;16" modes) is written into the PDF as if 8-bit: the
            # emblem printed as a black rectangle. 16-bit colour, with or without alpha, prints right.
            if image.mode.startswith("I"):
                raise ValidationError(
                    "Gambar lambang berwarna abu-abu 16-bit, yang tercetak sebagai kotak hitam. Simpan ulang "
                    "gambarnya sebagai PNG 8-bit (abu-abu 8-bit atau berwarna), lalu unggah lagi.")
            image.verify()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on a damaged image; all mean the same here
        raise ValidationError("Gambar lambang rusak atau terpotong, sehingga tidak dapat dicetak. Simpan ulang "
                              "gambarnya sebagai PNG atau JPEG, lalu unggah lagi.") from None
    finally:
        upload.seek(0)


class OfficeProfile(models.Model):
    """The kop (letterhead) of every generated document. One row; the first one is used."""

    instansi = models.CharField(max_length=150, default="PEMERINTAH PROVINSI KALIMANTAN BARAT",
                                help_text="Baris pertama kop, huruf kapital, tidak disingkat.")
    sekretariat = models.CharField(max_length=150, default="SEKRETARIAT DAERAH", help_text="Baris kedua kop.")
    unit = models.CharField(max_length=150, default="BIRO KESEJAHTERAAN RAKYAT", help_text="Baris ketiga kop.")
    alamat = models.CharField(max_length=200, default="Jalan Ahmad Yani, Pontianak", help_text=CONFIRM)
    kode_pos = models.CharField("kode pos", max_length=10, default="78124", help_text=CONFIRM)
    telepon = models.CharField(max_length=100, default="(0561) 736541", help_text=CONFIRM)
    laman = models.CharField("laman (website)", max_length=100, default="kalbarprov.go.id", help_text=CONFIRM)
    surel = models.CharField("surel (e-mail)", max_length=100, default="birokesra@kalbarprov.go.id", help_text=CONFIRM)
    kota = models.CharField("tempat penandatanganan", max_length=60, default="Pontianak",
                            help_text="Ditulis sebelum tanggal surat: “Pontianak, 5 Januari 2021”.")
    nama_gubernur = models.CharField(
        "nama Gubernur", max_length=150, blank=True,
        help_text="Dicetak di bawah “GUBERNUR KALIMANTAN BARAT,” pada draft keputusan; kosong: titik-titik.",
    )

    lambang = models.FileField(
        "lambang daerah", upload_to="kop/", blank=True, max_length=255,
        validators=[validate_lambang],
        help_text="PNG atau JPEG, paling besar 1 MB: dicetak di kiri kop surat. Kosong: tanpa lambang.",
    )
    # db_default: see signed_through.
    garuda = models.FileField(
        "lambang negara (Garuda Pancasila)", upload_to="kop/", blank=True, default="", db_default="", max_length=255,
        validators=[validate_garuda],
        help_text="PNG atau JPEG, paling besar 1 MB: dicetak di atas draft keputusan Gubernur (bukan lambang daerah). "
                  "Kosong: tanpa lambang.",
    )

    # The kop's address lines start as the seed's example values (CONFIRM): until the bureau says
    # they are right, each document's form says the kop still carries them (naskah.lacking).
    kop_diperiksa = models.BooleanField(
        "kop sudah diperiksa", default=False, db_default=False,
        help_text="Centang setelah alamat, kode pos, telepon, laman dan surel di atas dipastikan benar. Sebelum "
                  "dicentang, setiap formulir naskah mengingatkan bahwa kop masih memuat nilai contoh.",
    )

    class Kertas(models.TextChoices):
        A4 = "A4", "A4 (210 x 297 mm)"
        F4 = "F4", "F4 / folio (215 x 330 mm)"

    kertas = models.CharField("ukuran kertas", max_length=2, choices=Kertas.choices, default=Kertas.A4,
                              help_text="Ukuran kertas semua naskah yang dicetak aplikasi.")

    class Meta:
        db_table = "workflow_profilkantor"
        verbose_name = "profil kantor (kop surat)"
        verbose_name_plural = "profil kantor (kop surat)"

    def __str__(self) -> str:
        return f"{self.unit}, {self.alamat}"

    def clean(self):
        errors = {}
        for field in self._meta.fields:
            if not isinstance(field, models.CharField) or field.choices:
                continue
            text = getattr(self, field.attname) or ""
            longest = max(WORD_GAP.split(text), key=len)
            if problem := print_problem(text):
                errors[field.name] = problem
            elif len(longest) > KOP_WORD_MAX:
                errors[field.name] = (
                    f"Kata “{longest[:20]}…” panjangnya {len(longest)} karakter dan tidak muat dalam satu baris kop "
                    f"surat: paling panjang {KOP_WORD_MAX} karakter per kata. Pisahkan dengan spasi."
                )
        # The bureau writes its address with the postcode ("..., Pontianak 78121"), as on its letters;
        # typed so here, every kop read "Pontianak 78121 78124", the kode pos field printed after it.
        if "alamat" not in errors and (postcode := POSTCODE_AT_END.search(self.alamat or "")):
            town = self.alamat[: postcode.start(1)].rstrip().rsplit(" ", 1)[-1]
            errors["alamat"] = (
                f"Alamat ini diakhiri kode pos {postcode[1]}, dan kop mencetak kode pos dari kolom “kode pos” "
                f"sesudahnya: “{f'{town} {postcode[1]} {self.kode_pos}'.strip()}”. Hapus “{postcode[1]}” dari alamat, dan tulis "
                "kode posnya di kolom “kode pos”.")
        for name, (label, typed) in KOP_LABELS.items():
            value = (getattr(self, name) or "").strip()
            if name not in errors and (found := typed.match(value)) and found.end() < len(value):
                errors[name] = (f"Kop sudah mencetak “{label}” di depannya, sehingga tercetak “{label} {value}”. Tulis "
                                f"{'nomornya' if name == 'telepon' else 'alamatnya'} saja, misalnya "
                                f"“{value[found.end():]}”.")
        if self.surel and "surel" not in errors:
            try:
                validate_email(self.surel)
            except ValidationError:
                errors["surel"] = "Tulis alamat surel yang sah, misalnya birokesra@kalbarprov.go.id."
        if errors:
            raise ValidationError(errors)

    @property
    def lambang_data_uri(self) -> str:
        """The kop's emblem inlined into the printed HTML: documents fetch nothing, not even from disk by URL."""
        return _data_uri(self.lambang)

    @property
    def garuda_data_uri(self) -> str:
        """The Garuda above the decree, inlined the same way."""
        return _data_uri(self.garuda)

    @classmethod
    def current(cls) -> "OfficeProfile":
        # Unsaved defaults if the admin deleted the row: a letter still gets a kop.
        return cls.objects.order_by("pk").first() or cls()


def _data_uri(image) -> str:
    if not image:
        return ""
    try:
        with image.open("rb") as stored:
            data = stored.read(LAMBANG_MAX_BYTES + 1)
    except OSError:
        return ""
    kind = filetype.guess(data[:HEAD_BYTES])
    if kind is None or kind.mime not in LAMBANG_TYPES or len(data) > LAMBANG_MAX_BYTES:
        return ""
    if kind.mime == "image/png":
        data = _eight_bit(data)
    return f"data:{kind.mime};base64,{base64.b64encode(data).decode()}"


def _eight_bit(png: bytes) -> bytes:
    """`png` as the printer draws it right: a 16-bit greyscale one (stored before validate_lambang
    refused them, or restored from a backup of then) printed every letter with a black rectangle
    where the emblem goes, so it is printed as 8-bit grey; any other as it is. Opening reads only
    the header: an ordinary emblem costs the print nothing."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(png)) as image:
            if not image.mode.startswith("I"):
                return png
            # Scaled, not clipped: convert("L") alone makes every grey above 255 of 65535 white.
            grey = image.convert("I").point(lambda value: value / 256).convert("L")
    except Exception:  # noqa: BLE001 - a damaged image prints as it did: the upload check tells of it
        return png
    out = io.BytesIO()
    grey.save(out, "PNG")
    return out.getvalue()


class LegalBasis(models.Model):
    """One "Mengingat" of the draft decree: a rule it rests on, written in full as the decree
    prints it (its Lembaran Negara/Daerah numbers and its amendments), in the order of rank."""

    urutan = models.PositiveSmallIntegerField("urutan", default=0, help_text="Urutan menurut hierarki peraturan.")
    teks = models.TextField(
        "rujukan lengkap", max_length=2000,
        help_text="Seperti dicetak: judul peraturan, Lembaran Negara/Daerah dan Tambahannya, serta perubahannya "
                  "(“sebagaimana telah diubah …”). Tanpa nomor urut dan tanpa titik koma di akhir.")
    aktif = models.BooleanField(default=True, help_text="Tidak aktif: tidak dicetak pada draft keputusan berikutnya.")
    diperiksa = models.BooleanField(
        "sudah diperiksa Biro", default=False,
        help_text="Dicentang setelah Biro memastikan rujukannya (nomor Lembaran/Berita Daerah dan perubahannya).")

    class Meta:
        verbose_name = "dasar hukum (Mengingat)"
        verbose_name_plural = "dasar hukum (Mengingat)"
        ordering = ["urutan", "pk"]

    def __str__(self) -> str:
        return self.teks[:120]

    @classmethod
    def printed(cls) -> list[str]:
        return list(cls.objects.filter(aktif=True).values_list("teks", flat=True))


PLACEHOLDERS = {"kode", "nomor", "unit", "tahun"}


def pattern_is_plain(pola: str) -> bool:
    """Only the four bare placeholders: str.format would otherwise follow attributes
    ({kode.__class__}), index, or pad to any width ({nomor:>99999999999})."""
    try:
        parts = list(string.Formatter().parse(pola))
    except ValueError:
        return False
    return all(
        name is None or (name in PLACEHOLDERS and not spec and conversion is None)
        for _, name, spec, conversion in parts
    )


class NumberingRule(models.Model):
    """How documents of one kind are numbered: "{kode}/{nomor}/{unit}/{tahun}" → 000.1.5/7/Kesra/2027."""

    FIELDS = ("kode", "nomor", "unit", "tahun")

    kind = models.CharField("jenis dokumen", max_length=30, choices=DocKind.choices, unique=True)
    kode_klasifikasi = models.CharField(
        "kode klasifikasi", max_length=30,
        help_text="Permendagri 83/2022: 000.1.5 rapat/undangan, 000.7 perencanaan, 400 kesejahteraan rakyat.",
    )
    kode_unit = models.CharField("kode unit", max_length=30, default="Kesra")
    pola = models.CharField(
        max_length=100, default="{kode}/{nomor}/{unit}/{tahun}",
        help_text="Boleh memakai {kode}, {nomor}, {unit} dan {tahun}.",
    )

    class Meta:
        db_table = "workflow_penomoran"
        verbose_name = "penomoran naskah"
        verbose_name_plural = "penomoran naskah"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.pola}"

    def clean(self):
        errors = {
            name: problem for name in ("kode_klasifikasi", "kode_unit", "pola")
            if (problem := print_problem(getattr(self, name) or ""))
        }
        if errors:
            raise ValidationError(errors)
        if not pattern_is_plain(self.pola):
            raise ValidationError(
                {"pola": "Pola hanya boleh memakai {kode}, {nomor}, {unit} dan {tahun}, dengan kurung kurawal berpasangan."}
            )
        if "nomor" not in {name for _, name, _, _ in string.Formatter().parse(self.pola)}:
            raise ValidationError({"pola": "Pola wajib memuat {nomor}, agar setiap naskah bernomor lain."})
        clash = self._same_number_as()
        if clash is not None:
            other, serial, tahun, number = clash
            raise ValidationError(
                f"Nomor yang dihasilkan sama dengan nomor {other.get_kind_display()}: nomor urut {serial} tahun "
                f"{tahun} menjadi “{number}” pada keduanya, sedangkan setiap jenis dokumen menghitung nomor urutnya "
                "sendiri. Bedakan kode klasifikasi, kode unit atau polanya."
            )

    def _same_number_as(self):
        """(the other rule, serial, year, number) where another kind's rule prints the same number
        as this one for the same serial, or None.

        Serials count per kind and year (SerialCounter), so every kind gives 1, 2, 3 ... each year:
        two kinds may share a code and unit only if their patterns still tell the numbers apart.
        Compared as a reader sees them: compatibility forms alike (a non-breaking space as a space,
        “…” as three dots) and runs of spaces as one."""
        year = timezone.localdate().year
        for other in NumberingRule.objects.exclude(pk=self.pk).exclude(kind=self.kind):
            for tahun in (year, year + 1):
                for serial in SAMPLE_SERIALS:
                    try:
                        theirs = other.format(serial, tahun)
                    except ValidationError:
                        break  # a pattern stored before the check: it numbers nothing
                    number = self.format(serial, tahun)
                    if as_printed(number) == as_printed(theirs):
                        return other, serial, tahun, number
        return None

    def format(self, nomor: int, tahun: int) -> str:
        if not pattern_is_plain(self.pola):
            raise ValidationError("Pola penomoran tidak sah; perbaiki di admin Penomoran naskah.")
        return self.pola.format(kode=self.kode_klasifikasi, nomor=nomor, unit=self.kode_unit, tahun=tahun)


# The highest serial a kind may reach in a year: six digits is far beyond any year's letters, and a
# number stays the width a letter's "Nomor :" line prints. The database holds the same bound
# (a check constraint), so no edit outside the admin overflows the next number either.
SERIAL_MAX = 999_999
SERIAL_TOO_HIGH = f"Nomor urut paling besar {SERIAL_MAX}."
# Serials two kinds' numbers are compared at: each width from one digit to six, and those whose
# digits a neighbouring literal could repeat ({nomor}1 and 1{nomor} agree at 1, 11, 111).
SAMPLE_SERIALS = (1, 2, 7, 10, 11, 12, 99, 100, 101, 111, 1000, 1111, 12345, SERIAL_MAX)


def as_printed(number: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", number).split())


class SerialSpent(ValidationError):
    """A kind's serials for a year are used up: the document is refused with this text, not a 500."""


class SerialCounter(models.Model):
    """The last serial given to a kind in a year. Locked (select_for_update) while one is taken."""

    kind = models.CharField("jenis dokumen", max_length=30, choices=DocKind.choices)
    tahun = models.PositiveSmallIntegerField()
    terakhir = models.PositiveIntegerField(
        "nomor terakhir", default=0,
        validators=[MaxValueValidator(SERIAL_MAX, message=SERIAL_TOO_HIGH)],
        help_text="Nomor urut terakhir yang sudah diberikan; naskah berikutnya mendapat nomor sesudahnya. "
                  f"Hanya dapat dinaikkan (misalnya tahun yang dimulai di buku agenda), paling besar {SERIAL_MAX}.",
    )

    class Meta:
        db_table = "workflow_nomorurut"
        verbose_name = "nomor urut naskah"
        verbose_name_plural = "nomor urut naskah"
        ordering = ["-tahun", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "tahun"], name="satu_nomor_urut_per_jenis_tahun",
                violation_error_message="Nomor urut untuk jenis dokumen dan tahun ini sudah ada; ubah yang ada.",
            ),
            models.CheckConstraint(
                condition=models.Q(terakhir__lte=SERIAL_MAX), name="nomor_urut_dalam_batas",
                violation_error_message=SERIAL_TOO_HIGH,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.tahun}: {self.terakhir}"

    @classmethod
    def peek(cls, kind: str, tahun: int) -> int | None:
        """The serial `next` would give now, taking nothing: another officer may take it first.
        None once the last one was given."""
        last = cls.objects.filter(kind=kind, tahun=tahun).values_list("terakhir", flat=True).first() or 0
        return last + 1 if last < SERIAL_MAX else None

    @classmethod
    def next(cls, kind: str, tahun: int) -> int:
        """The next serial. Must run inside the transaction that saves the document, so a failed
        save gives the number back and two officers at once never get the same one. SerialSpent
        once the last one was given."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("SerialCounter.next harus dipanggil di dalam transaksi.")
        counter = cls.objects.select_for_update().filter(kind=kind, tahun=tahun).first()
        if counter is None:
            try:
                # A savepoint: if another transaction created the row first, only this insert fails.
                with transaction.atomic():
                    cls.objects.create(kind=kind, tahun=tahun)
            except IntegrityError:
                pass
            counter = cls.objects.select_for_update().get(kind=kind, tahun=tahun)
        if counter.terakhir >= SERIAL_MAX:
            raise SerialSpent(
                f"Nomor urut {DocKind(kind).label} tahun {tahun} sudah mencapai batas {SERIAL_MAX}; "
                "naskah ini tidak dapat diberi nomor. Hubungi pengelola aplikasi."
            )
        counter.terakhir += 1
        counter.save(update_fields=["terakhir"])
        return counter.terakhir


def new_token() -> str:
    # 256 random bits: the public verification page is reached by this alone.
    return secrets.token_urlsafe(32)


class NaskahRecord(models.Model):
    """A document made here: what it was made from (to make it again while it is a draft), its
    number, the SHA-256 of the bytes stored, its public verification token and, once signed, the
    final PDF rendered at signing, which every view and download serves from then on."""

    document = models.OneToOneField("workflow.Document", on_delete=models.CASCADE, related_name="naskah",
                                    verbose_name="dokumen")
    nomor = models.CharField(max_length=100, blank=True)
    isian = models.JSONField("isian formulir", default=dict)
    versi = models.PositiveSmallIntegerField("versi", default=1)
    # This version's token: the QR on every KONSEP print of it leads here.
    token = models.CharField("token verifikasi", max_length=64, unique=True, default=new_token, editable=False)
    # The signed document's own token, given when it is signed: a draft's print and the signed
    # document are different papers, and the QR of one must never vouch for the other.
    final_token = models.CharField("token verifikasi naskah final", max_length=64, unique=True, null=True,
                                   blank=True, editable=False)
    # The addressees as the signed document prints them, one a line, kept at signing: the public
    # page lists them, and renaming an agency later must not change whom a signed letter was sent to.
    tujuan_final = models.TextField("tujuan naskah final", max_length=20000, blank=True, editable=False)
    # The classification code the number was given under (NumberingRule.kode_klasifikasi then): what
    # the signed letter is filed as in SRIKANDI, whatever the rule says later. db_default: see
    # signed_through.
    klasifikasi = models.CharField("kode klasifikasi", max_length=30, blank=True, default="", db_default="",
                                   editable=False)
    # The year of the number (its serial counts per year): a later draft keeps the number only
    # within it.
    tahun_nomor = models.PositiveSmallIntegerField("tahun nomor", null=True, blank=True)
    sha256 = models.CharField("SHA-256 konsep", max_length=64, blank=True, db_index=True)
    final_file = models.FileField("naskah final", upload_to="naskah/final/%Y/", blank=True, max_length=255)
    final_sha256 = models.CharField("SHA-256 final", max_length=64, blank=True, db_index=True)
    # Stored with the file: a list of documents says each one's size without opening any. A default
    # in the database too: the release before this one, still serving during an upgrade, writes no size.
    final_size = models.PositiveIntegerField("ukuran final (bita)", default=0, db_default=0, editable=False)
    signed_at = models.DateTimeField("ditandatangani pada", null=True, blank=True)
    signed_by = models.CharField("ditandatangani oleh", max_length=ACTOR_LABEL_LENGTH, blank=True)
    # Which signer signed it (naskah.signers): the public page says so.
    # db_default: the previous release, serving beside this one during an upgrade, adds records without
    # naming the column (deploy/README.md, "Upgrades").
    signed_through = models.CharField("ditandatangani melalui", max_length=100, blank=True, default="", db_default="", editable=False)
    # The number the national e-office (SRIKANDI) gave the same document once a clerk filed it there.
    nomor_srikandi = models.CharField("nomor SRIKANDI", max_length=100, blank=True)
    srikandi_dicatat = models.CharField("nomor SRIKANDI dicatat oleh", max_length=300, blank=True)
    # Whom the signed document waits for on their own page now (naskah.cosign: the Notulen's
    # Pencatat): the slot of its signatories and the person its form named there, written with its
    # bytes (record.store_first, record.keep). An inbox finds what waits for its reader in its one
    # query, wherever the dossier has moved since, without opening any file. A person deleted since
    # leaves the slot: the document still waits for a signature nobody can give.
    awaiting_as = models.CharField("menunggu tanda tangan sebagai", max_length=20, blank=True, default="",
                                   db_default="", editable=False)
    awaiting = models.ForeignKey("workflow.User", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", editable=False, verbose_name="menunggu tanda tangan")

    class Meta:
        db_table = "workflow_naskahdibuat"
        verbose_name = "naskah yang dibuat aplikasi"
        verbose_name_plural = "naskah yang dibuat aplikasi"

    def __str__(self) -> str:
        return f"{self.document} {self.nomor}"

    @property
    def is_final(self) -> bool:
        return bool(self.final_sha256)

    @property
    def awaiting_label(self) -> str:
        """The signatory the signed document waits for, as a person reads it ("Pencatat"), or ""."""
        return Signatory(self.awaiting_as).label if self.awaiting_as else ""

    @property
    def awaited_text(self) -> str:
        """Whose signature the signed document still waits for, as the dossier page says it under
        its "ditandatangani" (read with `awaiting`): no later step's gate waits for it, so the
        Kasubag would otherwise learn it from the Pencatat or from the file. "" when it waits for nobody."""
        if not self.awaiting_as:
            return ""
        label, person = self.awaiting_label, self.awaiting
        nobody_else = f"Orang lain tidak dapat menandatangani sebagai {label} untuknya"
        if person is None:
            return f"Belum ditandatangani {label}, yang akunnya sudah dihapus. {nobody_else}."
        if not person.is_active:
            return (f"Belum ditandatangani {label} {person.display_name}, yang akunnya sudah dinonaktifkan. {nobody_else}: "
                    "minta admin mengaktifkan akunnya kembali bila ia masih dapat menandatangani.")
        return f"Belum ditandatangani {label} {person.display_name}, yang menemukannya di halaman Menunggu saya."

    @property
    def final_name(self) -> str:
        """The signed document's file name: the draft's with "-final"."""
        return self.document.original_name.removesuffix(".pdf") + "-final.pdf"

    @property
    def konsep_name(self) -> str:
        """The draft's file name as a download offers it: with "-KONSEP", as its pages are marked, so
        it is told from the signed one ("-final") in a downloads list."""
        return konsep_name(self.document.original_name)


def konsep_name(name: str) -> str:
    return name.removesuffix(".pdf") + "-KONSEP.pdf"


class SigningCertificate(models.Model):
    """A PKCS#12 (key and certificate) an admin installs for one official, or for the institution
    when `pemilik` is empty. Kept encrypted with the site's signing key (naskah.certificates), its
    passphrase too: the signer confirms with their login password, not with the file's."""

    pemilik = models.ForeignKey(
        "workflow.User", on_delete=models.PROTECT, null=True, blank=True, related_name="signing_certificates",
        verbose_name="pejabat", help_text="Kosong: sertifikat instansi, dipakai pejabat yang tidak punya sertifikat sendiri.",
    )
    nama = models.CharField("nama sertifikat", max_length=150)
    pkcs12_terenkripsi = models.BinaryField(editable=False)
    sandi_terenkripsi = models.BinaryField(editable=False)
    subjek = models.CharField("subjek", max_length=300, editable=False)
    penerbit = models.CharField("penerbit", max_length=300, editable=False)
    nomor_seri = models.CharField("nomor seri", max_length=100, editable=False)
    sidik_sha256 = models.CharField("sidik jari SHA-256", max_length=64, editable=False, unique=True)
    berlaku_mulai = models.DateTimeField("berlaku mulai", editable=False)
    berlaku_sampai = models.DateTimeField("berlaku sampai", editable=False)
    aktif = models.BooleanField(default=True)
    dipasang_pada = models.DateTimeField("dipasang pada", auto_now_add=True)

    class Meta:
        verbose_name = "sertifikat tanda tangan elektronik"
        verbose_name_plural = "sertifikat tanda tangan elektronik"
        ordering = ["pemilik__username", "-berlaku_sampai"]

    def __str__(self) -> str:
        owner = self.pemilik.display_name if self.pemilik_id else "instansi"
        return f"{self.nama} ({owner})"


class SigningMethod(models.Model):
    """How one official signs: through the national BSrE TTE service (their NIK and passphrase typed
    at each signing, never kept) or with a certificate installed here. An official without a row
    signs with an installed certificate."""

    class Cara(models.TextChoices):
        LOKAL = "lokal", "sertifikat yang dipasang di aplikasi"
        BSRE = "bsre", "BSrE (layanan TTE nasional)"

    pejabat = models.OneToOneField("workflow.User", on_delete=models.CASCADE, related_name="signing_method")
    cara = models.CharField("cara menandatangani", max_length=10, choices=Cara.choices, default=Cara.BSRE)
    cadangan_lokal = models.BooleanField(
        "boleh memakai sertifikat lokal saat BSrE tidak dapat dihubungi", default=False,
        help_text="Hanya berlaku ketika layanan BSrE memang tidak menjawab; penandatanganan itu dicatat sebagai "
                  "“sertifikat lokal (BSrE tidak dapat dihubungi)”.",
    )

    class Meta:
        verbose_name = "cara tanda tangan pejabat"
        verbose_name_plural = "cara tanda tangan pejabat"
        ordering = ["pejabat__username"]

    def __str__(self) -> str:
        return f"{self.pejabat.display_name}: {self.get_cara_display()}"


class TrustedRoot(models.Model):
    """A root certificate the admin trusts: a signature chains to one of these to count as trusted
    on the verification page and in verify_document."""

    nama = models.CharField(max_length=150)
    sertifikat_der = models.BinaryField(editable=False)
    subjek = models.CharField(max_length=300, editable=False)
    sidik_sha256 = models.CharField("sidik jari SHA-256", max_length=64, editable=False, unique=True)
    berlaku_sampai = models.DateTimeField("berlaku sampai", editable=False)
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "sertifikat akar tepercaya"
        verbose_name_plural = "sertifikat akar tepercaya"
        ordering = ["nama"]

    def __str__(self) -> str:
        return self.nama


ACTIVE = ("antre", "berjalan")


class RenderJob(models.Model):
    """A document the worker renders instead of the request (naskah.jobs): a decree whose Lampiran
    runs to dozens of pages. What was asked, how far it has come and how it ended; the dossier page
    and the review pages read it to show progress."""

    class Purpose(models.TextChoices):
        BUAT = "buat", "membuat versi baru"
        CETAK = "cetak", "mencetak konsep"

    class Status(models.TextChoices):
        ANTRE = "antre", "menunggu giliran"
        BERJALAN = "berjalan", "sedang disiapkan"
        SELESAI = "selesai", "selesai"
        GAGAL = "gagal", "gagal"

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.CASCADE, related_name="render_jobs",
                                verbose_name="dosier")
    kind = models.CharField("jenis naskah", max_length=30, choices=DocKind.choices)
    tujuan = models.CharField(max_length=10, choices=Purpose.choices)
    pemohon = models.ForeignKey("workflow.User", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    # BUAT: the form as posted, and the position it was posted at: another officer's upload meanwhile
    # does not make it stale, a move of the dossier does.
    isian = models.JSONField("isian formulir", default=dict, blank=True)
    keadaan = models.CharField("posisi dosier saat diminta", max_length=40, blank=True)
    # CETAK: which print was asked for (naskah.render.fingerprint).
    sidik = models.CharField("sidik isi", max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTRE)
    tahap = models.CharField(max_length=10, default="antre")
    pesan = models.CharField(max_length=1000, blank=True)
    document = models.ForeignKey("workflow.Document", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="dokumen")
    dibuat = models.DateTimeField("diminta pada", auto_now_add=True)
    mulai = models.DateTimeField("mulai dikerjakan", null=True, blank=True)
    # The worker's last sign of life on it (each phase begun, each page image drawn): a decree of a
    # province's 2,000 rows works for minutes, and only a job silent for naskah.jobs.STALLED_AFTER
    # was lost with its worker. Empty for a job from before this was kept: its start counts.
    aktif_terakhir = models.DateTimeField("terakhir tampak dikerjakan", null=True, blank=True)
    selesai = models.DateTimeField("selesai pada", null=True, blank=True)

    class Meta:
        verbose_name = "penyiapan naskah"
        verbose_name_plural = "penyiapan naskah"
        ordering = ["-dibuat"]
        indexes = [models.Index(fields=["dossier", "kind", "tujuan"])]
        constraints = [
            # One new version of a kind at a time per dossier, and one render of the same content.
            models.UniqueConstraint(fields=["dossier", "kind"], name="satu_pembuatan_berjalan_per_naskah",
                                    condition=models.Q(tujuan="buat", status__in=ACTIVE)),
            models.UniqueConstraint(fields=["sidik"], name="satu_cetak_berjalan_per_isi",
                                    condition=models.Q(tujuan="cetak", status__in=ACTIVE)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_tujuan_display()}): {self.get_status_display()}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
