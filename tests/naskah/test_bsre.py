"""Signing through BSrE: an official the admin set to BSrE types their NIK and passphrase when
signing, the Nota is signed by the service (here its stand-in, on a loopback port) in the same box
with the same stamp, and it validates long-term like a locally signed one. Each answer the service
gives reaches the signer in Indonesian with nothing signed; when BSrE does not answer, an official
the admin allows it may sign with the local certificate, and the record, the audit and the public
page say which signer signed. The NIK and passphrase are kept nowhere."""

import datetime as dt
import io
import logging
import re

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from naskah import bsre, pades, record, signers
from naskah.models import NaskahRecord, SigningMethod
from tests.factories import client_for
from tests.naskah.conftest import NIK, PASSPHRASE, REVOKED_NIK, UNKNOWN_NIK
from tests.naskah.helpers import initialled
from workflow.demo import DEMO_PASSWORD
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER, DocKind


@pytest.fixture
def blank_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Naskah uji</p>").write_pdf()


def sign(people, dossier, **fields):
    dossier.refresh_from_db()
    return client_for(people, "kabiro").post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "catatan": "Setuju"} | fields)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def nota(dossier) -> NaskahRecord:
    return record.latest(dossier, DocKind.NOTA_DINAS)


def still_unsigned(dossier) -> bool:
    dossier.refresh_from_db()
    return dossier.state == STEP_BY_NUMBER[8].state and not nota(dossier).is_final


def client(standin, **kwargs) -> bsre.Client:
    return bsre.Client(standin.url, standin.username, standin.password, kwargs.get("timeout", 30))


# --- the client against each answer of the stand-in ---------------------------------------------

def test_user_status_answers(standin):
    assert client(standin).user_status(NIK)["status"] == "ISSUE"
    with pytest.raises(bsre.NikNotRegistered, match="tidak terdaftar di BSrE"):
        client(standin).user_status(UNKNOWN_NIK)
    with pytest.raises(bsre.CertificateRevoked, match="tidak aktif"):
        client(standin).user_status(REVOKED_NIK)


def test_sign_answers_a_long_term_signature_that_the_verify_call_accepts(standin, blank_pdf):
    signed = client(standin).sign_pdf(blank_pdf, nik=NIK, passphrase=PASSPHRASE, visible=bsre.Visible(
        1, 300, 100, 200, 80, signers.stamp_png(["Ditandatangani secara elektronik", "Nama"], 200, 80)))
    [check] = pades.validate(signed)
    assert check.sah and check.tingkat == "PAdES B-LTA" and "BSrE DEMO" in check.penanda
    widget = PdfReader(io.BytesIO(signed)).pages[0]["/Annots"][0].get_object()
    assert [round(float(v)) for v in widget["/Rect"]] == [300, 100, 500, 180]
    answer = client(standin).verify(signed)
    assert answer["jumlah_signature"] == 1 and answer["notes"] == "Dokumen valid"
    assert client(standin).verify(blank_pdf)["notes"] == "Dokumen tidak valid"


@pytest.mark.parametrize(("nik", "passphrase", "error", "text"), [
    (NIK, "bukan-passphrase", bsre.WrongPassphrase, "Passphrase TTE salah"),
    (UNKNOWN_NIK, PASSPHRASE, bsre.NikNotRegistered, "tidak terdaftar di BSrE"),
    (REVOKED_NIK, "sandi-lama", bsre.CertificateRevoked, "tidak aktif"),
])
def test_sign_refusals(standin, blank_pdf, nik, passphrase, error, text):
    with pytest.raises(error, match=text):
        client(standin).sign_pdf(blank_pdf, nik=nik, passphrase=passphrase, visible=None)
    assert standin.signed == 0


def test_service_down_timeout_and_unreachable_are_all_service_down(standin, blank_pdf):
    standin.mode = "mati"
    with pytest.raises(bsre.ServiceDown, match=r"HTTP 503"):
        client(standin).sign_pdf(blank_pdf, nik=NIK, passphrase=PASSPHRASE, visible=None)
    standin.mode, standin.delay = "lambat", 5
    with pytest.raises(bsre.ServiceDown, match=r"tidak menjawab dalam 0.3 detik"):
        client(standin, timeout=0.3).user_status(NIK)
    url = standin.url
    standin.stop()
    with pytest.raises(bsre.ServiceDown, match="sambungan ditolak"):
        bsre.Client(url, "x", "y", 1).user_status(NIK)


def test_a_wrong_client_account_is_told_to_the_admin(standin):
    with pytest.raises(bsre.BsreError, match="SOP_BSRE_USER"):
        bsre.Client(standin.url, standin.username, "salah", 1).user_status(NIK)


