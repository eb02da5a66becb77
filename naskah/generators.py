"""The documents the app can make: for each DocKind, its form, its template and its wording."""

import re
from dataclasses import dataclass
from typing import Callable

from naskah import content, forms
from workflow.roles import Role
from workflow.steps import DocKind


@dataclass(frozen=True)
class Generator:
    kind: str
    form: type
    template: str
    context: Callable
    # Start of the stored file's name: "Undangan-2027-000.1.5-1-Kesra-2026.pdf".
    prefix: str
    # What the step's page says the button does.
    judul: str
    # Whose signature block the document carries, shown on the form (the content builder prints it).
    penandatangan: str = ""
    # Rendered by the worker rather than in the request (naskah.jobs): its Lampiran lists every
    # agency's IKU and can take seconds; a letter takes a fraction of one.
    background: bool = False

    def file_name(self, dossier, nomor: str, versi: int = 1) -> str:
        safe = re.sub(r"[^A-Za-z0-9.]+", "-", nomor).strip("-.")
        return f"{self.prefix}-{dossier.tahun}" + (f"-{safe}" if safe else "") + (f"-v{versi}" if versi > 1 else "") + ".pdf"


GENERATORS = {
    g.kind: g
    for g in (
        Generator(DocKind.UNDANGAN, forms.UndanganForm, "naskah/undangan.html", content.undangan,
                  "Undangan", "Buat undangan workshop", Role.KASUBAG),
        Generator(DocKind.NOTULEN_PERSIAPAN, forms.NotulenForm, "naskah/notulen.html", content.notulen,
                  "Notulen", "Buat notulen rapat persiapan"),
        Generator(DocKind.SURAT_SKPD, forms.SuratSkpdForm, "naskah/surat_skpd.html", content.surat_skpd,
                  "Surat-SKPD", "Buat surat ke SKPD", Role.KABIRO),
        Generator(DocKind.NOTA_DINAS, forms.NotaDinasForm, "naskah/nota_dinas.html", content.nota_dinas,
                  "Nota-Dinas", "Buat Nota Dinas", Role.KABIRO),
        Generator(DocKind.DRAFT_KEPGUB, forms.DraftKepgubForm, "naskah/draft_kepgub.html", content.draft_kepgub,
                  "Draft-Kepgub", "Buat draft Keputusan Gubernur", background=True),
    )
}
# The drafts that travel up for paraf and signature (steps 6 to 9) and are printed as they stand.
PRINTABLE = (DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB)
