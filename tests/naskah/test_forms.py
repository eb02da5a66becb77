"""Bad input on the document pages: Indonesian messages beside the fields, nothing stored, no 500."""

import datetime as dt

from django.utils import timezone

from lib.dates import moment_text, weekday_date
from naskah.forms import first_working_day
from naskah.generators import GENERATORS
from naskah.models import SerialCounter
from tests.factories import client_for
from tests.naskah.helpers import form_data
from workflow import services
from workflow.models import Document
from workflow.steps import STEP_BY_NUMBER, DocKind
from worktime.models import load_calendar


def test_bad_input_is_answered_beside_each_field(people, dossier):
    client = client_for(people, "staf")
    data = form_data(dossier, DocKind.UNDANGAN, tanggal_acara="bukan tanggal", waktu_mulai="25.99",
                     waktu_selesai="", tempat="", sifat="Rahasia sekali", hal="x" * 500)
    response = client.post(f"/dosier/{dossier.pk}/buat/undangan/", data)
    html = response.content.decode()
    assert response.status_code == 200
    for field, message in [("tanggal_acara", "Tanggal tidak valid, contoh 2027-01-05 atau 05/01/2027."),
                           ("waktu_mulai", "Jam tidak valid, contoh 09.00."), ("tempat", "Tempat wajib diisi."),
                           ("sifat", "Sifat surat tidak dikenal."), ("hal", "Hal paling panjang 200 karakter (sekarang 500).")]:
        errors = html.split(f'id="id_{field}_error"', 1)
        assert len(errors) == 2 and message in errors[1].split("</ul>", 1)[0], field
    assert not Document.objects.filter(dossier=dossier).exists()
    assert not SerialCounter.objects.exists()


def test_a_meeting_that_ends_before_it_starts_is_refused(people, dossier):
    data = form_data(dossier, DocKind.UNDANGAN, waktu_mulai="10:00", waktu_selesai="09.30",
                     tanggal_surat="1999-01-01")
    html = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/buat/undangan/", data).content.decode()
    assert "Waktu selesai harus sesudah waktu mulai." in html
    assert "Tanggal surat harus dalam satu tahun dari hari ini." in html


