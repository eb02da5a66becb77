"""The particulars handed to SRIKANDI are those of the signed PDF beside them: an agency renamed or
deactivated after the signature does not change whom the letter is listed as addressed to."""

import io
import json
import zipfile

from naskah.models import NaskahRecord
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow import demo
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind


def test_the_srikandi_particulars_name_the_addressees_the_signed_letter_names(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kabiro"), dossier, DocKind.SURAT_SKPD)
    demo.finish(dossier, people["kabiro"])
    made = NaskahRecord.objects.get(document__dossier=dossier, document__kind=DocKind.SURAT_SKPD)
    signed = made.tujuan_final.splitlines()
    assert "Kepala Dinas Kesehatan Provinsi Kalimantan Barat" in signed
    Skpd.objects.filter(pk=people["dinkes"].skpd_id).update(nama="Dinas Kesehatan dan Keluarga Berencana")
    Skpd.objects.filter(pk=people["dinsos"].skpd_id).update(aktif=False)
    staf = client_for(people, "staf")
    base = f"/dosier/{dossier.pk}/srikandi/{made.document.pk}"
    listed = json.loads(staf.get(f"{base}/json/").content)
    assert listed["tujuan"] == signed
    with zipfile.ZipFile(io.BytesIO(staf.get(f"{base}/zip/").content)) as archive:
        name = next(n for n in archive.namelist() if n.endswith("-metadata.json"))
        assert json.loads(archive.read(name))["tujuan"] == signed
    assert "Keluarga Berencana" not in staf.get(f"{base}/csv/").content.decode("utf-8-sig")


def test_the_srikandi_klasifikasi_is_the_code_the_letter_was_numbered_under(people, walk):
    """The admin moves Surat SKPD to another classification code after a letter was signed: the letter
    keeps the code its number carries, in SRIKANDI's particulars as on the paper; the next one takes
    the new code."""
    from naskah.models import NumberingRule

    dossier = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kabiro"), dossier, DocKind.SURAT_SKPD)
    demo.finish(dossier, people["kabiro"])
    made = NaskahRecord.objects.get(document__dossier=dossier, document__kind=DocKind.SURAT_SKPD)
    rule = NumberingRule.objects.get(kind=DocKind.SURAT_SKPD)
    before = rule.kode_klasifikasi
    assert made.nomor.startswith(before)
    rule.kode_klasifikasi = "000.9.9"
    rule.save()
    staf = client_for(people, "staf")
    base = f"/dosier/{dossier.pk}/srikandi/{made.document.pk}"
    assert json.loads(staf.get(f"{base}/json/").content)["klasifikasi"] == before
    assert f";{before};" in staf.get(f"{base}/csv/").content.decode("utf-8-sig")

    later = walk(STEP_BY_NUMBER[4].state)
    generate(client_for(people, "kabiro"), later, DocKind.SURAT_SKPD)
    assert NaskahRecord.objects.get(document__dossier=later).klasifikasi == "000.9.9"


def test_a_new_draft_keeping_its_number_keeps_its_code(people, walk):
    from naskah.models import NumberingRule

    dossier = walk(STEP_BY_NUMBER[4].state)
    kabiro = client_for(people, "kabiro")
    generate(kabiro, dossier, DocKind.SURAT_SKPD)
    first = NaskahRecord.objects.get(document__dossier=dossier)
    NumberingRule.objects.filter(kind=DocKind.SURAT_SKPD).update(kode_klasifikasi="000.9.9")
    generate(kabiro, dossier, DocKind.SURAT_SKPD)
    second = NaskahRecord.objects.filter(document__dossier=dossier).latest("versi")
    assert second.versi == 2 and second.nomor == first.nomor and second.klasifikasi == first.klasifikasi != "000.9.9"
