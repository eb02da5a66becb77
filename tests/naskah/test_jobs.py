"""The draft decree, whose Lampiran can run to dozens of pages, is laid out by the worker (the real
queue: django-tasks' database backend and `manage.py db_worker`), never in the request: the officer
gets the dossier page back at once with the job's progress, the reviewer gets the pages once they
are ready, and a job that fails says why and keeps what was typed."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from naskah import drafts, jobs, record, render
from naskah import pages as pages_of
from naskah.models import RenderJob
from tests import task_backends
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from tests.task_backends import work_queue
from workflow import demo
from workflow.models import Document
from workflow.steps import STEP_BY_NUMBER, DocKind

QUEUE = task_backends.DATABASE
DECREE = DocKind.DRAFT_KEPGUB
LABEL = DocKind(DECREE).label
TENTANG = "Penetapan Indikator Kinerja Utama Perangkat Daerah Tahun 2027 (uji antrean)"


@pytest.fixture
def queue(settings):
    """Tasks go to the database queue and wait there for a worker, as on the server."""
    settings.TASKS = QUEUE


def decrees(dossier):
    return Document.objects.filter(dossier=dossier, kind=DECREE)


def test_the_officer_gets_the_page_back_at_once_and_sees_the_decree_prepared(people, walk, queue):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    response = generate(kasubag, dossier, DECREE, tentang=TENTANG)
    assert response.status_code == 302 and not decrees(dossier).exists()
    page = kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert f"{LABEL} sedang disiapkan" in page and "Menunggu giliran" in page
    assert f'data-muat="/dosier/{dossier.pk}/disiapkan/"' in page
    # The job cannot be asked twice while it waits: the form comes back as typed, with why.
    again = generate(kasubag, dossier, DECREE, tentang=TENTANG + " kedua")
    assert again.status_code == 200
    assert "sedang disiapkan dari permintaan sebelumnya" in again.content.decode()
    assert TENTANG + " kedua" in again.content.decode()

    seen = []
    real_layout = render._layout

    def layout_watched(*args, **kwargs):
        # While the worker lays the pages out, the officer's page says so.
        seen.append(kasubag.get(f"/dosier/{dossier.pk}/disiapkan/").content.decode())
        return real_layout(*args, **kwargs)

    with mock.patch("naskah.render._layout", layout_watched):
        work_queue()
    assert "Menata halaman (tahap 2 dari 4)" in seen[0] and "data-muat" in seen[0]

    made = record.latest(dossier, DECREE)
    assert made is not None and made.document.pk == decrees(dossier).get().pk
    assert TENTANG.upper() in " ".join(pages(stored_pdf(dossier, DECREE)))
    job = RenderJob.objects.get(dossier=dossier, tujuan=RenderJob.Purpose.BUAT)
    assert (job.status, job.document_id, job.pemohon) == (RenderJob.Status.SELESAI, made.document.pk, people["kasubag"])
    # The print as it stands now is those bytes, and the worker drew its pages: a reviewer's page
    # finds both kept, with nothing more to render.
    found = pages_of.current(dossier, DECREE, people["kasubag"])
    assert drafts.stored(found.konsep) == stored_pdf(dossier, DECREE)
    assert default_storage.exists(f"{found.folder}/1.png")
    # Done: the block stops asking and the page lists the decree made by the Kasubag.
    assert "data-muat" not in kasubag.get(f"/dosier/{dossier.pk}/disiapkan/").content.decode()
    assert "sedang disiapkan" not in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    # The next one shows how long the last took.
    generate(kasubag, dossier, DECREE, tentang=TENTANG)
    assert "yang terakhir selesai dalam" in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()


def test_the_reviewer_gets_the_pages_once_the_worker_has_them_and_each_change_is_rendered_once(people, walk, queue):
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.NOTA_DINAS)
    generate(client_for(people, "kasubag"), dossier, DECREE)
    work_queue()
    demo.finish(dossier, people["kasubag"])  # the Kasubag's paraf: the decree's paraf box fills in
    kabag = client_for(people, "kabag")
    review = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    page = kabag.get(review).content.decode()
    assert f"{LABEL} sedang disiapkan" in page
    job = RenderJob.objects.get(dossier=dossier, tujuan=RenderJob.Purpose.CETAK)
    assert f'data-muat="/dosier/{dossier.pk}/disiapkan/{job.pk}/"' in page
    assert f'data-ganti="/dosier/{dossier.pk}/tinjau/{DECREE}/"' in page
    assert f"/halaman/{DECREE}/1/" not in page
    printed = kabag.get(f"/dosier/{dossier.pk}/cetak/{DECREE}/")
    assert printed.status_code == 202 and "sedang disiapkan" in printed.content.decode()
    # Asked for three times, rendered once.
    assert RenderJob.objects.filter(dossier=dossier, tujuan=RenderJob.Purpose.CETAK).count() == 1

    assert "data-muat" in kabag.get(f"/dosier/{dossier.pk}/disiapkan/{job.pk}/").content.decode()
    work_queue()
    assert "data-muat" not in kabag.get(f"/dosier/{dossier.pk}/disiapkan/{job.pk}/").content.decode()
    part = kabag.get(f"/dosier/{dossier.pk}/tinjau/{DECREE}/").content.decode()
    assert "data-muat" not in part and f"/halaman/{DECREE}/1/" in part
    image = kabag.get(f"/dosier/{dossier.pk}/halaman/{DECREE}/1/")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    pdf = kabag.get(f"/dosier/{dossier.pk}/cetak/{DECREE}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert people["kasubag"].display_name in " ".join(pages(pdf.content))
    kabag.get(review)
    assert RenderJob.objects.filter(dossier=dossier, tujuan=RenderJob.Purpose.CETAK).count() == 1


def test_a_job_that_fails_says_why_and_reopening_the_form_keeps_what_was_typed(people, walk, queue, admin_client):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DECREE, tentang=TENTANG)
    with mock.patch("naskah.render._layout", side_effect=RuntimeError("font rusak")):
        work_queue()
    assert not decrees(dossier).exists()
    page = kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert f"{LABEL} gagal disiapkan." in page and "hubungi admin" in page
    assert f"/dosier/{dossier.pk}/buat/{DECREE}/" in page
    assert TENTANG in kasubag.get(f"/dosier/{dossier.pk}/buat/{DECREE}/").content.decode()
    # The Kabag cannot make one: he reads the failure without the link.
    assert "Buka lagi formulirnya" not in client_for(people, "kabag").get(f"/dosier/{dossier.pk}/").content.decode()
    # The admin finds it in the list of jobs, read-only.
    listing = admin_client.get("/admin/naskah/renderjob/").content.decode()
    assert "kesalahan di server" in listing and "gagal" in listing
    job = RenderJob.objects.get(dossier=dossier)
    assert admin_client.post(f"/admin/naskah/renderjob/{job.pk}/change/", {"status": "selesai"}).status_code == 403


def test_a_dossier_that_moved_before_the_worker_came_is_not_given_a_stale_decree(people, walk, queue):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DECREE)
    work_queue()
    generate(kasubag, dossier, DECREE, tentang=TENTANG)
    demo.finish(dossier, people["kasubag"])
    work_queue()
    job = RenderJob.objects.filter(dossier=dossier, tujuan=RenderJob.Purpose.BUAT).latest("dibuat")
    assert job.status == RenderJob.Status.GAGAL and "posisi" in job.pesan.lower()
    assert decrees(dossier).count() == 1


def test_another_officers_upload_meanwhile_does_not_refuse_the_decree(people, walk, queue):
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DECREE)
    generate(client_for(people, "staf"), dossier, DocKind.NOTA_DINAS)
    work_queue()
    assert decrees(dossier).count() == 1


def test_a_job_lost_with_its_worker_is_given_up_and_can_be_asked_again(people, walk, queue):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DECREE, tentang=TENTANG)
    RenderJob.objects.filter(dossier=dossier).update(status=RenderJob.Status.BERJALAN, tahap="tata",
                                                     mulai=timezone.now() - jobs.STALLED_AFTER - timedelta(minutes=1))
    assert "Penyiapan terhenti" in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert generate(kasubag, dossier, DECREE, tentang=TENTANG).status_code == 302
    work_queue()
    assert decrees(dossier).count() == 1


def test_a_job_started_long_ago_but_heard_from_lately_is_still_being_prepared(people, walk, queue):
    """A decree of a province's 2,000 rows works for minutes, longer on a busy server: what counts is
    the worker's last sign of life, not the job's start."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DECREE, tentang=TENTANG)
    long_ago = timezone.now() - jobs.STALLED_AFTER - timedelta(minutes=5)
    RenderJob.objects.filter(dossier=dossier).update(status=RenderJob.Status.BERJALAN, tahap="tata", mulai=long_ago,
                                                     aktif_terakhir=timezone.now() - timedelta(minutes=1))
    page = kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert f"{LABEL} sedang disiapkan" in page and "Menata halaman" in page and "Penyiapan terhenti" not in page
    # Asked again meanwhile, it is not made a second time: the form comes back, saying why.
    again = generate(kasubag, dossier, DECREE, tentang=TENTANG)
    assert again.status_code == 200 and "sedang disiapkan dari permintaan sebelumnya" in again.content.decode()
    assert RenderJob.objects.get(dossier=dossier).status == RenderJob.Status.BERJALAN

    # Silent longer than STALLED_AFTER, it was lost with its worker: given up, and asked again.
    RenderJob.objects.filter(dossier=dossier).update(aktif_terakhir=long_ago)
    assert "Penyiapan terhenti" in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert generate(kasubag, dossier, DECREE, tentang=TENTANG).status_code == 302
    assert RenderJob.objects.filter(dossier=dossier, status=RenderJob.Status.GAGAL, pesan=jobs.STALLED).count() == 1


