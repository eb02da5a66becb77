"""The admin cannot break numbering (issue 29, item 10): a serial only moves forward and within what
a number prints, and the next number is refused in words, never a 500, once the serial is spent."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from naskah.forms import numbering_years
from naskah.models import SERIAL_MAX, SerialCounter
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow.steps import STEP_BY_NUMBER, DocKind

LOWERED = "Nomor urut hanya dapat dinaikkan: nomor sampai 7 sudah diberikan atau dilewati dan tidak boleh dipakai lagi."
TOO_HIGH = "Nomor urut paling besar 999999."


@pytest.fixture
def counter(db):
    return SerialCounter.objects.create(kind=DocKind.UNDANGAN, tahun=2027, terakhir=7)


def change(admin_client, counter, terakhir):
    return admin_client.post(f"/admin/naskah/serialcounter/{counter.pk}/change/", {"terakhir": str(terakhir)})


def field_errors(response, name="terakhir"):
    return list(response.context["adminform"].form.errors.get(name, []))


def test_lowering_a_serial_is_refused_on_the_field_and_nothing_changes(admin_client, counter):
    response = change(admin_client, counter, 3)
    assert response.status_code == 200
    assert field_errors(response) == [LOWERED]
    assert LOWERED in response.content.decode()
    counter.refresh_from_db()
    assert counter.terakhir == 7


@pytest.mark.parametrize("terakhir", [2147483647, SERIAL_MAX + 1])
def test_a_serial_beyond_what_a_number_prints_is_refused(admin_client, counter, terakhir):
    response = change(admin_client, counter, terakhir)
    assert response.status_code == 200
    assert field_errors(response) == [TOO_HIGH]
    counter.refresh_from_db()
    assert counter.terakhir == 7


@pytest.mark.parametrize("terakhir", [7, 12, SERIAL_MAX])
def test_a_serial_moved_forward_within_range_is_kept(admin_client, counter, terakhir):
    assert change(admin_client, counter, terakhir).status_code == 302
    counter.refresh_from_db()
    assert counter.terakhir == terakhir


def test_a_counter_keeps_its_kind_and_year_and_cannot_be_deleted(admin_client, counter):
    # Moved to another year or deleted, a counter would start that kind and year again at 1.
    admin_client.post(f"/admin/naskah/serialcounter/{counter.pk}/change/",
                      {"kind": DocKind.NOTA_DINAS, "tahun": "2030", "terakhir": "9"})
    counter.refresh_from_db()
    assert (counter.kind, counter.tahun, counter.terakhir) == (DocKind.UNDANGAN, 2027, 9)
    assert admin_client.post(f"/admin/naskah/serialcounter/{counter.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SerialCounter.objects.filter(pk=counter.pk).exists()


def test_a_second_counter_for_a_kind_and_year_is_refused_in_indonesian(admin_client, counter):
    response = admin_client.post("/admin/naskah/serialcounter/add/",
                                 {"kind": DocKind.UNDANGAN, "tahun": "2027", "terakhir": "0"})
    assert response.status_code == 200
    assert "Nomor urut untuk jenis dokumen dan tahun ini sudah ada" in response.content.decode()
    assert SerialCounter.objects.filter(kind=DocKind.UNDANGAN, tahun=2027).count() == 1


def test_the_database_refuses_a_serial_out_of_range(counter):
    with pytest.raises(IntegrityError), transaction.atomic():
        SerialCounter.objects.filter(pk=counter.pk).update(terakhir=2147483647)


def test_the_last_serial_is_issued_then_the_next_buat_is_refused_in_words(people, walk):
    first, second = walk(STEP_BY_NUMBER[6].state, judul="Pertama"), walk(STEP_BY_NUMBER[6].state, judul="Kedua")
    year = timezone.localdate().year
    counter = SerialCounter.objects.create(kind=DocKind.NOTA_DINAS, tahun=year, terakhir=SERIAL_MAX - 1)
    client = client_for(people, "kasubag")
    assert generate(client, first, DocKind.NOTA_DINAS).status_code == 302
    assert first.documents.get(kind=DocKind.NOTA_DINAS, generated=True).naskah.nomor.split("/")[1] == "999999"
    response = generate(client, second, DocKind.NOTA_DINAS)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Nomor urut Nota Dinas tahun {year} sudah mencapai batas 999999" in page
    assert not second.documents.filter(kind=DocKind.NOTA_DINAS).exists()
    counter.refresh_from_db()
    assert counter.terakhir == SERIAL_MAX


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_serial_already_beyond_the_bound_is_held_at_it_by_the_upgrade():
    from tests.workflow.test_migrations import migrate, upgrade

    old = migrate([("naskah", "0009_render_jobs")])
    old.get_model("naskah", "SerialCounter").objects.create(kind=DocKind.NOTA_DINAS, tahun=2026, terakhir=2147483647)
    old.get_model("naskah", "SerialCounter").objects.create(kind=DocKind.UNDANGAN, tahun=2026, terakhir=41)
    upgrade()
    assert dict(SerialCounter.objects.filter(tahun=2026).values_list("kind", "terakhir")) == {
        DocKind.NOTA_DINAS: SERIAL_MAX, DocKind.UNDANGAN: 41}


@pytest.mark.parametrize("typed", ["27", "0", "2207", "1999"])
def test_a_counter_for_a_year_no_document_is_numbered_in_is_refused_at_the_year(admin_client, typed):
    # Set in December for the year to come, "27" or "2207" for 2027 was kept for good (its year is
    # read-only, a counter cannot be deleted) and 2027's letters started again at 1.
    years = numbering_years(timezone.localdate())
    response = admin_client.post("/admin/naskah/serialcounter/add/",
                                 {"kind": DocKind.UNDANGAN, "tahun": typed, "terakhir": "45"})
    assert response.status_code == 200
    assert field_errors(response, "tahun") == [
        f"Tahun {int(typed)} tidak dipakai penomoran: naskah bertanggal paling jauh satu tahun dari hari ini, jadi "
        f"nomor urut hanya dapat diatur untuk tahun {years[0]} sampai {years[-1]}. Periksa tahunnya."]
    assert not SerialCounter.objects.exists()


def test_a_counter_added_for_a_year_numbers_its_next_letter_after_it(people, admin_client, dossier):
    year = timezone.localdate().year
    assert year - 1 in numbering_years(timezone.localdate()) and year + 1 in numbering_years(timezone.localdate())
    assert admin_client.post("/admin/naskah/serialcounter/add/",
                             {"kind": DocKind.UNDANGAN, "tahun": str(year), "terakhir": "45"}).status_code == 302
    generate(client_for(people, "staf"), dossier, DocKind.UNDANGAN)
    assert dossier.documents.get(kind=DocKind.UNDANGAN).keterangan == f"000.1.5/46/Kesra/{year}"


def test_a_negative_year_serial_or_order_is_told_by_what_it_is(admin_client, counter):
    """-1 said Django's "Pastikan nilai ini lebih besar dari atau sama dengan 0." for the counter's year,
    its last number and a Mengingat rule's order alike, naming none of them."""
    from naskah.models import LegalBasis

    years = numbering_years(timezone.localdate())
    response = admin_client.post("/admin/naskah/serialcounter/add/",
                                 {"kind": DocKind.NOTA_DINAS, "tahun": "-1", "terakhir": "-1"})
    assert field_errors(response, "tahun") == [
        f"Tahun itu tidak dipakai penomoran: nomor urut hanya dapat diatur untuk tahun {years[0]} sampai {years[-1]}."]
    assert field_errors(response) == [
        "Nomor urut terakhir tidak boleh negatif: isi 0 bila belum ada nomor yang diberikan tahun itu."]
    assert field_errors(change(admin_client, counter, -1)) == [
        "Nomor urut terakhir tidak boleh negatif: isi 0 bila belum ada nomor yang diberikan tahun itu."]
    told = "Urutan tidak boleh negatif: 0 atau lebih, yang kecil tercetak lebih dahulu."
    added = admin_client.post("/admin/naskah/legalbasis/add/", {"urutan": "-1", "teks": "Undang-Undang Nomor 23 Tahun 2014"})
    assert field_errors(added, "urutan") == [told]
    # The list, where the order is edited row by row.
    rule = LegalBasis.objects.order_by("pk").first() or LegalBasis.objects.create(urutan=1, teks="Undang-Undang Nomor 23 Tahun 2014")
    listed = admin_client.post("/admin/naskah/legalbasis/", {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(rule.pk), "form-0-urutan": "-1",
        "form-0-aktif": "on", "_save": "Simpan"})
    assert listed.status_code == 200 and told in listed.content.decode()
    assert "Pastikan nilai" not in added.content.decode() + listed.content.decode()
    assert SerialCounter.objects.get() == counter and counter.terakhir == 7
