"""A mailed link opened on a computer where someone else is signed in (an agency's clerk at a shared
desk, a Kabag's PC): the refusal says whose account is signed in and signs out to the sign-in page
that opens the same address after, where the page was a dead end that dropped the link."""

import html
import re

from tests.factories import client_for
from workflow import demo
from workflow.steps import STEP_BY_NUMBER


def signed_out_to(page: str) -> str:
    """The address the page's "Keluar dan masuk dengan akun lain" button signs out to."""
    form = re.search(r'<form method="post" action="/keluar/">(.*?)</form>', page, re.S)
    assert form and "Keluar dan masuk dengan akun lain" in form.group(1)
    return html.unescape(re.search(r'name="next" value="([^"]*)"', form.group(1)).group(1))


def test_the_agencys_form_opened_where_the_kabag_is_signed_in_leads_to_it_after_signing_in_again(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    link = f"/dosier/{dossier.pk}/aksi/ajukan_iku/"  # the reminder's "Isi dan kirim"
    desk = client_for(people, "kabag")
    refused = desk.get(link)
    page = refused.content.decode()
    assert refused.status_code == 403
    assert f"bukan <strong>{html.escape(people['kabag'].display_name)}</strong> yang\n  sedang masuk?" in page
    out = desk.post("/keluar/", {"next": signed_out_to(page)})
    assert out.status_code == 302 and out["Location"] == f"/masuk/?next={link}"
    signed_in = desk.post(out["Location"], {"username": "dinkes", "password": demo.DEMO_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == link
    form = desk.get(link)
    assert form.status_code == 200 and "Konsep IKU Dinas Kesehatan" in form.content.decode()


def test_a_dossier_not_shared_with_the_signed_in_agency_offers_the_same_way_out(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    page = client_for(people, "dishub").get(f"/dosier/{dossier.pk}/?tab=iku").content.decode()
    assert "Halaman tidak ditemukan" in page
    assert signed_out_to(page) == f"/masuk/?next=/dosier/{dossier.pk}/%3Ftab%3Diku"

