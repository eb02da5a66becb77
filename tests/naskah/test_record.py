"""The record around a generated document: KONSEP until signed, one number across drafts, the
versions on the dossier page. The signed Nota's tests (frozen at signing, verified by anyone holding
a copy) are in test_signed_record.py, which makes it once."""

import io
import re

import pytest
from pypdf import PdfReader

from naskah import record
from naskah.models import OfficeProfile
from tests.browser import ARTIFACTS
from tests.factories import client_for, loaded_version
from tests.naskah.helpers import cetak_pdf, generate, initialled, pages
from workflow import demo
from workflow.steps import STEP_BY_NUMBER, DocKind


def test_every_page_of_a_draft_says_konsep_and_carries_its_verification_address(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.DRAFT_KEPGUB)
    made = record.latest(dossier, DocKind.DRAFT_KEPGUB)
    texts = pages(cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB))
    assert len(texts) >= 2
    for text in texts:
        assert "KONSEP" in text
        assert f"/verifikasi/{made.token}/" in text.replace(" ", "")
    assert len(made.token) >= 40


def test_a_draft_made_again_keeps_its_number_and_starts_from_the_last_text(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS, hal="Penyampaian Draft Keputusan, perbaikan pertama")
    form = kasubag.get(f"/dosier/{dossier.pk}/buat/{DocKind.NOTA_DINAS}/").content.decode()
    assert "perbaikan pertama" in form
    generate(kasubag, dossier, DocKind.NOTA_DINAS, hal="Penyampaian Draft Keputusan, perbaikan kedua")
    first, second = (d.naskah for d in dossier.documents.filter(kind=DocKind.NOTA_DINAS).order_by("pk"))
    assert first.nomor == second.nomor != "" and (first.versi, second.versi) == (1, 2)
    assert "perbaikan kedua" in " ".join(pages(cetak_pdf(people, dossier)))


def test_the_kabag_reads_the_nota_and_draft_page_by_page_beside_the_buttons(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    demo.finish(dossier, people["kasubag"])
    kabag = client_for(people, "kabag")
    for action in ("selesaikan", "kembalikan"):
        html = kabag.get(f"/dosier/{dossier.pk}/aksi/{action}/").content.decode()
        images = re.findall(r'<img class="halaman" src="([^"]+)"', html)
        assert f"/dosier/{dossier.pk}/halaman/nota_dinas/1/" in images
        assert f"/dosier/{dossier.pk}/halaman/draft_kepgub/1/" in images
        # The documents come before the button on the page, not 3,000 px under it.
        assert html.index("halaman/nota_dinas/1/") < html.index('<form method="post" class="card"')
    page = kabag.get(f"/dosier/{dossier.pk}/halaman/nota_dinas/1/")
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    assert page.content.startswith(b"\x89PNG")
    from PIL import Image

    assert Image.open(io.BytesIO(page.content)).size[0] == 893
    # For a person to look at: the Nota's page and the decree's last (a Lampiran) page as the Kabag sees them.
    last = max(int(n) for n in re.findall(r"halaman/draft_kepgub/(\d+)/", html))
    lampiran = kabag.get(f"/dosier/{dossier.pk}/halaman/draft_kepgub/{last}/").content
    assert "LAMPIRAN" in pages(kabag.get(f"/dosier/{dossier.pk}/cetak/draft_kepgub/").content)[last - 1]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "nota-halaman-1.png").write_bytes(page.content)
    (ARTIFACTS / "draft-keputusan-lampiran.png").write_bytes(lampiran)
    assert kabag.get(f"/dosier/{dossier.pk}/halaman/nota_dinas/99/").status_code == 404
    assert client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/halaman/nota_dinas/1/").status_code == 403


def test_an_office_printing_on_f4_gets_f4_pages(people, walk):
    kop = OfficeProfile.current()
    kop.kertas = OfficeProfile.Kertas.F4
    kop.save()
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.NOTA_DINAS)
    reader = PdfReader(io.BytesIO(cetak_pdf(people, dossier)))
    width, height = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (215, 330)


def test_an_uploaded_file_that_is_no_readable_pdf_is_offered_for_download_without_a_preview(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)  # the walk uploads its Nota as a file, not made here
    from workflow.models import Document

    nota = Document.objects.filter(dossier=dossier, kind=DocKind.NOTA_DINAS).latest("uploaded_at")
    nota.file.save("rusak.pdf", io.BytesIO(b"%PDF-1.4 bukan pdf sungguhan"), save=True)
    html = client_for(people, "kabag").get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    assert "Pratinjau halaman tidak tersedia" in html
    assert client_for(people, "kabag").get(f"/dosier/{dossier.pk}/halaman/nota_dinas/1/").status_code == 404


def test_the_dossier_page_lists_the_current_version_of_each_draft_and_keeps_earlier_ones_behind_it(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state, returns=1)  # step 6 made its Nota and draft twice
    html = client_for(people, "kabag").get(f"/dosier/{dossier.pk}/").content.decode()
    # Only step 6 holds a Nota: one current link, the first version behind "Versi sebelumnya".
    assert html.count("Nota Dinas</a>") == 1 and "Nota Dinas</a> versi 2" in html
    assert html.count("Versi sebelumnya (2)") == 1
    assert "Nota Dinas versi 1</a>" in html and "Draft Penetapan IKU Provinsi versi 1</a>" in html


