"""Agencies found by the abbreviations clerks call them by ("Dinkes", "Dinsos", "Bappeda") in the
archive's search, the admin's agency search and the new round's agency picker, while every page
names them exactly as before: an abbreviation is printed only where the admin asks for it."""

import importlib
import re

from django.apps import apps

from tests.factories import client_for, loaded_version
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER

SEEDING = importlib.import_module("workflow.migrations.0042_agency_abbreviations")


def dinas(short: str) -> Skpd:
    return Skpd.objects.get(nama_pendek=short)


def option_label(page: str, skpd: Skpd) -> str:
    return re.search(rf'<option value="{skpd.pk}"[^>]*>([^<]*)</option>', page).group(1)


def test_a_round_is_found_by_the_abbreviations_of_the_agencies_it_invited(people, walk):
    invited = walk(STEP_BY_NUMBER[3].state, judul="Ronde workshop")
    kasubag = client_for(people, "kasubag")
    for q in ("Dinkes", "dinsos", "DISDIKBUD"):
        page = kasubag.get("/arsip/", {"q": q}).content.decode()
        assert invited.judul in page and "1 dosier." in page, q
    # Bappeda is not invited: its abbreviation finds nothing.
    assert "0 dosier." in kasubag.get("/arsip/", {"q": "Bappeda"}).content.decode()


def test_filling_the_abbreviations_leaves_every_agency_named_as_before(people):
    dinkes, bappeda = dinas("Dinas Kesehatan"), Skpd.objects.get(singkatan="Bappeda")
    assert dinkes.singkatan == "Dinkes"
    # Printed as before: Dinas Kesehatan by its short name, Bappeda (seeded with it) by its abbreviation.
    assert (str(dinkes), str(bappeda)) == ("Dinas Kesehatan", "Bappeda")
    page = client_for(people, "kasubag").get("/arsip/").content.decode()
    assert option_label(page, dinkes) == "Dinas Kesehatan" and option_label(page, bappeda) == "Bappeda"


def test_the_seeding_fills_only_empty_abbreviations(people):
    dinkes, dinsos = dinas("Dinas Kesehatan"), dinas("Dinas Sosial")
    Skpd.objects.filter(pk=dinkes.pk).update(singkatan="Dinkes Prov", shown_by_abbreviation=False)
    Skpd.objects.filter(pk=dinsos.pk).update(singkatan="", shown_by_abbreviation=False)
    SEEDING.fill(apps, None)
    dinkes.refresh_from_db()
    dinsos.refresh_from_db()
    # The admin's own value stays, and is printed as it was; the empty one is filled, not printed.
    assert (dinkes.singkatan, str(dinkes)) == ("Dinkes Prov", "Dinkes Prov")
    assert (dinsos.singkatan, str(dinsos)) == ("Dinsos", "Dinas Sosial")


def test_the_admin_finds_an_agency_by_its_abbreviation_and_may_print_it(people):
    admin = client_for(people, "admin")
    listed = admin.get("/admin/workflow/skpd/", {"q": "dinsos"}).content.decode()
    assert "Dinas Sosial" in listed and "Dinas Kesehatan" not in listed
    dinsos = dinas("Dinas Sosial")
    form = admin.get(f"/admin/workflow/skpd/{dinsos.pk}/change/").content.decode()
    assert 'name="singkatan"' in form and 'maxlength="40"' in form
    assert "pencarian arsip" in form and "Tampil dengan singkatan" in form
    posted = {"nama": dinsos.nama, "nama_pendek": dinsos.nama_pendek, "singkatan": "Dinsos", "kind": dinsos.kind,
              "aktif": "on", "order": dinsos.order, "head_title": "", **loaded_version(dinsos)}
    too_long = admin.post(f"/admin/workflow/skpd/{dinsos.pk}/change/", posted | {"singkatan": "D" * 41})
    assert too_long.status_code == 200 and 'value="' + "D" * 41 + '"' in too_long.content.decode()
    assert admin.post(f"/admin/workflow/skpd/{dinsos.pk}/change/",
                      posted | {"shown_by_abbreviation": "on"}).status_code == 302
    assert str(Skpd.objects.get(pk=dinsos.pk)) == "Dinsos"


def test_the_new_rounds_picker_finds_an_agency_by_its_abbreviation(people):
    page = client_for(people, "kasubag").get("/dosier/baru/").content.decode()
    dinkes = dinas("Dinas Kesehatan")
    item = re.search(rf'<li data-skpd-item data-skpd-names="([^"]*)"><input[^>]*value="{dinkes.pk}"[^>]*>'
                     r' <label[^>]*>([^<]*)', page)
    # The search box reads the abbreviation and the official name; the box still says the short name.
    assert "Dinkes" in item.group(1) and dinkes.nama in item.group(1)
    assert item.group(2) == "Dinas Kesehatan"


def test_the_archives_agency_filter_is_searched_by_abbreviation_and_still_says_the_printed_name(people):
    page = client_for(people, "kasubag").get("/arsip/").content.decode()
    dinkes, bappeda = dinas("Dinas Kesehatan"), Skpd.objects.get(singkatan="Bappeda")
    # The box before the filter, not sent with it (no name), reads each option's abbreviation and
    # official name; the options say the agency as every page prints it.
    box = re.search(r'<input type="search" id="cari-skpd"[^>]*>', page).group(0)
    assert 'aria-controls="id_skpd"' in box and 'maxlength="100"' in box and "name=" not in box
    assert '<label for="cari-skpd">Cari SKPD</label>' in page and "js/arsip_skpd.js" in page
    names = re.search(rf'<option value="{dinkes.pk}" data-skpd-names="([^"]*)"', page).group(1)
    assert names == "Dinkes Dinas Kesehatan Provinsi Kalimantan Barat"
    assert option_label(page, dinkes) == str(dinkes) == "Dinas Kesehatan"
    assert option_label(page, bappeda) == str(bappeda) == "Bappeda"
    # An agency's officer has no agency filter (it would tell which rounds invite another), nor its box.
    assert "cari-skpd" not in client_for(people, "dinkes").get("/arsip/").content.decode()
