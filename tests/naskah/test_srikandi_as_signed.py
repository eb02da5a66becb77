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
