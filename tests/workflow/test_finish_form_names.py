"""The finish form of step 3 and 5 names the agencies still awaited as everything else on the round
names them (the refusal, the gate, the round's table, the history): by their short name, in its
order. The boxes showed the abbreviation where there is one, "Bappeda" and "DPPESDM" among "Badan
Pengelola Perbatasan Daerah", while the refusal beneath them spelt the names out."""

import re

from django.utils import timezone

from iku.models import IkuSubmission
from tests.factories import client_for
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER


def test_the_boxes_name_the_agencies_as_the_refusal_does(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    bappeda = Skpd.objects.get(singkatan="Bappeda")
    dossier.invited.add(bappeda)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/aksi/selesaikan/"
    boxes = re.findall(r'<label for="id_skpd_belum_mengirim_\d+">\s*<input[^>]*>\s*([^<]*)</label>',
                       kasubag.get(url).content.decode())
    assert "Badan Perencanaan Pembangunan Daerah (belum ada petugas)" in [b.strip() for b in boxes]
    assert not any("Bappeda" in box for box in boxes)
    dossier.refresh_from_db()
    refused = kasubag.post(url, {"revision": dossier.revision, "state": dossier.state}).content.decode()
    assert "Badan Perencanaan Pembangunan Daerah (belum ada petugas)" in refused


def test_the_reopening_form_names_the_agencies_as_the_round_does(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    bappeda = Skpd.objects.get(singkatan="Bappeda")
    dossier.invited.add(bappeda)
    IkuSubmission.objects.create(dossier=dossier, skpd=bappeda, stage="bahan", submitted_at=timezone.now())
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/buka_kembali_iku/").content.decode()
    options = [o.strip() for o in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', page)]
    assert options == ["Badan Perencanaan Pembangunan Daerah", "Dinas Kesehatan", "Dinas Sosial"]
