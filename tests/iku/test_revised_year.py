"""A year's IKU set again (the Governor asks for a revision after the year's decree): the agencies
start from, and explain their changes against, the decree in force, not last year's."""

from iku.models import IkuRow
from tests.factories import client_for
from tests.iku.test_round import send
from workflow.models import Dossier
from workflow.steps import STEP_BY_NUMBER


def test_a_revision_starts_from_and_is_compared_with_the_years_decree_in_force(people, walk):
    last_year = walk("selesai", judul="IKU 2026")
    Dossier.objects.filter(pk=last_year.pk).update(tahun=2026)
    first = walk("selesai", judul="IKU 2027")
    # What the year's decree set for Dinas Kesehatan, unlike last year's row.
    IkuRow.objects.filter(submission__dossier=first, submission__stage="bahan",
                          submission__skpd=people["dinkes"].skpd).update(indikator="Angka kematian ibu", target="150")
    revision = walk(STEP_BY_NUMBER[3].state, judul="IKU 2027 (perubahan)")
    client = client_for(people, "dinkes")
    grid = client.get(f"/dosier/{revision.pk}/aksi/ajukan_iku/").content.decode()
    assert "Salin dari IKU 2027 yang berlaku</button>" in grid
    typed = {"state": revision.state, "revision": revision.revision, "catatan": ""}
    page = client.post(f"/dosier/{revision.pk}/iku/salin-tahun-lalu/", typed).content.decode()
    assert (f"1 baris IKU tahun 2027 yang berlaku (Keputusan Gubernur Nomor {first.nomor_kepgub}) disalin ke tabel "
            "di bawah.") in page
    assert ">Angka kematian ibu</textarea>" in page
    assert "Indeks kepuasan masyarakat terhadap layanan Dinas Kesehatan</textarea>" not in page

    send(people, revision, "dinkes", [{"indikator": "Angka kematian ibu", "target": "140"}])
    url = f"/dosier/{revision.pk}/iku/konsep/versi/{people['dinkes'].skpd_id}/?a=lalu&b=1"
    compared = client.get(url).content.decode()
    assert f"Keputusan tahun 2027 yang berlaku (Keputusan Gubernur Nomor {first.nomor_kepgub})" in compared
    assert "Ditambah 0 · Dihapus 0 · Diubah 1" in compared and "<del>150</del> <ins>140</ins>" in compared

    # The first round, read again after the revision was opened, still compares with last year's.
    first_konsep = f"/dosier/{first.pk}/iku/konsep/versi/{people['dinkes'].skpd_id}/?a=lalu&b=1"
    assert "Keputusan tahun 2026</option>" in client_for(people, "kasubag").get(first_konsep).content.decode()
