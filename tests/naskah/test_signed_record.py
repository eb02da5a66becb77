"""The signed Nota: frozen at signing (later profile and letterhead edits never reach it) and
verified by anyone holding a copy, on the public page and with manage.py verify_document.

Made once for the module (tests/once.py): two drafts rendered, initialled, printed and signed take
seconds, and every test here only reads them."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from naskah import pades, record
from naskah.models import NaskahRecord, OfficeProfile
from tests import factories
from tests.factories import client_for
from tests.naskah.helpers import altered, cetak_pdf, generate, pages, signed_nota
from tests.once import ids_of, kept_for_the_module, read_afresh
from workflow import demo
from workflow.models import Dossier
from workflow.steps import STEP_BY_NUMBER, DocKind


def nota_record(dossier) -> NaskahRecord:
    return record.latest(dossier, DocKind.NOTA_DINAS)


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker):
    """The people's ids, and a dossier whose Nota was made at step 6 and signed by the Kabiro at
    step 8 with the draft's print before signing."""
    with kept_for_the_module(django_db_blocker) as build:
        with build():
            people = factories.make_people()
            dossier, draft = signed_nota(people, lambda state: factories.dossier_at(people, state))
        yield ids_of(people), dossier.pk, draft


@pytest.fixture
def people(made_once, db):
    return read_afresh(made_once[0])


@pytest.fixture
def signed(made_once, people):
    _, dossier_pk, draft = made_once
    return Dossier.objects.get(pk=dossier_pk), draft


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