def test_the_letters_deadline_is_a_working_day_by_default_and_a_day_off_is_refused_naming_the_next(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    calendar = load_calendar()
    assert not calendar.day(GENERATORS[DocKind.SURAT_SKPD].form.defaults(dossier)["batas_waktu"]).off
    today = timezone.localdate()
    sunday = today + dt.timedelta(days=14 + (6 - today.weekday()) % 7)
    data = form_data(dossier, DocKind.SURAT_SKPD, tanggal_surat=today.isoformat(), batas_waktu=sunday.isoformat())
    html = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/buat/surat_skpd/", data).content.decode()
    assert (f"Batas waktu jatuh pada hari libur ({weekday_date(sunday)}: {calendar.day(sunday).off}); pilih hari kerja, "
            f"mis. {weekday_date(first_working_day(sunday))}.") in html
    far = form_data(dossier, DocKind.SURAT_SKPD, tanggal_surat=today.isoformat(), batas_waktu="9999-12-31")
    page = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/buat/surat_skpd/", far).content.decode()
    assert "Batas waktu paling lambat satu tahun sesudah tanggal surat." in page and 'value="9999-12-31"' in page
    assert not Document.objects.filter(dossier=dossier, kind=DocKind.SURAT_SKPD).exists()


def test_a_stale_or_garbled_form_is_refused_with_the_news(people, dossier):
    client = client_for(people, "staf")
    data = form_data(dossier, DocKind.UNDANGAN, revision="x", state="langkah_9")
    html = client.post(f"/dosier/{dossier.pk}/buat/undangan/", data).content.decode()
    assert "sudah berubah" in html
    assert not Document.objects.filter(dossier=dossier).exists()
    # The number taken inside the refused transaction is given back.
    assert not SerialCounter.objects.exists()


def test_unknown_kinds_are_not_found(people, dossier):
    client = client_for(people, "kasubag")
    assert client.get(f"/dosier/{dossier.pk}/buat/dpa/").status_code == 404
    assert client.get(f"/dosier/{dossier.pk}/cetak/undangan/").status_code == 404
    assert client.get(f"/dosier/{dossier.pk}/buat/notulen_persiapan/").status_code == 403


def test_a_character_the_print_fonts_lack_is_refused_beside_its_field_and_kept(people, dossier):
    client = client_for(people, "staf")
    data = form_data(dossier, DocKind.UNDANGAN, tempat="Aula Bappeda ≥ lantai 2", hal="Undangan lokakarya 中")
    html = client.post(f"/dosier/{dossier.pk}/buat/undangan/", data).content.decode()
    errors = html.split('id="id_hal_error"', 1)
    assert len(errors) == 2 and "“中” (U+4E2D) tidak ada pada huruf cetak naskah" in errors[1].split("</ul>", 1)[0]
    assert 'id="id_tempat_error"' not in html  # ≥ prints
    assert 'value="Undangan lokakarya 中"' in html
    assert not Document.objects.filter(dossier=dossier).exists()


def test_minutes_of_a_meeting_dated_a_typo_year_away_are_refused_and_take_no_number(people, walk):
    # Numbered in the year of their date: 2207 for 2027 gave 000.1.5/1/Kesra-TU/2207.
    dossier = walk(STEP_BY_NUMBER[2].state)
    data = form_data(dossier, DocKind.NOTULEN_PERSIAPAN, tanggal_rapat="2207-01-05")
    response = client_for(people, "staf").post(f"/dosier/{dossier.pk}/buat/{DocKind.NOTULEN_PERSIAPAN}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["tanggal_rapat"] == ["Hari/tanggal rapat harus dalam satu tahun dari hari ini."]
    assert not dossier.documents.filter(kind=DocKind.NOTULEN_PERSIAPAN).exists()
    assert not SerialCounter.objects.exists()


def test_minutes_of_a_meeting_still_to_come_are_refused_beside_the_date_keeping_what_was_typed(people, walk):
    # Dated next month, the minutes were made and the chair signed a meeting not yet held.
    dossier = walk(STEP_BY_NUMBER[2].state)
    ahead = timezone.localdate() + dt.timedelta(days=30)
    data = form_data(dossier, DocKind.NOTULEN_PERSIAPAN, tanggal_rapat=ahead.isoformat(),
                     peserta="Dr. H. Muhammad Rizal, S.K.M., M.Kes.")
    response = client_for(people, "staf").post(f"/dosier/{dossier.pk}/buat/{DocKind.NOTULEN_PERSIAPAN}/", data)
    html = response.content.decode()
    errors = html.split('id="id_tanggal_rapat_error"', 1)
    assert len(errors) == 2 and ("Hari/tanggal rapat tidak boleh sesudah hari ini: notulen mencatat rapat yang sudah "
                                 "berlangsung.") in errors[1].split("</ul>", 1)[0]
    assert f'value="{ahead.isoformat()}"' in html and "Dr. H. Muhammad Rizal, S.K.M., M.Kes." in html
    assert not dossier.documents.filter(kind=DocKind.NOTULEN_PERSIAPAN).exists()
    today = form_data(dossier, DocKind.NOTULEN_PERSIAPAN, tanggal_rapat=timezone.localdate().isoformat())
    assert client_for(people, "staf").post(f"/dosier/{dossier.pk}/buat/{DocKind.NOTULEN_PERSIAPAN}/",
                                           today).status_code == 302


def test_a_letter_dated_last_year_out_of_habit_is_refused_as_before_its_round(people):
    # In January, a round opened in December: "5 Januari 2026" typed for 2027 took 2026's next number.
    opened = timezone.now() - dt.timedelta(days=10)
    dossier = services.create_dossier(people["kasubag"], tahun=2027, judul="Penetapan IKU 2027",
                                      invited=[people["dinkes"].skpd], at=opened)
    habit = timezone.localdate() - dt.timedelta(days=365)
    data = form_data(dossier, DocKind.UNDANGAN, tanggal_surat=habit.isoformat(), tanggal_acara=habit.isoformat())
    response = client_for(people, "staf").post(f"/dosier/{dossier.pk}/buat/{DocKind.UNDANGAN}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["tanggal_surat"] == [
        f"Tanggal surat tidak boleh sebelum dosier dibuka ({moment_text(opened)}); periksa tahunnya."]
    assert not dossier.documents.exists()
    assert not SerialCounter.objects.exists()
