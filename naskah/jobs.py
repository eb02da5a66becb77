"""Rendering off the request path. A document that takes seconds to lay out (a decree whose Lampiran
lists every agency's IKU) is made by the worker (`manage.py task_worker`: django-tasks with its
database backend, so SQLite and PostgreSQL both work without a broker), and the page shows how far
it has come instead of waiting for it.

A job is a row (naskah.RenderJob) written in one transaction with its task: BUAT makes a new
version from the form as posted, exactly as the request would have (naskah.generate); CETAK renders
the print of a draft as it stands (naskah.drafts). The worker (naskah.tasks) moves it through
PHASES; the page polls it (static/js/proses.js) or offers a link to look again.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from naskah.models import ACTIVE, RenderJob
from naskah.tasks import render_job
from workflow.models.sent_form import record_pending_for
from workflow.steps import DocKind

# What the worker is doing, in order; the page shows "tahap 2 dari 4".
PHASES = {
    "antre": "Menunggu giliran",
    "isi": "Menyusun isi",
    "tata": "Menata halaman",
    "tulis": "Menulis PDF",
    "simpan": "Menyimpan dan menyiapkan gambar halaman",
}
WORKING = ("isi", "tata", "tulis", "simpan")
# A job running with no sign of life this long (RenderJob.aktif_terakhir: the worker moves it at each
# phase) was lost with its worker (killed, restarted): it is given up, so the same document can be
# asked for again. Counted from its start, a decree of a province's 2,000 rows that took minutes on a
# busy server was called stalled while it worked, and made twice.
STALLED_AFTER = timedelta(minutes=10)
STALLED = "Penyiapan terhenti (layanan pekerja dimulai ulang). Silakan minta lagi."
BUSY = "{label} sedang disiapkan dari permintaan sebelumnya; tunggu sampai selesai, lalu buat lagi bila perlu."
# A print that failed is not tried again on every look before this.
RETRY_AFTER = timedelta(minutes=1)
# Jobs waiting this long tell the reader who can fix it: no worker is taking them.
SLOW_QUEUE = timedelta(minutes=2)


class Busy(Exception):
    """A new version of the same document is already being made."""


def _enqueue(job: RenderJob) -> None:
    render_job.enqueue(job.pk)


def give_up_stalled(**filters) -> None:
    now = timezone.now()
    RenderJob.objects.alias(terakhir=Coalesce("aktif_terakhir", "mulai")).filter(
        status=RenderJob.Status.BERJALAN, terakhir__lt=now - STALLED_AFTER, **filters
    ).update(status=RenderJob.Status.GAGAL, pesan=STALLED, selesai=now)


def ask_generation(dossier, user, kind: str, form) -> RenderJob:
    """Queue a new version of `kind` from a valid form. Busy if one is already being made. Read back
    after queueing: where tasks run at once (no worker: SOP_TASKS_IMMEDIATE) it is already done."""
    give_up_stalled(dossier=dossier, kind=kind, tujuan=RenderJob.Purpose.BUAT)
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(dossier=dossier, kind=kind, tujuan=RenderJob.Purpose.BUAT, pemohon=user,
                                           isian=form.isian(), keadaan=dossier.state)
            # Its form sent again (workflow.forms.sent_once) finds it asked for, and asks for no second one.
            record_pending_for(reverse("dossier", args=(dossier.pk,)))
            _enqueue(job)
    except IntegrityError:
        raise Busy(BUSY.format(label=DocKind(kind).label)) from None
    job.refresh_from_db()
    return job


def ask_print(dossier, konsep, user) -> RenderJob:
    """The job rendering `konsep`'s print: the one under way, else a new one."""
    give_up_stalled(sidik=konsep.key, tujuan=RenderJob.Purpose.CETAK)
    last = printing(konsep)
    # Under way, or failed a moment ago: asking again at every look would only fail again.
    if last is not None and (last.active or last.status == RenderJob.Status.GAGAL
                             and timezone.now() - (last.selesai or last.dibuat) < RETRY_AFTER):
        return last
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(dossier=dossier, kind=konsep.kind, tujuan=RenderJob.Purpose.CETAK,
                                           pemohon=user, sidik=konsep.key)
            _enqueue(job)
    except IntegrityError:
        # Another reader asked for the same print a moment before.
        return RenderJob.objects.filter(sidik=konsep.key, tujuan=RenderJob.Purpose.CETAK, status__in=ACTIVE).first()
    return job


