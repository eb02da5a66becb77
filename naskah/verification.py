"""What a verification token stands for, and the check of a file against the documents made here.

Each draft version of a document made here has its own token, printed in the QR of every KONSEP
print of it, and the signed document has another (naskah.record): a page, and a verdict, is about
one of them. A file is

- ASLI: exactly the signed document of record, the only outcome `verify_document` exits 0 for;
- KONSEP: exactly a print the app made of one draft version: as it was generated, as it prints now
  (its paraf boxes filled), or any other print of it still kept under halaman/ in the document store (filestore)
  (naskah.drafts). Genuine, and not the document of record;
- BELUM_LENGKAP: exactly the signed document as it was kept before a later signatory signed it too
  (a Notulen saved while it awaited its Pencatat): genuine, and no longer the document of record;
- DIUBAH: it carries the verification address of a document made here, and its bytes are none of
  those;
- TIDAK_DIKENAL: nothing here.
"""

import io
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.core.files.storage import default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from iku.table import decrees_revising
from lib.dates import long_date
from lib.site import site_url
from naskah import drafts, pades, record
from naskah.models import NaskahRecord
from workflow.models import Document
from workflow.steps import DIBATALKAN, DocKind

TOKEN_IN_TEXT = re.compile(r"/verifikasi/([A-Za-z0-9_-]{20,64})/")
ASLI, KONSEP, DIUBAH, TIDAK_DIKENAL = "asli", "konsep", "diubah", "tidak dikenal"
BELUM_LENGKAP = "belum lengkap"
# verify_document's exit status: 3 tells a script "genuine, but not the document of record", apart
# from both.
EXIT_CODES = {ASLI: 0, KONSEP: 3, BELUM_LENGKAP: 3, DIUBAH: 1, TIDAK_DIKENAL: 1}
# What a file can be that is genuine, record or not.
GENUINE = (ASLI, KONSEP, BELUM_LENGKAP)
# Said of a PDF of images alone: what a scan or photo of a paper copy is.
SCANNED = ("Tidak dapat dicocokkan: berkas ini tidak memuat teks, seperti pindaian atau foto salinan kertas. Yang dapat "
           "dicocokkan hanya berkas PDF naskah elektronik yang Anda terima (misalnya lewat surel atau SRIKANDI); "
           "salinan kertas dicocokkan dengan membandingkan isinya dengan halaman naskah.")
# Said of a file that starts as a PDF and cannot be read as one: most often a genuine copy cut short
# on its way (a download or an e-mail attachment broken off), not another document.
DAMAGED = ("Tidak dapat dicocokkan: berkas PDF ini rusak atau tidak lengkap (misalnya terpotong saat diunduh atau "
           "dikirim), sehingga isinya tidak dapat dibaca. Unduh atau minta lagi berkas naskahnya dari pengirimnya, "
           "lalu cocokkan sekali lagi.")
# The libraries that validate a signature log every chain that fails to build with its traceback.
VALIDATION_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


@dataclass(frozen=True)
class Version:
    """One thing a token stands for: a draft version of a document made here, or its signed
    document."""

    record: NaskahRecord
    final: bool

    @property
    def token(self) -> str:
        return self.record.final_token if self.final else self.record.token

    @property
    def sha256(self) -> str:
        """The SHA-256 of the signed document, or of the draft as it was generated."""
        return self.record.final_sha256 if self.final else self.record.sha256

    @property
    def kind(self) -> str:
        return DocKind(self.record.document.kind).label

    @property
    def what(self) -> str:
        return "naskah yang ditandatangani" if self.final else f"konsep versi {self.record.versi}"

    @property
    def title(self) -> str:
        """'Nota Dinas 000.1.5/12/Kesra-TU': what the document is called, without its dossier."""
        return f"{self.kind} {self.record.nomor}".strip()

    @property
    def path(self) -> str:
        return reverse("verifikasi", args=[self.token])

    @property
    def url(self) -> str:
        return site_url() + self.path

    def same(self, other) -> bool:
        return other is not None and other.record.pk == self.record.pk and other.final == self.final


def lookup(token: str) -> Version | None:
    """The version `token` stands for; None if it stands for nothing here."""
    found = (NaskahRecord.objects.filter(Q(token=token) | Q(final_token=token))
             .select_related("document__dossier").first())
    if found is None:
        return None
    return Version(found, final=found.final_token == token)


LAST = "Ini konsep terakhir; belum ditandatangani."
# "Belum" read to the holder of a cancelled round's draft as a letter still on its way to a signature.
LAST_CANCELLED = "Ini konsep terakhir; proses penetapannya dibatalkan, sehingga konsep ini tidak akan ditandatangani."
LAST_DECREED = ("Ini konsep terakhir; rancangan ini sudah ditetapkan menjadi {decree}, yang ditandatangani "
                "Gubernur di luar aplikasi ini. Yang berlaku adalah Keputusan Gubernur itu, bukan konsep ini.")
