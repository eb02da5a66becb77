"""An agency the admin deactivates has left the rounds: the running round no longer waits on it,
nobody reminds it, and its officers read what it sent but send nothing more, by page or by token."""

import re

from django.core import mail

from iku.round import reachable
from tests.api.helpers import as_token
from tests.factories import client_for
from workflow import demo
from workflow.gates import missing_submissions, require_submissions_or_acknowledged
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER


def test_a_deactivated_agency_is_not_waited_on_and_sends_nothing_more(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    dinkes = people["dinkes"]
    token = as_token(people, "dinkes")
    clerk = client_for(people, "dinkes")
    assert dossier.judul in clerk.get("/").content.decode()
    admin = client_for(people, "admin")
    admin.post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [dinkes.skpd_id]})
    assert not Skpd.objects.get(pk=dinkes.skpd_id).aktif

    assert dinkes.skpd not in missing_submissions(dossier, dossier.step)
    kasubag = client_for(people, "kasubag")
    page = re.sub(r"\s+", " ", kasubag.get(f"/dosier/{dossier.pk}/").content.decode())
    assert "Dinas Kesehatan <span class=\"small muted\">(nonaktif)</span>" in page
    waited = len(reachable(missing_submissions(dossier, dossier.step)))
    assert f"Ingatkan {waited} SKPD" in page
    mail.outbox = []
    kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/")
    assert dinkes.email not in {address for message in mail.outbox for address in message.to}

    # Its officer still signs in and reads the round, but nothing waits on them and nothing is sent:
    # the inbox lists the round as one the agency was taken out of, with nothing to do.
    inbox = clerk.get("/").content.decode()
    assert "Tidak ada dosier yang menunggu tindakan Anda" in inbox and "Dinas Kesehatan dikeluarkan dari putaran" in inbox
    assert "Kirim Konsep IKU" not in inbox
    assert clerk.get(f"/dosier/{dossier.pk}/").status_code == 200
    refused = clerk.get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/")
    assert refused.status_code == 403 and "Dinas Kesehatan sudah dinonaktifkan oleh admin" in refused.content.decode()
    # The bureau's table shows it as no longer awaited, not late.
    table = re.sub(r"\s+", " ", kasubag.get(f"/dosier/{dossier.pk}/").content.decode())
    assert "Tidak ditunggu (nonaktif)" in table
    sent = token.post(f"/api/v1/dosier/{dossier.pk}/iku-saya/kirim/", {"baris": [{"indikator": "X", "target": "1"}]},
                      HTTP_IF_MATCH=token.get(f"/api/v1/dosier/{dossier.pk}/")["ETag"])
    assert sent.status_code == 403
    assert not dossier.submissions.filter(skpd=dinkes.skpd).exists()

    # The step waits only on those still taking part.
    demo.submit_iku(dossier, people["dinsos"], "Konsep IKU")
    dossier.refresh_from_db()
    still = missing_submissions(dossier, dossier.step)
    assert [agency.nama_pendek for agency in still] == ["Dinas Pendidikan dan Kebudayaan"]
    assert require_submissions_or_acknowledged(dossier, dossier.step, acknowledged=still) == [
        "Dinas Pendidikan dan Kebudayaan"]
