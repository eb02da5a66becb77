"""A round's title and year (issue 26): the prefilled title follows the year, a title naming another
year is refused at the title, and a mistyped title or year can be corrected, by the Kasubag while
nothing has gone out and by the admin at any time, each correction in the history."""

from django.test import Client

from tests.factories import client_for
from workflow.actions import Action
from workflow.models import AuditEvent, Dossier, Skpd
from workflow.steps import STEP_BY_NUMBER


def new_dossier(people, **posted):
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    return client_for(people, "kasubag").post("/dosier/baru/", {"invited": [dinkes.pk]} | posted)


def test_the_prefilled_title_follows_the_year_when_the_form_is_sent(people):
    # A browser without the page's script sent the title prefilled for 2027 with the year 2028.
    sent = new_dossier(people, tahun="2028", judul="Penetapan Indikator Kinerja Utama Tahun 2027")
    assert sent.status_code == 302
    assert Dossier.objects.get().judul == "Penetapan Indikator Kinerja Utama Tahun 2028"


def test_a_title_typed_by_hand_for_another_year_is_refused_at_the_title_with_both_kept(people):
    refused = new_dossier(people, tahun="2028", judul="IKU Perangkat Daerah Tahun 2027 (perubahan)")
    page = refused.content.decode()
    assert refused.status_code == 200 and not Dossier.objects.exists()
    assert "Judul menyebut Tahun 2027, tetapi Tahun IKU 2028. Samakan keduanya" in page
    assert 'value="IKU Perangkat Daerah Tahun 2027 (perubahan)"' in page and 'value="2028"' in page
    assert new_dossier(people, tahun="2028", judul="IKU Perangkat Daerah Tahun 2028").status_code == 302


def test_a_year_named_without_the_word_tahun_counts_and_a_period_names_each_of_its_years(people):
    """The demo's own titles are "Penetapan IKU 2027": a year is a year without "Tahun" before it."""
    page = new_dossier(people, tahun="2100", judul="Penetapan IKU 2099").content.decode()
    assert "Judul menyebut Tahun 2099, tetapi Tahun IKU 2100." in page and not Dossier.objects.exists()
    page = new_dossier(people, tahun="2028", judul="IKU RPJMD 2023–2026").content.decode()
    assert "Judul menyebut Tahun 2023-2026, tetapi Tahun IKU 2028." in page and not Dossier.objects.exists()
    # A period holding the year, or a number that only holds four digits, is no other year.
    for judul in ("IKU RPJMD 2025-2029", "IKU menurut Perda 12/2019 dan Nomor 400.14/2020-Kesra"):
        assert new_dossier(people, tahun="2027", judul=judul, tetap_buat="on").status_code == 302, judul


def test_the_same_year_warning_is_the_years_the_page_is_asked_for(people, dossier):
    # The page's script asks for ?tahun= as the year changes and shows that page's warning.
    kasubag = client_for(people, "kasubag")
    warned = kasubag.get(f"/dosier/baru/?tahun={dossier.tahun}").content.decode()
    block = warned.split("data-same-year", 1)[1].split("</div>\n", 2)
    assert f"Sudah ada dosier untuk tahun {dossier.tahun}" in "".join(block) and dossier.judul in "".join(block)
    assert f'value="Penetapan Indikator Kinerja Utama Tahun {dossier.tahun}"' in warned
    quiet = kasubag.get(f"/dosier/baru/?tahun={dossier.tahun + 4}").content.decode()
    assert "Sudah ada dosier" not in quiet and "data-same-year" in quiet
    assert 'data-title-pattern="Penetapan Indikator Kinerja Utama Tahun {tahun}"' in quiet
    # A year out of range is not asked about: the usual next year is offered.
    assert kasubag.get("/dosier/baru/?tahun=abc").status_code == 200


def correct(client, dossier, url=None, **posted):
    dossier.refresh_from_db()
    return client.post(url or f"/dosier/{dossier.pk}/aksi/koreksi_dosier/",
                       {"revision": dossier.revision, "state": dossier.state} | posted)


def test_a_year_out_of_bounds_is_told_as_the_years_allowed_opening_and_correcting(people, dossier):
    """1999 said Django's "Pastikan nilai ini lebih besar dari atau sama dengan 2000.", naming no year."""
    kasubag = client_for(people, "kasubag")
    for tahun, told in [("1999", "Tahun IKU paling awal 2000."), ("2101", "Tahun IKU paling akhir 2100.")]:
        for refused in (new_dossier(people, tahun=tahun, judul="Penetapan IKU"),
                        correct(kasubag, dossier, tahun=tahun, judul="Penetapan IKU", alasan="Salah tahun")):
            assert refused.status_code == 200, tahun
            assert refused.context["form"].errors["tahun"] == [told], tahun
            page = refused.content.decode()
            assert told in page and "Pastikan nilai" not in page
    assert Dossier.objects.get() == dossier and dossier.tahun == 2027


