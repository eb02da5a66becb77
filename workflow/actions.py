"""Every action on a dossier, declared once: its name (the transition's), what the log calls it,
its form, whether it only adds to the step or moves it, whether it can be undone, and what the
user is told when it succeeded.

The transitions (`workflow.models.dossier`) carry each entry's form and label in their `custom`,
so the pages, the templates and the admin read the same table; none of them branches on an
action's name.
"""

from dataclasses import dataclass

from django.db import models


class Action(models.TextChoices):
    # The values are the names of the Dossier's transition methods (and LIHAT, to see it at all).
    LIHAT = "lihat", "Melihat dosier"
    UNGGAH = "unggah_dokumen", "Mengunggah dokumen"
    SELESAIKAN = "selesaikan", "Menyelesaikan langkah"
    KEMBALIKAN = "kembalikan", "Mengembalikan ke Kasubag"
    CATAT_RAPAT = "catat_rapat", "Mencatat rapat"
    AJUKAN_IKU = "ajukan_iku", "Mengirim IKU SKPD"
    BUKA_KEMBALI_IKU = "buka_kembali_iku", "Membuka kembali IKU SKPD"
    ATUR_TABEL_IKU = "atur_tabel_iku", "Menyusun tabel IKU Provinsi"
    CATAT_PENETAPAN = "catat_penetapan", "Mencatat penetapan Gubernur"
    KOREKSI_PENETAPAN = "koreksi_penetapan", "Mengoreksi catatan penetapan Gubernur"
    KOREKSI_DOSIER = "koreksi_dosier", "Mengoreksi judul dan tahun dosier"
    BATALKAN = "batalkan", "Membatalkan dosier"


# Opening a dossier is logged like an action but is no transition: there is no dossier before it.
CREATE = "buat"
# A disposisi given and done: logged beside the transitions, moving nothing.
DISPOSE = "disposisi"
DISPOSE_DONE = "disposisi_selesai"
# A signature added to a signed document by another person it names (the Notulen's Pencatat):
# logged beside the transitions, moving nothing (naskah.cosign).
COSIGN = "tandatangan_susulan"
# What a program does through the API that the pages do without an event (api.audit): logged when
# done with a token, so every write through a token is in the history under the token's name.
DRAFT_IKU = "draf_iku"
REMIND = "ingatkan_skpd"
# A document timestamp added to a signed document by `manage.py renew_timestamps`, no person acting
# (AuditEvent.objects.record_by_system): moving nothing, changing nothing the document says.
RENEW_TIMESTAMP = "perbarui_stempel_waktu"
# The number SRIKANDI gave a signed document, recorded by the records clerks: moving nothing.
SRIKANDI_NUMBER = "catat_nomor_srikandi"


@dataclass(frozen=True)
class ActionSpec:
    action: str
    # The button and the page title; SELESAIKAN's label is the step's own (`Step.action_label`).
    label: str
    # Dotted path of the form class: `Form(data, files, dossier=, user=)` with `transition_kwargs()`.
    form: str
    # Adds to the current step (a file, a meeting, an agency's IKU) without moving it: another
    # user's addition meanwhile does not make the form stale, only a move of the step does.
    additive: bool = False
    # Cannot be undone: the page warns before the button.
    irreversible: bool = False
    # What the user reads afterwards; formatted with the audit `event`.
    success: str = "{event.action_label} berhasil: {event.note}"
    # Moves the step on only once its Kelengkapan and Output are there: the page lists what lacks.
    gated: bool = False
    # Brings what the step lacks without moving it: the page lists what lacks, as a gated one does.
    lists_missing: bool = False
    # Offered on the admin's dossier page too (uploads and the agencies' IKU need the site's pages).
    admin: bool = True
    danger: bool = False
    # A dossier waits in the inbox of whoever may take it (not for a cancellation or a correction,
    # which nobody owes).
    waits: bool = True
    # Its page shows the documents the step reviews (Step.reviews) page by page above the button.
    reviews: bool = False
    # The page that shows the form: the agencies' IKU has its own grid.
    page: str = "workflow/action.html"
    # One of many small changes on its own page: done, the user is back there at what they changed
    # (the form's `anchor()`), not sent to the dossier page to find the place again.
    stays: bool = False
    # What the same form sent twice is told: it was recorded once (workflow.forms.sent_once).
    sent: str = "Isian ini"

    def custom(self, label: str | None = None) -> dict:
        """What the transition carries for django-fsm-2 and its readers (the admin reads `form`)."""
        return {"label": label or self.label, "form": self.form, "admin": self.admin}


