"""What changed on a dossier since a form was opened on it, when it still stands where it stood: a new
version of a document its step makes (the Notulen the chair signs by finishing step 2), a meeting
recorded, an agency's IKU sent or reopened. A form made before any of them is refused, so nobody
signs, initials or closes a step over what they did not read; told only "the dossier changed, now at
step 5", its reader looked for a move that never happened."""

from dataclasses import dataclass

from lib.dates import moment_text
from workflow.actions import ACTION_LABELS, TRANSITION_ACTIONS, Action
from workflow.models import Document
from workflow.models.audit import name_in_label
from workflow.steps import DocKind


@dataclass(frozen=True)
class Changes:
    # The newest of each document the step produces saved since, in the order saved: each is named,
    # as it is what the step signs or initials.
    renewed: list
    # Every other change since, newest first (AuditEvent), and the documents uploaded among them.
    others: list
    uploaded: dict


def changes_since(dossier, revision: int) -> Changes | None:
    """What was done to the dossier since `revision` (the one a form was opened at) where it still
    stands; None when it moved meanwhile (that is the news) or nothing was done. Every transition
    adds one to the revision and writes one event, so the events since are the newest of them."""
    since = dossier.revision - revision
    if dossier.step is None or since <= 0:
        return None
    events = list(dossier.events.filter(action__in=TRANSITION_ACTIONS).order_by("-pk")
                  .only("action", "from_state", "to_state", "at", "actor_label", "note", "data")[:since])
    if not events or any(state != dossier.state for event in events for state in (event.from_state, event.to_state)):
        return None
    added = [event.data.get("dokumen") for event in events if event.action == Action.UNGGAH]
    uploaded = {document.pk: document for document in Document.objects.filter(pk__in=added).select_related("naskah")
                .order_by("uploaded_at", "pk")} if added else {}
    newest = {}
    for document in uploaded.values():
        if document.kind in dossier.step.produces:
            newest[document.kind] = document
    # An older version saved since is no change of its own to read: the newest of its kind stands for it.
    others = [event for event in events if not (event.action == Action.UNGGAH and _produced(dossier, event, uploaded))]
    return Changes(list(newest.values()), others, uploaded)


def renewed_news(dossier, revision: int | None, action: str | None) -> str | None:
    """What was done since `revision` where the dossier still stands (`changes_since`), and to read
    it before taking `action`, as a page and the API both say it; None when nothing was. The step's
    documents are named each; of the other changes, the latest, and how many came before it."""
    changes = changes_since(dossier, revision) if revision is not None else None
    if changes is None:
        return None
    said = [_saved(document) for document in changes.renewed]
    if changes.others:
        latest, before = _told(changes.others[0], changes.uploaded), len(changes.others) - 1
        said.append(f"{latest}, dan {before} perubahan lain sebelumnya" if before else latest)
    doing = _doing(dossier, action, changes.renewed)
    return f"{'; '.join(said)}; periksa lagi sebelum {doing}. Dosier tetap di {dossier.state_label}."


def renewed_text(dossier, revision: int | None, action: str | None) -> str | None:
    """The news for a form opened at `revision` to take `action` and refused because the dossier
    changed since where it stands (`renewed_news`), with what to do; None when that is not why."""
    news = renewed_news(dossier, revision, action)
    return None if news is None else f"{news} Tindakan Anda belum disimpan; isian Anda masih di bawah."


def _produced(dossier, event, uploaded) -> bool:
    document = uploaded.get(event.data.get("dokumen"))
    return document is not None and document.kind in dossier.step.produces


def _saved(document) -> str:
    label, made = DocKind(document.kind).label, document.made
    who = f"oleh {document.uploaded_by_nama} pada {moment_text(document.uploaded_at)} WIB"
    if made is None:
        return f"{label} baru diunggah {who}"
    if made.versi == 1:
        return f"{label} sudah dibuat {who}"
    return f"{label} sudah diperbarui ke versi {made.versi} {who}"


def _told(event, uploaded) -> str:
    """One change as the log recorded it: what, by whom (their name then) and when."""
    document = uploaded.get(event.data.get("dokumen")) if event.action == Action.UNGGAH else None
    if document is not None:
        return _saved(document)
    who = name_in_label(event.actor_label) or event.actor_label
    return f"{_what(event)} oleh {who} pada {moment_text(event.at)} WIB"


def _what(event) -> str:
    """What an event did, to be followed by "oleh": its own note names the agency's table, as the
    history shows it (`Dossier.ajukan_iku`, `Dossier.buka_kembali_iku`)."""
    if event.action == Action.CATAT_RAPAT:
        return "Rapat baru dicatat"
    if event.action == Action.AJUKAN_IKU:
        # "Bahan penyusunan IKU dari Dinkes: 5 indikator (versi 2)"
        table = event.note.rpartition(": ")[0]
        return f"{table or 'IKU SKPD'} sudah dikirim"
    if event.action == Action.BUKA_KEMBALI_IKU:
        # "Bahan penyusunan IKU Dinas Kesehatan dibuka kembali: <catatan>"
        table, reopened, _ = event.note.partition(" dibuka kembali: ")
        return f"{table if reopened else 'IKU SKPD'} sudah dibuka kembali"
    if event.action == Action.ATUR_TABEL_IKU:
        return "Tabel IKU Provinsi sudah diubah"
    if event.action == Action.KOREKSI_DOSIER:
        return "Judul dan tahun dosier sudah dikoreksi"
    if event.action == Action.UNGGAH:
        return "Dokumen baru diunggah"
    return f"“{ACTION_LABELS.get(event.action, event.action)}” sudah dicatat"


def _doing(dossier, action: str | None, renewed) -> str:
    """What the refused form was about to do, as it follows "periksa lagi sebelum": the button it
    was about to press, as the page labels it at this step ("Paraf dan serahkan ke Kabag"), or the
    signing itself when what it would sign was renewed."""
    if action == Action.SELESAIKAN and {document.kind for document in renewed} & set(dossier.step.signs):
        return "menandatanganinya"
    label = dossier.action_labels().get(action) or ACTION_LABELS.get(action)
    return f"menekan “{label}”" if label else "mengirim lagi"
