"""The page of a round whose decree a later round of the same year amended (the Governor asked an
agency's IKU changed) said only the decree's number and date, so its IKU read as the ones in force;
the public verification page of its draft says the decree was amended, the dossier page did not."""

from django.utils import timezone

from tests.factories import client_for
from workflow.models import Dossier
from workflow.steps import SELESAI


def _decreed(walk, judul, number):
    dossier = walk(SELESAI, judul=judul)
    Dossier.objects.filter(pk=dossier.pk).update(nomor_kepgub=number, tanggal_kepgub=timezone.localdate())
    dossier.refresh_from_db()
    return dossier


def test_a_decree_amended_later_in_the_year_says_so_on_its_rounds_page(people, walk):
    first = _decreed(walk, "Penetapan IKU 2027", "188.44/123/Kesra-2027")
    page = client_for(people, "kasubag").get(f"/dosier/{first.pk}/").content.decode()
    assert "Keputusan Gubernur Nomor 188.44/123/Kesra-2027" in page and "Diubah dengan" not in page

    revision = _decreed(walk, "Perubahan IKU 2027", "188.44/200/Kesra-2027")
    day = timezone.localdate()
    said = (f"Diubah dengan <a href=\"/dosier/{revision.pk}/\">Keputusan Gubernur Nomor 188.44/200/Kesra-2027 tanggal "
            f"{day.day}")
    for username in ("kasubag", "tim", "dinkes"):
        page = client_for(people, username).get(f"/dosier/{first.pk}/").content.decode()
        assert said in page, username
        assert ("bagi Perangkat Daerah yang tercantum dalam lampiran perubahan itu, yang berlaku adalah perubahannya"
                in page), username
    # The revision's own page names no amendment of itself.
    assert "Diubah dengan" not in client_for(people, "kasubag").get(f"/dosier/{revision.pk}/").content.decode()


def test_an_agency_the_amendment_left_out_reads_its_decree_unchanged_and_not_the_other_round(people, walk):
    first = _decreed(walk, "Penetapan IKU 2027", "188.44/123/Kesra-2027")
    revision = _decreed(walk, "Perubahan IKU 2027", "188.44/200/Kesra-2027")
    revision.invited.remove(people["dinsos"].skpd)
    page = client_for(people, "dinsos").get(f"/dosier/{first.pk}/").content.decode()
    assert "Keputusan Gubernur Nomor 188.44/123/Kesra-2027" in page
    assert "Diubah dengan" not in page and "188.44/200" not in page and f"/dosier/{revision.pk}/" not in page


def test_the_archive_lists_the_years_first_decree_with_the_one_that_amended_it(people, walk):
    # Listed beside its revision, the year's first decree read as the one in force.
    first = _decreed(walk, "Penetapan IKU 2027", "188.44/123/Kesra-2027")
    revision = _decreed(walk, "Perubahan IKU 2027", "188.44/200/Kesra-2027")
    revision.invited.remove(people["dinsos"].skpd)
    page = client_for(people, "kasubag").get("/arsip/", {"tahun": first.tahun}).content.decode()
    first_row = page.split(f'href="/dosier/{first.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert "Nomor 188.44/123/Kesra-2027" in first_row and "diubah dengan Nomor 188.44/200/Kesra-2027" in first_row
    revision_row = page.split(f'href="/dosier/{revision.pk}/"', 1)[1].split("</tr>", 1)[0]
    assert "diubah dengan" not in revision_row
    # An agency the revision left out reads its decree as it stands, and nothing of the other round.
    dinsos = client_for(people, "dinsos").get("/arsip/", {"tahun": first.tahun}).content.decode()
    assert "Nomor 188.44/123/Kesra-2027" in dinsos and "188.44/200" not in dinsos


def test_the_archive_names_amending_decrees_in_one_query_for_one_decree_or_many(
        people, walk, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _decreed(walk, "Penetapan IKU 2027", "188.44/123/Kesra-2027")
    _decreed(walk, "Perubahan IKU 2027", "188.44/200/Kesra-2027")
    client = client_for(people, "kasubag")
    client.get("/arsip/")  # warm the session and the user's roles
    with CaptureQueriesContext(connection) as few:
        assert "diubah dengan Nomor 188.44/200/Kesra-2027" in client.get("/arsip/").content.decode()
    for n in range(6):
        _decreed(walk, f"Perubahan ke-{n + 2} IKU 2027", f"188.44/{300 + n}/Kesra-2027")
    with django_assert_num_queries(len(few.captured_queries)):
        assert "188.44/305/Kesra-2027" in client.get("/arsip/").content.decode()
