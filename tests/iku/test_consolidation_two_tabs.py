"""One row of the provincial table edited from two pages (the Kasubag's two tabs, or the Kasubag and
a Plh.): the edit saved second no longer writes back the fields as its page loaded them, undoing the
first edit unseen; it is refused, naming that edit, with what was typed kept."""

import re

from tests.factories import client_for
from tests.iku.test_consolidation import bahan_row
from workflow.steps import STEP_BY_NUMBER


def _row_form(page: str, row) -> dict:
    """The row's edit form as the page posts it: its hidden fields and cells as loaded."""
    form = re.search(rf'<form[^>]*#baris-{row.pk}">(.*?)</form>', page, re.S).group(1)
    posted = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    posted.pop("csrfmiddlewaretoken", None)
    posted |= {name: value for name, value in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>([^<]*)</textarea>', form)}
    return posted


def test_an_edit_from_an_older_page_does_not_undo_the_other_edit(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    row = bahan_row(dossier, people["dinsos"].skpd)
    url = f"/dosier/{dossier.pk}/aksi/atur_tabel_iku/"
    first, second = client_for(people, "kasubag"), client_for(people, "kasubag")
    page_one, page_two = first.get(url).content.decode(), second.get(url).content.decode()
    assert first.post(url, _row_form(page_one, row) | {"target": "99 (2027)"}).status_code == 302
    response = second.post(url, _row_form(page_two, row) | {"satuan": "Persen (%)"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Baris ini diubah sejak halaman ini dibuka" in page and "Target" in page
    assert "Persen (%)" in page
    row.refresh_from_db()
    assert row.target == "99 (2027)" and row.satuan != "Persen (%)"
    # The row shows what was typed; saved again from that page (the Target taken over), it is saved.
    again = _row_form(page, row)
    assert again["satuan"] == "Persen (%)"
    assert second.post(url, again | {"target": "99 (2027)"}).status_code == 302
    row.refresh_from_db()
    assert row.target == "99 (2027)" and row.satuan == "Persen (%)"



def test_checked_again_under_the_lock(people, walk):
    """Both edits passed their page's check, each holding the row as read then: the second, under the
    dossier's lock, is refused."""
    import pytest
    from django.core.exceptions import ValidationError

    from iku.consolidation import EDIT, Change
    from workflow import services
    from workflow.actions import Action

    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    first, second = bahan_row(dossier, people["dinsos"].skpd), bahan_row(dossier, people["dinsos"].skpd)
    seen, loaded = first.edit_mark, first.as_dict()

    def edit(row, **values):
        dossier.refresh_from_db()
        return services.perform(dossier, people["kasubag"], Action.ATUR_TABEL_IKU, revision=dossier.revision,
                                change=Change(EDIT, row, loaded | values, "", seen))

    edit(first, target="99 (2027)")
    with pytest.raises(ValidationError, match="Baris ini diubah sejak halaman ini dibuka"):
        edit(second, satuan="Persen (%)")
    first.refresh_from_db()
    assert first.target == "99 (2027)" and first.satuan != "Persen (%)"
