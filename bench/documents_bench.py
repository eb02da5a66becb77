"""What printing the documents costs: a letter (the Undangan), the Nota, and the draft decree with a
200-row Lampiran (20 agencies x 10 rows), each through the app's path (context, template, marks,
WeasyPrint) beside WeasyPrint alone on the same HTML (the ratio is the app's own share), and the
decree per page; what *Buat* of that decree costs the request (the job queued) and the worker.
Then signing the Nota (the PAdES signature alone, B-LTA with the demo's timestamp authority and
B-B without, and their validation), the signed Nota served again from storage, and one page image.
Figures are medians of --repeat runs after one warm-up.

Run: .venv/bin/python bench/documents_bench.py [--repeat 3]   (a throwaway SQLite database)
"""

import argparse
import datetime as dt
import logging
import statistics
import time

import throwaway_django  # noqa: F401 - sets up Django on a throwaway database first
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.template.loader import render_to_string
from django.utils import timezone

from iku.models import IkuRow, IkuSubmission
from naskah import certificates, jobs, pades, pages, prints, record
from naskah.generators import GENERATORS
from naskah.models import NaskahRecord, SigningCertificate
from naskah.render import PRINT_CSS, render_pdf
from workflow import demo, services
from workflow.models import Document, Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind, IkuStage


def timed(work, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def weasyprint_alone(html: str) -> bytes:
    import weasyprint
    from weasyprint.css.counters import CounterStyle

    # print.css defines the minutes' list markers ("1)", "a)"): given no store, WeasyPrint drops them.
    counters = CounterStyle()
    stylesheet = weasyprint.CSS(string=PRINT_CSS.read_text(encoding="utf-8"), counter_style=counters)
    return weasyprint.HTML(string=html).write_pdf(stylesheets=[stylesheet], counter_style=counters)


def made(dossier, kind, user) -> NaskahRecord:
    """A record of `kind` as the officer's form with its defaults would make it."""
    generator = GENERATORS[kind]
    form = generator.form(generator.form.posted_defaults(dossier), dossier=dossier)
    assert form.is_valid(), form.errors
    document = Document.objects.create(dossier=dossier, kind=kind, original_name=f"{kind}.pdf", step=dossier.step.number,
                                       content_type="application/pdf", generated=True, uploaded_by=user)
    return NaskahRecord.objects.create(document=document, nomor="000.7/1/Kesra/2027", isian=form.isian(),
                                       tahun_nomor=2027)


def fill_table(dossier, user):
    IkuSubmission.objects.filter(dossier=dossier).delete()
    agencies = list(Skpd.objects.active().order_by("pk")[:20])
    dossier.invited.add(*agencies)
    for k, skpd in enumerate(agencies, start=1):
        submission = IkuSubmission.objects.create(dossier=dossier, skpd=skpd, stage=IkuStage.BAHAN, submitted_by=user,
                                                  submitted_at=timezone.now(), urutan=k)
        IkuRow.objects.bulk_create(IkuRow(
            submission=submission, urutan=j, sasaran_strategis=f"Meningkatnya mutu layanan publik sasaran {j}",
            indikator=f"Persentase layanan yang memenuhi standar pelayanan minimal {k}.{j}",
            penjelasan="Mengukur capaian standar pelayanan minimal yang menjadi kewenangan daerah",
            formula="Jumlah layanan sesuai SPM dibagi jumlah layanan dikali 100 persen", satuan="persen",
            target=f"{80 + j},5 (tahun 2027)", sumber_data="Laporan SPM tahunan", penanggung_jawab="Sekretariat",
        ) for j in range(1, 11))


def made_by_worker(dossier, user) -> tuple[float, float]:
    """What *Buat* costs the request for the decree (form checked, job queued) and the worker."""
    from naskah.models import RenderJob

    generator = GENERATORS[DocKind.DRAFT_KEPGUB]
    form = generator.form(generator.form.posted_defaults(dossier), dossier=dossier)
    assert form.is_valid(), form.errors
    dossier.refresh_from_db()
    queued_ms, job = timed(lambda: jobs.ask_generation(dossier, user, DocKind.DRAFT_KEPGUB, form), 1)
    # The worker as it runs in production (its queue, its task context), until the queue is empty.
    worker_ms, _ = timed(lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0), 1)
    job.refresh_from_db()
    assert job.status == RenderJob.Status.SELESAI, (job.status, job.pesan)
    found = pages.current(dossier, DocKind.DRAFT_KEPGUB, user)
    count = len(__import__("pypdfium2").PdfDocument(pages.pdf_bytes(found)))
    assert default_storage.exists(f"{found.folder}/{count}.png"), "the worker did not make the page images"
    return queued_ms, worker_ms