ACTIONS: dict[str, ActionSpec] = {
    spec.action: spec
    for spec in (
        ActionSpec(
            Action.UNGGAH, "Unggah dokumen", "workflow.forms.uploads.DocumentUploadForm", additive=True, admin=False,
            lists_missing=True, sent="Dokumen ini",
        ),
        ActionSpec(
            Action.SELESAIKAN, "Selesaikan langkah", "workflow.forms.FinishForm", irreversible=True, gated=True,
            reviews=True,
            success="{event.from_label} selesai. Dosier kini {event.now_at}.",
        ),
        ActionSpec(
            Action.KEMBALIKAN, "Kembalikan ke Kasubag", "workflow.forms.NoteForm", irreversible=True, reviews=True,
            success="Draft dikembalikan ke Kasubag dengan catatan: {event.note}",
        ),
        ActionSpec(Action.CATAT_RAPAT, "Catat rapat", "workflow.forms.MeetingForm", additive=True, admin=False,
                   sent="Rapat ini"),
        ActionSpec(
            Action.AJUKAN_IKU, "Isi dan kirim IKU", "iku.forms.IkuSubmissionForm", additive=True, admin=False,
            page="iku/grid.html", sent="IKU ini",
        ),
        ActionSpec(
            Action.BUKA_KEMBALI_IKU, "Buka kembali IKU SKPD", "iku.forms.ReopenForm", additive=True, admin=False,
            success="{event.note}",
        ),
        ActionSpec(
            Action.ATUR_TABEL_IKU, "Susun tabel IKU Provinsi", "iku.forms.ConsolidationForm", additive=True,
            admin=False, page="iku/consolidated.html", success="{event.note}", stays=True,
        ),
        ActionSpec(
            Action.CATAT_PENETAPAN, "Catat penetapan Gubernur", "workflow.forms.DecreeForm", irreversible=True,
            success="Penetapan dicatat: {event.note}. Dosier selesai.",
        ),
        ActionSpec(
            Action.KOREKSI_PENETAPAN, "Koreksi catatan penetapan", "workflow.forms.DecreeCorrectionForm",
            success="Catatan penetapan dikoreksi: {event.note}", waits=False,
        ),
        ActionSpec(
            Action.KOREKSI_DOSIER, "Koreksi judul dan tahun", "workflow.forms.DossierCorrectionForm",
            success="Judul dan tahun dikoreksi: {event.note}", waits=False, page="workflow/dossier_correction.html",
        ),
        ActionSpec(
            Action.BATALKAN, "Batalkan dosier", "workflow.forms.CancelForm", irreversible=True, danger=True, waits=False,
            success="Dosier dibatalkan: {event.note}",
        ),
    )
}
TRANSITION_ACTIONS = tuple(ACTIONS)
ACTION_LABELS = dict(Action.choices) | {
    CREATE: "Membuat dosier", DISPOSE: "Memberi disposisi", DISPOSE_DONE: "Menyelesaikan disposisi",
    COSIGN: "Menandatangani naskah",
    DRAFT_IKU: "Menyimpan draf IKU SKPD", REMIND: "Mengingatkan SKPD",
    RENEW_TIMESTAMP: "Memperbarui stempel waktu naskah", SRIKANDI_NUMBER: "Mencatat nomor SRIKANDI",
}
