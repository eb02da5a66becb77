"""An agency the admin deactivated is no longer waited on by the round: a letter drafted since does
not address it or ask it for its IKU, while a letter signed before keeps whom it was addressed to."""

from django.test import Client

from naskah.models import NaskahRecord
from tests.factories import client_for
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow import demo
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind


def deactivate(nama_pendek: str) -> None:
    Skpd.objects.filter(nama_pendek=nama_pendek).update(aktif=False)


def test_a_letter_drafted_after_the_deactivation_leaves_the_agency_out(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    deactivate("Dinas Sosial")
    assert generate(client_for(people, "kasubag"), dossier, DocKind.SURAT_SKPD).status_code == 302
    text = " ".join(pages(stored_pdf(dossier, DocKind.SURAT_SKPD)))
    assert "Kepala Dinas Kesehatan" in text
    assert "Dinas Sosial" not in text
    form = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/buat/surat_skpd/").content.decode()
    assert "Dinas Sosial" not in form


def test_the_invitation_drafted_after_the_deactivation_leaves_the_agency_out(people, dossier):
    deactivate("Dinas Sosial")
    generate(client_for(people, "kasubag"), dossier, DocKind.UNDANGAN)
    text = pages(stored_pdf(dossier, DocKind.UNDANGAN))[0]
    assert "Kepala Dinas Kesehatan" in text and "Dinas Sosial" not in text


def test_a_letter_signed_before_the_deactivation_keeps_its_addressees(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kabiro"), dossier, DocKind.SURAT_SKPD)
    demo.finish(dossier, people["kabiro"])
    made = NaskahRecord.objects.get(document__dossier=dossier, document__kind=DocKind.SURAT_SKPD)
    assert "Kepala Dinas Sosial Provinsi Kalimantan Barat" in made.tujuan_final.splitlines()
    # As a letter signed before the addressees were kept at signing reads them (migration 0011).
    NaskahRecord.objects.filter(pk=made.pk).update(tujuan_final="")
    deactivate("Dinas Sosial")
    page = Client().get(f"/verifikasi/{made.final_token}/").content.decode()
    assert "Kepala Dinas Sosial" in page
