"""Electronic signatures (PAdES): the Kabiro confirms with their password and the signed Nota
carries a signature anyone can validate: who, when, unchanged since, chained to a root the admin
trusts. A wrong password is refused and counted with failed logins; a signer with no certificate is
told what to do; certificates are installed in the admin and kept encrypted."""

import datetime as dt
import io
import re

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from lib.dates import moment_text
from naskah import certificates, demo_ca, pades, record
from naskah.models import SigningCertificate, TrustedRoot
from tests import factories
from tests.factories import client_for
from tests.naskah.helpers import initialled
from tests.once import ids_of, kept_for_the_module, read_afresh
from workflow.demo import DEMO_PASSWORD
from workflow.models import Dossier
from workflow.steps import STEP_BY_NUMBER, DocKind


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker):
    """The people's ids and a dossier at step 8 whose Nota and draft were made and initialled; the
    Kabiro's password is the demo one. Made once for the module (tests/once.py): each test signs
    it, or fails to, in its own savepoint."""
    with kept_for_the_module(django_db_blocker) as build:
        with build():
            people = factories.make_people()
            dossier = initialled(people, lambda state: factories.dossier_at(people, state))
            people["kabiro"].set_password(DEMO_PASSWORD)
            people["kabiro"].save()
        yield ids_of(people), dossier.pk


@pytest.fixture
def people(made_once, db):
    return read_afresh(made_once[0])


@pytest.fixture
def at_signing(made_once, people):
    return Dossier.objects.get(pk=made_once[1])


def sign_as_kabiro(people, dossier, password=DEMO_PASSWORD):
    dossier.refresh_from_db()
    return client_for(people, "kabiro").post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "kata_sandi": password, "catatan": "Setuju"})


def signed_nota(dossier) -> bytes:
    return record.served_bytes(record.latest(dossier, DocKind.NOTA_DINAS))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_kabiro_signs_with_his_password_and_the_nota_validates(people, at_signing):
    response = sign_as_kabiro(people, at_signing)
    assert response.status_code == 302
    at_signing.refresh_from_db()
    assert at_signing.state == STEP_BY_NUMBER[9].state
    [check] = pades.validate(signed_nota(at_signing))
    # His own certificate, not the institution's; long-term (tests/naskah/test_long_term.py).
    assert check.sah and "DEMO Dr. H. Syarif Abdullah" in check.penanda and check.tingkat == "PAdES B-LTA"
    fields = PdfReader(io.BytesIO(signed_nota(at_signing))).get_fields()
    assert fields[pades.FIELD]["/FT"] == "/Sig"


def test_a_step_whose_letter_was_uploaded_asks_no_password(people, walk, at_signing):
    """Signed on paper and uploaded, there is nothing to sign electronically."""
    asks = 'name="kata_sandi"'
    kabiro = client_for(people, "kabiro")
    assert asks in kabiro.get(f"/dosier/{at_signing.pk}/aksi/selesaikan/").content.decode()
    uploaded = walk(STEP_BY_NUMBER[8].state)
    assert not record.latest(uploaded, DocKind.NOTA_DINAS)
    assert asks not in kabiro.get(f"/dosier/{uploaded.pk}/aksi/selesaikan/").content.decode()
    uploaded.refresh_from_db()
    finished = kabiro.post(f"/dosier/{uploaded.pk}/aksi/selesaikan/",
                           {"revision": uploaded.revision, "state": uploaded.state, "catatan": "Setuju"})
    assert finished.status_code == 302


def test_a_wrong_password_signs_nothing_and_counts_as_a_failed_login(people, at_signing):
    response = sign_as_kabiro(people, at_signing, password="bukan-sandinya")
    assert response.status_code == 200
    assert "Kata sandi salah: tidak ada yang ditandatangani." in text_of(response)
    assert "Setuju" in text_of(response)  # what was typed stays
    # The password does not, and the summary at the top says so where it says the rest stayed: the
    # signer who read only "Semua yang Anda ketik tetap ada di bawah" sent it empty again.
    assert ("Semua yang Anda ketik tetap ada di bawah. Kata sandi Anda (konfirmasi tanda tangan) tidak diisikan "
            "kembali demi keamanan: ketik lagi.") in text_of(response)
    assert 'value="bukan-sandinya"' not in response.content.decode()
    at_signing.refresh_from_db()
    assert at_signing.state == STEP_BY_NUMBER[8].state
    assert not record.latest(at_signing, DocKind.NOTA_DINAS).is_final
    assert AccessAttempt.objects.get(username="kabiro").failures_since_start == 1


