"""The admin's people pages as the bureau's admin meets them on the first day."""

import re

from tests.factories import admin_user_form
from workflow.models import User


def labels(page) -> list[str]:
    return re.findall(r"<label[^>]*>([^<]*)</label>", page.content.decode())


def test_the_user_pages_ask_for_the_one_name_the_documents_print(admin_client, people):
    """Django's first and last name stood beside the app's full name: an admin filled them, and the
    documents printed the user name. Only the printed name is asked, and it says so."""
    kasubag = people["kasubag"]
    for page in (admin_client.get(f"/admin/workflow/user/{kasubag.pk}/change/"),
                 admin_client.get("/admin/workflow/user/add/")):
        shown = labels(page)
        assert "Nama depan:" not in shown and "Nama belakang:" not in shown
        assert "Nama lengkap dengan gelar:" in shown
        assert "tercetak pada naskah" in page.content.decode()


def test_a_first_and_last_name_already_recorded_stay_readable_and_are_kept(admin_client, people):
    staf = people["staf"]
    User.objects.filter(pk=staf.pk).update(nama="", first_name="Budi", last_name="Santoso")
    staf.refresh_from_db()
    page = admin_client.get(f"/admin/workflow/user/{staf.pk}/change/").content.decode()
    assert "Budi Santoso" in page
    assert admin_client.post(f"/admin/workflow/user/{staf.pk}/change/", admin_user_form(staf)).status_code == 302
    staf.refresh_from_db()
    assert (staf.first_name, staf.last_name) == ("Budi", "Santoso")


def test_the_group_and_permission_selectors_read_in_indonesian(admin_client, people):
    """The selector of groups and permissions (Django's filter_horizontal) said "Choose" and
    "Remove" in English, and misspelt: its words come from the admin's own catalog, offline."""
    page = admin_client.get(f"/admin/workflow/user/{people['kasubag'].pk}/change/").content.decode()
    assert 'src="/admin/jsi18n/"' in page and "SelectFilter2.js" in page
    # The catalog's JSON writes the quotation marks escaped.
    catalog = admin_client.get("/admin/jsi18n/").content.decode()
    catalog = catalog.replace("\\u201c", "“").replace("\\u201d", "”").replace('\\"', '"')
    assert "tombol panah “Pilih”" in catalog and "tombol panah “Batalkan”" in catalog
    assert "Batalkan pilihan %s yang ditandai" in catalog and "Pilih %s yang ditandai" in catalog
    for english in ('panah "Choose"', 'panah "Remove"', "utnuk", "Pindahkan%s"):
        assert english not in catalog