def test_the_kops_emblem_and_the_decrees_garuda_are_separate_images(people, walk):
    import pypdfium2
    from PIL import Image

    def image_count(pdf: bytes) -> int:
        page = pypdfium2.PdfDocument(pdf)[0]
        return len([obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE])

    def png(colour) -> io.BytesIO:
        data = io.BytesIO()
        # Big enough to print sharp where each goes (the Garuda 24 mm tall: 142 px).
        Image.new("RGB", (130, 150), colour).save(data, "PNG")
        data.seek(0)
        return data

    admin = client_for(people, "admin")
    kop = OfficeProfile.current()
    kop.save()
    url = f"/admin/naskah/officeprofile/{kop.pk}/change/"
    posted = {field.name: getattr(kop, field.name) for field in OfficeProfile._meta.fields
              if field.name not in ("id", "lambang", "garuda")}
    refused = admin.post(url, posted | loaded_version(kop) | {"lambang": io.BytesIO(b"GIF89a bukan png")})
    assert "Lambang harus gambar PNG atau JPEG." in refused.content.decode()
    emblem = png((200, 30, 30))
    emblem.name = "lambang.png"
    assert admin.post(url, posted | loaded_version(kop) | {"lambang": emblem}).status_code == 302
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    # The province's emblem heads the kop of a letter, never the Governor's decree.
    assert image_count(cetak_pdf(people, dossier, DocKind.NOTA_DINAS)) >= 1
    assert image_count(cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB)) == 0
    garuda = png((200, 170, 30))
    garuda.name = "garuda.png"
    assert admin.post(url, posted | loaded_version(kop) | {"garuda": garuda}).status_code == 302
    assert image_count(cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB)) == 1


def test_mengingat_is_the_admins_list_in_its_order_with_full_references(people, walk):
    from naskah.models import LegalBasis

    # Seeded by the migration with the text the decree printed, the national rules in full.
    assert LegalBasis.objects.count() == 5
    assert "Tambahan Lembaran Negara Republik Indonesia Nomor 5587" in LegalBasis.objects.first().teks
    LegalBasis.objects.create(urutan=0, teks="Undang-Undang Dasar Negara Republik Indonesia Tahun 1945 Pasal 18 ayat (6)")
    LegalBasis.objects.filter(teks__startswith="Peraturan Gubernur").update(aktif=False)
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.DRAFT_KEPGUB)
    text = " ".join(pages(cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB))[:2])
    first = text.index("Undang-Undang Dasar Negara Republik Indonesia Tahun 1945")
    assert first < text.index("Undang-Undang Nomor 23 Tahun 2014") < text.index("Nomor 6856")
    assert "Peraturan Gubernur Kalimantan Barat Nomor 95 Tahun 2016" not in text