@pytest.mark.parametrize("name, data, says", [
    ("kosong.pdf", b"", "Berkas kosong."),
    ("besar.pdf", b"%PDF-1.4\n" + b"0" * 3000, "Berkas terlalu besar untuk sebuah naskah."),
    ("acak.pdf", bytes(range(256)) * 4, "Berkas ini bukan PDF."),
    ("terpotong.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R", "berkas PDF ini rusak atau tidak lengkap"),
    ("bom.docx", b"PK\x03\x04" + b"\x00" * 500, "Berkas ini bukan PDF."),
    ("nama-\u202egnp.pdf", "teks ÿ \x00 dalam UTF-8".encode("utf-16"), "Berkas ini bukan PDF."),
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



def paper_copy(format_name: str) -> bytes:
    """A paper copy as its holder has it on the phone: a photo (JPEG), or a scan of its pages (a PDF
    of images, no text)."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (620, 877), "white")
    ImageDraw.Draw(page).rectangle([60, 60, 560, 120], fill="black")
    out = io.BytesIO()
    page.save(out, format_name, **({"resolution": 75} if format_name == "PDF" else {}))
    return out.getvalue()


def test_a_photo_of_the_paper_copy_is_told_what_can_be_checked_not_called_another_document(people, signed):
    made = nota_record(signed[0])
    photo = io.BytesIO(paper_copy("JPEG"))
    photo.name = "IMG_20270105_101500.jpg"
    page = re.sub(r"\s+", " ", Client().post(f"/verifikasi/{made.final_token}/", {"berkas": photo}).content.decode())
    assert "Berkas ini bukan PDF. Yang dapat dicocokkan hanya berkas PDF naskah elektronik" in page
    assert "Bukan naskah ini" not in page


def test_a_scan_of_the_paper_copy_is_told_it_cannot_be_matched_not_called_another_document(people, signed):
    made = nota_record(signed[0])
    scan = io.BytesIO(paper_copy("PDF"))
    scan.name = "scan0001.pdf"
    page = re.sub(r"\s+", " ", Client().post(f"/verifikasi/{made.final_token}/", {"berkas": scan}).content.decode())
    assert "Tidak dapat dicocokkan: berkas ini tidak memuat teks, seperti pindaian atau foto salinan kertas." in page
    assert 'class="msg warning" id="hasil"' in page
    assert "Bukan naskah ini" not in page

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
    # each in one query whatever their number, and the decrees of its year it would amend), the
    # documents that could have replaced it, and its print kept in the document store (filestore:
    # whether it is there, then its bytes; made and kept under a savepoint on the first visit).
    assert counts[0] <= 3 and counts[1] <= 13


def test_a_qr_address_with_one_character_changed_says_no_document_has_it_and_what_to_do(people, signed):
    """A forged paper's QR code, or the address typed with one letter wrong: the site's 404 said "tidak
    ada atau tidak dibagikan kepada Anda" and offered a task list the citizen has none of. The page
    says no document carries this address, what to check, and not to take the paper as genuine."""
    token = nota_record(signed[0]).final_token
    wrong = token[:-1] + ("B" if token[-1] != "B" else "C")
    shown = Client().get(f"/verifikasi/{wrong}/")
    upload = io.BytesIO(record.served_bytes(nota_record(signed[0])))
    uploaded = Client().post(f"/verifikasi/{wrong}/", {"berkas": upload})
    for response in (shown, uploaded):
        page = re.sub(r"\s+", " ", response.content.decode())
        assert response.status_code == 404
        assert "Tidak ada naskah dengan alamat verifikasi ini." in page
        assert "huruf besar dan huruf kecil dibedakan" in page
        assert "jangan menganggapnya asli, dan tanyakan kepada BIRO KESEJAHTERAAN RAKYAT (telepon" in page
        assert "daftar tugas" not in page and "tidak dibagikan kepada Anda" not in page


def byte_changed_in_page(pdf: bytes) -> bytes:
    """`pdf` with one byte of its first page's content stream changed in place: the length and every
    offset stay, the signature no longer covers what it signed, and the page's text (its printed
    verification address with it) no longer reads."""
    from pypdf import PdfReader

    number = PdfReader(io.BytesIO(pdf)).pages[0].raw_get("/Contents").idnum
    at = pdf.index(b"stream", re.search(rb"(?<!\d)%d 0 obj" % number, pdf).end()) + len(b"stream\n")
    return pdf[:at] + bytes([pdf[at] ^ 0xFF]) + pdf[at + 1:]


def test_a_signed_file_with_a_byte_changed_in_its_page_is_called_changed_not_a_scan(people, signed, tmp_path, capsys):
    """One byte changed in the signed Nota's page: its text no longer reads, and the page said "Tidak
    dapat dicocokkan: berkas ini tidak memuat teks, seperti pindaian atau foto salinan kertas" in a
    warning, as if the holder had uploaded a scan. Its signature still names the signed document:
    the page says it was changed, and neither it nor verify_document calls it a scan."""
    made = nota_record(signed[0])
    changed = byte_changed_in_page(record.served_bytes(made))
    page = re.sub(r"\s+", " ", Client().post(f"/verifikasi/{made.final_token}/",
                                               {"berkas": io.BytesIO(changed)}).content.decode())
    assert (f'class="msg error" id="hasil">Diubah: berkas ini memuat tanda tangan elektronik naskah yang '
            f"ditandatangani Nota Dinas {made.nomor}, tetapi isinya tidak sama persis dengan naskah itu.") in page
    assert "Tidak sah: isi berkas berubah sesudah ditandatangani." in page
    assert "pindaian" not in page
    path = tmp_path / "ubah.pdf"
    path.write_bytes(changed)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_document", str(path))
    out = capsys.readouterr().out
    assert exit_.value.code == 1 and "pindaian" not in out and "Tidak sah: isi berkas berubah" in out


def test_a_copy_cut_short_on_its_way_is_told_to_fetch_it_again_not_that_it_is_changed(people, signed, tmp_path, capsys):
    """The signed Nota's e-mail attachment broken off: cut at half its length (its page still reads)
    the page said "Diubah" in red, cut in its first kilobytes "Bukan naskah ini", and verify_document
    "bukan naskah yang dibuat aplikasi ini": each read as a forgery. Both now say the file is cut
    short or damaged and to fetch it again, the half naming the document it is the start of."""
    made = nota_record(signed[0])
    final = record.served_bytes(made)
    for cut, says in [(final[:len(final) // 2], f"Tidak lengkap: berkas ini hanya bagian awal naskah yang ditandatangani "
                       f"Nota Dinas {made.nomor}, terpotong (misalnya saat diunduh atau dikirim)"),
                      (final[:2000], "Tidak dapat dicocokkan: berkas PDF ini rusak atau tidak lengkap (misalnya "
                       "terpotong saat diunduh atau dikirim)")]:
        page = re.sub(r"\s+", " ", Client().post(f"/verifikasi/{made.final_token}/",
                                                   {"berkas": io.BytesIO(cut)}).content.decode())
        assert f'class="msg warning" id="hasil">{says}' in page
        assert "Unduh atau minta lagi berkas naskahnya" in page
        assert "Bukan naskah ini" not in page and "Diubah" not in page
        path = tmp_path / "terpotong.pdf"
        path.write_bytes(cut)
        with pytest.raises(SystemExit) as exit_:
            call_command("verify_document", str(path))
        out = capsys.readouterr().out
        assert exit_.value.code == 1 and out.startswith(says), out
        assert "bukan naskah yang dibuat aplikasi ini" not in out and "Diubah" not in out


def test_the_unknown_qr_page_names_the_unit_as_stored_not_with_each_word_capitalised(people):
    """`|title` made "Biro Pemerintahan dan Kesejahteraan Rakyat" read "... Pemerintahan Dan
    Kesejahteraan ..." to the citizen holding the paper; the name is the one the admin wrote."""
    from naskah.models import OfficeProfile

    kop = OfficeProfile.current()
    kop.unit = "Biro Pemerintahan dan Kesejahteraan Rakyat"
    kop.save()
    page = re.sub(r"\s+", " ", Client().get("/verifikasi/BUKANALAMATYANGADA/").content.decode())
    assert "tidak tercatat sebagai naskah yang dibuat Biro Pemerintahan dan Kesejahteraan Rakyat:" in page
    assert "tanyakan kepada Biro Pemerintahan dan Kesejahteraan Rakyat (telepon" in page
    assert " Dan " not in page