# A later round of the same year revised that decree (the Governor asked it): read as unchanged, the
# decree's old IKU passed for the ones in force.
AMENDED = ("Keputusan itu kemudian diubah dengan {amendments}: bagi Perangkat Daerah yang tercantum dalam "
           "lampiran perubahan itu, yang berlaku adalah perubahannya.")


@dataclass(frozen=True)
class Standing:
    """Where a draft version stands now."""

    # The next version made here of the same document, which replaced it.
    next: Version | None = None
    # A file of the same kind uploaded after it (signed on paper, say), which has no page here.
    uploaded: Document | None = None
    # The signed document its line ended in: its own, or a later version's.
    signed: Version | None = None
    # Its round was cancelled: a draft left unsigned then is never signed.
    cancelled: bool = False
    # The draft decree's last version once the Governor's decree is recorded (its number and date):
    # signed on paper outside the app, so "not signed yet" read as a decree still on its way.
    decreed: str = ""
    # The decrees of later rounds of the year that amended it ("Keputusan Gubernur Nomor … tanggal …").
    amended: str = ""

    @property
    def current(self) -> bool:
        """Still the draft being worked on: not replaced, not signed."""
        return self.next is None and self.uploaded is None and self.signed is None

    def lines(self, *, absolute: bool = False) -> list[str]:
        """What replaced it, in sentences, with the addresses of the pages: for verify_document."""
        def address(version):
            return version.url if absolute else version.path

        said = []
        if self.next is not None:
            said.append(f"Digantikan oleh konsep versi {self.next.record.versi}: {address(self.next)}")
        elif self.uploaded is not None:
            day = long_date(timezone.localtime(self.uploaded.uploaded_at).date())
            said.append(f"Digantikan oleh berkas {DocKind(self.uploaded.kind).label} yang diunggah pada {day} "
                        "(tanpa halaman verifikasi).")
        if self.signed is not None:
            said.append(f"Naskah yang ditandatangani: {address(self.signed)}")
        if not said:
            said.append(LAST_DECREED.format(decree=self.decreed)
                        + (" " + AMENDED.format(amendments=self.amended) if self.amended else "") if self.decreed
                        else LAST_CANCELLED if self.cancelled else LAST)
        return said


def standing(version: Version) -> Standing:
    """What replaced a draft version, read from the dossier's documents of its kind: one query. Of a
    signed document, whether its round was cancelled since."""
    if version.final:
        return Standing(cancelled=version.record.document.dossier.state == DIBATALKAN)
    made = version.record
    if made.is_final:
        return Standing(signed=Version(made, True))
    made_at, pk = made.document.uploaded_at, made.document.pk
    # After it in the order record.latest reads versions in.
    later = list(Document.objects.filter(dossier_id=made.document.dossier_id, kind=made.document.kind)
                 .filter(Q(uploaded_at__gt=made_at) | Q(uploaded_at=made_at, pk__gt=pk))
                 .select_related("naskah").order_by("uploaded_at", "pk"))
    if not later:
        dossier = made.document.dossier
        decreed = dossier.decree_text if made.document.kind == DocKind.DRAFT_KEPGUB and dossier.nomor_kepgub else ""
        amendments = [later.decree_text for later in decrees_revising(dossier)] if decreed else []
        amended = " dan ".join(filter(None, [", ".join(amendments[:-1]), *amendments[-1:]]))
        return Standing(cancelled=dossier.state == DIBATALKAN, decreed=decreed, amended=amended)
    first = later[0].made
    signed = next((Version(d.made, True) for d in later if d.made is not None and d.made.is_final), None)
    if first is None:
        return Standing(uploaded=later[0], signed=signed)
    return Standing(next=Version(first, False), signed=signed)


@dataclass(frozen=True)
class Unreadable:
    """A signature that could not be read at all (a forged or broken chain the validator stumbles
    on), read as pades.Check is."""

    penanda: str = "(tidak terbaca)"
    siapa: str = "(tidak terbaca)"
    waktu: str = ""
    sah: bool = False
    kesimpulan: str = "Tidak sah: tanda tangan elektronik dalam berkas ini tidak dapat dibaca atau diperiksa."