def test_the_worker_gives_a_sign_of_life_as_it_goes(people, walk, queue):
    """A layout that took longer than STALLED_AFTER does not make the job look lost afterwards: the
    worker's next phase and each page image it draws say it is alive."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DECREE, tentang=TENTANG)
    real_layout, real_png = render._layout, pages_of._png
    seen = []

    def long_layout(*args, **kwargs):
        long_ago = timezone.now() - jobs.STALLED_AFTER - timedelta(minutes=1)
        RenderJob.objects.filter(dossier=dossier).update(mulai=long_ago, aktif_terakhir=long_ago)
        return real_layout(*args, **kwargs)

    def long_page(pdf, number):
        if number == 1:
            seen.append(kasubag.get(f"/dosier/{dossier.pk}/disiapkan/").content.decode())
            long_ago = timezone.now() - jobs.STALLED_AFTER - timedelta(minutes=1)
            RenderJob.objects.filter(dossier=dossier).update(aktif_terakhir=long_ago)
        elif number == 2:
            seen.append(kasubag.get(f"/dosier/{dossier.pk}/disiapkan/").content.decode())
        return real_png(pdf, number)

    with mock.patch("naskah.render._layout", long_layout), mock.patch("naskah.pages._png", long_page):
        work_queue()
    assert len(seen) == 2
    for page in seen:
        assert "Menyimpan dan menyiapkan gambar halaman (tahap 4 dari 4)" in page and "Penyiapan terhenti" not in page
    job = RenderJob.objects.get(dossier=dossier)
    assert job.status == RenderJob.Status.SELESAI and decrees(dossier).count() == 1


def test_a_job_waiting_long_tells_that_no_worker_takes_it(people, walk, queue):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DECREE)
    RenderJob.objects.filter(dossier=dossier).update(dibuat=timezone.now() - jobs.SLOW_QUEUE - timedelta(minutes=1))
    assert "sop-iku-worker" in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()


def test_the_progress_blocks_are_for_bureau_staff_only(people, walk, queue):
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DECREE)
    agency = client_for(people, "dinkes")
    assert "sedang disiapkan" not in agency.get(f"/dosier/{dossier.pk}/").content.decode()
    assert agency.get(f"/dosier/{dossier.pk}/disiapkan/").status_code == 403
    assert agency.get(f"/dosier/{dossier.pk}/tinjau/{DECREE}/").status_code in (403, 404)


def test_without_a_worker_the_decree_is_made_in_the_request(people, walk):
    """SOP_TASKS_IMMEDIATE (the quick start): the same job, run at once."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    response = generate(client_for(people, "kasubag"), dossier, DECREE, tentang=TENTANG)
    assert response.status_code == 302 and decrees(dossier).count() == 1
    assert RenderJob.objects.get(dossier=dossier).status == RenderJob.Status.SELESAI
    assert TENTANG.upper() in " ".join(pages(stored_pdf(dossier, DECREE)))


