"""A stage's IKU table through the API comes a page of rows at a time, as the dossier list does: a
province's round was one answer of every row of every agency."""

import pytest

from iku.table import to_rows
from tests.api.helpers import as_token
from workflow import services
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER


def send(dossier, user, count, word):
    dossier.refresh_from_db()
    services.perform(dossier, user, Action.AJUKAN_IKU, revision=dossier.revision,
                     rows=to_rows([{"indikator": f"{word} {n}", "satuan": "%", "target": str(n)} for n in range(count)]))


@pytest.fixture
def table(people, walk):
    """A Konsep table of 130 rows: Dinas Kesehatan's 70 and Dinas Sosial's 60."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    send(dossier, people["dinkes"], 70, "Kesehatan")
    send(dossier, people["dinsos"], 60, "Sosial")
    return f"/api/v1/dosier/{dossier.pk}/iku/konsep/"


def walked(caller, url) -> tuple[list, list]:
    rows, pages = [], []
    while url:
        page = caller.get(url)
        assert page.status_code == 200, page.content
        pages.append(page.json())
        rows += page.json()["baris"]
        url = page.json()["next"]
    return rows, pages


def test_the_table_comes_a_hundred_rows_at_a_time_and_next_walks_it_whole(people, table):
    caller = as_token(people, "kasubag")
    rows, pages = walked(caller, table)
    assert [len(p["baris"]) for p in pages] == [100, 30]
    assert [row["nomor"] for row in rows] == list(range(1, 131))
    assert {p["jumlah_baris"] for p in pages} == {130} and pages[0]["previous"] is None
    # Asked smaller, and walked back from the last page to the first.
    small, pages = walked(caller, table + "?ukuran=50")
    assert [len(p["baris"]) for p in pages] == [50, 50, 30] and small == rows
    back = caller.get(pages[2]["previous"]).json()
    assert back["baris"] == rows[50:100] and caller.get(back["previous"]).json()["baris"] == rows[:50]


def test_an_agency_pages_through_its_own_rows_only(people, table):
    rows, pages = walked(as_token(people, "dinkes"), table + "?ukuran=40")
    assert len(rows) == 70 and {row["skpd"] for row in rows} == {"Dinas Kesehatan"}
    assert {p["jumlah_baris"] for p in pages} == {70}


@pytest.mark.parametrize("query", [{"ukuran": "101"}, {"ukuran": "0"}, {"kursor": "bukan"}, {"kursor": "bz0tMQ=="}])
def test_a_page_it_cannot_give_is_refused(people, table, query):
    response = as_token(people, "kasubag").get(table, query)
    assert response.status_code == 400, response.content
    assert response.json()["detail"] in ("Periksa parameter: ukuran: ukuran harus bilangan bulat 1 sampai 100.",
                                         "Kursor tidak sah: pakai alamat “next” atau “previous” dari jawaban "
                                         "sebelumnya apa adanya.")