@dataclass(frozen=True)
class Verdict:
    outcome: str
    version: Version | None = None
    # The electronic signatures the file carries, each validated.
    signatures: tuple = ()
    standing: Standing | None = None
    # BELUM_LENGKAP: who signed the document of record after this copy was kept ("Pencatat").
    awaited: tuple = ()
    # TIDAK_DIKENAL: a PDF with pages and no text on any, as a scanner or a phone's camera makes one.
    scanned: bool = False
    # DIUBAH: known by the signature it carries, its printed address unreadable (the changed bytes
    # were in the page's text).
    by_signature: bool = False
    # TIDAK_DIKENAL: a PDF that cannot be read at all (cut short, broken), carrying no signature; with
    # `version`, the first part of that version's file.
    damaged: bool = False

    @property
    def unmatched(self) -> bool:
        """Nothing can be said of what the file is (a scan, a broken file): not "another document"."""
        return self.scanned or self.damaged

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.outcome]

    @property
    def what(self) -> str:
        """What the file is, for the page of another version: "konsep versi 1 Nota Dinas 000.7/..."."""
        if self.outcome == BELUM_LENGKAP:
            return f"{self.version.title} sebelum ditandatangani {' dan '.join(self.awaited)}"
        return f"{self.version.what} {self.version.title}"

    @property
    def message(self) -> str:
        if self.outcome == ASLI:
            return f"Asli: berkas ini sama persis dengan naskah final yang ditandatangani, {self.version.title}."
        if self.outcome == KONSEP:
            versi = self.version.record.versi
            return (f"Konsep versi {versi}, bukan naskah yang ditandatangani: berkas ini sama persis dengan "
                    f"cetakan konsep versi {versi} {self.version.title} yang dibuat aplikasi ini.")
        if self.outcome == BELUM_LENGKAP:
            by = " dan ".join(self.awaited)
            return (f"Belum lengkap, bukan naskah final: berkas ini sama persis dengan {self.version.title} "
                    f"sebagaimana tersimpan sebelum ditandatangani {by}. Naskah itu sudah digantikan oleh naskah "
                    f"final yang ditandatangani juga oleh {by}.")
        if self.outcome == DIUBAH:
            carries = "tanda tangan elektronik" if self.by_signature else "alamat verifikasi"
            said = f"Diubah: berkas ini memuat {carries} {self.version.what} {self.version.title}, tetapi "
            if self.version.final:
                return said + "isinya tidak sama persis dengan naskah itu."
            # Only the prints still kept can be compared: an older one cleared from the cache is
            # not known any more, and is not claimed to be genuine.
            return said + ("isinya tidak sama dengan konsep itu sebagaimana dibuat, sebagaimana tercetak sekarang, "
                           "maupun cetakannya yang masih tersimpan.")
        if self.scanned:
            return SCANNED
        if self.damaged and self.version is not None:
            return (f"Tidak lengkap: berkas ini hanya bagian awal {self.version.what} {self.version.title}, terpotong "
                    "(misalnya saat diunduh atau dikirim), sehingga tidak dapat dicocokkan. Unduh atau minta lagi berkas "
                    "naskahnya dari pengirimnya, lalu cocokkan sekali lagi.")
        if self.damaged:
            return DAMAGED
        return "Tidak dikenal: berkas ini bukan naskah yang dibuat aplikasi ini."