def test_polling_the_progress_costs_a_few_queries(people, walk, queue, django_assert_max_num_queries):
    """Each officer's open page asks every two seconds."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DECREE)
    kasubag.get(f"/dosier/{dossier.pk}/disiapkan/")
    with django_assert_max_num_queries(9):
        assert "Menunggu giliran" in kasubag.get(f"/dosier/{dossier.pk}/disiapkan/").content.decode()
    job = RenderJob.objects.get(dossier=dossier)
    with django_assert_max_num_queries(9):
        # What a block waiting for one job asks: the same few.
        assert "data-muat" in kasubag.get(f"/dosier/{dossier.pk}/disiapkan/{job.pk}/").content.decode()


def test_a_job_cut_off_with_its_worker_is_rendered_when_its_task_is_put_back(people, walk, queue):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DECREE, tentang=TENTANG)
    # The worker was killed at the layout: the job left running, its task put back with one attempt
    # behind it (workflow task_worker's put_back_cut_off).
    RenderJob.objects.filter(dossier=dossier).update(status=RenderJob.Status.BERJALAN, tahap="tata", mulai=timezone.now())
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(worker_ids=["sop-iku@mesin"])
    work_queue()
    assert decrees(dossier).count() == 1
    assert RenderJob.objects.get(dossier=dossier).status == RenderJob.Status.SELESAI
    # A second task for a job already taken still does nothing.
    job = RenderJob.objects.get(dossier=dossier)
    RenderJob.objects.filter(pk=job.pk).update(status=RenderJob.Status.BERJALAN)
    from naskah.tasks import render_job

    render_job.enqueue(job.pk)
    work_queue()
    assert decrees(dossier).count() == 1
