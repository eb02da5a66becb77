"""What each person can do now on a dossier, in their words, from the step data and the action
table: "Paraf Nota Dinas sebagai Plh. Kabag" for a Plh., "Siapkan Notulen" for a Staf who prepares
what another finishes, "Kirim Konsep IKU Dinas Kesehatan" for an agency."""

from dataclasses import dataclass
from typing import NamedTuple

from iku.models import IkuSubmission
from iku.round import reopened_awaited
from lib.clipped import clipped
from lib.one_line import one_line
from workflow import dispositions, policy
from workflow.actions import ACTIONS, Action
from workflow.models import AuditEvent
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER, STEPS, DocKind, IkuStage, Signatory

# Where a return sends a draft back to (step 6): a second stay there is a return's, no other move
# leads back.
RETURNED_TO = frozenset(STEP_BY_NUMBER[s.returns_to].state for s in STEPS if s.returns_to)
# How much of the return's note an inbox row shows; the dossier page shows it whole.
RETURN_NOTE_SHOWN = 100


@dataclass(frozen=True)
class Task:
    text: str
    # "sebagai Plh. Kabag" when the user acts by delegation, else "".
    capacity: str = ""
    # A disposisi's own due moment (the step's clock is the page's).
    due: object = None


def capacity_text(capacity) -> str:
    """"sebagai Plh. Kabag" for a capacity held by delegation; "" in one's own right."""
    delegation = capacity.delegation
    if delegation is None:
        return ""
    return f"sebagai {delegation.get_kind_display()} {Role(capacity.role).label}"


def tasks_for(user, dossier) -> list[Task]:
    """The user's own work on the dossier now, the step's finishing act first, then any disposisi
    given to them."""
    given = [Task(f"Disposisi: {d.instruksi[:120]}", due=d.due_at) for d in dispositions.open_for(dossier)
             if d.assigned_to_id == user.pk]
    return _step_tasks(user, dossier) + given + _cosign_tasks(user, dossier)


def _cosign_tasks(user, dossier) -> list[Task]:
    """The signatures a signed document waits for from `user` beside its first signer (the Notulen's
    Pencatat, who may be a Tim member or any officer of the bureau): only the dossier page offered
    them, so the person the minutes name was never told the minutes waited for them."""
    if not policy.is_internal(user):
        return []
    from naskah import cosign

    return [Task(f"Tandatangani {DocKind(made.document.kind).label} {made.nomor} sebagai {Signatory(slot).label}")
            for made, slot in cosign.waiting_for(user, dossier)]


def _step_tasks(user, dossier) -> list[Task]:
    labels = dossier.action_labels()
    step = dossier.step
    tasks = []
    finish = policy.acting_as(user, Action.SELESAIKAN, dossier) or policy.acting_as(
        user, Action.CATAT_PENETAPAN, dossier
    )
    if finish is not None:
        action = Action.SELESAIKAN if step else Action.CATAT_PENETAPAN
        tasks.append(Task(labels.get(action, ACTIONS[action].label), capacity_text(finish)))
        awaited = _reopened_awaited(dossier) if step and step.reopens_iku and not step.iku_stage else []
        if awaited:
            # The step does not finish past a table reopened for fixes and not sent again (the gate):
            # "Paraf dan serahkan ke Kabag" alone read as if the draft were ready to go.
            tasks.append(Task(f"Tunggu perbaikan {IkuStage(step.reopens_iku).label} {len(awaited)} SKPD yang "
                              f"dibuka kembali dan belum dikirim lagi: {', '.join(awaited)}"))
        return tasks
    iku = policy.acting_as(user, Action.AJUKAN_IKU, dossier)
    if iku is not None:
        tasks.append(Task(f"Kirim {IkuStage(step.iku_awaited).label} {user.skpd.nama_pendek}"))
        return tasks
    # A helper prepares what the step produces; the one who finishes it is someone else.
    upload = policy.acting_as(user, Action.UNGGAH, dossier)
    if upload is not None:
        # What the step needs from outside the SOP, then what it makes: at step 1 the DPA and the
        # Kepgub as well as the Undangan (the dossier page says which are still missing).
        kinds = step.requires + step.produces
        if kinds:
            tasks.extend(Task(f"Siapkan {DocKind(kind).label}", capacity_text(upload)) for kind in kinds)
        else:
            # A step whose Output is no document of the bureau's (the workshop's Konsep IKU comes
            # from the agencies): what its papers are for, in the step's own words.
            tasks.append(Task(f"Unggah dokumen {step.ringkas}: Kelengkapan {step.kelengkapan}; "
                              f"Output {step.output}", capacity_text(upload)))
    meeting = policy.acting_as(user, Action.CATAT_RAPAT, dossier)
    if meeting is not None:
        tasks.append(Task(ACTIONS[Action.CATAT_RAPAT].label, capacity_text(meeting)))
    return tasks


