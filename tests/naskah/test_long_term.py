"""Long-term signatures (issue 25): a record stays verifiable after its signer's two-year certificate
expired. The demo runs its own timestamp authority and CA (30 years) whose revocation list goes into
each signature; validation fetches nothing. B-LT and B-LTA pass as of a date past the certificate's
expiry, B-B fails; renew_timestamps adds a document timestamp only when one is due, once."""

import datetime as dt
import io
import logging
import socket
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pypdf import PdfWriter

from lib import dates
from naskah import certificates, demo_ca, pades, record
from naskah.models import NaskahRecord, SigningCertificate
from tests.factories import client_for
from tests.naskah.helpers import initialled
from workflow.demo import DEMO_PASSWORD
from workflow.models import Document
from workflow.steps import DocKind

Y2040 = dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc)
SIGNER = pades.Signer(nama="Dr. H. Syarif Abdullah, M.Si.", jabatan="Kepala Biro", nip="", kota="Pontianak")


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(row, **kwargs) -> bytes:
    return pades.sign(blank_pdf(), row, SIGNER, page=None, box=None, at=dt.datetime.now(dt.timezone.utc), **kwargs)


def authority_rows(role):
    return [row for row in SigningCertificate.objects.all() if certificates.role(row) == role]


def set_active(role, active: bool):
    SigningCertificate.objects.filter(pk__in=[row.pk for row in authority_rows(role)]).update(aktif=active)


@pytest.fixture
def no_network(monkeypatch):
    """Any connection attempt fails the test: validation must use what the file carries."""

    def refuse(*args, **kwargs):
        raise AssertionError("validation tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def audit_lines():
    lines = []

    class Keep(logging.Handler):
        def emit(self, record_):
            lines.append(record_.getMessage())

    handler = Keep(level=logging.INFO)
    logger = logging.getLogger("sop_iku.timestamps")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def renew(**options) -> str:
    out = StringIO()
    call_command("renew_timestamps", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def signed_by_kabiro(people, walk):
    """A Nota signed the app's way: made at step 6, initialled, signed by the Kabiro with his password."""
    dossier = initialled(people, walk)
    people["kabiro"].set_password(DEMO_PASSWORD)
    people["kabiro"].save()
    dossier.refresh_from_db()
    response = client_for(people, "kabiro").post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "kata_sandi": DEMO_PASSWORD, "catatan": "Setuju"})
    assert response.status_code == 302
    return record.latest(dossier, DocKind.NOTA_DINAS)


def test_the_demo_nota_signed_today_validates_as_of_2040(people, walk, no_network):
    nota = signed_by_kabiro(people, walk)
    signed = record.served_bytes(nota)
    own = SigningCertificate.objects.get(pemilik=people["kabiro"])
    # The point: his certificate lives the usual two years, long gone by 2040.
    assert own.berlaku_sampai < Y2040 - dt.timedelta(days=365 * 10)
    [today] = pades.validate(signed)
    assert today.sah and today.tingkat == "PAdES B-LTA" and "DEMO Dr. H. Syarif Abdullah" in today.penanda
    assert "dapat diverifikasi sampai" in today.kesimpulan
    [in_2040] = pades.validate(signed, moment=Y2040)
    assert in_2040.sah, in_2040.kesimpulan
    # Its chain and a revocation list signed by the demo CA travel inside the file.
    dss = DocumentSecurityStore.read_dss(PdfFileReader(io.BytesIO(signed)))
    assert len(dss.crls) >= 1 and len(list(dss.load_certs())) >= 2
    # Past the timestamp authority's own certificate only a renewal would have carried it on.
    [in_2060] = pades.validate(signed, moment=dt.datetime(2060, 1, 1, tzinfo=dt.timezone.utc))
    assert not in_2060.sah
    # Nothing is due for a record signed today: the command leaves it as it is.
    assert "1 naskah bertanda tangan diperiksa: 0 diperbarui, 1 belum perlu" in renew()
    nota.refresh_from_db()
    assert record.served_bytes(nota) == signed