def page_images(dossier, user, repeat: int) -> tuple[int, float, float]:
    """The decree's page images as the worker makes them, and what a median cut of every page (each
    page's 256 colours chosen, the way before grey pages were kept as greys) costs on the same pages."""
    import io

    import pypdfium2

    pdf = pypdfium2.PdfDocument(pages.pdf_bytes(pages.current(dossier, DocKind.DRAFT_KEPGUB, user)))
    numbers = range(1, len(pdf) + 1)

    def median_cut(number):
        page = pdf[number - 1]
        out = io.BytesIO()
        page.render(scale=pages.scale_for(*page.get_size())).to_pil().quantize(256).save(out, "PNG")

    app_ms, _ = timed(lambda: [pages._png(pdf, n) for n in numbers], repeat)
    median_ms, _ = timed(lambda: [median_cut(n) for n in numbers], repeat)
    return len(pdf), app_ms, median_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    call_command("migrate", verbosity=0)
    people = demo.ensure_people()
    demo.ensure_certificates(people)
    kasubag = people["kasubag"]
    letter_dossier = services.create_dossier(kasubag, tahun=2027, judul="Bench surat",
                                             invited=Skpd.objects.active().order_by("pk")[:3])
    dossier = services.create_dossier(kasubag, tahun=2027, judul="Bench naskah", invited=Skpd.objects.active()[:2])
    demo.walk_to(dossier, people, STEP_BY_NUMBER[6].state)
    fill_table(dossier, kasubag)

    weasyprint_alone("<p>pemanasan</p>")  # the import and the fonts, once, outside the figures
    print("| document | pages | app (ms) | WeasyPrint alone (ms) | ratio | ms per page |\n|---|---|---|---|---|---|")
    for label, target, kind in [("Undangan (letter)", letter_dossier, DocKind.UNDANGAN),
                                ("Nota Dinas", dossier, DocKind.NOTA_DINAS),
                                ("Draft decree, 200-row Lampiran", dossier, DocKind.DRAFT_KEPGUB)]:
        found = made(target, kind, kasubag)
        generator = GENERATORS[kind]
        app_ms, pdf = timed(lambda: render_pdf(generator.template, record.context(found, target, kasubag, konsep=True)),
                            repeat)
        html = render_to_string(generator.template, record.context(found, target, kasubag, konsep=True))
        alone_ms, _ = timed(lambda: weasyprint_alone(html), repeat)
        count = len(__import__("pypdfium2").PdfDocument(pdf))
        print(f"| {label} | {count} | {app_ms:.0f} | {alone_ms:.0f} | {alone_ms / app_ms:.2f} | {app_ms / count:.0f} |")

    queued_ms, worker_ms = made_by_worker(dossier, kasubag)
    print(f"\n*Buat* the 200-row decree: the request queues it in {queued_ms:.0f} ms; the worker makes it (layout, "
          f"store, page images) in {worker_ms:.0f} ms ({worker_ms / queued_ms:.0f}x what the request waits)")
    count, images_ms, median_ms = page_images(dossier, kasubag, repeat)
    print(f"Its {count} page images (PNG): {images_ms:.0f} ms, {images_ms / count:.0f} ms a page; each page's palette "
          f"chosen by median cut instead: {median_ms:.0f} ms ({median_ms / images_ms:.1f}x)")

    nota = record.latest(dossier, DocKind.NOTA_DINAS)
    event = demo.finish(dossier, people["kasubag"])
    start = time.perf_counter()
    record.freeze(nota, dossier, event)
    freeze_ms = (time.perf_counter() - start) * 1000
    served_ms, _ = timed(lambda: record.served_bytes(nota), max(repeat, 10))
    unsigned = render_pdf(GENERATORS[DocKind.NOTA_DINAS].template, record.context(nota, dossier, kasubag, konsep=False))
    signer = pades.Signer(nama=kasubag.display_name, jabatan="Kepala Subbagian Tata Usaha", nip="", kota="Pontianak")
    certificate = certificates.for_signer(kasubag)
    sign_ms, lta = timed(lambda: pades.sign(unsigned, certificate, signer, page=None, box=None, at=timezone.now()),
                         repeat)
    check_ms, _ = timed(lambda: pades.validate(lta), repeat)
    in_2040 = dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc)
    check_2040_ms, _ = timed(lambda: pades.validate(lta, moment=in_2040), repeat)
    # The same signature without a timestamp authority: PAdES B-B, what signing was before issue 25.
    authorities = [row.pk for row in SigningCertificate.objects.all()
                   if certificates.role(row) == certificates.STAMPS_TIME]
    SigningCertificate.objects.filter(pk__in=authorities).update(aktif=False)
    logging.getLogger("sop_iku.timestamps").setLevel(logging.ERROR)  # its warning, once a signature, is expected
    basic_ms, basic = timed(lambda: pades.sign(unsigned, certificate, signer, page=None, box=None, at=timezone.now()),
                            repeat)
    basic_check_ms, _ = timed(lambda: pades.validate(basic), repeat)
    SigningCertificate.objects.filter(pk__in=authorities).update(aktif=True)
    assert [c.tingkat for c in pades.validate(lta)] == ["PAdES B-LTA"]
    assert [c.tingkat for c in pades.validate(basic)] == ["PAdES B-B"]
    assert all(c.sah for c in pades.validate(lta, moment=in_2040))
    current = pages.current(dossier, DocKind.NOTA_DINAS, kasubag)
    first_ms, _ = timed(lambda: prints.page_png(current, dossier, kasubag, 1), 1)
    again_ms, _ = timed(lambda: prints.page_png(current, dossier, kasubag, 1), max(repeat, 10))
    print(f"\nSigning freezes the Nota (render, PAdES signature, store): {freeze_ms:.0f} ms once; served again from "
          f"storage: {served_ms:.2f} ms ({freeze_ms / served_ms:.0f}x less than rendering)")
    print(f"The PAdES signature alone: B-LTA {sign_ms:.0f} ms ({len(lta) - len(unsigned)} bytes added), B-B (no "
          f"timestamp authority, as before issue 25) {basic_ms:.0f} ms ({len(basic) - len(unsigned)} bytes); "
          f"validating it (verification page, verify_document): B-LTA {check_ms:.0f} ms, as of 2040-01-01 "
          f"{check_2040_ms:.0f} ms; B-B {basic_check_ms:.0f} ms")
    print(f"Page image (PNG, 893 px wide): first {first_ms:.0f} ms, then from the cache {again_ms:.2f} ms")


if __name__ == "__main__":
    main()