# --- signing a Nota through BSrE from the finishing form ----------------------------------------

def test_the_kabiro_signs_the_nota_through_bsre_and_it_is_genuine_as_of_2040(
        people, at_signing, standin, tmp_path, capsys, caplog):
    form = client_for(people, "kabiro").get(f"/dosier/{at_signing.pk}/aksi/selesaikan/").content.decode()
    assert 'name="nik"' in form and 'name="passphrase"' in form and 'name="pakai_sertifikat_lokal"' not in form
    with caplog.at_level(logging.DEBUG):
        response = sign(people, at_signing, nik=NIK, passphrase=PASSPHRASE)
    assert response.status_code == 302, text_of(response)
    made = nota(at_signing)
    signed = record.served_bytes(made)
    [check] = pades.validate(signed)
    assert check.sah and check.tingkat == "PAdES B-LTA" and check.penanda == "Dr. H. Syarif Abdullah (BSrE DEMO)"
    assert made.signed_through == signers.LABELS[signers.BSRE]
    event = AuditEvent.objects.filter(dossier=at_signing).latest("pk")
    assert event.data["tanda_tangan"] == signers.LABELS[signers.BSRE]
    # The stamp is drawn where the signature block leaves room for it, as a local signature's is.
    [widget] = [annot.get_object() for page in PdfReader(io.BytesIO(signed)).pages
                for annot in page.get("/Annots", []) if annot.get_object().get("/T") == pades.FIELD]
    left, bottom, right, top = (float(v) for v in widget["/Rect"])
    assert right - left > 100 and top - bottom > 30 and "/AP" in widget
    history = client_for(people, "kabag").get(f"/dosier/{at_signing.pk}/")
    assert "Ditandatangani melalui BSrE (layanan TTE nasional)" in text_of(history)
    page = client_for(people, "staf").get(f"/verifikasi/{made.final_token}/")
    assert "Ditandatangani melalui" in text_of(page) and "BSrE (layanan TTE nasional)" in text_of(page)
    # Neither the NIK nor the passphrase is kept or logged.
    kept = str(list(AuditEvent.objects.values_list("data", "note"))) + str(list(NaskahRecord.objects.values()))
    logged = " ".join(entry.getMessage() for entry in caplog.records)
    assert NIK not in kept + logged and PASSPHRASE not in kept + logged
    path = tmp_path / "nota-bsre.pdf"
    path.write_bytes(signed)
    call_command("verify_document", str(path), "--pada", "2040-01-01")
    out = capsys.readouterr().out
    assert out.startswith("Asli") and "Sah: utuh" in out, out
    # A week on, the revocation list it carries is past its next update: still proven (it was read
    # as unproven from the eighth day, the list naming the stand-in's timestamp authority).
    [check] = pades.validate(signed, moment=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30))
    assert check.sah, check.kesimpulan


@pytest.mark.parametrize(("fields", "field", "text"), [
    ({"nik": NIK, "passphrase": "keliru"}, None, "Passphrase TTE salah"),
    ({"nik": UNKNOWN_NIK, "passphrase": PASSPHRASE}, "nik", "tidak terdaftar di BSrE"),
    ({"nik": REVOKED_NIK, "passphrase": "sandi-lama"}, "nik", "tidak aktif"),
    ({"nik": "12345", "passphrase": PASSPHRASE}, "nik", "16 angka"),
    ({"nik": NIK, "passphrase": ""}, "passphrase", "Masukkan passphrase"),
])
def test_each_refusal_is_told_beside_the_form_and_signs_nothing(people, at_signing, fields, field, text):
    response = sign(people, at_signing, **fields)
    assert response.status_code == 200 and text in text_of(response)
    if field:
        assert text in " ".join(response.context["form"].errors[field])
    assert still_unsigned(at_signing)
    # What was typed stays, except the passphrase, which is never sent back.
    assert "Setuju" in text_of(response)
    if fields["passphrase"]:
        assert fields["passphrase"] not in response.content.decode()


def test_bsre_down_without_the_fallback_signs_nothing(people, at_signing, standin):
    standin.mode = "mati"
    response = sign(people, at_signing, nik=NIK, passphrase=PASSPHRASE, pakai_sertifikat_lokal="on",
                    kata_sandi=DEMO_PASSWORD)
    assert "Layanan TTE BSrE sedang tidak dapat dihubungi" in text_of(response)
    assert "diizinkan menandatangani dengan sertifikat" not in text_of(response)
    assert still_unsigned(at_signing)