def printed_text(data: bytes) -> str | None:
    """The text of a PDF's first pages ("" for pages of images alone); None for a file pypdf cannot read."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        return "".join(page.extract_text() or "" for page in reader.pages[:50]) if reader.pages else None
    except Exception:  # noqa: BLE001 - any file may come, and one pypdf cannot read carries no address
        return None


def printed_token(data: bytes, text: str | None = None) -> str | None:
    """The verification token printed on a PDF (whose `text` may be given), if it reads as one."""
    text = printed_text(data) if text is None else text
    found = TOKEN_IN_TEXT.search((text or "").replace("\n", ""))
    return found.group(1) if found else None


@contextmanager
def quiet_validation_logs():
    """Hold back the validating libraries' own log lines (a traceback per chain that does not build):
    the checks say it in words, and a terminal or a log should not show a stack for a forged file."""
    loggers = [logging.getLogger(name) for name in VALIDATION_LOGGERS]
    before = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, before):
            logger.setLevel(level)


def signatures_of(data: bytes, moment=None) -> tuple:
    """Every signature `data` carries, validated (as of `moment`, else now); a file whose signatures
    cannot even be read gives one Unreadable check, never an error."""
    with quiet_validation_logs():
        try:
            checks = pades.validate(data, moment=moment)
        except Exception:  # noqa: BLE001 - any file may come: a failed check is an answer, not a crash
            return (Unreadable(),)
    if len(checks) < 2:
        return tuple(checks)
    # Several signed it: each says as whom (the chair, the Pencatat), by the field it fills.
    return tuple(replace(check, sebagai=record.FIELD_LABELS.get(check.kolom, "")) for check in checks)


def _kept_prints(size: int, skip: str = ""):
    """The bytes of every draft print kept under halaman/ in the document store (filestore) (naskah.drafts) of `size`
    bytes: a kept print is named by its content, not by its version, so its size picks the few
    worth reading."""
    try:
        folders, _ = default_storage.listdir(drafts.FOLDER)
    except OSError:
        return
    for key in folders:
        if not key.startswith("k") or key == skip:
            continue
        path = drafts.path_of(key)
        try:
            if default_storage.size(path) != size:
                continue
            with default_storage.open(path, "rb") as kept:
                yield kept.read()
        except OSError:
            continue


def is_a_print_of(made: NaskahRecord, data: bytes, digest: str, now: Standing) -> bool:
    """Whether `data` is a print the app made of `made`'s draft version beyond the one generated
    (whose SHA-256 is stored): as it prints now, if it is still the draft being worked on (rendered
    again if its kept print was cleared: the same content gives the same bytes), or any print of it
    still kept."""
    konsep = kept = None
    if now.current:
        konsep = drafts.of_record(made, made.document.dossier, None)
        kept = drafts.stored(konsep)
        if kept is not None and record.sha256(kept) == digest:
            return True
    if any(record.sha256(other) == digest for other in _kept_prints(len(data), konsep.key if konsep else "")):
        return True
    return konsep is not None and kept is None and record.sha256(drafts.pdf(konsep, in_worker=True)) == digest


def by_hash(digest: str) -> Version | None:
    """The version whose stored bytes are exactly those with `digest`: a signed document, or a draft
    as generated."""
    found = (NaskahRecord.objects.filter(Q(final_sha256=digest) | Q(sha256=digest))
             .select_related("document__dossier").first())
    if found is None:
        return None
    return Version(found, final=found.final_sha256 == digest)


def verify(data: bytes, *, moment=None, expected: Version | None = None) -> Verdict:
    """What `data` is (see the module's docstring), with its signatures validated as of `moment`
    (else now). `expected`: the version whose page the file was uploaded to, recognised by its
    signature too when the file's text no longer reads."""
    signatures = signatures_of(data, moment)
    digest = record.sha256(data)
    found = by_hash(digest)
    if found is not None:
        return verdict_for(found, signatures)
    text = printed_text(data)
    token = printed_token(data, text)
    printed = lookup(token) if token else None
    if printed is None:
        # A byte changed in a signed file's page breaks the page's text, address and all: its
        # signature still says which signed document it was made from.
        if signatures and expected is not None and expected.final and set(pades.signature_values(data)) & set(
                pades.signature_values(record.served_bytes(expected.record))):
            return Verdict(DIUBAH, expected, signatures, by_signature=True)
        # A scan or a photo of a paper copy carries no text, so no address and no bytes of ours: not
        # "another document", which read to the holder of a genuine paper as a forgery. A file that
        # carries an electronic signature is no scan, though its text no longer reads.
        return Verdict(TIDAK_DIKENAL, signatures=signatures,
                       scanned=not signatures and text is not None and not text.strip(),
                       damaged=not signatures and text is None)
    served = record.served_bytes(printed.record) if printed.final else None
    since = pades.earlier_state(served, data) if printed.final else None
    if since == []:
        # A copy downloaded before renew_timestamps appended a document timestamp to the record:
        # the same signed document, though its SHA-256 is no longer the stored one.
        return verdict_for(printed, signatures)
    if since:
        awaited = tuple(record.FIELD_LABELS.get(field, "penanda tangan lain") for field in since)
        return Verdict(BELUM_LENGKAP, printed, signatures, Standing(signed=printed), awaited)
    draft = Version(printed.record, False)
    now = standing(draft)
    if is_a_print_of(printed.record, data, digest, now):
        return Verdict(KONSEP, draft, signatures, now)
    # The first part of the very file, cut short on its way (a download or an attachment broken off):
    # "Diubah" read as a forgery to the holder of a genuine copy.
    whole = served if printed.final else as_generated(printed.record)
    if pades.cut_short(whole, data):
        return Verdict(TIDAK_DIKENAL, printed, signatures, damaged=True)
    return Verdict(DIUBAH, printed, signatures)


def as_generated(made: NaskahRecord) -> bytes:
    """A draft version's bytes as it was generated."""
    try:
        with made.document.file.open("rb") as kept:
            return kept.read()
    except (OSError, ValueError):
        return b""


def verdict_for(version: Version, signatures: tuple) -> Verdict:
    """The verdict on a file that is exactly `version`'s stored bytes."""
    if version.final:
        return Verdict(ASLI, version, signatures)
    return Verdict(KONSEP, version, signatures, standing(version))
