"""Two admins at once: a change page saved after the other admin changed the same user or agency is
refused with the news and the typed values kept, instead of silently undoing the other change."""

import re

from django.test import Client

from tests.factories import admin_user_form
from workflow.models import Skpd, User

MEANWHILE = "diubah admin lain sejak halaman ini dibuka"


def admin_pair(people) -> tuple[Client, Client]:
    pair = Client(), Client()
    for client in pair:
        client.force_login(people["admin"])
    return pair


def loaded_version(page: str) -> str:
    return re.search(r'name="versi_dimuat" value="([0-9a-f]+)"', page).group(1)


def test_a_user_deactivated_by_another_admin_stays_deactivated(people):
    first, second = admin_pair(people)
    staf = people["staf"]
    url = f"/admin/workflow/user/{staf.pk}/change/"
    opened = admin_user_form(staf) | {"versi_dimuat": loaded_version(first.get(url).content.decode())}
    # The other admin deactivates the user from their own page.
    assert second.post(url, admin_user_form(staf, is_active="")).status_code == 302
    response = first.post(url, opened | {"jabatan": "Analis Kebijakan Ahli Muda"})
    assert response.status_code == 200
    page = response.content.decode()
    assert MEANWHILE in page and "Analis Kebijakan Ahli Muda" in page
    staf.refresh_from_db()
    assert not staf.is_active and staf.jabatan != "Analis Kebijakan Ahli Muda"
    # Opened again, the page saves.
    again = admin_user_form(staf) | {"versi_dimuat": loaded_version(first.get(url).content.decode())}
    assert first.post(url, again | {"jabatan": "Analis Kebijakan Ahli Muda"}).status_code == 302
    staf.refresh_from_db()
    assert not staf.is_active and staf.jabatan == "Analis Kebijakan Ahli Muda"


def test_an_agency_deactivated_by_another_admin_stays_deactivated(people):
    first, second = admin_pair(people)
    dinsos = Skpd.objects.get(nama_pendek="Dinas Sosial")
    url = f"/admin/workflow/skpd/{dinsos.pk}/change/"
    opened = {"nama": dinsos.nama, "nama_pendek": dinsos.nama_pendek, "singkatan": dinsos.singkatan,
              "kind": dinsos.kind, "order": dinsos.order, "aktif": "on",
              "versi_dimuat": loaded_version(first.get(url).content.decode())}
    second.post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [dinsos.pk]})
    response = first.post(url, opened | {"head_title": "Kepala Dinas Sosial dan PMD Provinsi Kalimantan Barat"})
    assert response.status_code == 200 and MEANWHILE in response.content.decode()
    dinsos.refresh_from_db()
    assert not dinsos.aktif and dinsos.head_title == ""


def test_the_agency_list_no_longer_edits_the_active_box(people):
    first, _ = admin_pair(people)
    page = first.get("/admin/workflow/skpd/").content.decode()
    assert 'name="form-0-order"' in page and 'name="form-0-aktif"' not in page


def test_a_user_who_signs_in_meanwhile_is_no_change(people):
    first, _ = admin_pair(people)
    staf = people["staf"]
    url = f"/admin/workflow/user/{staf.pk}/change/"
    opened = admin_user_form(staf) | {"versi_dimuat": loaded_version(first.get(url).content.decode())}
    Client().force_login(staf)
    assert User.objects.get(pk=staf.pk).last_login is not None
    assert first.post(url, opened | {"jabatan": "Pranata Komputer"}).status_code == 302