def test_the_dossier_page_marks_a_made_nota_konsep_until_the_kabiro_signs_it(people, walk):
    dossier = initialled(people, walk)
    before = client_for(people, "kabag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert '<span class="badge">konsep</span>' in before and "ditandatangani</span>" not in before
    assert "Untuk SRIKANDI" not in before
    demo.finish(dossier, people["kabiro"])
    after = client_for(people, "kabag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert '<span class="badge ok">ditandatangani</span>' in after and "Untuk SRIKANDI" in after


@pytest.mark.parametrize("damage, says", [
    ("cut", "Gambar lambang rusak atau terpotong, sehingga tidak dapat dicetak."),
    ("huge", "Gambar lambang terlalu besar: 4000 x 4800 piksel; paling besar 2000 piksel per sisi"),
])
def test_an_emblem_that_would_print_wrong_is_refused_beside_its_field(people, damage, says):
    # A file cut short printed every letter without its emblem, saying nothing; a huge one (a flat
    # PNG of 4000 x 4800 px is small on disk) cost each print 300 MB.
    from PIL import Image

    size = (300, 360) if damage == "cut" else (4000, 4800)
    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, "PNG")
    emblem = io.BytesIO(data.getvalue()[: len(data.getvalue()) // 2] if damage == "cut" else data.getvalue())
    emblem.name = "Lambang Kalbar.png"
    kop = OfficeProfile.current()
    kop.save()
    posted = {field.name: getattr(kop, field.name) for field in OfficeProfile._meta.fields
              if field.name not in ("id", "lambang", "garuda")}
    page = client_for(people, "admin").post(f"/admin/naskah/officeprofile/{kop.pk}/change/", posted | {"lambang": emblem})
    assert page.status_code == 200 and says in page.content.decode()
    kop.refresh_from_db()
    assert not kop.lambang


def test_a_16_bit_grey_emblem_that_would_print_as_a_black_box_is_refused_and_the_typed_address_kept(people):
    # A black-and-white emblem saved as 16-bit greyscale PNG (a scanner's or Photoshop's "16 bits/channel")
    # was accepted, and every letter then carried a black rectangle where the emblem goes.
    from PIL import Image, ImageDraw

    image = Image.new("I;16", (300, 360), 65535)
    ImageDraw.Draw(image).ellipse((30, 30, 270, 330), fill=0)
    data = io.BytesIO()
    image.save(data, "PNG")
    emblem = io.BytesIO(data.getvalue())
    emblem.name = "lambang-kalbar.png"
    kop = OfficeProfile.current()
    kop.save()
    posted = {field.name: getattr(kop, field.name) for field in OfficeProfile._meta.fields
              if field.name not in ("id", "lambang", "garuda")} | loaded_version(kop)
    page = client_for(people, "admin").post(
        f"/admin/naskah/officeprofile/{kop.pk}/change/",
        posted | {"alamat": "Jalan Jenderal Ahmad Yani, Pontianak", "lambang": emblem}).content.decode()
    assert "abu-abu 16-bit" in page and "tercetak sebagai kotak hitam" in page
    assert 'value="Jalan Jenderal Ahmad Yani, Pontianak"' in page
    kop.refresh_from_db()
    assert not kop.lambang


@pytest.mark.parametrize("field, size, says", [
    ("lambang", (64, 64), "Gambar lambang terlalu kecil: 64 x 64 piksel, sedangkan tercetak 20 x 20 mm"),
    ("lambang", (30, 120), "Gambar lambang terlalu kecil: 30 x 120 piksel, sedangkan tercetak 6 x 22 mm"),
    ("garuda", (64, 64), "Gambar Garuda terlalu kecil: 64 x 64 piksel, sedangkan tercetak 24 x 24 mm"),
])
def test_an_emblem_too_small_for_its_printed_size_is_refused_naming_the_least_and_the_typing_kept(
        people, field, size, says):
    # A 64 px logo was accepted and printed blurred across the letterhead's 20 mm on every letter.
    from PIL import Image

    from naskah.models import GARUDA_HEIGHT_MM, KOP_LAMBANG_MM, LAMBANG_MIN_DPI

    def posted(width, height):
        data = io.BytesIO()
        Image.new("RGB", (width, height), (200, 30, 30)).save(data, "PNG")
        data.seek(0)
        data.name = f"{field}.png"
        return data

    kop = OfficeProfile.current()
    kop.save()
    typed = {field.name: getattr(kop, field.name) for field in OfficeProfile._meta.fields
             if field.name not in ("id", "lambang", "garuda")} | loaded_version(kop)
    typed["alamat"] = "Jalan Jenderal Ahmad Yani, Pontianak"
    url = f"/admin/naskah/officeprofile/{kop.pk}/change/"
    admin = client_for(people, "admin")
    page = admin.post(url, typed | {field: posted(*size)}).content.decode()
    # The least the kop's box asks at 150 dpi: 20 mm is 119 px, 22 mm 130 px, the Garuda's 24 mm 142 px.
    least = {"lambang": {(64, 64): "119 x 119", (30, 120): "33 x 130"}, "garuda": {(64, 64): "142 x 142"}}
    assert (KOP_LAMBANG_MM, GARUDA_HEIGHT_MM, LAMBANG_MIN_DPI) == ((20, 22), 24, 150)
    assert says in page and f"Paling kecil {least[field][size]} piksel" in page
    assert 'value="Jalan Jenderal Ahmad Yani, Pontianak"' in page
    kop.refresh_from_db()
    assert not getattr(kop, field) and kop.alamat != "Jalan Jenderal Ahmad Yani, Pontianak"
    # The least itself is enough.
    width, height = (int(n) for n in least[field][size].split(" x "))
    assert admin.post(url, typed | loaded_version(kop) | {field: posted(width, height)}).status_code == 302


def test_a_16_bit_grey_emblem_stored_before_the_check_prints_in_its_greys_not_as_a_black_box(people, walk):
    # Stored before the upload refused them (or brought back by a restore), it printed every letter
    # with a black rectangle where the emblem goes.
    import pypdfium2
    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    image = Image.new("I;16", (300, 360), 65535)
    ImageDraw.Draw(image).ellipse((30, 30, 270, 330), fill=0)
    ImageDraw.Draw(image).rectangle((0, 340, 299, 359), fill=32768)  # a mid grey band at its foot
    data = io.BytesIO()
    image.save(data, "PNG")
    kop = OfficeProfile.current()
    kop.lambang.save("lambang-16.png", ContentFile(data.getvalue()), save=True)  # as stored then: unchecked
    dossier = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), dossier, DocKind.NOTA_DINAS)
    page = pypdfium2.PdfDocument(cetak_pdf(people, dossier, DocKind.NOTA_DINAS))[0]
    (emblem,) = [obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]
    printed = emblem.get_bitmap(render=True).to_pil().convert("L")
    width, height = printed.size
    corner, centre, band = (printed.getpixel((x * width // 300, y * height // 360))
                            for x, y in ((5, 5), (150, 180), (150, 350)))
    assert corner > 250 and centre < 5 and 120 < band < 136
