"""The archive's search as the bureau uses it: a round found by the agencies it invited (by their
names now or as the round kept them when it was forwarded) and by the people who acted on it as the
log wrote them, never by what the searcher may not see; odd input never a server error."""

import html
import re

import pytest

from tests.factories import client_for
from workflow.models import Dossier, Skpd
from workflow.steps import SELESAI, STEP_BY_NUMBER


def found(client, q) -> str:
    page = client.get("/arsip/", {"q": q})
    assert page.status_code == 200, q
    return page.content.decode()


def count(page: str) -> int:
    return int(re.search(r"(\d+) dosier\.", page).group(1))


def test_the_bureau_finds_a_round_by_an_agency_it_invited(people, walk):
    invited = walk(STEP_BY_NUMBER[3].state, judul="Ronde workshop")
    dishub = Skpd.objects.get(nama_pendek="Dinas Perhubungan")
    dishub.singkatan = "Dishub"
    dishub.save()
    kasubag = client_for(people, "kasubag")
    for q in ("Dinas Kesehatan", "dinas sosial", "Kesehatan Provinsi Kalimantan"):
        assert invited.judul in found(kasubag, q), q
    # Dishub was not invited: its name, short or abbreviated, finds nothing.
    for q in ("Dinas Perhubungan", "Dishub"):
        assert count(found(kasubag, q)) == 0, q
    dishub.dossiers.through.objects.create(dossier=invited, skpd=dishub)
    assert invited.judul in found(kasubag, "dishub")


def test_a_forwarded_round_is_found_by_the_name_it_invited_an_agency_under(people, walk):
    closed = walk(SELESAI, judul="Ronde lama")
    running = walk(STEP_BY_NUMBER[3].state, judul="Ronde berjalan")
    dinkes = people["dinkes"].skpd
    Skpd.objects.filter(pk=dinkes.pk).update(nama="Dinas Kesehatan dan Keluarga Berencana Provinsi Kalimantan Barat",
                                             nama_pendek="Dinkes KB")
    kasubag = client_for(people, "kasubag")
    # The name the closed round's decree was forwarded with finds it; the running round reads the new.
    old_name = found(kasubag, "Dinas Kesehatan Provinsi Kalimantan Barat")
    assert closed.judul in old_name and running.judul not in old_name
    # The agency's name now finds every round it was invited to.
    new_name = found(kasubag, "Dinkes KB")
    assert running.judul in new_name and closed.judul in new_name


def test_the_bureau_finds_a_round_by_who_acted_on_it_as_the_log_wrote_them(people, walk):
    initialled = walk(STEP_BY_NUMBER[8].state, judul="Sudah diparaf Kabag")
    waiting = walk(STEP_BY_NUMBER[6].state, judul="Belum sampai Kabag")
    kabag = people["kabag"]
    name = kabag.display_name.split(",")[0]
    kasubag = client_for(people, "kasubag")
    page = found(kasubag, name)
    assert initialled.judul in page and waiting.judul not in page
    # As recorded: a later change of the Kabag's name does not lose who initialled.
    kabag.nama = "Nama Baru Sekali"
    kabag.save()
    assert initialled.judul in found(kasubag, name)
    assert initialled.judul in found(client_for(people, "admin"), name)


def test_an_agency_finds_nothing_by_another_agency_or_the_bureaus_people(people, walk):
    # The round invites Dinas Kesehatan and Dinas Sosial, and the Kabag initialled it.
    shared = walk(STEP_BY_NUMBER[8].state, judul="Ronde bersama")
    dinkes = client_for(people, "dinkes")
    assert shared.judul in found(dinkes, "")
    # Which of its rounds invite another agency, and who in the bureau acted on them, are not its to
    # learn: the searches find nothing, as a search for a made-up word would.
    for q in ("Dinas Sosial", "dinsos", people["kabag"].display_name.split(",")[0],
              people["kasubag"].display_name.split(",")[0], "Kabag", people["dinsos"].display_name.split(",")[0]):
        page = found(dinkes, q)
        assert count(page) == 0 and shared.judul not in page, q
    # Its own name finds its own rounds.
    assert shared.judul in found(dinkes, "Dinas Kesehatan")
    # Another agency's officer, not invited, finds nothing by any name.
    for q in ("Dinas Kesehatan", "Dinas Perhubungan", people["kabag"].display_name.split(",")[0]):
        assert count(found(client_for(people, "dishub"), q)) == 0, q


