"""Kelengkapan gates: a step may not finish until what the step data says it needs is there.

The transitions call these; nothing else checks them a second time. A page may list
`missing_items` beforehand, to show what is still lacking.
"""

from django.core.exceptions import ValidationError

from workflow.steps import DocKind, IkuStage, Step


class GateError(ValidationError):
    """A step cannot finish yet; `messages` name each missing item in Indonesian. A ValidationError,
    so a page shows it with `form.add_error(None, error)` like any other refusal."""

    def __init__(self, messages):
        super().__init__(list(messages), code="gate")

    def __str__(self) -> str:
        return " ".join(self.messages)


class TableChangedMeanwhile(GateError):
    """An agency's send met, under the dossier's lock, a table another page or program sent or saved,
    or the bureau corrected, after the form's own check passed: a page shows it as any gate; the API
    checks its form again, which now says it in a program's words (api.views_iku_write)."""


# What a missing document asks: said on the page beside its upload and its "make" buttons; the API,
# which takes no file and makes no document, says where they are (api.errors.gate_for_program).
UPLOAD_FIRST = "Unggah dokumen ini terlebih dahulu."
MAKE_FIRST = "Unggah atau buat dokumen ini terlebih dahulu."
MAKE_AGAIN = "Buat atau unggah lagi versi yang sudah diperbaiki (boleh sama isinya)."


def missing_items(dossier, documents=None, meetings=None) -> list[str]:
    """What the current step still lacks, besides the agencies' IKU (which may be waived).

    `documents` and `meetings`: all of the dossier's, when the caller has read them already (the
    dossier page); otherwise they are read here."""
    step = dossier.step
    if step is None:
        return []
    messages = []
    if documents is None:
        documents = list(dossier.documents.values_list("kind", "uploaded_at"))
    else:
        documents = [(document.kind, document.uploaded_at) for document in documents]
    kinds = {kind for kind, _ in documents}
    for kind in step.requires:
        if kind not in kinds:
            messages.append(
                f"Kelengkapan langkah {step.number} belum ada: {DocKind(kind).label}. {UPLOAD_FIRST}"
            )
    # The Output must come from this stay in the step: after a return at step 7, the old Nota
    # does not count and a corrected one is needed.
    fresh = {kind for kind, uploaded_at in documents if uploaded_at >= dossier.state_entered_at}
    for kind in step.produces:
        if kind in fresh:
            continue
        if kind in kinds:
            # It is on the page, made before the return: saying "belum ada" sent Kasubags looking.
            messages.append(
                f"Output langkah {step.number}: {DocKind(kind).label} yang ada dibuat sebelum dosier kembali ke "
                f"langkah ini. {MAKE_AGAIN}"
            )
        else:
            messages.append(
                f"Output langkah {step.number} belum ada: {DocKind(kind).label}. {MAKE_FIRST}"
            )
    if step.min_meetings:
        if meetings is None:
            held = dossier.meetings.filter(step=step.number, recorded_at__gte=dossier.state_entered_at).count()
        else:
            held = sum(1 for m in meetings if m.step == step.number and m.recorded_at >= dossier.state_entered_at)
        if held < step.min_meetings:
            messages.append(
                f"Belum ada rapat yang dicatat pada langkah {step.number} ({step.ringkas}). "
                f"Catat sedikitnya {step.min_meetings} rapat terlebih dahulu."
            )
    return messages


def require_ready(dossier) -> None:
    blockers = missing_items(dossier)
    if blockers:
        raise GateError(blockers)


def missing_submissions(dossier, step: Step):
    """The invited agencies whose IKU this step still waits for (`iku.round.awaited`): at step 3 or 5
    each that has not sent, or whose table the bureau reopened; at step 6 each reopened and not sent
    again. A deactivated agency has left the rounds and is not waited for."""
    from iku.round import awaited

    return awaited(dossier, step)


def require_submissions_or_acknowledged(dossier, step: Step, acknowledged) -> list[str]:
    """Refuse to finish while an agency's IKU is missing, unless the Kasubag listed it as missing.

    Returns the names of the agencies moved on without, for the audit event; a reopened table not
    sent again is named so, as the history then reads it under "Belum mengirim".
    """
    missing = missing_submissions(dossier, step)
    acknowledged_ids = {int(getattr(s, "pk", s)) for s in acknowledged}
    unacknowledged = [s for s in missing if s.pk not in acknowledged_ids]
    if unacknowledged:
        from iku.round import unstaffed

        label = IkuStage(step.iku_awaited).label
        # An agency nobody acts for (the web form marks it "belum ada petugas") cannot send: waiting
        # for it waits for nobody, so it is named apart with what can be done.
        # A table sent back for fixes is not "not sent": the Kasubag asked for it again herself; and
        # reopened with its officer deactivated since, both are said, or "belum mengirim" hid that the
        # agency had sent a table the step may go on with. Each agency in one list, by both marks.
        unstaffed_ids = {s.pk for s in unstaffed(unacknowledged)}
        by_marks = {(reopened, nobody_there): [] for reopened in (True, False) for nobody_there in (True, False)}
        for s in unacknowledged:
            by_marks[s.reopened, s.pk in unstaffed_ids].append(s)
        reopened, reopened_nobody = by_marks[True, False], by_marks[True, True]
        awaited, nobody = by_marks[False, False], by_marks[False, True]
        messages = []
        if reopened:
            messages.append(f"{label} SKPD berikut dibuka kembali untuk diperbaiki dan belum dikirim lagi: "
                            f"{', '.join(s.nama_pendek for s in reopened)}. Tunggu kiriman perbaikannya, atau "
                            "catat SKPD tersebut sebagai belum mengirim untuk melanjutkan dengan tabel yang "
                            "dikirimnya sebelum dibuka kembali.")
        if reopened_nobody:
            messages.append(f"{label} SKPD berikut dibuka kembali untuk diperbaiki dan belum dikirim lagi, dan belum "
                            "ada petugas (pengguna aktif berperan SKPD), sehingga perbaikannya tidak dapat dikirim "
                            f"lewat aplikasi: {', '.join(s.nama_pendek for s in reopened_nobody)}. Catat SKPD tersebut "
                            "sebagai belum mengirim untuk melanjutkan dengan tabel yang dikirimnya sebelum dibuka "
                            "kembali, atau minta admin menambahkan petugasnya (Admin › Pengguna) lalu tunggu kiriman "
                            "perbaikannya.")
        if awaited:
            messages.append(f"SKPD berikut belum mengirim {label}: {', '.join(s.nama_pendek for s in awaited)}. "
                            "Tunggu kiriman mereka, atau catat SKPD tersebut sebagai belum mengirim untuk melanjutkan.")
        if nobody:
            messages.append(f"SKPD berikut belum mengirim {label} dan belum ada petugas (pengguna aktif berperan SKPD), "
                            f"sehingga tidak dapat mengirim lewat aplikasi: {', '.join(s.nama_pendek for s in nobody)}. "
                            "Catat SKPD tersebut sebagai belum mengirim untuk melanjutkan, atau minta admin "
                            "menambahkan petugasnya (Admin › Pengguna) lalu tunggu kirimannya.")
        raise GateError(messages)
    return [f"{s.nama_pendek} (dibuka kembali, belum dikirim lagi)" if s.reopened else s.nama_pendek
            for s in missing]


def require_text(value, message: str) -> None:
    if not (value or "").strip():
        raise GateError([message])


def require_rows(rows) -> None:
    if not rows:
        raise GateError(["Isi sedikitnya satu indikator kinerja utama sebelum mengirim."])