def test_a_signer_without_a_certificate_is_told_and_nothing_moves(people, at_signing):
    SigningCertificate.objects.update(aktif=False)
    response = sign_as_kabiro(people, at_signing)
    assert response.status_code == 200
    assert "belum memiliki sertifikat tanda tangan elektronik" in text_of(response)
    at_signing.refresh_from_db()
    assert at_signing.state == STEP_BY_NUMBER[8].state
    assert not record.latest(at_signing, DocKind.NOTA_DINAS).is_final


def stamp_text(pdf: bytes) -> str:
    """The text drawn in the visible signature stamp, read as a reader reads it (through the
    embedded font's Unicode map)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    [widget] = [annot.get_object() for page in reader.pages for annot in page.get("/Annots", [])
                if annot.get_object().get("/T") == pades.FIELD]
    writer = PdfWriter()
    page = writer.add_blank_page(600, 300)
    stamp = writer._add_object(widget["/AP"]["/N"].get_object().clone(writer))
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject(
        {NameObject("/Stempel"): stamp})})
    content = DecodedStreamObject()
    content.set_data(b"q /Stempel Do Q")
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(content)])
    return " ".join(page.extract_text().split())


def test_the_stamp_names_whose_certificate_signed(people, at_signing):
    assert sign_as_kabiro(people, at_signing).status_code == 302
    text = stamp_text(signed_nota(at_signing))
    assert "Dr. H. Syarif Abdullah" in text and "a.n." not in text


def stamp_lines_drawn(pdf: bytes) -> tuple[float, list[tuple[str, float]]]:
    """The stamp's box width, and each line of the stamp with its width as a reader draws it: pdfium
    (Chrome, Edge) places each letter by the widths the embedded font declares."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    reader = PdfReader(io.BytesIO(pdf))
    [(number, box)] = [(n, [float(v) for v in annot.get_object()["/Rect"]]) for n, page in enumerate(reader.pages)
                       for annot in page.get("/Annots", []) if annot.get_object().get("/T") == pades.FIELD]
    document = pdfium.PdfDocument(pdf)
    document.init_forms()
    page = document[number]
    pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
    page.close()  # flattening shows in the page loaded again
    page = document[number]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    start = text.index("Ditandatangani secara")
    lines, at = [], start
    for line in text[start:].splitlines()[:5]:
        boxes = [textpage.get_charbox(at + i) for i, char in enumerate(line) if char.strip()]
        lines.append((line, max(b[2] for b in boxes) - min(b[0] for b in boxes)))
        at += len(line) + (2 if text[at + len(line):at + len(line) + 2] == "\r\n" else 1)
    textpage.close()
    page.close()
    document.close()
    return box[2] - box[0], lines


def test_every_line_of_the_stamp_fits_its_box_as_a_browser_draws_it(people, at_signing):
    # The embedded font's widths were written in its own units (2048 an em) where PDF reads
    # thousandths: each letter stood twice its width apart and the lines ran out of the box.
    assert sign_as_kabiro(people, at_signing).status_code == 302
    width, lines = stamp_lines_drawn(signed_nota(at_signing))
    assert lines[0][0] == "Ditandatangani secara elektronik" and lines[1][0].startswith("Dr. H. Syarif Abdullah")
    assert all(0 < drawn <= width for _, drawn in lines), (width, lines)


def test_without_his_own_certificate_the_kabiro_signs_with_the_institutions(people, at_signing):
    SigningCertificate.objects.filter(pemilik=people["kabiro"]).update(aktif=False)
    assert sign_as_kabiro(people, at_signing).status_code == 302
    [check] = pades.validate(signed_nota(at_signing))
    assert check.sah and "DEMO Biro Kesejahteraan Rakyat" in check.penanda
    # The stamp says so: he signed on behalf of the institution whose certificate it is.
    assert "a.n. DEMO Biro Kesejahteraan Rakyat Dr. H. Syarif Abdullah" in stamp_text(signed_nota(at_signing))


def test_a_changed_byte_an_appended_update_and_an_untrusted_root_are_each_reported(people, at_signing):
    sign_as_kabiro(people, at_signing)
    signed = signed_nota(at_signing)
    # A byte inside the signed content (the first page's stream) changed.
    position = signed.index(b"stream") + 40
    changed = signed[:position] + bytes([signed[position] ^ 0x01]) + signed[position + 1:]
    [check] = pades.validate(changed)
    assert not check.utuh and check.kesimpulan.startswith("Tidak sah")
    # Bytes appended after the signature and its timestamps.
    [check] = pades.validate(signed + b"\n% ditambah sesudahnya\n")
    assert check.utuh and not check.tanpa_perubahan and not check.sah
    TrustedRoot.objects.update(aktif=False)
    [check] = pades.validate(signed)
    assert check.utuh and not check.tepercaya and "tidak berantai" in check.kesimpulan


