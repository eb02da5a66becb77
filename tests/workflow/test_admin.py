"""The admin: SKPD list kept there, users with roles, dossier transitions through the same service."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import admin_user_form
from workflow import services
from workflow.models import AuditEvent, Skpd, User


def test_the_admin_lists_the_seeded_agencies(admin_client):
    page = admin_client.get("/admin/workflow/skpd/")
    assert page.status_code == 200
    assert Skpd.objects.count() >= 37
    assert "Dinas Kesehatan" in page.content.decode()
    assert Skpd.objects.get(nama_pendek="Dinas Kesehatan").nama == "Dinas Kesehatan Provinsi Kalimantan Barat"


def test_a_deactivated_agency_stays_on_old_dossiers_but_cannot_be_invited(people, dossier, admin_client):
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    response = admin_client.post(
        "/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [dinkes.pk]}
    )
    assert response.status_code == 302
    dinkes.refresh_from_db()
    assert not dinkes.aktif
    assert dinkes in dossier.invited.all()
    with pytest.raises(ValidationError) as caught:
        services.create_dossier(people["kasubag"], tahun=2028, judul="Baru", invited=[dinkes])
    assert "tidak aktif" in caught.value.message_dict["invited"][0]
    # An agency on a dossier cannot be deleted, only deactivated.
    admin_client.post(f"/admin/workflow/skpd/{dinkes.pk}/delete/", {"post": "yes"})
    assert Skpd.objects.filter(pk=dinkes.pk).exists()


def test_the_admin_adds_a_user_with_a_role_and_checks_the_nip(admin_client):
    dinsos = Skpd.objects.get(nama_pendek="Dinas Sosial")
    base = {
        "username": "baru", "password1": "kata-sandi-panjang-9", "password2": "kata-sandi-panjang-9",
        "nama": "Pegawai Baru", "jabatan": "Analis", "pangkat_golongan": "III/a", "skpd": dinsos.pk,
        "usable_password": "true",
        "role_set-TOTAL_FORMS": "1", "role_set-INITIAL_FORMS": "0", "role_set-0-role": "skpd",
    }
    refused = admin_client.post("/admin/workflow/user/add/", base | {"nip": "196602301988031001"})
    assert refused.status_code == 200
    assert "Tanggal lahir pada NIP" in refused.content.decode()
    assert not User.objects.filter(username="baru").exists()
    admin_client.post("/admin/workflow/user/add/", base | {"nip": "19660801 198803 1 002"})
    user = User.objects.get(username="baru")
    assert user.nip == "196608011988031002"
    assert user.own_roles == {"skpd"}


@pytest.mark.parametrize("typed", ["19660801 198803 1 001", "196608011988031001"])
def test_a_nip_another_account_holds_is_refused_at_the_field_as_typed(admin_client, people, typed):
    # Typed spaced, as NIPs are printed, it passed the unique check and the insert failed: a 500.
    people["kabiro"].nip = "196608011988031001"
    people["kabiro"].save()
    page = admin_client.post("/admin/workflow/user/add/", {
        "username": "baru", "password1": "kata-sandi-panjang-9", "password2": "kata-sandi-panjang-9",
        "usable_password": "true", "nama": "Pegawai Baru", "nip": typed, "jabatan": "Analis",
        "role_set-TOTAL_FORMS": "1", "role_set-INITIAL_FORMS": "0", "role_set-0-role": "staf",
    })
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert errors["nip"] == [f"NIP 19660801 198803 1 001 sudah tercatat untuk pengguna “kabiro” ({people['kabiro'].nama}). "
                             "Satu NIP untuk satu akun: bila orangnya sama, ubah akun itu."]
    assert "nip_unik" not in page.content.decode()
    assert f'value="{typed}"' in page.content.decode() and 'value="Pegawai Baru"' in page.content.decode()
    assert not User.objects.filter(username="baru").exists()


def test_an_account_keeps_its_own_nip_typed_spaced(admin_client, people):
    staf = people["staf"]
    spaced = f"{staf.nip[:8]} {staf.nip[8:14]} {staf.nip[14]} {staf.nip[15:]}"
    assert admin_client.post(f"/admin/workflow/user/{staf.pk}/change/", admin_user_form(staf, nip=spaced)).status_code == 302


def refusal(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_deleting_a_user_the_history_names_is_refused_in_words(admin_client, people, dossier):
    # Django's page said the admin lacked the permission to delete the history, as if one with more
    # could have deleted it along.
    kasubag = people["kasubag"]
    events = AuditEvent.objects.filter(actor=kasubag).count()
    said = (f"Pengguna berikut tidak dapat dihapus, karena catatan yang harus tetap utuh menyebutnya: “{kasubag}” "
            f"(tercatat pada dosier IKU (1), riwayat ({events})). Tidak ada yang dihapus. Nonaktifkan akunnya saja: "
            "buka pengguna itu dan hapus centang Aktif. Ia tidak dapat masuk lagi, sesinya berakhir, dan namanya tetap "
            "pada catatan lama.")
    page = admin_client.get(f"/admin/workflow/user/{kasubag.pk}/delete/", follow=True)
    assert said in refusal(page) and "tidak memiliki izin" not in page.content.decode()
    listed = admin_client.post("/admin/workflow/user/", {"action": "delete_selected", "index": 0,
                                                         "_selected_action": [kasubag.pk, people["tim"].pk]}, follow=True)
    assert said in refusal(listed)  # the Tim member, whom nothing names, stays too
    assert User.objects.filter(pk__in=[kasubag.pk, people["tim"].pk]).count() == 2
    # One nothing names goes as before.
    spare = User.objects.create_user("cadangan", nama="Akun Cadangan")
    admin_client.post("/admin/workflow/user/", {"action": "delete_selected", "post": "yes", "_selected_action": [spare.pk]})
    assert not User.objects.filter(pk=spare.pk).exists()


@pytest.mark.parametrize("events", [2, 60])
def test_deleting_a_user_the_history_names_often_counts_the_history_without_reading_it(admin_client, people, dossier,
                                                                                      events):
    # The page of an officer the history names 200,000 times read every one of those events before
    # refusing: 20 seconds at province scale. They are counted in the database; the page says the same.
    officer = User.objects.create_user("petugas_lama", nama="Petugas Lama")
    AuditEvent.objects.bulk_create([
        AuditEvent(dossier=dossier, actor=officer, on_behalf_of=officer if n % 2 else None, actor_label="Petugas Lama",
                   action="lihat", to_state=dossier.state) for n in range(events)])
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(f"/admin/workflow/user/{officer.pk}/delete/")
    # Read before the next request, which empties the connection's log.
    read = [q["sql"] for q in queries.captured_queries if "workflow_auditevent" in q["sql"]]
    assert read and all(sql.startswith("SELECT COUNT(*)") for sql in read), read
    assert page.status_code == 302
    said = refusal(admin_client.get(page.url))
    assert f"“{officer}” (tercatat pada riwayat ({events})). Tidak ada yang dihapus." in said
    assert User.objects.filter(pk=officer.pk).exists()


def test_deleting_an_agency_a_round_invited_is_refused_in_words(admin_client, people, dossier):
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    dishub = Skpd.objects.get(nama_pendek="Dinas Perhubungan")
    listed = admin_client.post("/admin/workflow/skpd/", {"action": "delete_selected", "index": 0,
                                                         "_selected_action": [dinkes.pk, dishub.pk]}, follow=True)
    said = refusal(listed)
    assert "SKPD berikut tidak dapat dihapus" in said and f"“{dinkes}” (tercatat pada dosier IKU (1), pengguna (1))" in said
    assert f"“{dishub}” (tercatat pada pengguna (1))" in said
    assert "Nonaktifkan saja dengan aksi “Nonaktifkan SKPD terpilih”" in said
    page = admin_client.get(f"/admin/workflow/skpd/{dinkes.pk}/delete/", follow=True)
    assert "SKPD berikut tidak dapat dihapus" in refusal(page) and page.status_code == 200
    assert Skpd.objects.filter(pk__in=[dinkes.pk, dishub.pk]).count() == 2


def test_an_skpd_role_without_an_agency_is_refused(admin_client, people):
    staf = people["staf"]
    data = {
        "username": staf.username, "nama": staf.nama, "nip": staf.nip, "skpd": "", "is_active": "on",
        "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
        "role_set-TOTAL_FORMS": "2", "role_set-INITIAL_FORMS": "1",
        "role_set-0-id": staf.role_set.get().pk, "role_set-0-user": staf.pk, "role_set-0-role": "staf",
        "role_set-1-role": "skpd", "role_set-1-user": staf.pk,
    }
    page = admin_client.post(f"/admin/workflow/user/{staf.pk}/change/", data)
    assert "wajib dihubungkan ke satu SKPD" in page.content.decode()
    assert set(staf.role_set.values_list("role", flat=True)) == {"staf"}


def test_a_transition_from_the_admin_writes_the_same_audit_event(people, walk):
    dossier = walk("langkah_7")
    client = Client()
    kabag = people["kabag"]
    kabag.is_staff = True
    kabag.is_superuser = True  # an admin who also holds the Kabag role
    kabag.save()
    client.force_login(kabag)
    page = client.get(f"/admin/workflow/dossier/{dossier.pk}/change/")
    assert "Paraf dan teruskan ke Kabiro" in page.content.decode()
    client.post(f"/admin/workflow/dossier/{dossier.pk}/tindakan/selesaikan/", {"revision": dossier.revision})
    dossier.refresh_from_db()
    assert dossier.state == "langkah_8"
    event = AuditEvent.objects.filter(dossier=dossier).last()
    assert (event.actor, event.action, event.from_state, event.to_state) == (kabag, "selesaikan", "langkah_7", "langkah_8")


def test_the_admin_without_a_role_gets_no_transition_buttons(people, walk, admin_client):
    dossier = walk("langkah_7")
    page = admin_client.get(f"/admin/workflow/dossier/{dossier.pk}/change/")
    assert page.status_code == 200
    assert "Paraf dan teruskan ke Kabiro" not in page.content.decode()
    admin_client.post(f"/admin/workflow/dossier/{dossier.pk}/tindakan/selesaikan/", {"revision": dossier.revision})
    dossier.refresh_from_db()
    assert dossier.state == "langkah_7"


def test_a_return_from_the_admin_asks_for_the_note(people, walk):
    dossier = walk("langkah_7")
    kabag = people["kabag"]
    User.objects.filter(pk=kabag.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(kabag)
    url = f"/admin/workflow/dossier/{dossier.pk}/tindakan/kembalikan/"
    page = client.post(url, {"catatan": "", "revision": dossier.revision})
    assert "Catatan perbaikan wajib diisi" in page.content.decode()
    client.post(url, {"catatan": "Target belum terukur", "revision": dossier.revision})
    dossier.refresh_from_db()
    assert dossier.state == "langkah_6"
    assert dossier.events.last().note == "Target belum terukur"


def test_the_admin_pages_load(admin_client, people, dossier):
    for url in ["/admin/", "/admin/workflow/user/", "/admin/workflow/dossier/", "/admin/workflow/delegation/add/",
                f"/admin/workflow/user/{people['kabag'].pk}/change/"]:
        assert admin_client.get(url).status_code == 200, url


def test_a_staff_member_who_is_an_agency_officer_sees_only_its_dossiers_in_the_admin(people, dossier):
    from django.contrib.auth.models import Permission

    from workflow.models import Dossier

    dishub = people["dishub"]
    dishub.is_staff = True
    dishub.save()
    dishub.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    client = Client()
    client.force_login(dishub)
    listing = client.get("/admin/workflow/dossier/")
    assert listing.status_code == 200
    assert dossier.judul not in listing.content.decode()
    # Not in its queryset: the admin answers as for a dossier that does not exist.
    assert client.get(f"/admin/workflow/dossier/{dossier.pk}/change/").status_code == 302
    assert Dossier.objects.visible_to(dishub).count() == 0


def test_an_agency_officer_cannot_also_hold_a_bureau_role(admin_client, people):
    dinsos = people["dinsos"]
    page = admin_client.post(f"/admin/workflow/user/{dinsos.pk}/change/",
                             admin_user_form(dinsos, **{"role_set-1-role": "kasubag", "role_set-1-user": dinsos.pk}))
    assert "Peran SKPD tidak dapat digabung dengan peran Biro (Kasubag)" in page.content.decode()
    assert set(dinsos.role_set.values_list("role", flat=True)) == {"skpd"}


def test_an_agency_officer_cannot_be_made_admin_staff(admin_client, people):
    # The admin's lists of history, documents and dispositions hold every agency's dossiers.
    dinsos = people["dinsos"]
    page = admin_client.post(f"/admin/workflow/user/{dinsos.pk}/change/", admin_user_form(dinsos, is_staff="on"))
    assert "Petugas SKPD tidak dapat menjadi staf admin" in page.content.decode()
    dinsos.refresh_from_db()
    assert not dinsos.is_staff


def test_the_officers_of_a_deactivated_agency_can_still_be_edited_and_deactivated(admin_client, people):
    dinkes = people["dinkes"]
    Skpd.objects.filter(pk=dinkes.skpd_id).update(aktif=False)
    data = admin_user_form(dinkes)
    del data["is_active"]
    assert admin_client.post(f"/admin/workflow/user/{dinkes.pk}/change/", data).status_code == 302
    dinkes.refresh_from_db()
    assert not dinkes.is_active and dinkes.skpd_id == people["dinkes"].skpd_id
    # Nobody else is given the deactivated agency.
    page = admin_client.get("/admin/workflow/user/add/").content.decode()
    assert f'<option value="{dinkes.skpd_id}"' not in page


@pytest.mark.parametrize("order", ["-1", "40000"])
def test_an_agency_order_out_of_range_is_told_by_what_it_is(admin_client, people, order):
    """-1 said Django's "Pastikan nilai ini lebih besar dari atau sama dengan 0.", naming neither the
    order nor what it orders; on the agency's page and in the list alike. Past the column's 32767 only
    PostgreSQL refused, in the same words."""
    told = ("Urutan SKPD diisi angka 0 sampai 32767, tidak negatif: yang kecil tercantum lebih dahulu pada "
            "daftar tujuan surat dan Lampiran Keputusan (urutan yang sama diurutkan menurut nama).")
    added = admin_client.post("/admin/workflow/skpd/add/", {
        "nama": "Dinas Pangan Provinsi Kalimantan Barat", "nama_pendek": "Dinas Pangan", "order": order, "aktif": "on"})
    assert added.status_code == 200
    assert list(added.context["adminform"].form.errors["order"]) == [told]
    agency = Skpd.objects.get(pk=people["dinkes"].skpd_id)
    listed = admin_client.post("/admin/workflow/skpd/", {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(agency.pk), "form-0-order": order,
        "_save": "Simpan"})
    assert listed.status_code == 200
    body = added.content.decode() + listed.content.decode()
    assert told in listed.content.decode() and "Pastikan nilai" not in body
    assert not Skpd.objects.filter(nama_pendek="Dinas Pangan").exists()
    assert Skpd.objects.get(pk=agency.pk).order == agency.order
