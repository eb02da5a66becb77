"""A round opened twice by mistake, one cancelled: what an agency typed into the cancelled one is
offered in the round kept, not lost with it."""

from tests.factories import client_for
from tests.iku.test_grid import REAL_ROWS, grid
from workflow.steps import STEP_BY_NUMBER


def test_an_agencys_draft_in_a_cancelled_round_starts_the_round_kept(people, walk):
    kept = walk(STEP_BY_NUMBER[3].state, judul="IKU 2027")
    twice = walk(STEP_BY_NUMBER[3].state, judul="IKU 2027 (dibuka dua kali)")
    dinkes = client_for(people, "dinkes")
    # Dinas Kesehatan typed its table into the round opened twice, and kept it as a draft.
    assert dinkes.post(f"/dosier/{twice.pk}/iku/draf/", grid(REAL_ROWS, twice)).status_code == 302
    twice.refresh_from_db()
    cancelled = client_for(people, "kabiro").post(f"/dosier/{twice.pk}/aksi/batalkan/", {
        "revision": twice.revision, "state": twice.state, "alasan": "Dibuka dua kali untuk tahun yang sama."})
    assert cancelled.status_code == 302
    assert dinkes.get(f"/dosier/{twice.pk}/aksi/ajukan_iku/").status_code == 403

    page = dinkes.get(f"/dosier/{kept.pk}/aksi/ajukan_iku/").content.decode()
    assert "Salin dari tabel Anda di “IKU 2027 (dibuka dua kali)” (dibatalkan)</button>" in page
    kept.refresh_from_db()
    typed = {"state": kept.state, "revision": kept.revision, "catatan": ""}
    copied = dinkes.post(f"/dosier/{kept.pk}/iku/salin-dibatalkan/", typed).content.decode()
    assert "4 baris dari tabel Anda di dosier “IKU 2027 (dibuka dua kali)” (dibatalkan) disalin ke tabel di bawah." in copied
    assert ">Persentase RS terakreditasi</textarea>" in copied and ">Paripurna</textarea>" in copied
    # Another agency had typed nothing there: nothing is offered to it.
    assert "(dibatalkan)</button>" not in client_for(people, "dinsos").get(
        f"/dosier/{kept.pk}/aksi/ajukan_iku/").content.decode()


def test_asking_to_copy_from_a_cancelled_round_there_is_none_of_keeps_what_was_typed(people, walk):
    """An agency with nothing in a cancelled round (an old page's button, or a typed address) is
    told so beside its grid, and what it had typed stays, every row and its note."""
    kept = walk(STEP_BY_NUMBER[3].state, judul="IKU 2027")
    typed = grid(REAL_ROWS, kept) | {"catatan": "Catatan untuk Biro"}
    page = client_for(people, "dinsos").post(f"/dosier/{kept.pk}/iku/salin-dibatalkan/", typed).content.decode()
    assert "Tidak ada tabel Anda di dosier yang dibatalkan untuk tahun ini; tabel di bawah tetap seperti yang Anda ketik." in page
    assert ">Usia harapan hidup</textarea>" in page and ">71,24 (akhir RPJMD 2023)</textarea>" in page
    assert "Catatan untuk Biro</textarea>" in page