def test_the_public_page_and_verify_document_show_the_signature(people, at_signing, tmp_path, capsys):
    sign_as_kabiro(people, at_signing)
    made = record.latest(at_signing, DocKind.NOTA_DINAS)
    # The signed document's own page (its draft's token leads to the draft).
    page = text_of(Client().get(f"/verifikasi/{made.final_token}/"))
    assert "Tanda tangan elektronik" in page and "DEMO Dr. H. Syarif Abdullah" in page and "Sah: utuh" in page
    assert "PAdES B-LTA" in page
    upload = Client().post(f"/verifikasi/{made.final_token}/", {"berkas": io.BytesIO(signed_nota(at_signing))},
                           format="multipart")
    assert "Tanda tangan elektronik dalam berkas: " in text_of(upload)
    path = tmp_path / "nota.pdf"
    path.write_bytes(signed_nota(at_signing))
    call_command("verify_document", str(path))
    out = capsys.readouterr().out
    assert out.startswith("Asli") and "Tanda tangan elektronik: " in out and "Sah: utuh" in out


def test_an_admin_installs_a_certificate_which_is_kept_encrypted(people):
    root = demo_ca.make_root()
    data = demo_ca.issue(root, "Kepala Bagian Uji", "sandi-berkas")
    admin = client_for(people, "admin")
    url = "/admin/naskah/signingcertificate/add/"
    wrong = admin.post(url, {"nama": "Kabag", "pemilik": people["kabag"].pk, "aktif": "on",
                             "berkas": SimpleUploadedFile("kabag.p12", data), "sandi": "salah"})
    assert wrong.status_code == 200 and "tidak dapat dibuka" in text_of(wrong)
    right = admin.post(url, {"nama": "Kabag", "pemilik": people["kabag"].pk, "aktif": "on",
                             "berkas": SimpleUploadedFile("kabag.p12", data), "sandi": "sandi-berkas"})
    assert right.status_code == 302
    row = SigningCertificate.objects.get(pemilik=people["kabag"])
    assert "Kepala Bagian Uji" in row.subjek
    assert data not in bytes(row.pkcs12_terenkripsi) and b"sandi-berkas" not in bytes(row.sandi_terenkripsi)
    assert certificates.opened(row) == (data, b"sandi-berkas")
    assert certificates.for_signer(people["kabag"]) == row


def test_an_expired_certificate_is_refused_and_one_not_yet_valid_is_said(people):
    # Kept as installed, an expired one was never used: its official signed with the institution's.
    root = demo_ca.make_root()
    admin = client_for(people, "admin")
    url = "/admin/naskah/signingcertificate/add/"
    long_ago = timezone.now() - dt.timedelta(days=400)
    expired = admin.post(url, {"nama": "Kabag lama", "pemilik": people["kabag"].pk, "aktif": "on", "sandi": "sandi-berkas",
                               "berkas": SimpleUploadedFile("kabag.p12", demo_ca.issue(root, "Kabag", "sandi-berkas",
                                                                                       now=long_ago, days=30))})
    assert expired.status_code == 200
    said = expired.context["adminform"].form.errors["berkas"][0]
    assert said.startswith("Sertifikat ini sudah tidak berlaku sejak ") and "Pasang sertifikat yang masih berlaku." in said
    assert 'value="Kabag lama"' in text_of(expired)
    assert not SigningCertificate.objects.filter(pemilik=people["kabag"]).exists()
    ahead = timezone.now() + dt.timedelta(days=10)
    later = admin.post(url, {"nama": "Kabag baru", "pemilik": people["kabag"].pk, "aktif": "on", "sandi": "sandi-berkas",
                             "berkas": SimpleUploadedFile("kabag.p12", demo_ca.issue(root, "Kabag", "sandi-berkas",
                                                                                     now=ahead))}, follow=True)
    assert (f"Sertifikat ini baru berlaku mulai {moment_text(ahead - dt.timedelta(days=1))}: sampai saat itu belum dipakai "
            f"menandatangani ({people['kabag']} menandatangani dengan sertifikat instansi).") in text_of(later)
    assert SigningCertificate.objects.filter(pemilik=people["kabag"]).exists()
