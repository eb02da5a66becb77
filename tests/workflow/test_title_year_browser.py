"""The new-dossier page in a browser: the prefilled title and the same-year warning follow the year as
it is typed, and a title edited by hand stays as written (issue 26)."""

from contextlib import contextmanager

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_title_and_the_same_year_warning_follow_the_year_until_the_title_is_edited(people, dossier, sign_in):
    from playwright.sync_api import expect

    with sign_in("kasubag") as page:
        page.goto("/dosier/baru/")
        year, title, warning = page.locator("#id_tahun"), page.locator("#id_judul"), page.locator("[data-same-year]")
        year.fill(str(dossier.tahun + 3))
        expect(title).to_have_value(f"Penetapan Indikator Kinerja Utama Tahun {dossier.tahun + 3}")
        expect(warning).not_to_contain_text("Sudah ada dosier")
        year.fill(str(dossier.tahun))
        expect(title).to_have_value(f"Penetapan Indikator Kinerja Utama Tahun {dossier.tahun}")
        expect(warning).to_contain_text(f"Sudah ada dosier untuk tahun {dossier.tahun}")
        expect(warning).to_contain_text(dossier.judul)
        title.fill("IKU Biro Kesra Tahun 2031")
        year.fill("2031")
        expect(warning).not_to_contain_text("Sudah ada dosier")
        expect(title).to_have_value("IKU Biro Kesra Tahun 2031")  # edited by hand: left alone


def test_on_the_correction_the_title_and_the_same_year_warning_follow_the_year_too(people, sign_in):
    from playwright.sync_api import expect

    from tests.factories import open_dossier

    other = open_dossier(people, "Penetapan IKU Tahun 2029", tahun=2029)
    dossier = open_dossier(people, "IKU Biro Kesra Tahun 2027 (perubahan)")
    with sign_in("kasubag") as page:
        page.goto(f"/dosier/{dossier.pk}/")
        page.get_by_role("region", name="Tindakan Anda").get_by_role("link", name="Koreksi judul dan tahun").click()
        # Typed into once its script listens: a click returns as the page begins to arrive.
        page.wait_for_load_state("load")
        year, title, warning = page.locator("#id_tahun"), page.locator("#id_judul"), page.locator("[data-same-year]")
        # The warning is the page asked for again with ?tahun=: on a loaded machine it takes a while.
        slow = {"timeout": 15_000}
        year.fill("2029")
        expect(title).to_have_value("IKU Biro Kesra Tahun 2029 (perubahan)")
        expect(warning).to_contain_text("Sudah ada dosier untuk tahun 2029", **slow)
        expect(warning).to_contain_text(other.judul)
        year.fill("2028")
        expect(title).to_have_value("IKU Biro Kesra Tahun 2028 (perubahan)")
        expect(warning).not_to_contain_text("Sudah ada dosier", **slow)
        year.fill("2029")
        expect(warning).to_contain_text("Sudah ada dosier untuk tahun 2029", **slow)
        page.get_by_label("Alasan koreksi").fill("Tahun salah ketik")
        page.get_by_role("button", name="Koreksi judul dan tahun").click()
        expect(page.locator("#id_tetap_buat_error")).to_contain_text("Centang kotak ini")
        expect(title).to_have_value("IKU Biro Kesra Tahun 2029 (perubahan)")
        page.get_by_label("tetap pindahkan dosier ini ke sana").check()
        page.get_by_role("button", name="Koreksi judul dan tahun").click()
        expect(page.locator(".msg")).to_contain_text("Judul dan tahun dikoreksi")
        # Edited by hand, the title stays as written whatever the year.
        page.get_by_role("region", name="Tindakan Anda").get_by_role("link", name="Koreksi judul dan tahun").click()
        page.wait_for_load_state("load")
        title.fill("Penetapan IKU Biro Kesra")
        year.fill("2030")
        expect(title).to_have_value("Penetapan IKU Biro Kesra")
    dossier.refresh_from_db()
    assert (dossier.tahun, dossier.judul) == (2029, "IKU Biro Kesra Tahun 2029 (perubahan)")


@contextmanager
def page_script_held(page):
    """The title's script (static/js/dosier_baru.js) kept from the page until the block ends, as a
    slow network or a loaded machine keeps it while the form already shows and takes typing."""
    held = []
    page.route("**/js/dosier_baru.js", lambda route: held.append(route))
    try:
        with page.expect_request("**/js/dosier_baru.js"):
            yield
    finally:
        for route in held:
            route.continue_()
        page.unroute("**/js/dosier_baru.js")


def test_a_year_typed_before_the_page_script_runs_moves_the_title_and_the_warning_all_the_same(people, sign_in):
    from playwright.sync_api import expect

    from tests.factories import open_dossier

    other = open_dossier(people, "Penetapan IKU Tahun 2029", tahun=2029)
    dossier = open_dossier(people, "IKU Biro Kesra Tahun 2027 (perubahan)")
    with sign_in("kasubag") as page:
        page.goto(f"/dosier/{dossier.pk}/")
        with page_script_held(page):
            page.get_by_role("region", name="Tindakan Anda").get_by_role("link", name="Koreksi judul dan tahun").click()
            page.locator("#id_tahun").fill("2029")
        expect(page.locator("#id_judul")).to_have_value("IKU Biro Kesra Tahun 2029 (perubahan)")
        # The warning is the page asked for again with ?tahun=: on a loaded machine it takes a while.
        expect(page.locator("[data-same-year]")).to_contain_text(other.judul, timeout=15_000)

        # A title written by hand before the script ran stays as written.
        with page_script_held(page):
            page.goto("/dosier/baru/", wait_until="commit")
            page.locator("#id_judul").fill("IKU Biro Kesra Tahun 2031")
            page.locator("#id_tahun").fill("2031")
        page.wait_for_load_state("load")  # the script has run
        expect(page.locator("#id_judul")).to_have_value("IKU Biro Kesra Tahun 2031")