def test_past_the_signers_expiry_b_lt_and_b_lta_pass_and_b_b_fails(people, no_network):
    row = certificates.for_signer(people["kabiro"])
    after_expiry = row.berlaku_sampai + dt.timedelta(days=1)
    sign(row)  # the first signing in a process imports pyHanko's validation (~1 s): not timed
    timings = {}
    documents = {}
    for level, arguments in (("PAdES B-LTA", {}), ("PAdES B-LT", {"lta": False})):
        start = time.perf_counter()
        documents[level] = sign(row, **arguments)
        timings[level] = (time.perf_counter() - start) * 1000
    set_active(certificates.STAMPS_TIME, False)
    start = time.perf_counter()
    documents["PAdES B-B"] = sign(row)
    timings["PAdES B-B"] = (time.perf_counter() - start) * 1000
    print("signing (ms): " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
    for level, data in documents.items():
        [now] = pades.validate(data)
        assert now.sah and now.tingkat == level, (level, now)
        [later] = pades.validate(data, moment=after_expiry)
        assert later.sah == (level != "PAdES B-B"), (level, later.kesimpulan)
    [b_b] = pades.validate(documents["PAdES B-B"], moment=after_expiry)
    assert "tidak memuat data validasinya (PAdES B-B)" in b_b.kesimpulan
    # A byte appended after the last timestamp is still a change.
    [appended] = pades.validate(documents["PAdES B-LTA"] + b"\n% ditambah sesudahnya\n")
    assert appended.utuh and not appended.tanpa_perubahan


def test_a_record_signed_without_revocation_data_is_completed_once(people, walk, audit_lines,
                                                                 django_capture_on_commit_callbacks):
    """No CRL to be had at signing (the CA's key not active): the Nota is B-T. The renewal embeds
    its chain and a CRL under a document timestamp; a second run finds nothing due."""
    set_active(certificates.SIGNS_CERTIFICATES, False)
    nota = signed_by_kabiro(people, walk)
    before = record.served_bytes(nota)
    old_name = nota.final_file.name
    [check] = pades.validate(before)
    assert check.tingkat == "PAdES B-T"
    assert not pades.validate(before, moment=Y2040)[0].sah
    set_active(certificates.SIGNS_CERTIFICATES, True)

    with django_capture_on_commit_callbacks(execute=True):
        assert "1 diperbarui" in renew()
    nota.refresh_from_db()
    after = record.served_bytes(nota)
    assert nota.final_sha256 == record.sha256(after) != record.sha256(before)
    assert after.startswith(before) and pades.earlier_state(after, before) == []
    assert not default_storage.exists(old_name)
    [check] = pades.validate(after, moment=Y2040)
    assert check.sah and check.tingkat == "PAdES B-LTA", check.kesimpulan
    assert any(f"naskah #{nota.pk}" in line and "stempel waktu dokumen ditambahkan" in line for line in audit_lines)

    # Idempotent: a second run adds nothing.
    assert "0 diperbarui, 1 belum perlu" in renew()
    nota.refresh_from_db()
    assert record.served_bytes(nota) == after


def stored_record(dossier, user, pdf: bytes) -> NaskahRecord:
    document = Document.objects.create(dossier=dossier, kind=DocKind.NOTA_DINAS, original_name="nota.pdf",
                                       step=dossier.step.number, content_type="application/pdf", generated=True,
                                       uploaded_by=user)
    made = NaskahRecord.objects.create(document=document, nomor="000.7/1/Kesra/2027", tahun_nomor=2027)
    made.final_file.save(made.final_name, ContentFile(pdf), save=False)
    made.final_sha256 = record.sha256(pdf)
    made.save()
    return made


def document_timestamps(data: bytes) -> int:
    return len(PdfFileReader(io.BytesIO(data)).embedded_timestamp_signatures)


def test_a_timestamp_near_its_authoritys_expiry_is_renewed_once_and_only_by_a_longer_lived_one(people, dossier):
    row = certificates.for_signer(people["kabiro"])
    set_active(certificates.STAMPS_TIME, False)
    short_lived = demo_ca.install_timestamp_authority(days=100)
    made = stored_record(dossier, people["kasubag"], sign(row))
    signed = record.served_bytes(made)
    assert document_timestamps(signed) == 1
    assert pades.renewal(signed).due and not pades.validate(signed, moment=Y2040)[0].sah
    # A B-B record beside it can never be helped, and is no failure.
    set_active(certificates.STAMPS_TIME, False)
    stored_record(dossier, people["kasubag"], sign(row))

    # Only the short-lived authority: a renewal would not last longer, so none is stored, and the
    # run fails for the operator's monitoring to see.
    SigningCertificate.objects.filter(pk=short_lived.pk).update(aktif=True)
    with pytest.raises(CommandError, match="1 naskah perlu stempel waktu baru tetapi gagal"):
        renew()
    made.refresh_from_db()
    assert record.served_bytes(made) == signed

    set_active(certificates.STAMPS_TIME, True)  # the 30-year authority again
    assert "1 akan diperbarui" in renew(dry_run=True)
    made.refresh_from_db()
    assert record.served_bytes(made) == signed
    out = renew()
    assert "2 naskah bertanda tangan diperiksa: 1 diperbarui, 0 belum perlu, 1 tidak dapat dibuat jangka panjang" in out
    made.refresh_from_db()
    renewed = record.served_bytes(made)
    assert document_timestamps(renewed) == 2
    assert pades.validate(renewed, moment=Y2040)[0].sah
    assert "1 diperbarui" not in renew() and document_timestamps(record.served_bytes(made)) == 2


def test_verify_document_as_of_2040_calls_the_signed_nota_genuine(
        people, walk, no_network, tmp_path, capsys):
    nota = signed_by_kabiro(people, walk)
    signed = record.served_bytes(nota)
    path = tmp_path / "nota.pdf"
    path.write_bytes(signed)
    call_command("verify_document", str(path), "--pada", "2040-01-01")
    out = capsys.readouterr().out
    assert "Asli" in out and "Sah" in out, out
    with pytest.raises(Exception, match="tanggal '1-1-2040' tidak sah: tulis YYYY-MM-DD"):
        call_command("verify_document", str(path), "--pada", "1-1-2040")


def test_a_long_term_signature_no_longer_vouched_for_says_why_in_words_and_logs_the_code(people, no_network, caplog):
    """The reason ended with pyHanko's code in brackets ("... (diperiksa per 1 Januari 2060)
    [OUT_OF_BOUNDS_NO_POE]"), which told the reader nothing; the admin finds the code in the log."""
    row = certificates.for_signer(people["kabiro"])
    y2060 = dt.datetime(2060, 1, 1, tzinfo=dt.timezone.utc)
    with caplog.at_level(logging.INFO, logger="sop_iku.signatures"):
        [b_lt] = pades.validate(sign(row, lta=False), moment=y2060)
        [b_lta] = pades.validate(sign(row), moment=y2060)
    assert b_lt.kesimpulan == (
        "Tanda tangan utuh, tetapi sertifikat penandatangannya tidak berlaku per 1 Januari 2060, dan tidak ada stempel "
        "waktu dalam berkas yang masih sah untuk membuktikan bahwa tanda tangan dibuat selagi sertifikat itu berlaku.")
    assert b_lta.kesimpulan.startswith(
        "Tanda tangan utuh, tetapi berkas tidak memuat stempel waktu yang masih sah per 1 Januari 2060 untuk "
        "membuktikan kapan tanda tangan dan data validasinya dibuat")
    for check in (b_lt, b_lta):
        assert "[" not in check.kesimpulan and "_" not in check.kesimpulan
    logged = " ".join(record_.getMessage() for record_ in caplog.records if record_.name == "sop_iku.signatures")
    assert "AdES OUT_OF_BOUNDS_NO_POE" in logged and "AdES NO_POE" in logged


def test_every_ades_reason_a_check_can_meet_reads_as_a_sentence_without_a_code():
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate

    moment = dt.datetime(2060, 1, 1, tzinfo=dt.timezone.utc)
    for code in [member.name for member in (*AdESFailure, *AdESIndeterminate)]:
        said = pades.problem_text(code, moment)
        assert code not in said and "{" not in said and "_" not in said, code
    assert pades.problem_text("EXPIRED", moment) == "sertifikat penandatangannya sudah berakhir masa berlakunya per 1 Januari 2060"
    today = dates.long_date(timezone.localdate())
    assert pades.problem_text("EXPIRED") == f"sertifikat penandatangannya sudah berakhir masa berlakunya per {today}"
