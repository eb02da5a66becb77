"""A closed round's IKU in the e-SAKIP and SIPD shapes, field by field, in JSON, CSV and XLSX: one
`id_unik_indikator` per indicator across years, each year's decree filling its own target."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from api.sakip import ESAKIP, SIPD
from iku.models import IkuRow
from tests.api.helpers import as_token
from workflow import demo, services
from workflow.steps import SELESAI, STEP_BY_NUMBER, IkuStage


def closed(people, year, target):
    dossier = demo.open_dossier(people, year, f"Penetapan IKU {year}")
    demo.walk_to(dossier, people, SELESAI)
    IkuRow.objects.filter(submission__dossier=dossier, submission__stage=IkuStage.BAHAN,
                          submission__skpd=people["dinkes"].skpd).update(target=target)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def rounds(people):
    return closed(people, 2026, "80"), closed(people, 2027, "82,5")


def export(caller, dossier, **query):
    response = caller.get(f"/api/v1/dosier/{dossier.pk}/sakip/", query)
    assert response.status_code == 200, response.content
    return response


def dinkes_row(rows, people):
    indicator = f"Indeks kepuasan masyarakat terhadap layanan {people['dinkes'].skpd.nama_pendek}"
    (found,) = [r for r in rows if r.get("label_indikator", r.get("indikator_teks")) == indicator]
    return found


def decree_row(dossier, people) -> IkuRow:
    """Dinas Kesehatan's indicator in `dossier`'s decree, as stored."""
    return IkuRow.objects.get(submission__dossier=dossier, submission__stage=IkuStage.BAHAN,
                              submission__skpd=people["dinkes"].skpd, indikator__startswith="Indeks kepuasan")


def ids_of(row: dict, people) -> dict:
    """The row's generated ids, checked for their documented form and taken out of it."""
    skpd = people["dinkes"].skpd_id
    for name, prefix in (("kode_sasaran", "SS"), ("id_unik", "SS"), ("id_unik_indikator", "IKU")):
        if name in row:
            assert re.fullmatch(rf"{prefix}-{skpd}-[0-9a-f]{{12}}", row[name]), (name, row[name])
    return {name: row.pop(name) for name in ("kode_sasaran", "id_unik", "id_unik_indikator") if name in row}


def test_the_esakip_shape_field_by_field_with_each_years_target(people, rounds):
    old, new = rounds
    caller = as_token(people, "kasubag")
    body = export(caller, new, bentuk="esakip", berkas="json", awal=2026).json()
    assert body["rentang"] == [2026, 2030] and body["tahun_keputusan"] == 2027
    assert body["nomor_keputusan"] == new.nomor_kepgub and body["bentuk"] == "esakip"
    all_ids = [r["id_unik_indikator"] for r in body["baris"]]
    assert len(all_ids) == len(set(all_ids))
    row = dinkes_row(body["baris"], people)
    assert list(row) == list(ESAKIP)
    ids = ids_of(row, people)
    stored = decree_row(new, people)
    assert row == {
        "label_sasaran": stored.sasaran_strategis, "label_indikator": stored.indikator, "formulasi": stored.formula,
        "sumber_data": stored.sumber_data, "penanggung_jawab": stored.penanggung_jawab, "satuan": stored.satuan,
        # Each year's decree gives its own year's target; years without a closed round stay empty.
        "target_1": "80", "target_2": "82,5", "target_3": "", "target_4": "", "target_5": "",
        # The SOP sets targets and holds no achievement: realisasi_* stay, empty, and the file says why.
        **{f"realisasi_{n}": "" for n in range(1, 6)},
    }
    assert stored.sumber_data and stored.formula and stored.sasaran_strategis
    assert "e-SAKIP" in body["keterangan"] and "realisasi_1" in body["keterangan"]
    # Last year's decree exported on its own names the indicator and its objective alike.
    earlier = dinkes_row(export(caller, old, bentuk="esakip").json()["baris"], people)
    assert ids_of(earlier, people) == ids
    assert earlier["target_1"] == "80" and earlier["target_2"] == "82,5"


def test_the_sipd_shape_field_by_field(people, rounds):
    _, new = rounds
    caller = as_token(people, "kabiro")
    row = dinkes_row(export(caller, new, bentuk="sipd", awal=2027).json()["baris"], people)
    assert list(row) == list(SIPD)
    ids = ids_of(row, people)
    esakip = dinkes_row(export(caller, new, bentuk="esakip", awal=2027).json()["baris"], people)
    # The same objective and indicator ids as the e-SAKIP shape gives them.
    assert ids == {"id_unik": esakip["kode_sasaran"], "id_unik_indikator": esakip["id_unik_indikator"]}
    stored = decree_row(new, people)
    assert row == {
        "sasaran_teks": stored.sasaran_strategis, "indikator_teks": stored.indikator, "satuan": stored.satuan,
        # The year before the span gives target_awal; the last filled year, target_akhir.
        "target_awal": "80", "target_1": "82,5", "target_2": "", "target_3": "", "target_4": "", "target_5": "",
        "target_akhir": "82,5",
    }


def test_csv_and_xlsx_carry_the_same_rows_as_json(people, rounds):
    _, new = rounds
    caller = as_token(people, "kasubag")
    rows = export(caller, new, bentuk="esakip", awal=2026).json()["baris"]
    as_csv = export(caller, new, bentuk="esakip", berkas="csv", awal=2026)
    assert as_csv["Content-Disposition"].endswith(f'sakip-esakip-2027-{new.pk}.csv"')
    read = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert read[0] == list(ESAKIP) and [dict(zip(read[0], line)) for line in read[1:]] == rows
    book = load_workbook(io.BytesIO(export(caller, new, bentuk="esakip", berkas="xlsx", awal=2026).content))
    lines = [[cell if cell is not None else "" for cell in line] for line in book.active.iter_rows(values_only=True)]
    assert lines[0] == list(ESAKIP) and [dict(zip(lines[0], line)) for line in lines[1:]] == rows
    assert book.sheetnames == ["esakip", "Keterangan"] and "sengaja kosong" in book["Keterangan"]["A1"].value
    sipd = load_workbook(io.BytesIO(export(caller, new, bentuk="sipd", berkas="xlsx", awal=2026).content))
    assert sipd.sheetnames == ["sipd"]
    assert "keterangan" not in export(caller, new, bentuk="sipd", awal=2026).json()


