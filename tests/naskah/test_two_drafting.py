"""Two officers with the same document's form open: the second to send does not replace the first's
new version unseen (a lost update), it is told who made which version and keeps what it typed."""

from naskah.models import NaskahRecord
from tests.factories import client_for
from tests.naskah.helpers import form_data
from workflow.steps import STEP_BY_NUMBER, DocKind

UNDANGAN = DocKind.UNDANGAN


def _page_mark(response) -> dict:
    """The hidden fields of the form page as the browser would send them back."""
    import re

    html = response.content.decode()
    return {name: value for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
            if name != "csrfmiddlewaretoken"}


def test_second_sender_of_the_same_draft_is_told_and_keeps_what_was_typed(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    kasubag, staf = client_for(people, "kasubag"), client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/buat/{UNDANGAN}/"
    assert kasubag.post(url, form_data(dossier, UNDANGAN)).status_code == 302  # version 1
    # Both open the form on version 1.
    page_kasubag, page_staf = kasubag.get(url), staf.get(url)
    first = form_data(dossier, UNDANGAN, tempat="Ruang Rapat Biro Kesra") | _page_mark(page_kasubag)
    second = form_data(dossier, UNDANGAN, acara="Acara yang diketik staf") | _page_mark(page_staf)
    assert kasubag.post(url, first).status_code == 302  # version 2: the Kasubag's new Tempat
    response = staf.post(url, second)
    # The Staf's page, not version 3 made from a text that never saw the Kasubag's Tempat.
    assert response.status_code == 200
    assert NaskahRecord.objects.filter(document__dossier=dossier, document__kind=UNDANGAN).count() == 2
    text = response.content.decode()
    assert "versi 2" in text and people["kasubag"].display_name in text
    assert "Acara yang diketik staf" in text
    # Sent again from that page, after reading the news, it is made.
    again = staf.post(url, second | _page_mark(response))
    assert again.status_code == 302
    latest = NaskahRecord.objects.filter(document__dossier=dossier, document__kind=UNDANGAN).latest("versi")
    assert latest.versi == 3 and latest.isian["acara"] == "Acara yang diketik staf"



def test_a_long_document_is_refused_before_it_is_queued(people, walk):
    """The draft decree, made by the worker: the form opened on version 1 and sent after another
    officer made version 2 queues nothing."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag, staf = client_for(people, "kasubag"), client_for(people, "staf")
    kind = DocKind.DRAFT_KEPGUB
    url = f"/dosier/{dossier.pk}/buat/{kind}/"
    assert kasubag.post(url, form_data(dossier, kind)).status_code == 302
    opened = _page_mark(staf.get(url))
    assert kasubag.post(url, form_data(dossier, kind) | _page_mark(kasubag.get(url))).status_code == 302
    response = staf.post(url, form_data(dossier, kind) | opened)
    assert response.status_code == 200 and "versi 2" in response.content.decode()
    assert NaskahRecord.objects.filter(document__dossier=dossier, document__kind=kind).count() == 2


def test_a_form_without_the_version_is_taken_as_before(people, walk):
    """A page opened before the form carried its version (or a program posting) is not refused."""
    dossier = walk(STEP_BY_NUMBER[1].state)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/buat/{UNDANGAN}/"
    assert kasubag.post(url, form_data(dossier, UNDANGAN)).status_code == 302
    assert kasubag.post(url, form_data(dossier, UNDANGAN)).status_code == 302
    assert NaskahRecord.objects.filter(document__dossier=dossier, document__kind=UNDANGAN).count() == 2


def test_checked_again_under_the_lock(people, walk):
    """Both pages passed the view's check at once: the one whose version is made second is refused
    where the new version is numbered, under the dossier's lock."""
    import pytest

    from naskah.generate import DraftChanged, generate
    from naskah.generators import GENERATORS

    dossier = walk(STEP_BY_NUMBER[1].state)
    form = GENERATORS[UNDANGAN].form(form_data(dossier, UNDANGAN), dossier=dossier)
    assert form.is_valid()
    generate(dossier, people["kasubag"], UNDANGAN, form, revision=dossier.revision, seen=0)
    with pytest.raises(DraftChanged, match="versi 1"):
        generate(dossier, people["staf"], UNDANGAN, form, revision=dossier.revision, seen=0)
    assert NaskahRecord.objects.filter(document__dossier=dossier).count() == 1
