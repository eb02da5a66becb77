"""The worker's side of naskah.jobs: take a queued job, do it phase by phase, say how it ended."""

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from naskah import drafts, pages
from naskah.generate import generate
from naskah.generators import GENERATORS
from naskah.models import RenderJob
from workflow import policy, services
from workflow.steps import DocKind

log = logging.getLogger(__name__)
UNEXPECTED = "Naskah gagal disiapkan karena kesalahan di server; silakan coba lagi atau hubungi admin."


class Refused(Exception):
    """The job cannot be done as asked any more; its text says why, in Indonesian."""


def _phase(job: RenderJob, tahap: str) -> None:
    # Outside any transaction of the work itself: the page polling it sees each phase at once, and
    # the sweep (naskah.jobs.give_up_stalled) a sign of life.
    RenderJob.objects.filter(pk=job.pk).update(tahap=tahap, aktif_terakhir=timezone.now())


def _alive(job: RenderJob) -> None:
    """A sign of life within a phase: the page images of a decree of dozens of pages take minutes."""
    RenderJob.objects.filter(pk=job.pk).update(aktif_terakhir=timezone.now())


def _make(job: RenderJob, on_phase) -> None:
    """A new version from the form as posted, refused as the request would refuse it now."""
    dossier, user, label = job.dossier, job.pemohon, DocKind(job.kind).label
    if user is None or not user.is_active or not policy.can_generate(user, job.kind, dossier):
        raise Refused(f"{label} tidak dapat dibuat lagi pada posisi “{dossier.state_label}”.")
    if dossier.state != job.keadaan:
        raise services.StaleDossier(dossier)
    form = GENERATORS[job.kind].form(job.isian, dossier=dossier)
    if not form.is_valid():
        raise Refused("Isian tidak lagi sah: " + " ".join(e for errors in form.errors.values() for e in errors))
    _, job.document = generate(dossier, user, job.kind, form, revision=dossier.revision, on_phase=on_phase)


def _print(job: RenderJob, on_phase) -> None:
    konsep = drafts.current(job.dossier, job.kind, job.pemohon)
    if konsep is not None and drafts.stored(konsep) is None:
        drafts.render(konsep, on_phase)


@task(takes_context=True)
def render_job(context, job_id: int) -> str:
    # A job is claimed once, so a second task for it does nothing; but this task's own earlier
    # attempt, cut off by a killed worker and put back (workflow task_worker), left it running: the
    # attempt after that takes it up again, or the document would never be made.
    claimable = [RenderJob.Status.ANTRE] + ([RenderJob.Status.BERJALAN] if context.attempt > 1 else [])
    now = timezone.now()
    claimed = RenderJob.objects.filter(pk=job_id, status__in=claimable).update(
        status=RenderJob.Status.BERJALAN, tahap="isi", mulai=now, aktif_terakhir=now
    )
    if not claimed:
        return "sudah dikerjakan"
    job = RenderJob.objects.select_related("dossier", "pemohon").get(pk=job_id)

    def on_phase(tahap):
        _phase(job, tahap)

    try:
        (_make if job.tujuan == RenderJob.Purpose.BUAT else _print)(job, on_phase)
        _phase(job, "simpan")
        pages.prerender(job.dossier, job.kind, job.pemohon, on_page=lambda: _alive(job))
    # A gate's refusal (gates.GateError) and a stale dossier are ValidationErrors too.
    except (Refused, ValidationError) as error:
        return _end(job, RenderJob.Status.GAGAL, " ".join(getattr(error, "messages", None) or [str(error)]))
    except Exception:
        log.exception("render job %s failed", job_id)
        _end(job, RenderJob.Status.GAGAL, UNEXPECTED)
        raise
    return _end(job, RenderJob.Status.SELESAI, "")


def _end(job: RenderJob, status: str, pesan: str) -> str:
    RenderJob.objects.filter(pk=job.pk).update(status=status, pesan=pesan[:1000], selesai=timezone.now(),
                                               document=job.document)
    return status
