"""The hand-off to SRIKANDI, the national e-office: a signed document's particulars as its upload
form asks them (jenis naskah, klasifikasi, nomor, tanggal, sifat, tingkat urgensi, hal,
penandatangan, tujuan, tembusan), as JSON and CSV beside the PDF, so a clerk files it without
retyping; and the number SRIKANDI gives it, recorded against ours.

Our forms' "Sifat" (Biasa / Segera / Sangat Segera) is what SRIKANDI calls tingkat urgensi; its
sifat (Biasa / Terbatas / Rahasia) is Biasa for every document of this SOP.
"""

from naskah import record
from naskah.generators import GENERATORS
from naskah.models import NaskahRecord, NumberingRule
from workflow.steps import DocKind

JENIS = {
    DocKind.UNDANGAN: "Surat Undangan",
    DocKind.NOTULEN_PERSIAPAN: "Notula",
    DocKind.SURAT_SKPD: "Surat Dinas",
    DocKind.NOTA_DINAS: "Nota Dinas",
    DocKind.DRAFT_KEPGUB: "Keputusan",
}
FIELDS = ("jenis_naskah", "klasifikasi", "nomor", "tanggal", "sifat", "tingkat_urgensi", "hal", "penandatangan",
          "tujuan", "tembusan", "berkas", "sha256", "verifikasi", "nomor_srikandi")


def metadata(found: NaskahRecord) -> dict:
    dossier = found.document.dossier
    kind = found.document.kind
    data = record.form_data(found, dossier)
    context = GENERATORS[kind].context(dossier, data, found.nomor, found.document.uploaded_at, None)
    rule = NumberingRule.objects.filter(kind=kind).first()
    day = data.get("tanggal_surat") or data.get("tanggal_rapat")
    tujuan = context.get("tujuan") or ([context["yth"]] if context.get("yth") else [])
    return {
        "jenis_naskah": JENIS.get(kind, DocKind(kind).label),
        "klasifikasi": rule.kode_klasifikasi if rule else "",
        "nomor": found.nomor,
        "tanggal": day.isoformat() if day else "",
        "sifat": "Biasa",
        "tingkat_urgensi": data.get("sifat") or "Biasa",
        "hal": data.get("hal") or data.get("acara") or data.get("tentang") or "",
        "penandatangan": found.signed_by,
        "tujuan": list(tujuan),
        "tembusan": list(context.get("tembusan") or []),
        "berkas": found.final_name,
        "sha256": found.final_sha256,
        "verifikasi": record.verification_url(found),
        "nomor_srikandi": found.nomor_srikandi,
    }


def csv_row(values: dict) -> list[str]:
    """One row in FIELDS order; a list becomes its items joined by "; "."""
    return ["; ".join(value) if isinstance(value, list) else str(value) for value in (values[f] for f in FIELDS)]
