"""The Kasubag corrects a row of an agency's table while its clerk has the reopened table open: the
clerk's send from that page no longer puts the old value back unseen; it is refused, naming the
change, with the grid as typed."""

import re

from iku.models import IkuRow
from tests.factories import client_for
from tests.iku.test_consolidation import act
from tests.iku.test_reopened_marks import ROWS, reopen, said
from tests.iku.test_round import send
from workflow.steps import STEP_BY_NUMBER


def _targets(dossier, skpd) -> dict:
    return {row.indikator: row.target for row in IkuRow.objects.filter(
        submission__dossier=dossier, submission__skpd=skpd, submission__stage="bahan")}


def _grid_post(dossier, page: str, rows) -> dict:
    dossier.refresh_from_db()
    posted = {"revision": dossier.revision, "state": dossier.state}
    posted |= dict(re.findall(r'<input type="hidden" name="(tabel_\w+)" value="([^"]*)"', page))
    for number, row in enumerate(rows, start=1):
        posted |= {f"r-{number}-{name}": value for name, value in row.items()}
    return posted


def test_a_correction_made_while_the_agency_has_its_table_open_is_not_undone_unseen(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    dinkes = people["dinkes"].skpd
    reopen(people, dossier, dinkes)
    send(people, dossier, "dinkes", ROWS)
    reopen(people, dossier, dinkes)
    agency = client_for(people, "dinkes")
    url = f"/dosier/{dossier.pk}/aksi/ajukan_iku/"
    opened = agency.get(url).content.decode()
    # The Kasubag corrects the stunting target meanwhile.
    stunting = IkuRow.objects.get(submission__dossier=dossier, submission__skpd=dinkes, indikator="Prevalensi stunting")
    assert act(people, dossier, op="ubah", baris=stunting.pk,
               **stunting.as_dict() | {"target": "13,5 (2027)"}).status_code == 302
    # The clerk sends from the page opened before: its own fix to the first row, the stunting row as loaded.
    typed = [ROWS[0] | {"target": "145"}, *ROWS[1:]]
    response = agency.post(url, _grid_post(dossier, opened, typed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Biro Kesra mengubah tabel ini sejak halaman ini dibuka" in page
    assert people["kasubag"].display_name in page and "Target" in page
    assert re.search(r'name="r-1-target"[^>]*>145<', page)  # what the clerk typed is still on the grid
    assert _targets(dossier, dinkes)["Prevalensi stunting"] == "13,5 (2027)"
    # The page now lists the correction, and sent again from it the clerk's table is taken knowingly.
    assert "“Prevalensi stunting”: Target diubah dari “14” menjadi “13,5 (2027)”" in said(page)
    assert agency.post(url, _grid_post(dossier, page, typed)).status_code == 302
    assert _targets(dossier, dinkes) == {"Angka kematian ibu": "145", "Prevalensi stunting": "14",
                                         "Indeks kepuasan layanan": "80"}


def test_checked_again_under_the_lock(people, walk):
    """Both the correction and the send passed their page's check: the send, second under the
    dossier's lock, is refused there."""
    import pytest

    from iku.bureau_changes import rows_mark
    from workflow import gates, services
    from workflow.actions import Action

    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    dinkes = people["dinkes"].skpd
    reopen(people, dossier, dinkes)
    send(people, dossier, "dinkes", ROWS)
    reopen(people, dossier, dinkes)
    stunting = IkuRow.objects.get(submission__dossier=dossier, submission__skpd=dinkes, indikator="Prevalensi stunting")
    seen = rows_mark(stunting.submission)
    act(people, dossier, op="ubah", baris=stunting.pk, **stunting.as_dict() | {"target": "13,5 (2027)"})
    dossier.refresh_from_db()
    from iku.table import to_rows

    with pytest.raises(gates.GateError, match="Biro Kesra mengubah tabel ini"):
        services.perform(dossier, people["dinkes"], Action.AJUKAN_IKU, revision=dossier.revision,
                         rows=to_rows(ROWS), catatan="", seen_rows=seen)
    assert _targets(dossier, dinkes)["Prevalensi stunting"] == "13,5 (2027)"


def test_a_program_sending_over_a_correction_it_never_read_is_refused(people, walk):
    from tests.api.helpers import as_token

    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    dinkes = people["dinkes"].skpd
    reopen(people, dossier, dinkes)
    send(people, dossier, "dinkes", ROWS)
    reopen(people, dossier, dinkes)
    program = as_token(people, "dinkes", nama="e-SAKIP")
    read = program.get(f"/api/v1/dosier/{dossier.pk}/iku-saya/").json()
    stunting = IkuRow.objects.get(submission__dossier=dossier, submission__skpd=dinkes, indikator="Prevalensi stunting")
    act(people, dossier, op="komentar", baris=stunting.pk, teks="Sebutkan tahun dasar")
    dossier.refresh_from_db()
    late = program.post(f"/api/v1/dosier/{dossier.pk}/iku-saya/kirim/",
                        {"baris": read["baris"], "tanda_tabel": read["tanda_tabel"]},
                        HTTP_IF_MATCH=f'"{dossier.pk}-{dossier.revision}-{dossier.state}"')
    assert late.status_code == 409
    detail = late.json()["detail"]
    # Of the tanda_tabel it sent and what to read again, not of "the page opened" and the form "below".
    assert detail.startswith("Biro Kesra mengubah tabel ini sejak tanda_tabel yang Anda kirim dibaca (" +
                             people["kasubag"].display_name), detail
    assert detail.endswith(
        "Tidak ada yang disimpan, agar perubahan Biro tidak tertimpa tanpa Anda baca. Baca tabel lagi (GET "
        f"/api/v1/dosier/{dossier.pk}/iku-saya/), bandingkan, lalu kirim lagi dengan tanda_tabel barunya (ada di "
        "jawaban ini) bila baris Anda memang yang benar."), detail
    assert IkuRow.objects.get(pk=stunting.pk).komentar == "Sebutkan tahun dasar"