def test_the_kasubag_corrects_title_and_year_at_step_1_and_the_history_keeps_old_and_new(people, dossier):
    before = dossier.judul
    kasubag = client_for(people, "kasubag")
    page = kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert f'href="/dosier/{dossier.pk}/aksi/koreksi_dosier/">Koreksi judul dan tahun</a>' in page
    refused = correct(kasubag, dossier, tahun="2028", judul="Penetapan IKU Tahun 2027", alasan="Salah tahun")
    assert "Judul menyebut Tahun 2027, tetapi Tahun IKU 2028" in refused.content.decode()
    assert "Alasan koreksi wajib diisi" in correct(kasubag, dossier, tahun="2028", judul="Penetapan IKU Tahun 2028",
                                                   alasan="").content.decode()
    done = correct(kasubag, dossier, tahun="2028", judul="Penetapan IKU Tahun 2028", alasan="Salah tahun")
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.judul, dossier.tahun) == ("Penetapan IKU Tahun 2028", 2028)
    event = AuditEvent.objects.get(dossier=dossier, action=Action.KOREKSI_DOSIER)
    assert event.data["lama"] == {"judul": before, "tahun": 2027}
    assert event.data["baru"] == {"judul": "Penetapan IKU Tahun 2028", "tahun": 2028}
    assert event.note == f"judul “{before}” menjadi “Penetapan IKU Tahun 2028”; tahun “2027” menjadi “2028”. Alasan: Salah tahun"
    history = kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert "Mengoreksi judul dan tahun dosier" in history and "Penetapan IKU Tahun 2028" in history


def test_once_the_undangan_went_out_only_the_admin_corrects_and_is_named_in_the_history(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    kasubag = client_for(people, "kasubag")
    assert "koreksi_dosier" not in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert correct(kasubag, dossier, tahun="2027", judul="Judul baru", alasan="x").status_code == 403
    admin = Client()
    admin.force_login(people["admin"])
    page = admin.get(f"/admin/workflow/dossier/{dossier.pk}/change/").content.decode()
    url = f"/admin/workflow/dossier/{dossier.pk}/tindakan/koreksi_dosier/"
    assert url in page
    form = admin.get(url).content.decode()
    assert 'value="Dosier uji"' in form and "Alasan koreksi" in form
    done = correct(admin, dossier, url, tahun="2027", judul="Penetapan IKU Provinsi Tahun 2027",
                   alasan="Judul salah ketik, diminta Kasubag")
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.judul == "Penetapan IKU Provinsi Tahun 2027" and dossier.state == STEP_BY_NUMBER[2].state
    event = AuditEvent.objects.get(dossier=dossier, action=Action.KOREKSI_DOSIER)
    assert event.actor_label == f"{people['admin'].display_name} (Admin)"
    assert event.note.startswith("judul “Dosier uji” menjadi “Penetapan IKU Provinsi Tahun 2027”. Alasan:")


def test_a_correction_into_a_year_that_has_a_round_warns_and_asks_the_tick(people, dossier):
    from tests.factories import open_dossier

    other = open_dossier(people, "Penetapan IKU Tahun 2029", tahun=2029)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/aksi/koreksi_dosier/"
    # The page's script asks for ?tahun= as the year is typed: the year's rounds but this one.
    warned = kasubag.get(f"{url}?tahun=2029").content.decode()
    assert "Sudah ada dosier untuk tahun 2029" in warned and other.judul in warned
    assert 'data-title-pattern="Penetapan Indikator Kinerja Utama Tahun {tahun}"' in warned
    assert "Sudah ada dosier" not in kasubag.get(f"{url}?tahun={dossier.tahun}").content.decode()
    refused = correct(kasubag, dossier, tahun="2029", judul="Penetapan IKU Tahun 2029", alasan="Salah tahun")
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Sudah ada dosier untuk tahun 2029. Centang kotak ini bila memang perlu dosier kedua." in page
    assert 'value="Penetapan IKU Tahun 2029"' in page and "Salah tahun</textarea>" in page
    dossier.refresh_from_db()
    assert dossier.tahun == 2027
    done = correct(kasubag, dossier, tahun="2029", judul="Penetapan IKU Tahun 2029", alasan="Salah tahun",
                   tetap_buat="on")
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.tahun, dossier.judul) == (2029, "Penetapan IKU Tahun 2029")
    # Only the title corrected within its own year: no warning about itself, no tick asked.
    assert correct(kasubag, dossier, tahun="2029", judul="IKU Biro Tahun 2029", alasan="Judul").status_code == 302


def test_a_new_round_is_offered_for_this_year_in_january_when_it_has_none_else_for_next_year(people, dossier):
    """In December the bureau sets next year's IKU; on 4 January without a round for the new year, the
    form offered the year after (2028), and a round opened so had to be corrected."""
    import datetime as dt
    from unittest import mock

    kasubag = client_for(people, "kasubag")

    def offered(today):
        with mock.patch("django.utils.timezone.localdate", return_value=today):
            page = kasubag.get("/dosier/baru/").content.decode()
        return page.split('name="tahun"', 1)[1].split('value="', 1)[1].split('"', 1)[0]

    year = dossier.tahun
    assert offered(dt.date(year - 1, 12, 6)) == str(year)  # December: next year's, as always
    assert offered(dt.date(year + 1, 1, 4)) == str(year + 1)  # no round for the new year yet: this one
    assert offered(dt.date(year, 1, 4)) == str(year + 1)  # this year's round is open: the next
    assert offered(dt.date(year + 1, 8, 1)) == str(year + 2)  # second half: next year's