@pytest.mark.parametrize("q", ["%", "_", "%%", "\\", "'", '"', "a%b_c", "\x01\x02", "\x1b[31m", "\t\n", "\u200b",
                               "x" * 200, "Ş" * 200, "🙂" * 50, "\x00", "a\x00b"])
def test_odd_search_text_is_never_a_server_error(people, walk, q):
    walk(STEP_BY_NUMBER[3].state, judul="Ronde biasa")
    for username in ("kasubag", "dinkes"):
        page = client_for(people, username).get("/arsip/", {"q": q})
        assert page.status_code == 200, (username, q)
        text = page.content.decode()
        # A % is looked for as itself, not as a wildcard matching everything (a _ is in file names).
        assert "Ronde biasa" not in text or q in ("\t\n", "_"), (username, q)


def test_the_page_says_where_the_search_looks(people):
    page = client_for(people, "kasubag").get("/arsip/").content.decode()
    assert "Judul, nomor keputusan, dokumen, SKPD yang diundang, atau nama yang bertindak" in page
    assert 'aria-describedby="id_q_helptext"' in page
    agency = client_for(people, "dinkes").get("/arsip/").content.decode()
    assert "Judul, nomor keputusan, atau dokumen." in agency and "nama yang bertindak" not in agency


def test_the_search_has_its_name_indexes_on_postgresql(db):
    # Without them a search read the whole log and every invitation (migration 0032 says the cost).
    from django.db import connection

    from tests.conftest import is_postgres

    if not is_postgres():
        pytest.skip("SQLite reads its few hundred dossiers whole")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"riwayat_pelaku_trgm", "undangan_nama_tercatat_trgm", "dokumen_keterangan_trgm", "dosier_pelaku_trgm"} <= names


def test_picking_a_year_keeps_the_search_typed(people, walk):
    wanted = walk(STEP_BY_NUMBER[3].state, judul="Ronde workshop kesehatan")
    other_year = walk(STEP_BY_NUMBER[3].state, judul="Ronde workshop kesehatan lama")
    walk(STEP_BY_NUMBER[3].state, judul="Ronde lain")
    Dossier.objects.exclude(pk=other_year.pk).update(tahun=2027)
    Dossier.objects.filter(pk=other_year.pk).update(tahun=2026)
    kasubag = client_for(people, "kasubag")
    page = kasubag.get("/arsip/", {"q": "workshop kesehatan", "state": "", "urut": "created_at"}).content.decode()
    # The year links above the form: the one a user picks lists that year of the same search.
    link = html.unescape(re.search(r'href="(\?[^"]*tahun=2027)"', page).group(1))
    picked = kasubag.get("/arsip/" + link).content.decode()
    assert 'value="workshop kesehatan"' in picked and 'value="2027"' in picked
    assert wanted.judul in picked and "Ronde lain" not in picked and count(picked) == 1


def test_a_round_is_found_by_the_words_people_remember(people, walk):
    decreed = walk(SELESAI, judul="Penetapan IKU Biro Kesra 2027")
    Dossier.objects.filter(pk=decreed.pk).update(nomor_kepgub="188.44/123/Kesra-2027")
    running = walk(STEP_BY_NUMBER[7].state, judul="Penetapan IKU 2027 (langkah 7, dikembalikan)")
    other = walk(STEP_BY_NUMBER[3].state, judul="Penyusunan Rencana Kerja 2027")
    for username in ("kasubag", "kabiro", "dinkes"):
        client = client_for(people, username)
        # The title's words, not in its order nor all of them; a decree number as a user types it
        # from paper, with spaces or in lower case.
        for q in ("penetapan 2027", "IKU kesra", "188.44 / 123 / Kesra-2027", "188.44/123/kesra-2027",
                  "biro  kesra", "Kesra 123"):
            page = found(client, q)
            assert decreed.judul in page and other.judul not in page, (username, q)
        # A quoted phrase, straight or as Word curls it, is looked for whole.
        for q in ('"langkah 7"', "“langkah 7, dikembalikan”"):
            page = found(client, q)
            assert running.judul in page and count(page) == 1, (username, q)
