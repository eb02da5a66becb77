"""A Governor's decree number names one decree: the revision of a year's decree prints the number of
the decree it amends in its own title ("Perubahan atas Keputusan Gubernur Nomor …"), and that number
typed as the revision's own was kept, so the year's first decree read as amended by itself (the
verification page, the revision's draft) and the archive found two decrees under one number."""

import datetime

from django.utils import timezone

from tests.factories import client_for
from workflow.models import Dossier
from workflow.steps import SELESAI

FIRST = "188.44/123/Kesra-2027"


def _first_decree(walk, day=None):
    first = walk(SELESAI, judul="Penetapan IKU 2027")
    Dossier.objects.filter(pk=first.pk).update(nomor_kepgub=FIRST, tanggal_kepgub=day or timezone.localdate())
    first.refresh_from_db()
    return first


def test_the_number_of_the_decree_a_revision_amends_is_refused_as_its_own_with_what_was_typed_kept(people, walk):
    first = _first_decree(walk)
    revision = walk("di_gubernur", judul="Perubahan IKU 2027")
    client = client_for(people, "staf")
    url = f"/dosier/{revision.pk}/aksi/catat_penetapan/"
    today = timezone.localdate()
    page = client.post(url, {"revision": revision.revision, "nomor_kepgub": "188.44/123/kesra-2027",
                             "tanggal_kepgub": today})
    html = page.content.decode()
    assert page.status_code == 200
    said = (f"Nomor 188.44/123/kesra-2027 sudah tercatat sebagai Keputusan Gubernur Nomor {FIRST} tanggal "
            f"{today.day}")
    assert said in html and f"pada dosier “{first.judul}”" in html
    # Beside the number (besides the form's summary of what to correct).
    beside = html[html.index('<ul class="errorlist" id="id_nomor_kepgub_error"'):html.index('id="id_tanggal_kepgub"')]
    assert said in beside
    assert 'value="188.44/123/kesra-2027"' in html
    revision.refresh_from_db()
    assert (revision.state, revision.nomor_kepgub) == ("di_gubernur", "")

    assert client.post(url, {"revision": revision.revision, "nomor_kepgub": "188.44/200/Kesra-2027",
                             "tanggal_kepgub": today}).status_code == 302
    revision.refresh_from_db()
    assert (revision.state, revision.nomor_kepgub) == (SELESAI, "188.44/200/Kesra-2027")

    # Nor is the record corrected afterwards to the number of the decree it amends.
    corrected = client.post(f"/dosier/{revision.pk}/aksi/koreksi_penetapan/", {
        "revision": revision.revision, "nomor_kepgub": FIRST, "tanggal_kepgub": today, "alasan": "Salah ketik"})
    assert "sudah tercatat sebagai Keputusan Gubernur" in corrected.content.decode()
    revision.refresh_from_db()
    assert revision.nomor_kepgub == "188.44/200/Kesra-2027"


def test_a_number_without_its_year_may_come_again_in_another_year(people, walk):
    # Without the year in it ("188.44/123/Kesra"), a serial that starts again each January gives
    # another year's decree the same number: only the same year's is refused.
    _first_decree(walk, day=timezone.localdate() - datetime.timedelta(days=400))
    later = walk("di_gubernur", judul="Perubahan IKU 2027")
    assert client_for(people, "staf").post(f"/dosier/{later.pk}/aksi/catat_penetapan/", {
        "revision": later.revision, "nomor_kepgub": FIRST, "tanggal_kepgub": timezone.localdate()}).status_code == 302
    later.refresh_from_db()
    assert (later.state, later.nomor_kepgub) == (SELESAI, FIRST)
