"""The agency's IKU page as one form: the note is kept with the draft, every refusal (validation,
a stale page, a database too busy to take it) gives back what was typed, and the errors come first,
named by row and column and linked to their cell, above the warnings folded per kind and per row."""

import re
import threading

import psycopg
import pytest
from django.db import connection

from iku.models import IkuSubmission
from tests.factories import client_for
from tests.iku.test_grid import grid, send_url
from workflow.steps import STEP_BY_NUMBER


@pytest.fixture
def at_konsep(walk):
    return walk(STEP_BY_NUMBER[3].state)


def draft_url(dossier):
    return f"/dosier/{dossier.pk}/iku/draf/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


ROWS = [
    {"sasaran_strategis": "Meningkatnya derajat kesehatan", "indikator": "Usia harapan hidup", "target": "71,2",
     "sumber_data": "BPS", "formula": "Tahun", "penanggung_jawab": "Bidang"},
    {"indikator": "Angka kematian ibu", "target": "150"},
    {"indikator": "", "penjelasan": "Penjelasan tanpa indikator", "target": "Predikat A"},
]


def test_a_saved_draft_keeps_its_note_and_sending_leaves_the_note_sent(people, at_konsep):
    client = client_for(people, "dinkes")
    client.post(draft_url(at_konsep), grid(ROWS[:2], at_konsep, catatan="Catatan untuk draf ini"))
    page = text(client.get(send_url(at_konsep)))
    assert "Catatan untuk draf ini</textarea>" in page
    submission = IkuSubmission.objects.get(dossier=at_konsep)
    assert submission.catatan == "" and submission.draft_catatan == "Catatan untuk draf ini"

    client.post(send_url(at_konsep), grid(ROWS[:2], at_konsep, catatan="Catatan terkirim"))
    submission.refresh_from_db()
    assert (submission.catatan, submission.draft_catatan) == ("Catatan terkirim", "")
    assert "Catatan terkirim</textarea>" in text(client.get(send_url(at_konsep)))


def test_errors_come_first_by_row_and_column_linked_to_their_cell(people, at_konsep):
    page = text(client_for(people, "dinkes").post(send_url(at_konsep), grid(ROWS, at_konsep, catatan="Tetap ada")))
    summary = page[page.index('id="ringkasan-kesalahan"'):]
    assert summary.index("1 isian perlu diperbaiki") < summary.index("Dari berkas atau tahun lalu")
    assert ('<a href="#r-3-indikator">Baris 3, kolom Indikator Kinerja Utama: Indikator kinerja utama wajib diisi.</a>'
            in page)
    assert 'id="r-3-indikator"' in page and "Penjelasan tanpa indikator</textarea>" in page
    assert "Tetap ada</textarea>" in page
    # Warnings folded per kind, each naming its rows; empty optional columns said quietly, not per cell.
    assert '<details class="notice"><summary>1 baris dengan target tanpa angka</summary>' in page
    assert ('<details class="quiet"><summary>2 baris tanpa sumber data <span class="muted">(kolom opsional, boleh '
            'kosong)</span></summary> <p class="small">Baris <a href="#r-2-sumber_data">2</a>, '
            '<a href="#r-3-sumber_data">3</a></p>') in page
    assert page.index("dengan target tanpa angka") < page.index("tanpa sumber data")
    # And folded per row, each row's real doubts before its empty optional columns, linked to the doubt.
    per_row = page[page.index('id="peringatan-per-baris"'):page.index("Peringatan tidak menghalangi")]
    assert "Per baris: 2 baris dengan peringatan" in per_row
    assert ('<li><a href="#r-3-target">Baris 3</a>: <strong>dengan target tanpa angka</strong>; <span class="muted">'
            'tanpa formula/cara pengukuran; tanpa sumber data; tanpa penanggung jawab</span></li>') in per_row
    assert ('<li><a href="#r-2-formula">Baris 2</a>: <span class="muted">tanpa formula/cara pengukuran; '
            'tanpa sumber data; tanpa penanggung jawab</span></li>') in per_row
    assert "Sumber data belum diisi." not in page
    assert not IkuSubmission.objects.filter(dossier=at_konsep).exists()


def test_a_stale_draft_comes_back_with_the_grid_and_the_note_as_typed(people, at_konsep):
    posted = grid(ROWS[:2], at_konsep, catatan="Catatan yang diketik", revision=at_konsep.revision)
    type(at_konsep).objects.filter(pk=at_konsep.pk).update(state=STEP_BY_NUMBER[4].state, revision=at_konsep.revision + 1)
    client = client_for(people, "dinkes")
    page = text(client.post(draft_url(at_konsep), posted))
    assert "Dosier ini sudah berubah sejak halaman Anda dibuka" in page
    assert "Angka kematian ibu</textarea>" in page and "Catatan yang diketik</textarea>" in page
    assert not IkuSubmission.objects.filter(dossier=at_konsep).exists()
    # Sending is closed at step 4: the page says so and offers no button; the page sent again as it
    # came back (a button forced, a reload) brings the same news with the table, never a refusal page.
    assert "tindakan ini bukan lagi bagian Anda, jadi tombolnya dimatikan" in page
    assert re.search(r'<button type="submit" formaction="[^"]*/iku/draf/" disabled>Simpan draf</button>', page)
    seen = dict(re.findall(r'<input type="hidden" name="(revision|state)" value="([^"]*)">', page))
    assert seen == {"revision": str(at_konsep.revision), "state": STEP_BY_NUMBER[3].state}
    again = client.post(draft_url(at_konsep), posted | seen)
    assert again.status_code == 200 and "Angka kematian ibu</textarea>" in text(again)
    assert "Dosier ini sudah berubah" in text(again)


class RowLock:
    """A row held FOR UPDATE by another connection until the block ends: another officer's save
    that has not finished."""

    def __init__(self, table, pk):
        self.table, self.pk = table, pk
        self.held, self.release = threading.Event(), threading.Event()

    def _hold(self):
        db = connection.settings_dict
        with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
                             host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432) as other:
            other.execute(f"SELECT 1 FROM {self.table} WHERE id = %s FOR UPDATE", [self.pk])  # noqa: S608
            self.held.set()
            self.release.wait(30)
            other.rollback()

    def __enter__(self):
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.held.wait(10)
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join(30)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_send_and_a_draft_refused_for_a_held_lock_give_back_what_was_typed(people, at_konsep):
    client = client_for(people, "dinkes")
    client.post(draft_url(at_konsep), grid(ROWS[:1], at_konsep))
    submission = IkuSubmission.objects.get(dossier=at_konsep)
    typed = grid(ROWS[:2], at_konsep, catatan="Catatan yang diketik")
    with connection.cursor() as cursor:
        # The request waits this long for a lock instead of the 20 s a user would wait.
        cursor.execute("SET lock_timeout = '300ms'")
    for url, table, pk in ((send_url(at_konsep), "workflow_dossier", at_konsep.pk),
                           (draft_url(at_konsep), "workflow_ikusubmission", submission.pk)):
        with RowLock(table, pk):
            page = text(client.post(url, typed))
        assert "Basis data sedang sibuk menyimpan isian lain, jadi isian Anda belum tersimpan." in page, url
        assert "Angka kematian ibu</textarea>" in page and "Catatan yang diketik</textarea>" in page
    submission.refresh_from_db()
    assert submission.submitted_at is None and [r["indikator"] for r in submission.draft] == ["Usia harapan hidup"]
