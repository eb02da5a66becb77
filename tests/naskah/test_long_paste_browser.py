"""A Staf on a phone pastes a meeting place of 300 characters into the Notulen form and into the
step 5 meeting form: the field holds all of it (a maxlength in the page cut the paste to 200 without
a word, and the document printed the cut place); sent, it is refused at the field with its length,
the whole text still there to shorten."""

import pytest
from django.utils import timezone

from tests.browser import PHONE
from workflow.steps import STEP_BY_NUMBER, DocKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PLACE = ("Ruang Rapat Lantai III Kantor Gubernur Kalimantan Barat (Gedung Utama, sisi timur, dekat Ruang Data), "
         "Jalan Ahmad Yani Nomor 1, Kelurahan Bansir Laut, Kecamatan Pontianak Tenggara, Kota Pontianak, Provinsi "
         "Kalimantan Barat 78124, masuk lewat pintu samping dan naik tangga sebelah kiri ke lantai tiga.")
assert len(PLACE) == 300


def paste(page, selector, text):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.fill(selector, "")
    page.focus(selector)
    page.keyboard.press("Control+V")


@pytest.mark.parametrize("where", ["notulen", "rapat"])
def test_a_long_pasted_place_is_kept_whole_and_refused_at_its_field(people, walk, sign_in, where):
    if where == "notulen":
        dossier = walk(STEP_BY_NUMBER[2].state)
        url, button, said = f"/dosier/{dossier.pk}/buat/{DocKind.NOTULEN_PERSIAPAN}/", "Buat", "Tempat paling panjang 200"
    else:
        dossier = walk(STEP_BY_NUMBER[5].state)
        url, button, said = f"/dosier/{dossier.pk}/aksi/catat_rapat/", "Catat rapat", "Tempat rapat paling panjang 200"
    with sign_in("staf", viewport=PHONE) as page:
        page.goto(url)
        if where == "rapat":
            page.fill("#id_pimpinan", "Kepala Biro Kesejahteraan Rakyat")
            page.fill("#id_ringkasan", "Bahan IKU Dinas Kesehatan dibahas; target diperbaiki.")
            page.fill("#id_held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
        paste(page, "#id_tempat", PLACE)
        assert page.input_value("#id_tempat") == PLACE
        page.locator("form button[type=submit]", has_text=button).last.click()
        page.wait_for_load_state()
        assert page.input_value("#id_tempat") == PLACE
        assert f"{said} karakter (sekarang 300)" in page.locator(".field:has(#id_tempat)").inner_text()