def test_an_agency_exports_only_its_own_rows(people, rounds):
    _, new = rounds
    rows = export(as_token(people, "dinkes"), new).json()["baris"]
    assert rows and all(r["penanggung_jawab"] == "Dinas Kesehatan" for r in rows)
    everyone = export(as_token(people, "kasubag"), new).json()["baris"]
    assert len(everyone) > len(rows)
    assert as_token(people, "dishub").get(f"/api/v1/dosier/{new.pk}/sakip/").status_code == 404


def test_one_indicator_under_two_sasaran_is_two_rows_each_with_its_own_target(people, rounds):
    # A satisfaction index for the hospital and for the health centres: the same words, two indicators.
    old, new = rounds
    indikator = decree_row(new, people).indikator
    for dossier, targets in ((old, ("78", "83")), (new, ("80", "85"))):
        row = decree_row(dossier, people)
        IkuRow.objects.filter(pk=row.pk).update(sasaran_strategis="Meningkatnya mutu layanan RSUD", target=targets[0])
        IkuRow.objects.create(submission=row.submission, urutan=row.urutan + 1, target=targets[1],
                              sasaran_strategis="Meningkatnya mutu layanan Puskesmas", indikator=row.indikator.upper())
    rows = export(as_token(people, "kasubag"), new, awal=2026).json()["baris"]
    index = [r for r in rows if r["label_indikator"].lower() == indikator.lower()]
    assert [(r["label_sasaran"], r["target_1"], r["target_2"]) for r in index] == [
        ("Meningkatnya mutu layanan RSUD", "78", "80"), ("Meningkatnya mutu layanan Puskesmas", "83", "85")]
    assert len({r["id_unik_indikator"] for r in index}) == 2


def test_an_open_round_or_a_year_outside_the_span_is_refused(people, rounds, walk):
    _, new = rounds
    caller = as_token(people, "kasubag")
    running = walk(STEP_BY_NUMBER[3].state)
    refused = caller.get(f"/api/v1/dosier/{running.pk}/sakip/")
    assert refused.status_code == 400 and "belum ditutup" in refused.json()["detail"]
    outside = caller.get(f"/api/v1/dosier/{new.pk}/sakip/", {"awal": 2020})
    assert outside.status_code == 400 and "di luar rentang 2020–2024" in outside.json()["detail"]
    bad = caller.get(f"/api/v1/dosier/{new.pk}/sakip/", {"bentuk": "x", "berkas": "pdf", "awal": "20"})
    assert bad.status_code == 400 and "bentuk" in bad.json()["detail"] and "berkas" in bad.json()["detail"]


def test_the_command_writes_what_the_api_gives(people, rounds, tmp_path):
    _, new = rounds
    target = tmp_path / "sipd.json"
    call_command("export_sakip", str(new.pk), "--bentuk", "sipd", "--awal", "2026", "-o", str(target))
    via_api = export(as_token(people, "kasubag"), new, bentuk="sipd", awal=2026).json()
    assert json.loads(target.read_text()) == via_api
    with pytest.raises(CommandError) as outside:
        call_command("export_sakip", str(new.pk), "--awal", "2028", "-o", str(tmp_path / "x.csv"))
    assert str(outside.value) == (f"Argumen --awal: Tahun keputusan {new.tahun} di luar rentang 2028–2032. Pilih tahun "
                                  f"{new.tahun - 4} sampai {new.tahun}.")
    # Into a folder not made yet: one Indonesian line, not Python's traceback ending in English.
    missing = tmp_path / "belum-dibuat" / "sipd.json"
    with pytest.raises(CommandError) as refused:
        call_command("export_sakip", str(new.pk), "--awal", "2026", "-o", str(missing))
    assert str(refused.value) == f"Berkas {missing} tidak dapat ditulis: berkas atau foldernya tidak ada."


def test_a_revision_that_invited_some_agencies_leaves_the_others_targets_of_that_year(people, rounds):
    # The Governor asked 2026's IKU of Dinas Sosial set again: a second round for 2026 inviting only
    # it, closed after the first. Dinas Kesehatan's 2026 target is still the first round's decree.
    old, new = rounds
    revision = services.create_dossier(people["kasubag"], tahun=2026, judul="Perubahan IKU 2026",
                                       invited=[people["dinsos"].skpd])
    demo.walk_to(revision, people, SELESAI)
    IkuRow.objects.filter(submission__dossier=revision, submission__stage=IkuStage.BAHAN).update(target="91")
    caller = as_token(people, "kasubag")
    rows = export(caller, new, bentuk="esakip", awal=2026).json()["baris"]
    assert (dinkes_row(rows, people)["target_1"], dinkes_row(rows, people)["target_2"]) == ("80", "82,5")
    # Dinas Sosial's 2026 target is the revision's, the decree in force for it.
    (dinsos,) = [r for r in rows if r["label_indikator"].endswith(people["dinsos"].skpd.nama_pendek)]
    assert dinsos["target_1"] == "91"
    sipd = dinkes_row(export(caller, new, bentuk="sipd", awal=2027).json()["baris"], people)
    assert sipd["target_awal"] == "80"
