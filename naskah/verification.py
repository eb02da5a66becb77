"""Checking a file against the documents made here: by its SHA-256, and when the bytes match
nothing, by the verification address printed on it (then the file is a changed copy of a document
we know, not an unknown one)."""

import io
import re
from dataclasses import dataclass

from naskah import pades, record
from naskah.models import NaskahRecord
from workflow.steps import DocKind

TOKEN_IN_TEXT = re.compile(r"/verifikasi/([A-Za-z0-9_-]{20,64})/")
ASLI, DIUBAH, TIDAK_DIKENAL = "asli", "diubah", "tidak dikenal"


@dataclass(frozen=True)
class Verdict:
    outcome: str
    record: NaskahRecord | None = None
    # "final" or "konsep": which of the record's stored files the bytes are.
    version: str = ""
    # The electronic signatures the file carries, each validated.
    signatures: tuple = ()

    @property
    def message(self) -> str:
        if self.outcome == ASLI:
            which = "naskah final yang ditandatangani" if self.version == "final" else "konsep (belum ditandatangani)"
            return f"Asli: berkas ini sama persis dengan {which} {describe(self.record)}."
        if self.outcome == DIUBAH:
            return (f"Diubah: berkas ini memuat alamat verifikasi {describe(self.record)}, tetapi isinya tidak sama "
                    "dengan naskah yang tersimpan.")
        return "Tidak dikenal: berkas ini bukan naskah yang dibuat aplikasi ini."


def describe(found: NaskahRecord) -> str:
    label = DocKind(found.document.kind).label
    return f"{label} {found.nomor}".strip() + f" (dosier “{found.document.dossier.judul}”)"


def printed_token(data: bytes) -> str | None:
    """The verification token printed on a PDF, if it reads as one."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "".join(page.extract_text() or "" for page in reader.pages[:50])
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return None
    found = TOKEN_IN_TEXT.search(text.replace("\n", ""))
    return found.group(1) if found else None


def verify(data: bytes) -> Verdict:
    signatures = tuple(pades.validate(data))
    found, version = record.find(data)
    if found is not None:
        return Verdict(ASLI, found, version, signatures)
    token = printed_token(data)
    if token:
        known = NaskahRecord.objects.filter(token=token).select_related("document__dossier").first()
        if known is not None:
            return Verdict(DIUBAH, known, signatures=signatures)
    return Verdict(TIDAK_DIKENAL, signatures=signatures)
