"""What changed on a dossier since a form was opened on it, when it still stands where it stood: a new
version of a document its step makes (the Notulen the chair signs by finishing step 2). A form made
before such a version is refused, so nobody signs or initials what they did not read; told only
"the dossier changed, now at step 2", its reader looked for a move that never happened."""

from lib.dates import moment_text
from workflow.actions import ACTION_LABELS, TRANSITION_ACTIONS, Action
from workflow.models import Document
from workflow.steps import DocKind


def renewed_documents(dossier, revision: int) -> list:
    """The newest of each document the dossier's step produces saved since `revision` (the one a form
    was opened at), in the order saved; [] when the dossier moved meanwhile (that is the news) or no
    such document was saved. Every transition adds one to the revision and writes one event, so the
    events since are the newest of them."""
    step = dossier.step
    since = dossier.revision - revision
    if step is None or not step.produces or since <= 0:
        return []
    events = list(dossier.events.filter(action__in=TRANSITION_ACTIONS).order_by("-pk")
                  .values_list("from_state", "to_state", "action", "data")[:since])
    if any(state != dossier.state for from_state, to_state, _, _ in events for state in (from_state, to_state)):
        return []
    added = [data.get("dokumen") for _, _, action, data in events if action == Action.UNGGAH]
    newest = {}
    for document in (Document.objects.filter(pk__in=added, kind__in=step.produces).select_related("naskah")
                     .order_by("uploaded_at", "pk")):
        newest[document.kind] = document
    return list(newest.values())


def renewed_news(dossier, revision: int | None, action: str | None) -> str | None:
    """What was saved since `revision` where the dossier still stands (`renewed_documents`), and to
    read it before taking `action`, as a page and the API both say it; None when nothing was."""
    renewed = renewed_documents(dossier, revision) if revision is not None else []
    if not renewed:
        return None
    said = "; ".join(_saved(document) for document in renewed)
    return f"{said}; periksa lagi sebelum {_doing(dossier, action, renewed)}. Dosier tetap di {dossier.state_label}."


def renewed_text(dossier, revision: int | None, action: str | None) -> str | None:
    """The news for a form opened at `revision` to take `action` and refused because a document of
    its step was saved since (`renewed_news`), with what to do; None when that is not why."""
    news = renewed_news(dossier, revision, action)
    return None if news is None else f"{news} Tindakan Anda belum disimpan; isian Anda masih di bawah."


def _saved(document) -> str:
    label, made = DocKind(document.kind).label, document.made
    who = f"oleh {document.uploaded_by_nama} pada {moment_text(document.uploaded_at)} WIB"
    if made is None:
        return f"{label} baru diunggah {who}"
    if made.versi == 1:
        return f"{label} sudah dibuat {who}"
    return f"{label} sudah diperbarui ke versi {made.versi} {who}"


def _doing(dossier, action: str | None, renewed) -> str:
    """What the refused form was about to do, as it follows "periksa lagi sebelum"."""
    if action == Action.SELESAIKAN:
        signed = {document.kind for document in renewed} & set(dossier.step.signs)
        return "menandatanganinya" if signed else "menyelesaikan langkah ini"
    if action in ACTION_LABELS:
        label = ACTION_LABELS[action]
        return label[:1].lower() + label[1:]
    return "mengirim lagi"
