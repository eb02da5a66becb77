"""The hand-off to SRIKANDI, the national e-office: a signed document's particulars as its upload
form asks them (jenis naskah, klasifikasi, nomor, tanggal, sifat, tingkat urgensi, hal,
penandatangan, tujuan, tembusan), as JSON and CSV beside the PDF, so a clerk files it without
retyping; and the number SRIKANDI gives it, recorded against ours.

Our forms' "Sifat" (Biasa / Segera / Sangat Segera) is what SRIKANDI calls tingkat urgensi; its
sifat (Biasa / Terbatas / Rahasia) is Biasa for every document of this SOP.

The bundle is one ZIP per signed document, ready for a manual upload: the signed PDF as stored and
its particulars as JSON, with the fields SRIKANDI's outgoing-letter registration asks besides
(ringkasan: what the document says in a few lines; verifikator: who initialled it before it was
signed, else who prepared it).
"""

import io
import json
import zipfile

from naskah import content, record
from naskah.generators import GENERATORS
from naskah.models import NaskahRecord, NumberingRule
from workflow.actions import Action
from workflow.steps import DocKind

JENIS = {
    DocKind.UNDANGAN: "Surat Undangan",
    DocKind.NOTULEN_PERSIAPAN: "Notula",
    DocKind.SURAT_SKPD: "Surat Dinas",
    DocKind.NOTA_DINAS: "Nota Dinas",
    DocKind.DRAFT_KEPGUB: "Keputusan",
}
FIELDS = ("jenis_naskah", "klasifikasi", "nomor", "tanggal", "sifat", "tingkat_urgensi", "hal", "ringkasan",
          "penandatangan", "verifikator", "tujuan", "tembusan", "berkas", "sha256", "verifikasi", "nomor_srikandi")
RINGKASAN_MAX = 1000


def metadata(found: NaskahRecord) -> dict:
    dossier = found.document.dossier
    kind = found.document.kind
    data = record.form_data(found, dossier)
    context = GENERATORS[kind].context(dossier, data, found.nomor, found.document.uploaded_at, None)
    # The code the number was given under; a record numbered by a release that did not keep it
    # (before 0015) reads today's rule, as that release did.
    rule = None if found.klasifikasi or not found.nomor else NumberingRule.objects.filter(kind=kind).first()
    day = data.get("tanggal_surat") or data.get("tanggal_rapat")
    # Whom the signed PDF addresses, kept at signing: an agency renamed or deactivated since must not
    # give the clerk another addressee than the paper filed beside it, nor another Tembusan.
    tujuan = record.signed_addressees(found, dossier)
    kept = content.tembusan(data, tujuan) if "tembusan" in context else []
    return {
        "jenis_naskah": JENIS.get(kind, DocKind(kind).label),
        "klasifikasi": found.klasifikasi or (rule.kode_klasifikasi if rule else ""),
        "nomor": found.nomor,
        "tanggal": day.isoformat() if day else "",
        "sifat": "Biasa",
        "tingkat_urgensi": data.get("sifat") or "Biasa",
        "hal": data.get("hal") or data.get("acara") or data.get("tentang") or "",
        "ringkasan": summary(kind, data),
        "penandatangan": found.signed_by,
        "verifikator": verifiers(found),
        "tujuan": list(tujuan),
        "tembusan": kept,
        "berkas": found.final_name,
        "sha256": found.final_sha256,
        "verifikasi": record.verification_url(found),
        "nomor_srikandi": found.nomor_srikandi,
    }


def csv_row(values: dict) -> list[str]:
    """One row in FIELDS order; a list becomes its items joined by "; "."""
    return ["; ".join(value) if isinstance(value, list) else str(value) for value in (values[f] for f in FIELDS)]


def summary(kind: str, data: dict) -> str:
    """A few lines of what the document says, from what the officer filled in."""
    if kind == DocKind.UNDANGAN:
        parts = [f"Undangan {data.get('acara', '')}", f"di {data.get('tempat', '')}" if data.get("tempat") else ""]
    elif kind == DocKind.NOTULEN_PERSIAPAN:
        parts = [f"Notulen rapat {data.get('acara', '')}.", "Keputusan: " + "; ".join(
            line.strip() for line in data.get("keputusan", "").splitlines() if line.strip())]
    elif kind == DocKind.DRAFT_KEPGUB:
        parts = [f"Keputusan Gubernur tentang {data.get('tentang', '')}"]
    else:
        parts = [data.get("hal", ""), data.get("isi_tambahan", "")]
    text = " ".join(" ".join(part.split()) for part in parts if part and part.strip())
    return text if len(text) <= RINGKASAN_MAX else text[:RINGKASAN_MAX - 1].rstrip() + "…"


def verifiers(found: NaskahRecord) -> list[str]:
    """Who finished a step (their paraf) between the document's making and its signing; else who
    made it."""
    events = found.document.dossier.events.filter(
        action=Action.SELESAIKAN, at__gte=found.document.uploaded_at, at__lt=found.signed_at).order_by("at", "pk")
    names = list(dict.fromkeys(event.actor_label for event in events))
    if names:
        return names
    # Named as they were when they made it, as the paraf names are.
    return [found.document.uploaded_by_nama]


def bundle(found: NaskahRecord) -> bytes:
    """The ZIP for SRIKANDI: the signed PDF as stored and its particulars as JSON."""
    values = metadata(found)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(found.final_name, record.served_bytes(found))
        archive.writestr(found.final_name.removesuffix(".pdf") + "-metadata.json",
                         json.dumps(values, ensure_ascii=False, indent=2))
    return out.getvalue()


def record_number(found: NaskahRecord, user, nomor: str, at=None) -> bool:
    """Record the number SRIKANDI gave `found`, with an event in the dossier's history, in one
    transaction under the dossier's row lock. Returns False when that number is recorded already (a
    second click); a different number is refused: the record of a filed document is not rewritten
    from a page (the admin corrects it)."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction
    from django.utils import timezone

    from workflow import policy
    from workflow.actions import SRIKANDI_NUMBER
    from workflow.models import AuditEvent, Dossier

    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=found.document.dossier_id)
        found = NaskahRecord.objects.select_for_update().get(pk=found.pk)
        capacity = policy.recording_srikandi_as(user, dossier)
        if capacity is None:
            raise PermissionDenied("Nomor SRIKANDI dicatat oleh Kasubag atau Staf.")
        if found.nomor_srikandi == nomor:
            return False
        if found.nomor_srikandi:
            raise ValidationError(
                f"Nomor SRIKANDI naskah ini sudah dicatat: {found.nomor_srikandi} (oleh {found.srikandi_dicatat}). "
                "Nomor yang sudah dicatat tidak diganti dari halaman ini; bila keliru, minta admin mengoreksinya.")
        found.nomor_srikandi, found.srikandi_dicatat = nomor, str(user)[:300]
        found.save(update_fields=["nomor_srikandi", "srikandi_dicatat"])
        AuditEvent.objects.record(dossier, user, capacity, SRIKANDI_NUMBER, dossier.state,
                                  {"note": f"Nomor SRIKANDI {nomor} untuk {found.nomor or 'naskah'}", "naskah": found.pk},
                                  at or timezone.now())
    return True
