"""The round as the bureau follows it: which invited agency has sent its Konsep and its Bahan,
which has only a draft or nothing, who is late against the step's Waktu; and reminding the missing
ones, once a day at most."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from iku.models import IkuReminder, IkuSubmission
from workflow import sla
from workflow.steps import STEPS, IkuStage, step_for

SENT, REOPENED, DRAFT, NOT_STARTED, LATE, MISSED = "terkirim", "dibuka", "draf", "belum", "terlambat", "tidak"
LABELS = {
    SENT: "Terkirim", REOPENED: "Dibuka kembali", DRAFT: "Baru draf", NOT_STARTED: "Belum mulai",
    LATE: "Terlambat", MISSED: "Tidak mengirim",
}
STAGE_STEPS = {IkuStage(s.iku_stage): s for s in STEPS if s.iku_stage}


@dataclass
class Cell:
    status: str
    submission: IkuSubmission | None

    @property
    def sent_at(self):
        return self.submission.submitted_at if self.submission is not None else None

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def missing(self) -> bool:
        return self.status in (DRAFT, NOT_STARTED, LATE, REOPENED)


def _stage_position(dossier, stage) -> str:
    """'now' while the dossier stands at the stage's step, 'past' once it moved on, 'future' before."""
    step = step_for(dossier.state)
    stage_step = STAGE_STEPS[stage]
    if step is None:
        return "past" if dossier.closed_at else "future"
    if step.number == stage_step.number:
        return "now"
    return "past" if step.number > stage_step.number else "future"


def cell_status(submission, position: str, step_late: bool) -> str:
    if submission is not None and submission.reopened_at is not None:
        return REOPENED
    if submission is not None and submission.submitted_at is not None:
        return SENT
    if position == "past":
        return MISSED
    if position == "now" and step_late:
        return LATE
    return DRAFT if submission is not None and submission.draft else NOT_STARTED


def matrix(dossier, agencies, *, now=None, timeline=None) -> dict:
    """{"stages": [...], "rows": [(agency, [Cell per stage])]} in two queries plus the clock's.
    `timeline`: the dossier's clocks (`sla.history`) when the caller has them; the running one is
    the step's, and the clock is not read again."""
    stages = list(STAGE_STEPS)
    submissions = {(s.skpd_id, s.stage): s for s in dossier.submissions.all()}
    current = _current_stage(dossier)
    clock = None
    if current and timeline is not None:
        clock = next((c for c in timeline if c.running), None)
    elif current:
        clock = sla.current_clocks([dossier], now=now).get(dossier.pk)
    late = clock is not None and clock.status == sla.LATE
    positions = {stage: _stage_position(dossier, stage) for stage in stages}
    rows = [
        (agency, [Cell(cell_status(submissions.get((agency.pk, stage)), positions[stage], late),
                       submissions.get((agency.pk, stage))) for stage in stages])
        for agency in agencies
    ]
    column = stages.index(current) if current else None
    missing_now = sum(1 for _, cells in rows if column is not None and cells[column].missing)
    return {"stages": stages, "rows": rows, "current": current, "missing_now": missing_now}


def _current_stage(dossier):
    step = step_for(dossier.state)
    return IkuStage(step.iku_stage) if step and step.iku_stage else None


def missing_agencies(dossier, stage) -> list:
    sent = set(
        dossier.submissions.filter(stage=stage, submitted_at__isnull=False, reopened_at__isnull=True)
        .values_list("skpd_id", flat=True)
    )
    return [agency for agency in dossier.invited.filter(aktif=True) if agency.pk not in sent]


def remind_missing(dossier, by, *, now=None) -> tuple[list, list]:
    """Record a reminder for each agency that has not sent the current stage's IKU; those already
    reminded today are left out. Returns (reminded, already reminded today)."""
    from iku.tasks import mail_reminders

    stage = _current_stage(dossier)
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminded, skipped = [], []
    for agency in missing_agencies(dossier, stage):
        try:
            with transaction.atomic():
                reminder = IkuReminder.objects.create(
                    dossier=dossier, skpd=agency, stage=stage, day=today, sent_by=by, sent_at=now
                )
        except IntegrityError:
            skipped.append(agency)
            continue
        reminded.append(agency)
        transaction.on_commit(lambda pk=reminder.pk: mail_reminders.enqueue(pk))
    return reminded, skipped
