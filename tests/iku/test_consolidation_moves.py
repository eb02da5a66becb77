"""The Kasubag's "Naikkan baris"/"Turunkan baris" on the provincial table (step 6). A blank Sasaran
continues the one above, as published IKU tables write it; a move that only renumbered the rows put
the indicators after the moved one under another Sasaran in the table page, the XLSX and the draft
decree, and the history said only that a row moved."""

import io
import re

from openpyxl import load_workbook

from iku.models import IkuRow
from tests.factories import client_for
from tests.iku.test_consolidation import act
from tests.naskah.test_cetak import cetak
from workflow.actions import Action
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER, DocKind

DERAJAT = "Meningkatnya derajat kesehatan masyarakat Kalimantan Barat"
MUTU = "Meningkatnya mutu pelayanan kesehatan rujukan"
AKI = "Angka kematian ibu per 100.000 kelahiran hidup"
STUNTING = "Prevalensi stunting pada balita"
AKREDITASI = "Persentase rumah sakit daerah terakreditasi paripurna"


def dinkes_sent(people, dossier, rows):
    """The Dinas Kesehatan's Bahan as sent: (sasaran, indikator) in order, the rest as real rows hold."""
    submission = IkuRow.objects.get(submission__dossier=dossier, submission__stage="bahan",
                                    submission__skpd=people["dinkes"].skpd).submission
    submission.rows.all().delete()
    return {indikator: IkuRow.objects.create(
        submission=submission, urutan=n, sasaran_strategis=sasaran, indikator=indikator, satuan="persen",
        target="14 (2027)", formula="Jumlah kasus dibagi jumlah sasaran dikali 100%",
        sumber_data="Profil Kesehatan Provinsi", penanggung_jawab="Bidang Kesehatan Masyarakat",
    ) for n, (sasaran, indikator) in enumerate(rows, start=1)}


def read_as_printed(cells):
    """(sasaran, indikator) as a reader takes a table: a blank Sasaran cell continues the one above."""
    current, read = "", []
    for sasaran, indikator in cells:
        current = sasaran or current
        read.append((current, indikator))
    return read


def xlsx_dinkes(people, dossier):
    sheet = load_workbook(io.BytesIO(
        client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/iku/bahan/xlsx/").content))["IKU"]
    return read_as_printed([(row[2].value or "", row[3].value) for row in sheet.iter_rows(min_row=2)
                            if row[1].value == "Dinas Kesehatan"])


def page_dinkes(people, dossier):
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/iku/bahan/").content.decode()
    cells = re.findall(r'<td data-label="SKPD">Dinas Kesehatan</td>\s*<td data-label="Sasaran Strategis">([^<]*)</td>'
                       r'\s*<td data-label="Indikator Kinerja Utama">([^<]*)</td>', page)
    return read_as_printed([("" if s == "(melanjutkan sasaran di atas)" else s, i) for s, i in cells])


def test_moving_a_row_up_keeps_the_row_it_passes_under_the_sasaran_it_was_sent_under(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    rows = dinkes_sent(people, dossier, [(DERAJAT, AKI), ("", STUNTING), (MUTU, AKREDITASI)])

    act(people, dossier, op="baris_naik", baris=rows[AKREDITASI].pk)

    moved = [(DERAJAT, AKI), (MUTU, AKREDITASI), (DERAJAT, STUNTING)]
    assert page_dinkes(people, dossier) == moved
    assert xlsx_dinkes(people, dossier) == moved
    lampiran = " ".join(cetak(people, dossier, DocKind.DRAFT_KEPGUB))
    # Stunting is printed under its own Sasaran again, after the Sasaran the moved row brought.
    assert lampiran.index(MUTU) < lampiran.rindex(DERAJAT) < lampiran.index(STUNTING)
    event = AuditEvent.objects.get(dossier=dossier, action=Action.ATUR_TABEL_IKU)
    assert f"sasaran strategis baris \u201c{STUNTING}\u201d ditulis \u201c{DERAJAT}\u201d" in event.note
    assert event.data["sasaran"] == [{"baris": rows[STUNTING].pk, "lama": "", "baru": DERAJAT}]
    history = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert f"ditulis \u201c{DERAJAT}\u201d" in history


def test_a_row_moved_above_the_one_carrying_its_sasaran_and_back_reads_as_sent(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    rows = dinkes_sent(people, dossier, [(DERAJAT, AKI), ("", STUNTING), (MUTU, AKREDITASI)])

    act(people, dossier, op="baris_naik", baris=rows[STUNTING].pk)
    # The Sasaran moves to the group's new first row, written once over the group as sent.
    assert [(r.sasaran_strategis, r.indikator) for r in rows[AKI].submission.rows.order_by("urutan")] == [
        (DERAJAT, STUNTING), ("", AKI), (MUTU, AKREDITASI)]
    assert xlsx_dinkes(people, dossier) == [(DERAJAT, STUNTING), (DERAJAT, AKI), (MUTU, AKREDITASI)]

    act(people, dossier, op="baris_turun", baris=rows[STUNTING].pk)
    assert [(r.sasaran_strategis, r.indikator) for r in rows[AKI].submission.rows.order_by("urutan")] == [
        (DERAJAT, AKI), ("", STUNTING), (MUTU, AKREDITASI)]


def test_a_move_that_would_put_a_row_without_sasaran_under_one_is_refused_saying_which(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    rows = dinkes_sent(people, dossier, [("", STUNTING), (DERAJAT, AKI)])
    page = act(people, dossier, op="baris_naik", baris=rows[AKI].pk).content.decode()
    assert f"Baris \u201c{STUNTING}\u201d tidak memiliki sasaran strategis" in page
    assert [r.indikator for r in rows[AKI].submission.rows.order_by("urutan")] == [STUNTING, AKI]
    assert not AuditEvent.objects.filter(dossier=dossier, action=Action.ATUR_TABEL_IKU).exists()