def printing(konsep) -> RenderJob | None:
    return RenderJob.objects.filter(sidik=konsep.key, tujuan=RenderJob.Purpose.CETAK).order_by("-dibuat").first()


def stalled(job: RenderJob, now=None) -> bool:
    last = job.aktif_terakhir or job.mulai
    return job.status == RenderJob.Status.BERJALAN and last is not None and last < (now or timezone.now()) - STALLED_AFTER


def for_dossier(dossier) -> list[RenderJob]:
    """What the dossier page reports: each new version being made, and the last one that failed
    unless a later one was asked for or the dossier has moved on since."""
    latest = {}
    for job in RenderJob.objects.filter(dossier=dossier, tujuan=RenderJob.Purpose.BUAT).order_by("-dibuat")[:20]:
        latest.setdefault(job.kind, job)
    now = timezone.now()
    failed = (lambda job: job.status == RenderJob.Status.GAGAL or stalled(job, now))
    return [job for job in latest.values()
            if failed(job) and job.keadaan == dossier.state or job.active and not stalled(job, now)]


def failed_input(dossier, kind, since) -> dict | None:
    """The form as typed for the latest version that failed to be made after `since` (the latest
    document made, or None), so reopening the form loses nothing."""
    jobs = RenderJob.objects.filter(dossier=dossier, kind=kind, tujuan=RenderJob.Purpose.BUAT)
    if since is not None:
        jobs = jobs.filter(dibuat__gt=since)
    job = jobs.order_by("-dibuat").first()
    return job.isian if job is not None and (job.status == RenderJob.Status.GAGAL or stalled(job)) else None


@dataclass(frozen=True)
class Progress:
    job: RenderJob
    judul: str
    label: str
    # 0 while it waits, then 1..len(WORKING).
    nomor: int
    jumlah: int
    detik: int
    # How long the last like job took, in seconds, if one finished.
    perkiraan: int | None
    # Jobs asked for earlier that no worker has taken yet.
    di_depan: int
    # Waiting so long that no worker seems to be taking jobs.
    lambat: bool
    # Why it failed; "" while it runs or once it is done.
    gagal: str

    @property
    def berjalan(self) -> bool:
        return self.job.active and not self.gagal


def progress(job: RenderJob) -> Progress:
    now = timezone.now()
    nomor = WORKING.index(job.tahap) + 1 if job.tahap in WORKING else 0
    last = (RenderJob.objects.filter(kind=job.kind, tujuan=job.tujuan, status=RenderJob.Status.SELESAI)
            .exclude(mulai=None).order_by("-selesai").values_list("mulai", "selesai").first())
    waiting = job.status == RenderJob.Status.ANTRE
    ahead = RenderJob.objects.filter(status=RenderJob.Status.ANTRE, dibuat__lt=job.dibuat).count() if waiting else 0
    return Progress(
        job=job, judul=DocKind(job.kind).label, label=PHASES.get(job.tahap, job.tahap), nomor=nomor,
        jumlah=len(WORKING), detik=int((now - job.dibuat).total_seconds()),
        perkiraan=max(1, round((last[1] - last[0]).total_seconds())) if last else None,
        di_depan=ahead, lambat=waiting and now - job.dibuat > SLOW_QUEUE,
        gagal=STALLED if stalled(job, now) else job.pesan if job.status == RenderJob.Status.GAGAL else "",
    )
