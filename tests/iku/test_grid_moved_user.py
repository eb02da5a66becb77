"""A clerk the admin moves to another agency while the grid of the old one is open: a send or draft
from that page (or from a program that read the old table with the user's token) is refused with the
news, nothing sent or saved for either agency; sent again from the page that said so, it is a
deliberate send for the new agency."""

import json
import re

import pytest
from django.test import Client

from iku.models import IkuSubmission
from tests.api.helpers import as_token
from tests.api.test_write_iku import table as api_table
from tests.api.test_write_iku import tag
from tests.api.test_write_iku import url as api_url
from tests.factories import client_for
from tests.iku.test_grid import grid, send_url
from tests.iku.test_grid_second_tab import ROWS, hidden
from workflow.models import Skpd, User
from workflow.steps import STEP_BY_NUMBER


def move(user, nama_pendek):
    user.skpd = Skpd.objects.get(nama_pendek=nama_pendek)
    user.save()
    return user.skpd


def test_a_page_opened_for_the_old_agency_sends_nothing_in_the_new_ones_name(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    clerk = people["dinkes"]
    client = client_for(people, "dinkes")
    page = client.get(send_url(dossier))
    old = clerk.skpd
    new = move(clerk, "Dinas Sosial")

    for target in (send_url(dossier), f"/dosier/{dossier.pk}/iku/draf/"):
        refused = client.post(target, grid(ROWS, dossier) | hidden(page))
        text = re.sub(r"\s+", " ", refused.content.decode())
        assert refused.status_code == 200
        assert f"Halaman ini dibuka untuk tabel {old}; akun Anda kini petugas {new}. Tidak ada yang dikirim" in text
        assert ">Angka kematian ibu</textarea>" in text  # the rows as typed, to read before sending
        assert not IkuSubmission.objects.filter(dossier=dossier).exclude(draft_saved_at=None).exists()
        assert not IkuSubmission.objects.filter(dossier=dossier, versions__isnull=False).exists()

    again = client.post(send_url(dossier), grid(ROWS, dossier) | hidden(refused))
    assert again.status_code == 302
    sent = IkuSubmission.objects.get(dossier=dossier, versions__isnull=False)
    assert sent.skpd == new


def test_a_program_that_read_the_old_agencys_table_is_refused(people, walk):
    """Its token is revoked by the move (api.tokens.revoke_on_lost_trust); a program signed in as the
    user (the API's session) that posts back what it read is refused 409."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    caller = as_token(people, "dinkes")
    session = Client()
    session.force_login(people["dinkes"])
    read = caller.get(api_table(dossier)).json()["tanda_tabel"]
    assert read["skpd"] == str(people["dinkes"].skpd_id)
    move(User.objects.get(pk=people["dinkes"].pk), "Dinas Sosial")

    body = {"baris": ROWS, "tanda_tabel": read}
    assert caller.post(api_url(dossier, "kirim"), body, HTTP_IF_MATCH=tag(dossier)).status_code == 401
    answer = session.post(api_url(dossier, "kirim"), json.dumps(body), content_type="application/json",
                          HTTP_IF_MATCH=tag(dossier))
    assert answer.status_code == 409, answer.content
    # Of the tanda_tabel it sent and what to read again, not of "the page opened" and the form "below".
    assert answer.json()["detail"] == (
        "Baris ini dibaca dari tabel Dinas Kesehatan (tanda_tabel yang Anda kirim); akun Anda kini petugas Dinas Sosial. "
        "Tidak ada yang dikirim atau disimpan. Kirim hanya bila baris ini memang tabel Dinas Sosial: baca tabelnya "
        f"(GET /api/v1/dosier/{dossier.pk}/iku-saya/) dan kirim lagi dengan tanda_tabel-nya (ada di jawaban ini).")
    assert answer.json()["tanda_tabel"]["skpd"] == str(Skpd.objects.get(nama_pendek="Dinas Sosial").pk)  # the new agency's mark
    assert not IkuSubmission.objects.filter(dossier=dossier, versions__isnull=False).exists()


@pytest.mark.parametrize("mark", ["²", "9" * 40, "x" * 5000, "-1", "5\u0000", ""])
def test_an_odd_agency_mark_is_refused_with_the_rows_kept_never_a_server_error(people, walk, mark):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    page = client.get(send_url(dossier))
    refused = client.post(send_url(dossier), grid(ROWS, dossier) | hidden(page) | {"tabel_skpd": mark})
    text = re.sub(r"\s+", " ", refused.content.decode())
    assert refused.status_code == 200
    assert "Halaman ini dibuka untuk tabel SKPD lain" in text and ">Angka kematian ibu</textarea>" in text
    assert not IkuSubmission.objects.filter(dossier=dossier, versions__isnull=False).exists()
