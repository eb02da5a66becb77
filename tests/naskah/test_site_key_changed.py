"""An install whose secret key changed since its certificates were put in (DJANGO_SECRET_KEY, or
the .secret_key file, lost and made anew; a backup restored on another machine) cannot open them:
the officers are told which certificate and what the admin must do, on the page and when they
sign, never a server error; the certificate that still opens is used."""

import re

import pytest

from naskah import certificates
from naskah.models import SigningCertificate
from tests.factories import client_for
from tests.naskah.helpers import initialled
from workflow.steps import STEP_BY_NUMBER

SAID = "tidak dapat dibuka dengan kunci situs ini"


def change_key(settings, monkeypatch):
    # A process started after the change has found no certificate's role yet.
    monkeypatch.setattr(certificates, "_roles", {})
    settings.SOP_SIGNING_KEY = ""
    settings.SECRET_KEY = "kunci-situs-yang-baru-" + "k" * 40


@pytest.fixture
def key_changed(settings, monkeypatch):
    change_key(settings, monkeypatch)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_kabiros_signing_page_and_signature_say_the_certificate_cannot_be_opened(people, walk, key_changed):
    dossier = initialled(people, walk)
    kabiro = client_for(people, "kabiro")
    page = kabiro.get(f"/dosier/{dossier.pk}/aksi/selesaikan/")
    assert page.status_code == 200
    assert SAID in text(page) and "Admin › Sertifikat tanda tangan elektronik" in text(page)

    dossier.refresh_from_db()
    answer = kabiro.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "catatan": "Setuju"})
    assert answer.status_code == 200 and SAID in text(answer)
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[8].state


def test_the_kasubags_nota_form_says_it_before_the_nota_is_made(people, walk, key_changed):
    dossier = walk(STEP_BY_NUMBER[6].state)
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/buat/nota_dinas/")
    assert page.status_code == 200 and SAID in text(page)


def test_the_admins_certificate_list_names_the_ones_that_no_longer_open(key_changed, admin_client, people, walk):
    walk(STEP_BY_NUMBER[2].state)
    assert SigningCertificate.objects.exists()
    page = admin_client.get("/admin/naskah/signingcertificate/")
    assert page.status_code == 200 and SAID in text(page)


def test_the_admin_puts_the_file_in_again_and_the_kabiro_signs(people, walk, settings, monkeypatch, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import loaded_version

    dossier = initialled(people, walk)
    row = certificates.for_signer(people["kabiro"])
    data, passphrase = certificates.opened(row)
    change_key(settings, monkeypatch)
    client.force_login(people["admin"])
    answer = client.post(f"/admin/naskah/signingcertificate/{row.pk}/change/", {
        **loaded_version(row), "nama": row.nama, "pemilik": row.pemilik_id or "", "aktif": "on",
        "sandi": passphrase.decode(),
        "berkas": SimpleUploadedFile("kabiro.p12", data, content_type="application/x-pkcs12")})
    assert answer.status_code == 302, text(answer)
    listed = text(client.get("/admin/naskah/signingcertificate/"))
    assert f"Sertifikat “{row.nama}” {SAID}" not in listed

    people["kabiro"].set_password("sandi-kabiro-uji")
    people["kabiro"].save()
    kabiro = client_for(people, "kabiro")
    dossier.refresh_from_db()
    signed = kabiro.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
        "revision": dossier.revision, "state": dossier.state, "catatan": "Setuju", "kata_sandi": "sandi-kabiro-uji"})
    assert signed.status_code == 302, text(signed)
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[9].state


def test_renew_timestamps_names_the_authority_the_key_no_longer_opens(people, dossier, settings, monkeypatch):
    """The operator ran renew_timestamps after the key changed: it said "Belum ada otoritas stempel
    waktu", while the admin still listed the site's authority, installed and active."""
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from tests.naskah.test_long_term import sign, stored_record

    stored_record(dossier, people["kasubag"], sign(certificates.for_signer(people["kabiro"]), lta=False))
    authority = certificates.timestamp_authority()
    change_key(settings, monkeypatch)
    said = StringIO()
    with pytest.raises(CommandError, match="1 naskah perlu stempel waktu baru"):
        call_command("renew_timestamps", stdout=StringIO(), stderr=said)
    assert "Belum ada otoritas stempel waktu" not in said.getvalue()
    assert f"“{authority.nama}”" in said.getvalue() and SAID in said.getvalue()
