"""What a screen reader and a keyboard are given on a refused form: a summary at the top, first in
line, each error linked to its field; every error and help text tied to its field by an id that
exists; the page's title saying it failed."""

import re

from tests.factories import client_for
from tests.naskah.helpers import form_data
from workflow.steps import STEP_BY_NUMBER, DocKind


def described_ids(page: str) -> list[str]:
    return [name for value in re.findall(r'aria-describedby="([^"]+)"', page) for name in value.split()]


def assert_every_description_exists(page: str):
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    missing = [name for name in described_ids(page) if name not in ids]
    assert not missing, missing


def summary_links(page: str) -> list[str]:
    found = re.search(r'<div class="error-summary" tabindex="-1" id="ringkasan-kesalahan"[^>]*>(.*?)</div>',
                      page, re.S)
    assert found, "no error summary"
    return re.findall(r'<a href="#([^"]+)">', found.group(1))


def test_a_refused_return_opens_at_a_summary_linking_the_note(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    page = client_for(people, "kabag").post(f"/dosier/{dossier.pk}/aksi/kembalikan/",
                                           {"revision": dossier.revision, "state": dossier.state, "catatan": ""})
    html = page.content.decode()
    assert re.search(r"<title>Kesalahan: ", html)
    assert summary_links(html) == ["id_catatan"]
    assert html.index('id="ringkasan-kesalahan"') < html.index('id="id_catatan"')
    assert 'aria-describedby="id_catatan_error"' in html
    assert_every_description_exists(html)
    # A form without a password keeps all: nothing to type again.
    assert "Semua yang Anda ketik tetap ada di bawah.</p>" in html


def test_a_refused_document_form_ties_each_error_and_help_to_its_field(people, dossier):
    html = client_for(people, "staf").post(f"/dosier/{dossier.pk}/buat/undangan/",
                                           form_data(dossier, DocKind.UNDANGAN, hal="", tempat="")).content.decode()
    assert {"id_hal", "id_tempat"} <= set(summary_links(html))
    assert_every_description_exists(html)
    assert 'id="id_tembusan_helptext"' in html  # "Satu penerima per baris, tanpa “Yth.”"


def test_an_untouched_form_has_no_summary_and_its_help_is_tied(people, dossier):
    html = client_for(people, "staf").get(f"/dosier/{dossier.pk}/buat/undangan/").content.decode()
    assert 'id="ringkasan-kesalahan"' not in html and not re.search(r"<title>Kesalahan", html)
    assert "id_tembusan_helptext" in described_ids(html)
    assert_every_description_exists(html)


def test_a_review_page_has_headings_to_jump_between_the_documents_and_the_decision(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    html = client_for(people, "kabag").get(f"/dosier/{dossier.pk}/aksi/kembalikan/").content.decode()
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", html)
    assert headings[:2] == ["Naskah yang diteliti", "Keputusan Anda"]
    assert html.index(">Keputusan Anda</h2>") < html.index('<form method="post" class="card"')
