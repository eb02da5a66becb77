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



def test_reasons_typed_while_another_tab_sent_a_new_version_come_back_beside_their_rows(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    rows = [{"sasaran_strategis": "Meningkatnya mutu layanan", "indikator": "Indikator satu", "target": "1"},
            {"indikator": "Indikator dua", "target": "2"}]
    send(people, dossier, "dinkes", rows)
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd, stage="konsep")
    agency = client_for(people, "dinkes")
    for address in (f"?a=lalu&b={submission.versions.last().nomor}", "?a=lalu"):
        url = f"/dosier/{dossier.pk}/iku/konsep/versi/{people['dinkes'].skpd_id}/{address}"
        page = agency.get(url).content.decode()
        names = re.findall(r'name="(alasan-[^"]*)"', page)
        posted = {"versi": re.search(r'name="versi" value="([^"]*)"', page).group(1)}
        posted |= dict(zip(names, ["Alasan baris satu", "Alasan baris dua"], strict=True))
        # Meanwhile another tab sends again, with the second row renamed.
        send(people, dossier, "dinkes", [rows[0], {"indikator": "Indikator dua diganti", "target": "2"}])
        answer = agency.post(url, posted)
        page = answer.content.decode()
        assert answer.status_code == 200 and "dikirim sejak halaman ini dibuka" in page
        assert "Alasan baris satu" in reasons_shown(page)  # beside its row, still there
        assert "Alasan baris dua</textarea>" in page  # its row is gone: listed to copy
        assert IkuSubmission.objects.get(pk=submission.pk).change_reasons == {}
