"""The provincial table the Kasubag consolidates at steps 5 and 6: rows corrected, left out with a
reason, commented and moved, each change logged with its old and new value, and one numbering in
the page, the CSV, the XLSX and the draft decree's PDF."""

import csv
import io
import re

from openpyxl import load_workbook

from iku.models import IkuRow
from tests.factories import client_for
from tests.naskah.test_cetak import cetak
from workflow.actions import Action
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER, DocKind


def act(people, dossier, username="kasubag", **posted):
    dossier.refresh_from_db()
    return client_for(people, username).post(
        f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/", {"revision": dossier.revision, "state": dossier.state} | posted
    )


def bahan_row(dossier, username_skpd):
    return IkuRow.objects.get(submission__dossier=dossier, submission__stage="bahan", submission__skpd=username_skpd)


def test_the_kasubag_corrects_a_row_after_a_return_and_the_log_keeps_old_and_new(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    row = bahan_row(dossier, people["dinsos"].skpd)
    fields = {name: getattr(row, name) for name in ("sasaran_strategis", "indikator", "penjelasan", "formula",
                                                      "satuan", "target", "sumber_data", "penanggung_jawab")}
    refused = act(people, dossier, op="ubah", baris=row.pk, **fields | {"indikator": "", "target": "85 (2027)"})
    page = refused.content.decode()
    assert "Indikator kinerja utama wajib diisi." in page and "85 (2027)" in page  # kept as typed
    act(people, dossier, op="ubah", baris=row.pk, **fields | {"target": "85 (2027)"})
    row.refresh_from_db()
    assert row.target == "85 (2027)" and str(row.target_nilai) == "85.0000"
    event = AuditEvent.objects.filter(dossier=dossier, action=Action.ATUR_TABEL_IKU).get()
    assert event.data["lama"] == {"target": "82,5"} and event.data["baru"] == {"target": "85 (2027)"}
    assert "85 (2027)" in " ".join(cetak(people, dossier, DocKind.DRAFT_KEPGUB))


def test_a_row_left_out_needs_a_reason_and_leaves_every_copy_numbered_alike(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    dinkes = bahan_row(dossier, people["dinkes"].skpd)
    refused = act(people, dossier, op="keluarkan", baris=dinkes.pk, teks="")
    assert "Tulis alasan baris ini dikeluarkan dari tabel IKU Provinsi." in refused.content.decode()
    act(people, dossier, op="keluarkan", baris=dinkes.pk, teks="Duplikat IKU Dinas Sosial")
    act(people, dossier, op="skpd_naik", baris=bahan_row(dossier, people["dinsos"].skpd).pk)

    kasubag = client_for(people, "kasubag")
    page = kasubag.get(f"/dosier/{dossier.pk}/iku/bahan/").content.decode()
    assert "Duplikat IKU Dinas Sosial" in page
    page_numbers = re.findall(r'<td data-label="No">([^<]+)</td>\s*<td data-label="SKPD">([^<]+)</td>', page)
    assert page_numbers == [("1", "Dinas Sosial"), ("–", "Dinas Kesehatan")]
    lines = list(csv.reader(io.StringIO(kasubag.get(f"/dosier/{dossier.pk}/iku/bahan/csv/").content.decode("utf-8-sig")), delimiter=";"))
    assert [line[:2] for line in lines[1:]] == [["1", "Dinas Sosial"]]
    sheet = load_workbook(io.BytesIO(kasubag.get(f"/dosier/{dossier.pk}/iku/bahan/xlsx/").content))["IKU"]
    assert [[c.value for c in row[:2]] for row in sheet.iter_rows(min_row=2)] == [[1, "Dinas Sosial"]]
    lampiran = " ".join(cetak(people, dossier, DocKind.DRAFT_KEPGUB))
    assert "layanan Dinas Sosial" in lampiran and "layanan Dinas Kesehatan" not in lampiran

    act(people, dossier, op="masukkan", baris=dinkes.pk)
    lampiran = " ".join(cetak(people, dossier, DocKind.DRAFT_KEPGUB))
    assert lampiran.index("layanan Dinas Sosial") < lampiran.index("layanan Dinas Kesehatan")


def test_rows_continuing_a_sasaran_keep_it_when_the_row_that_carried_it_is_left_out(people, walk):
    # Real tables write a Sasaran once over several rows; leaving out its first row must not
    # leave the others under no Sasaran in the CSV, the XLSX or the decree.
    dossier = walk(STEP_BY_NUMBER[6].state)
    carrier = bahan_row(dossier, people["dinkes"].skpd)
    for number, indikator in ((2, "Angka kematian bayi per 1.000 kelahiran hidup"), (3, "Prevalensi stunting balita")):
        IkuRow.objects.create(submission=carrier.submission, urutan=carrier.urutan + number, sasaran_strategis="",
                              indikator=indikator, satuan="%", target="14")
    act(people, dossier, op="keluarkan", baris=carrier.pk, teks="Diganti indikator kematian bayi")
    sasaran = carrier.sasaran_strategis

    kasubag = client_for(people, "kasubag")
    page = kasubag.get(f"/dosier/{dossier.pk}/iku/bahan/").content.decode()
    # XLSX first, for Excel: a CSV's text targets such as "12/2027" become dates there.
    assert page.index("Unduh XLSX</a> (untuk Excel)") < page.index("Unduh CSV</a> (untuk program lain")
    lines = list(csv.reader(io.StringIO(kasubag.get(f"/dosier/{dossier.pk}/iku/bahan/csv/").content.decode("utf-8-sig")), delimiter=";"))
    dinkes = [line for line in lines[1:] if line[1] == "Dinas Kesehatan"]
    assert [line[2] for line in dinkes] == [sasaran, ""]
    sheet = load_workbook(io.BytesIO(kasubag.get(f"/dosier/{dossier.pk}/iku/bahan/xlsx/").content))["IKU"]
    assert [row[2].value for row in sheet.iter_rows(min_row=2) if row[1].value == "Dinas Kesehatan"] == [sasaran, None]
    lampiran = " ".join(cetak(people, dossier, DocKind.DRAFT_KEPGUB))
    assert sasaran in lampiran and "Angka kematian bayi" in lampiran
    assert IkuRow.objects.filter(submission=carrier.submission, sasaran_strategis="").count() == 2  # stored as sent


def test_a_comment_reaches_the_agency_and_nobody_else_arranges_the_table(people, walk):
    dossier = walk(STEP_BY_NUMBER[5].state)
    from workflow import demo

    demo.submit_iku(dossier, people["dinkes"])
    row = bahan_row(dossier, people["dinkes"].skpd)
    act(people, dossier, op="komentar", baris=row.pk, teks="Sebutkan tahun dasar target")
    own = client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/iku/bahan/").content.decode()
    assert "Komentar Biro Kesra:</strong> Sebutkan tahun dasar target" in own
    for username in ("dinkes", "staf", "kabag"):
        assert act(people, dossier, username, op="komentar", baris=row.pk, teks="x").status_code == 403
    other = walk(STEP_BY_NUMBER[6].state, judul="Dosier lain")
    foreign = act(people, other, op="komentar", baris=row.pk, teks="x").content.decode()
    assert "Baris tidak ditemukan dalam tabel IKU Provinsi dosier ini." in foreign
    row.refresh_from_db()
    assert row.komentar == "Sebutkan tahun dasar target"


def test_the_page_lists_the_table_with_a_form_per_row(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/").content.decode()
    assert page.count('name="op" value="ubah"') == 2
    assert "No 1 · Indeks kepuasan masyarakat terhadap layanan Dinas Kesehatan" in page


def test_each_change_brings_the_kasubag_back_to_the_table_at_that_row(people, walk):
    """Leaving rows out one after another: each answer is the same page at the row just changed
    (its anchor is there), not the dossier page where the table must be found again."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    dinkes = bahan_row(dossier, people["dinkes"].skpd)
    done = act(people, dossier, op="keluarkan", baris=dinkes.pk, teks="Duplikat IKU Dinas Sosial")
    assert done.status_code == 302
    assert done.url == f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/#baris-{dinkes.pk}"
    page = client_for(people, "kasubag").get(done.url.split("#")[0]).content.decode()
    assert f'id="baris-{dinkes.pk}"' in page and "Alasan dikeluarkan:</strong> Duplikat IKU Dinas Sosial" in page
    moved = act(people, dossier, op="skpd_naik", baris=bahan_row(dossier, people["dinsos"].skpd).pk)
    assert moved.url == f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/#skpd-{bahan_row(dossier, people['dinsos'].skpd).submission_id}"


def test_a_target_that_names_its_unit_is_not_followed_by_the_unit_again(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    row = bahan_row(dossier, people["dinkes"].skpd)
    IkuRow.objects.filter(pk=row.pk).update(target="5,8 persen (2028)", satuan="persen")
    other = bahan_row(dossier, people["dinsos"].skpd)
    IkuRow.objects.filter(pk=other.pk).update(target="90 (2027)", satuan="persen")
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/").content.decode()
    assert "Target 5,8 persen (2028)</p>" in page and "persen (2028) persen" not in page
    assert "Target 90 (2027) persen</p>" in page


def test_a_change_that_changes_nothing_is_refused_and_not_logged(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    row = bahan_row(dossier, people["dinkes"].skpd)
    fields = {name: getattr(row, name) for name in ("sasaran_strategis", "indikator", "penjelasan", "formula",
                                                      "satuan", "target", "sumber_data", "penanggung_jawab")}
    page = act(people, dossier, op="ubah", baris=row.pk, **fields).content.decode()
    assert "Tidak ada yang diubah pada baris ini" in page
    # The agency's only row moves nowhere.
    page = act(people, dossier, op="baris_naik", baris=row.pk).content.decode()
    assert "Sudah paling atas" in page
    assert not AuditEvent.objects.filter(dossier=dossier, action=Action.ATUR_TABEL_IKU).exists()
    # An indicator too long is said so, not also said missing.
    page = act(people, dossier, op="ubah", baris=row.pk, **fields | {"indikator": "x" * 2001}).content.decode()
    assert "2.000 karakter" in page and "Indikator kinerja utama wajib diisi." not in page


def test_leaving_a_row_out_reads_unlike_signing_out_and_names_its_row(people, walk):
    """The row's button read "Keluarkan baris" beside the header's "Keluar" (sign out): a phone's voice
    command or a screen reader's search for "Keluar" reached both. It says what it does to which row."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/").content.decode()
    buttons = [re.sub(r"<[^>]+>|\s+", " ", text).split() for text in re.findall(r"<button[^>]*>(.*?)</button>", page, re.S)]
    named = [" ".join(words) for words in buttons]
    assert [name for name in named if name.lower().startswith("keluar")] == [f"Keluar ({people['kasubag'].display_name})"]
    assert "Hapus baris 1 dari tabel IKU Provinsi" in named and "Hapus baris 2 dari tabel IKU Provinsi" in named