def test_bsre_down_with_the_fallback_the_kabiro_signs_locally_and_it_is_said(people, at_signing, standin, settings):
    settings.SOP_BSRE_TIMEOUT = 1
    SigningMethod.objects.filter(pejabat=people["kabiro"]).update(cadangan_lokal=True)
    standin.mode = "lambat"
    standin.delay = 3
    response = sign(people, at_signing, nik=NIK, passphrase=PASSPHRASE)
    assert "tidak menjawab dalam 1 detik" in text_of(response) and "centang «BSrE tidak dapat dihubungi»" in text_of(
        response)
    assert still_unsigned(at_signing)
    standin.stop()
    response = sign(people, at_signing, pakai_sertifikat_lokal="on", kata_sandi=DEMO_PASSWORD)
    assert response.status_code == 302, text_of(response)
    made = nota(at_signing)
    label = signers.LABELS[signers.LOCAL_FALLBACK]
    assert made.signed_through == label
    assert AuditEvent.objects.filter(dossier=at_signing).latest("pk").data["tanda_tangan"] == label
    [check] = pades.validate(record.served_bytes(made))
    assert check.sah and "DEMO Dr. H. Syarif Abdullah" in check.penanda  # his installed certificate


def test_the_fallback_is_refused_while_bsre_answers(people, at_signing):
    SigningMethod.objects.filter(pejabat=people["kabiro"]).update(cadangan_lokal=True)
    response = sign(people, at_signing, pakai_sertifikat_lokal="on", kata_sandi=DEMO_PASSWORD)
    assert "Layanan BSrE dapat dihubungi: tandatangani melalui BSrE" in text_of(response)
    assert still_unsigned(at_signing)


def test_without_a_bsre_url_everyone_signs_with_the_installed_certificate(people, at_signing, settings):
    settings.SOP_BSRE_URL = ""
    response = sign(people, at_signing, kata_sandi=DEMO_PASSWORD)
    assert response.status_code == 302
    assert nota(at_signing).signed_through == signers.LABELS[signers.LOCAL]


def test_the_demo_command_lets_the_kabiro_sign_a_nota_through_the_stand_in(people, walk, settings):
    """`manage.py bsre_standin` as the README runs it: the demo Kabiro signs with the printed NIK."""
    from naskah.management.commands import bsre_standin as command

    dossier = initialled(people, walk)
    service = command.prepare(people["kabiro"])
    settings.SOP_BSRE_URL = service.start()
    settings.SOP_BSRE_USER, settings.SOP_BSRE_PASSWORD = command.DEMO_CLIENT, command.DEMO_CLIENT_PASSWORD
    try:
        assert 'name="pakai_sertifikat_lokal"' in client_for(people, "kabiro").get(
            f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
        response = sign(people, dossier, nik=command.DEMO_NIK, passphrase=command.DEMO_PASSPHRASE)
    finally:
        service.stop()
    assert response.status_code == 302, text_of(response)
    [check] = pades.validate(record.served_bytes(nota(dossier)))
    assert check.sah and "(BSrE DEMO)" in check.penanda


# --- renewing what BSrE signed ------------------------------------------------------------------

@pytest.mark.parametrize("standin", [150], indirect=True)
def test_a_nota_signed_through_bsre_is_renewed_with_the_crl_bsre_publishes(people, at_signing, standin, tmp_path,
                                                                           capsys):
    """BSrE's timestamp authority here expires in 150 days: the Nota's evidence then ends. Renewal
    fetches BSrE's revocation list from the address in its certificates (the stand-in's port), so a
    document timestamp of the site's authority carries the Nota on, as a locally signed one."""
    assert sign(people, at_signing, nik=NIK, passphrase=PASSPHRASE).status_code == 302
    made = nota(at_signing)
    signed = record.served_bytes(made)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3 * 365)
    assert pades.evidence(signed).horizon < later
    assert not any(check.sah for check in pades.validate(signed, moment=later))

    # BSrE's list out of reach: nothing is renewed, the file stays as signed, and the run says so.
    standin.crl_down = True
    with pytest.raises(CommandError):
        call_command("renew_timestamps")
    made.refresh_from_db()
    assert record.served_bytes(made) == signed

    standin.crl_down = False
    call_command("renew_timestamps")
    assert "1 diperbarui" in capsys.readouterr().out
    assert standin.crl_fetched >= 1
    made.refresh_from_db()
    renewed = record.served_bytes(made)
    assert renewed.startswith(signed) and pades.evidence(renewed).horizon > later
    [check] = pades.validate(renewed, moment=later)
    assert check.sah and check.tingkat == "PAdES B-LTA" and "BSrE DEMO" in check.penanda
    path = tmp_path / "nota-bsre-diperbarui.pdf"
    path.write_bytes(renewed)
    capsys.readouterr()
    call_command("verify_document", str(path), "--pada", later.date().isoformat())
    assert "Asli" in capsys.readouterr().out
