"""The new-dossier page in a browser: the prefilled title and the same-year warning follow the year as
it is typed, and a title edited by hand stays as written (issue 26)."""

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
