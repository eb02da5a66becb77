"""The record around a generated document: KONSEP until signed, frozen at signing (later profile and
letterhead edits never reach it), one number across drafts, and verification by anyone holding a
copy, on the public page and with manage.py verify_document."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from naskah import pades, record
from naskah.models import NaskahRecord, OfficeProfile
from tests.browser import ARTIFACTS
from tests.factories import client_for
from tests.naskah.helpers import altered, cetak_pdf, generate, initialled, pages
from workflow import demo
from workflow.steps import STEP_BY_NUMBER, DocKind


def nota_record(dossier) -> NaskahRecord:
    return record.latest(dossier, DocKind.NOTA_DINAS)


@pytest.fixture
def signed(people, walk):
    """A dossier whose Nota was made at step 6 and signed by the Kabiro at step 8."""
    dossier = initialled(people, walk)
    draft = cetak_pdf(people, dossier)
    demo.finish(dossier, people["kabiro"])
    return dossier, draft


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


def test_signing_freezes_the_nota_and_later_edits_never_reach_it(people, signed):
    dossier, draft = signed
    made = nota_record(dossier)
    assert made.is_final and made.signed_by.startswith("Dr. H. Syarif Abdullah")
    assert "KONSEP" in " ".join(pages(draft))
    first = cetak_pdf(people, dossier)
    text = " ".join(pages(first))
    assert "KONSEP" not in text and "Jalan Ahmad Yani" in text
    assert [check.sah for check in pades.validate(first)] == [True]
    assert record.sha256(first) == made.final_sha256

    kop = OfficeProfile.current()
    kop.alamat = "Jalan Sutan Syahrir Nomor 1"
    kop.save()
    people["kabiro"].jabatan = "Kepala Biro Pemerintahan"
    people["kabiro"].save()
    again = cetak_pdf(people, dossier)
    assert again == first
    download = client_for(people, "kabag").get(f"/dokumen/{made.document.pk}/")
    assert b"".join(download.streaming_content) == first
    assert download["Content-Disposition"].endswith('-final.pdf"')


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


def test_the_public_page_shows_what_the_document_says_and_nothing_internal(people, signed, db):
    dossier, _ = signed
    made = nota_record(dossier)
    anonymous = Client()
    page = anonymous.get(f"/verifikasi/{made.final_token}/")
    assert page.status_code == 200
    html = page.content.decode()
    for shown in ("Nota Dinas", made.nomor, made.isian["hal"], "Asisten Pemerintahan dan Kesejahteraan Rakyat",
                  "Ditandatangani", made.final_sha256, made.signed_by):
        assert shown in html, shown
    # The dossier is the bureau's own name for its work, not something the document says; the body
    # (the IKU) is read on the page images.
    assert dossier.judul not in html and "Indeks kepuasan" not in html
    assert anonymous.get("/verifikasi/" + "x" * 43 + "/").status_code == 404


@pytest.mark.parametrize("copy, says", [
    ("exact", "Asli: berkas ini sama persis dengan naskah final yang ditandatangani"),
    ("altered", "Diubah: berkas ini memuat alamat verifikasi"),
    ("draft", "Bukan naskah ini: berkas yang diunggah adalah konsep versi 1 Nota Dinas"),
    ("unknown", "Bukan naskah ini"),
])
def test_an_uploaded_copy_is_checked_against_the_stored_bytes(people, signed, copy, says):
    dossier, _ = signed
    made = nota_record(dossier)
    final = record.served_bytes(made)
    with made.document.file.open("rb") as stored:
        as_generated = stored.read()
    data = {"exact": final, "altered": altered(final), "draft": as_generated,
            "unknown": demo.placeholder_pdf("Surat lain")}[copy]
    page = Client().post(f"/verifikasi/{made.final_token}/", {"berkas": io.BytesIO(data)}, format="multipart")
    assert page.status_code == 200
    assert says in re.sub(r"\s+", " ", page.content.decode())


def test_verify_document_exits_0_for_the_signed_file_and_1_otherwise(people, signed, tmp_path, capsys):
    dossier, _ = signed
    final = record.served_bytes(nota_record(dossier))
    for name, data, code, says in [("asli.pdf", final, 0, "Asli"), ("ubah.pdf", altered(final), 1, "Diubah"),
                                   ("lain.pdf", demo.placeholder_pdf("Lain"), 1, "Tidak dikenal")]:
        path = tmp_path / name
        path.write_bytes(data)
        if code:
            with pytest.raises(SystemExit) as exit_:
                call_command("verify_document", str(path))
            assert exit_.value.code == code
        else:
            call_command("verify_document", str(path))
        assert capsys.readouterr().out.startswith(says)


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


@pytest.mark.parametrize("name, data, says", [
    ("kosong.pdf", b"", "Berkas kosong."),
    ("besar.pdf", b"%PDF-1.4\n" + b"0" * 3000, "Berkas terlalu besar untuk sebuah naskah."),
    ("acak.pdf", bytes(range(256)) * 4, "Bukan naskah ini"),
    ("terpotong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R", "Bukan naskah ini"),
    ("bom.docx", b"PK\x03\x04" + b"\x00" * 500, "Bukan naskah ini"),
    ("nama-\u202egnp.pdf", "teks ÿ \x00 dalam UTF-8".encode("utf-16"), "Bukan naskah ini"),
])
def test_any_file_on_the_public_page_gets_a_message_never_a_server_error(people, signed, settings, name, data, says):
    settings.UPLOAD_MAX_BYTES = 2048
    made = nota_record(signed[0])
    upload = io.BytesIO(data)
    upload.name = name
    page = Client(raise_request_exception=False).post(f"/verifikasi/{made.final_token}/", {"berkas": upload})
    assert page.status_code == 200
    assert says in re.sub(r"\s+", " ", page.content.decode())
    assert Client().post(f"/verifikasi/{made.final_token}/", {}).status_code == 200  # nothing chosen: asked for a file


def test_the_public_page_asks_a_fixed_number_of_queries_whatever_the_document(people, signed, walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier, _ = signed
    other = walk(STEP_BY_NUMBER[6].state)
    generate(client_for(people, "kasubag"), other, DocKind.DRAFT_KEPGUB)
    counts = []
    for token in (nota_record(dossier).final_token, record.latest(other, DocKind.DRAFT_KEPGUB).token):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(f"/verifikasi/{token}/").status_code == 200
        counts.append(len(queries))
    # The signed Nota: its record and the trusted roots its signature is validated against. The draft
    # decree prints as it stands, so its page reads what it is made from (paraf, letterhead, the IKU,
    # each in one query whatever their number), the documents that could have replaced it, and its
    # print kept in the document store (filestore: whether it is there, then its bytes; made and kept
    # under a savepoint on the first visit).
    assert counts[0] <= 3 and counts[1] <= 12


def test_the_kops_emblem_and_the_decrees_garuda_are_separate_images(people, walk):
    import pypdfium2
    from PIL import Image

    def image_count(pdf: bytes) -> int:
        page = pypdfium2.PdfDocument(pdf)[0]
        return len([obj for obj in page.get_objects() if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE])

    def png(colour) -> io.BytesIO:
        data = io.BytesIO()
        Image.new("RGB", (120, 140), colour).save(data, "PNG")
        data.seek(0)
        return data

    admin = client_for(people, "admin")
    kop = OfficeProfile.current()
    kop.save()
    url = f"/admin/naskah/officeprofile/{kop.pk}/change/"
    posted = {field.name: getattr(kop, field.name) for field in OfficeProfile._meta.fields
              if field.name not in ("id", "lambang", "garuda")}
    refused = admin.post(url, posted | {"lambang": io.BytesIO(b"GIF89a bukan png")})
    assert "Lambang harus gambar PNG atau JPEG." in refused.content.decode()
    emblem = png((200, 30, 30))
    emblem.name = "lambang.png"
    assert admin.post(url, posted | {"lambang": emblem}).status_code == 302
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    generate(kasubag, dossier, DocKind.NOTA_DINAS)
    generate(kasubag, dossier, DocKind.DRAFT_KEPGUB)
    # The province's emblem heads the kop of a letter, never the Governor's decree.
    assert image_count(cetak_pdf(people, dossier, DocKind.NOTA_DINAS)) >= 1
    assert image_count(cetak_pdf(people, dossier, DocKind.DRAFT_KEPGUB)) == 0
    garuda = png((200, 170, 30))
    garuda.name = "garuda.png"
    assert admin.post(url, posted | {"garuda": garuda}).status_code == 302
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
