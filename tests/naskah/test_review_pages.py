"""Every signing or paraf page shows the document: the Kabiro signing the letter to the agencies at
step 4 and the Kasubag initialling the Nota and the draft decree at step 6 read them page by page
above the button, as the Kabag and the Kabiro do at steps 7 and 8 (issue 26)."""

import re

import pytest
from django.db import reset_queries

from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow import demo
from workflow.steps import STEP_BY_NUMBER, DocKind


def shown(client, dossier, action="selesaikan") -> tuple[list[str], str]:
    html = client.get(f"/dosier/{dossier.pk}/aksi/{action}/").content.decode()
    return re.findall(r'<img class="halaman" src="([^"]+)"', html), html


def test_the_kabiro_reads_the_letter_to_the_agencies_on_the_page_where_she_signs_it(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    assert generate(client_for(people, "kasubag"), dossier, DocKind.SURAT_SKPD).status_code == 302
    images, html = shown(client_for(people, "kabiro"), dossier)
    assert f"/dosier/{dossier.pk}/halaman/{DocKind.SURAT_SKPD}/1/" in images
    assert html.index(f"halaman/{DocKind.SURAT_SKPD}/1/") < html.index('<form method="post" class="card"')
    assert "Surat ke SKPD</strong> · versi 1, konsep" in html
    image = client_for(people, "kabiro").get(images[0])
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_an_uploaded_letter_is_shown_or_linked_for_download(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    demo.upload(dossier, people["staf"], DocKind.SURAT_SKPD)
    images, html = shown(client_for(people, "kabiro"), dossier)
    document = dossier.documents.get(kind=DocKind.SURAT_SKPD)
    # Named by its document for a screen reader's list of links, where "Unduh PDF" alone repeats.
    assert f'href="/dokumen/{document.pk}/">Unduh PDF<span class="visually-hidden"> Surat ke SKPD</span></a>' in html
    assert f"/dosier/{dossier.pk}/halaman/{DocKind.SURAT_SKPD}/1/" in images


def test_the_kasubag_reads_the_nota_and_the_draft_decree_where_she_initials_them(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    for kind in (DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB):
        assert generate(kasubag, dossier, kind).status_code == 302
    images, html = shown(kasubag, dossier)
    assert f"/dosier/{dossier.pk}/halaman/{DocKind.NOTA_DINAS}/1/" in images
    assert f"/dosier/{dossier.pk}/halaman/{DocKind.DRAFT_KEPGUB}/1/" in images
    assert f'href="/dosier/{dossier.pk}/cetak/{DocKind.NOTA_DINAS}/">Unduh PDF<span class="visually-hidden"> Nota Dinas</span></a>' in html


def test_the_paraf_page_asks_the_same_queries_for_the_first_version_of_its_documents_or_the_third(
        people, walk, django_assert_max_num_queries, django_assert_num_queries):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    for version in (1, 2, 3):
        for kind in (DocKind.NOTA_DINAS, DocKind.DRAFT_KEPGUB):
            assert generate(kasubag, dossier, kind).status_code == 302
        if version == 1:
            shown(kasubag, dossier)  # the messages of the generation are read once
            reset_queries()  # the walk filled Django's query log, whose full deque counts nothing new
            with django_assert_max_num_queries(35) as first:
                shown(kasubag, dossier)
            asked = len(first.captured_queries)
    shown(kasubag, dossier)
    reset_queries()
    with django_assert_num_queries(asked):
        images, html = shown(kasubag, dossier)
    assert f"/dosier/{dossier.pk}/halaman/{DocKind.NOTA_DINAS}/1/" in images and "versi 3" in html


def test_the_kabiros_signing_page_asks_the_same_queries_for_the_first_version_of_the_letter_or_the_third(
        people, walk, django_assert_max_num_queries):
    dossier = walk(STEP_BY_NUMBER[4].state)
    kasubag, kabiro = client_for(people, "kasubag"), client_for(people, "kabiro")
    counts = []
    for version in (1, 2, 3):
        assert generate(kasubag, dossier, DocKind.SURAT_SKPD).status_code == 302
        if version in (1, 3):
            shown(kabiro, dossier)  # the page images drawn and kept on the first look
            reset_queries()
            with django_assert_max_num_queries(20) as asked:
                images, html = shown(kabiro, dossier)
            assert f"/dosier/{dossier.pk}/halaman/{DocKind.SURAT_SKPD}/1/" in images and f"versi {version}" in html
            counts.append(len(asked.captured_queries))
    assert counts[0] == counts[1], counts


def test_a_step_that_reviews_no_document_shows_no_empty_heading_for_one(people, walk):
    """Step 9's page (the Staf recording the forwarding to Asisten I) had a 'Naskah yang diteliti'
    heading with nothing under it, as if the documents had failed to load."""
    for number, username in ((1, "kasubag"), (9, "staf"), (7, "kabag")):
        dossier = walk(STEP_BY_NUMBER[number].state)
        _, html = shown(client_for(people, username), dossier)
        assert ("Naskah yang diteliti" in html) == bool(STEP_BY_NUMBER[number].reviews), number
        assert (">Keputusan Anda</h2>" in html) == bool(STEP_BY_NUMBER[number].reviews), number


def test_every_review_page_links_past_its_documents_to_the_decision(people, walk):
    """On a phone the Kabag's return form and the Kabiro's signing form stood about 3,000 px below the
    documents' pages, and nothing led to the "Keputusan Anda" anchor above them."""
    pages = [(4, "kabiro", "selesaikan"), (6, "kasubag", "selesaikan"), (7, "kabag", "selesaikan"),
             (7, "kabag", "kembalikan"), (8, "kabiro", "selesaikan"), (1, "kasubag", "selesaikan"),
             (9, "staf", "selesaikan")]
    link = '<a href="#keputusan">Langsung ke keputusan Anda</a>'
    for number, username, action in pages:
        _, html = shown(client_for(people, username), walk(STEP_BY_NUMBER[number].state), action)
        reviews = bool(STEP_BY_NUMBER[number].reviews)
        assert (link in html) == reviews and ('id="keputusan"' in html) == reviews, (number, action)
        if reviews:  # above the documents, which are still shown
            assert html.index(link) < html.index("Naskah yang diteliti") < html.index('id="keputusan"'), number


def test_a_photo_made_into_a_pdf_is_shown_at_a_size_a_phone_loads(people, walk):
    # A phone's photo turned into a PDF at 72 dpi (macOS Preview, ImageMagick, "JPG to PDF" sites)
    # has a page of 4032 x 3024 points: rendered like an A4 page it was 6048 x 4536 px, a PNG of
    # megabytes for each page the reviewer opened.
    import io

    from PIL import Image

    photo = Image.new("RGB", (4032, 3024), "white")
    as_pdf = io.BytesIO()
    photo.save(as_pdf, "PDF", resolution=72)
    dossier = walk(STEP_BY_NUMBER[4].state)
    demo.upload(dossier, people["staf"], DocKind.SURAT_SKPD, as_pdf.getvalue())
    kabiro = client_for(people, "kabiro")
    images, html = shown(kabiro, dossier)
    image = Image.open(io.BytesIO(kabiro.get(images[0]).content))
    assert max(image.size) <= 2000
    # The page reserves the image's own size, so nothing below it jumps when it arrives.
    assert f'width="{image.width}" height="{image.height}"' in html


# Finishing step 1 signs the Undangan with the Kasubag's password, and finishing step 2 the Notulen as
# the meeting's chair: her page showed the step's facts and the password box, not the letter every
# invited agency receives or the minutes she signs.
@pytest.mark.parametrize(("step", "kind", "named"), [
    (1, DocKind.UNDANGAN, "Undangan workshop"), (2, DocKind.NOTULEN_PERSIAPAN, "Notulen rapat persiapan")])
def test_the_kasubag_reads_what_she_signs_by_finishing_the_step_where_she_signs_it(people, walk, step, kind, named):
    dossier = walk(STEP_BY_NUMBER[step].state)
    assert generate(client_for(people, "staf"), dossier, kind).status_code == 302
    kasubag = client_for(people, "kasubag")
    images, html = shown(kasubag, dossier)
    assert f"/dosier/{dossier.pk}/halaman/{kind}/1/" in images
    assert f"{named}</strong> · versi 1, konsep" in html
    assert html.index(f"halaman/{kind}/1/") < html.index('<form method="post" class="card"')
    image = kasubag.get(images[0])
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