def _reopened_awaited(dossier) -> list[str]:
    """The agencies whose reopened table `dossier` waits for at step 6 (`iku.round.reopened_awaited`),
    as `attach` noted them for its page, else asked here."""
    names = getattr(dossier, "_reopened_awaited", None)
    if names is None:
        names = reopened_awaited([dossier]).get(dossier.pk, [])
        dossier._reopened_awaited = names
    return names


class Returned(NamedTuple):
    """Who returned the draft a row waits on again, and the start of their note."""

    by: str
    note: str


def remember_returns(dossiers) -> None:
    """Give each dossier of a bureau inbox's page its `returned` (a `Returned`, or None): whether it
    stands where it does because the draft was returned. Told by its open stay's number, which its
    row read with its clock, so the notes are asked for only when one is, all in one query."""
    back = {d.pk: d for d in dossiers if d.state in RETURNED_TO and d.clock is not None and d.clock.attempt > 1}
    for dossier in dossiers:
        dossier.returned = None
    if not back:
        return
    latest = {}
    for event in AuditEvent.objects.filter(dossier_id__in=back, action=Action.KEMBALIKAN).only(
            "dossier_id", "role", "delegation_kind", "to_state", "note").order_by("at", "pk"):
        latest[event.dossier_id] = event
    for pk, event in latest.items():
        if event.to_state == back[pk].state:
            back[pk].returned = Returned(event.role_title, clipped(one_line(event.note), RETURN_NOTE_SHOWN))


class Sent(NamedTuple):
    """What an agency's status reads of its submission (`agency_status`)."""

    submitted_at: object
    reopened_at: object


def agency_status(dossier, submission) -> str:
    """An agency's own state in the round, never the bureau's clock."""
    if submission is None:
        return "belum mulai"
    if submission.reopened_at is not None:
        return "dibuka kembali"
    if submission.submitted_at is None:
        return "draf"
    return "terkirim"


def attach(user, dossiers) -> list:
    """Give each dossier of a page its `tasks` (and for an agency its `agency_status`) in at most
    one more query, whatever the page's length."""
    dossiers = list(dossiers)
    if user.skpd_id and not policy.is_internal(user):
        # The agency's own submissions on the page's dossiers, as the few values its status reads
        # (not models with their drafts): the one at each dossier's stage, and whether the bureau
        # reopened any, which `policy.reopened_ids` would otherwise ask of each reopened dossier.
        mine, reopened = {}, set()
        for dossier_id, stage, submitted_at, reopened_at in IkuSubmission.objects.filter(
            skpd_id=user.skpd_id, dossier_id__in=[d.pk for d in dossiers]
        ).values_list("dossier_id", "stage", "submitted_at", "reopened_at"):
            mine[dossier_id, stage] = Sent(submitted_at, reopened_at)
            if reopened_at is not None:
                reopened.add(dossier_id)
        for dossier in dossiers:
            step = dossier.step
            dossier.agency_status = agency_status(
                dossier, mine.get((dossier.pk, step.iku_awaited)) if step else None)
            # Only the agency's own part of the reopened ones is known: its page asks about no other.
            dossier._reopened_ids = frozenset({user.skpd_id}) if dossier.pk in reopened else frozenset()
    else:
        # The bureau's rows at step 6 say which reopened tables they wait for, for the page at once.
        awaited = reopened_awaited(dossiers)
        for dossier in dossiers:
            dossier._reopened_awaited = awaited.get(dossier.pk, [])
        from naskah import cosign

        # The documents that wait for the user's signature beside another's, for the page at once.
        cosign.remember_latest(dossiers, awaiting=user)
    if Role.STAF in policy.roles_of(user):
        # Only a Staf is given a disposisi (`policy.disposable_staff`): nobody else's page asks.
        dispositions.remember_open(user, dossiers)
    else:
        for dossier in dossiers:
            dossier._open_dispositions = []
    for dossier in dossiers:
        dossier.tasks = tasks_for(user, dossier)
    return dossiers
