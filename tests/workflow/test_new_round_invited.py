"""Whom a new round invites by default: the agencies of the decree it follows. A second round of a
year (the Governor's revision) revises that year's decree, not last year's; a year whose decree was
revised for some agencies still decreed the others'."""

import re

from django.utils import timezone

from tests.factories import client_for
from workflow import services
from workflow.models import Dossier, Skpd
from workflow.steps import SELESAI


def opened(people, tahun, judul, names, closed=True):
    dossier = services.create_dossier(people["kasubag"], tahun=tahun, judul=judul,
                                      invited=Skpd.objects.filter(nama_pendek__in=names))
    if closed:
        Dossier.objects.filter(pk=dossier.pk).update(state=SELESAI, closed_at=timezone.now(),
                                                     nomor_kepgub=f"100.3.3/{dossier.pk}/HK/{tahun}")
    return dossier


def ticked(people, tahun) -> tuple[set, str]:
    page = client_for(people, "kasubag").get(f"/dosier/baru/?tahun={tahun}").content.decode()
    ids = {int(pk) for pk in re.findall(r'<input type="checkbox" name="invited" value="(\d+)"[^>]* checked', page)}
    help_text = page.split('<p class="help">', 1)[1].split("<span data-skpd-count", 1)[0]
    return {s.nama_pendek for s in Skpd.objects.filter(pk__in=ids)}, help_text


def test_a_second_round_of_a_year_invites_that_years_agencies_and_next_year_all_it_decreed(people):
    opened(people, 2026, "Penetapan IKU 2026", ["Dinas Kesehatan", "Dinas Sosial", "Dinas Pendidikan dan Kebudayaan"])
    first = opened(people, 2027, "Penetapan IKU 2027", ["Dinas Kesehatan", "Dinas Perhubungan"])
    # A revision of 2027 asked by the Governor: what 2027's round invited, not 2026's.
    invited, said = ticked(people, 2027)
    assert invited == {"Dinas Kesehatan", "Dinas Perhubungan"}
    assert f'<a href="/dosier/{first.pk}/">Penetapan IKU 2027</a>' in said

    # The revision, of Dinas Kesehatan only, is decreed; 2028's round still invites every agency
    # 2027's decrees set the IKU of, not only the one revised.
    revision = opened(people, 2027, "Perubahan IKU 2027", ["Dinas Kesehatan"])
    invited, said = ticked(people, 2028)
    assert invited == {"Dinas Kesehatan", "Dinas Perhubungan"}
    assert f"/dosier/{first.pk}/" in said and f"/dosier/{revision.pk}/" in said


def test_the_form_reads_the_same_queries_whatever_the_number_of_rounds_it_follows(people, django_assert_max_num_queries):
    """Each round it names is read with the rest, not again for its title: a year of three closed
    rounds and one of twelve cost the form the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kasubag = client_for(people, "kasubag")
    for n in range(3):
        opened(people, 2030, f"Penetapan IKU 2030 ({n})", ["Dinas Kesehatan"])
    kasubag.get("/dosier/baru/?tahun=2031")
    with CaptureQueriesContext(connection) as few:
        kasubag.get("/dosier/baru/?tahun=2031")
    for n in range(9):
        opened(people, 2030, f"Perubahan IKU 2030 ({n})", ["Dinas Sosial"])
    with django_assert_max_num_queries(len(few)):
        assert kasubag.get("/dosier/baru/?tahun=2031").status_code == 200
