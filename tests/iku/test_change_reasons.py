"""The agency's reasons for its changes against last year's decree: each row keeps its own, also
where two rows under different Sasaran share one indicator."""

import re

from iku.models import IkuSubmission
from tests.factories import client_for
from tests.iku.test_round import send
from workflow.steps import STEP_BY_NUMBER

SHARED = "Indeks kepuasan masyarakat"


def reasons_shown(page: str) -> list[str]:
    return re.findall(r'<textarea id="alasan-\d+" name="[^"]*" rows="2" maxlength="\d+">([^<]*)</textarea>', page)


def test_two_rows_sharing_an_indicator_keep_a_reason_each(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    rows = [{"sasaran_strategis": "Meningkatnya mutu layanan kesehatan", "indikator": SHARED, "target": "82"},
            {"sasaran_strategis": "Meningkatnya tata kelola dinas", "indikator": SHARED, "target": "80"},
            {"sasaran_strategis": "", "indikator": "Nilai SAKIP", "target": "A"}]
    send(people, dossier, "dinkes", rows)
    latest = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd, stage="konsep").versions.last()
    url = f"/dosier/{dossier.pk}/iku/konsep/versi/{people['dinkes'].skpd_id}/?a=lalu&b={latest.nomor}"
    agency = client_for(people, "dinkes")
    names = re.findall(r'name="(alasan-[^"]*)"', agency.get(url).content.decode())
    assert len(names) == len(set(names)) == 3

    written = ["Survei layanan kesehatan baru", "Survei tata kelola dari Ombudsman", "Diminta Inspektorat"]
    agency.post(url, dict(zip(names, written, strict=True)))
    assert reasons_shown(agency.get(url).content.decode()) == written
    stored = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd, stage="konsep").change_reasons
    assert stored["nilai sakip"] == "Diminta Inspektorat"  # a row of its own indicator keyed as before

