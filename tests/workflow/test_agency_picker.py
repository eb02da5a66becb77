"""Choosing the agencies of a new round: grouped by kind, sorted by the name shown, last year's
invitees ticked, and a warning before a second dossier for the same year."""

import re

from django.utils import timezone

from tests.factories import client_for
from workflow import demo
from workflow.models import Dossier, Skpd


def ticked(page: str) -> set[int]:
    return {int(v) for v in re.findall(r'<input type="checkbox" name="invited" value="(\d+)"[^>]*checked', page)}


def test_agencies_are_grouped_by_kind_and_sorted_by_the_name_shown(people):
    Skpd.objects.create(nama="Badan Pendapatan Daerah", nama_pendek="Bapenda", singkatan="ZZZ", kind="Badan")
    Skpd.objects.create(nama="Badan Kepegawaian Daerah", nama_pendek="BKD", singkatan="AAA", kind="Badan")
    page = client_for(people, "kasubag").get("/dosier/baru/").content.decode()
    groups = re.findall(r'<fieldset class="agency-group" data-skpd-group>\s*<legend>([^<]+?) <', page)
    assert groups.index("Dinas") < groups.index("Badan")
    badan = page[page.index("<legend>Badan"):]
    badan = badan[:badan.index("</fieldset>")]
    # A name, and the badge of an agency nobody acts for yet.
    shown = re.findall(r'<label for="id_invited_\d+">([^<]+?)(?: <span class="badge">[^<]*</span>)?</label>', badan)
    # Shown by the short name and in its order, never by the abbreviation (which only the search box reads).
    labels = re.sub(r' data-skpd-names="[^"]*"', "", badan)
    assert shown == sorted(shown) and {"Bapenda", "BKD"} <= set(shown) and "ZZZ" not in labels
    assert "Pilih semua" in page and "Kosongkan" in page and "data-skpd-search" in page


def test_last_years_invitees_are_ticked_by_default(people):
    year = timezone.localdate().year + 1
    last = demo.open_dossier(people, year - 1, "Putaran lalu")
    dropped = last.invited.order_by("pk").first()
    last.invited.remove(dropped)
    page = client_for(people, "kasubag").get("/dosier/baru/").content.decode()
    assert ticked(page) == set(last.invited.values_list("pk", flat=True))
    assert "Putaran lalu" in page


def test_with_no_round_last_year_every_active_agency_is_ticked(people):
    Skpd.objects.filter(pk=people["dinsos"].skpd_id).update(aktif=False)
    page = client_for(people, "kasubag").get("/dosier/baru/").content.decode()
    assert ticked(page) == set(Skpd.objects.active().values_list("pk", flat=True))


def test_a_second_dossier_for_a_year_needs_a_tick_and_keeps_what_was_typed(people):
    demo.open_dossier(people, 2031, "IKU 2031 pertama")
    client = client_for(people, "kasubag")
    dinkes = people["dinkes"].skpd_id
    form = {"tahun": "2031", "judul": "IKU 2031 susulan", "invited": [dinkes]}
    refused = client.post("/dosier/baru/", form).content.decode()
    assert "Sudah ada dosier untuk tahun 2031" in refused and "IKU 2031 pertama" in refused
    assert 'value="IKU 2031 susulan"' in refused and ticked(refused) == {dinkes}
    assert Dossier.objects.filter(tahun=2031).count() == 1
    client.post("/dosier/baru/", form | {"tetap_buat": "on"})
    assert Dossier.objects.filter(tahun=2031).count() == 2


def test_the_new_dossier_page_costs_the_same_queries_for_few_or_many_agencies(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    demo.open_dossier(people, timezone.localdate().year, "Putaran lalu")
    client = client_for(people, "kasubag")
    client.get("/dosier/baru/")  # the process reads its calendar once
    with CaptureQueriesContext(connection) as few:
        client.get("/dosier/baru/")
    for n in range(40):
        Skpd.objects.create(nama=f"Badan Uji {n}", nama_pendek=f"Badan Uji {n}", kind="Badan")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/dosier/baru/").content.decode()
    assert "Badan Uji 39" in page
    assert len(many) == len(few)


def test_a_superscript_year_is_refused_not_a_500(people):
    # "²" passes str.isdigit() but int() refuses it (found by the hostile-input walk).
    response = client_for(people, "kasubag").post("/dosier/baru/", {"tahun": "²", "judul": "Uji"})
    assert response.status_code == 200 and 'id="id_tahun"' in response.content.decode()
