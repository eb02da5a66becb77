"""An agency the admin deactivates while a round waits for its IKU: its officers read, in their inbox
and beside the notices that asked for the IKU by a date, that it was taken out of the round, from
when, and that what it sent stays; no deadline is shown as theirs. Reactivated, the round asks again.
The admin is told which running rounds hold a draft the agency typed and never sent."""

import re

from django.utils import timezone

from iku.table import save_draft
from lib.dates import moment_text
from notices.handoff import deliver
from tests.factories import client_for
from workflow.models import AuditEvent, Skpd
from workflow.steps import STEP_BY_NUMBER, IkuStage


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_officers_read_that_their_agency_left_the_round_and_it_comes_back(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    health = Skpd.objects.get(pk=people["dinkes"].skpd_id)
    # The hand-off that asked the agencies for their Konsep IKU by the step's deadline.
    deliver(AuditEvent.objects.filter(dossier=dossier, to_state=dossier.state).latest("pk").pk)
    clerk, admin = client_for(people, "dinkes"), client_for(people, "admin")
    asked = text(clerk.get("/pemberitahuan/"))
    assert "Kirim Konsep IKU Dinas Kesehatan" in asked and f"Tenggat: {moment_text(dossier.due_at)}" in asked
    assert moment_text(dossier.due_at) in text(clerk.get("/"))
    save_draft(dossier, health, IkuStage.KONSEP, [{"indikator": "Angka harapan hidup"}], timezone.now(),
               by=people["dinkes"])

    admin.post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [health.pk]})
    since = Skpd.objects.get(pk=health.pk).nonaktif_sejak
    assert since is not None

    inbox = text(clerk.get("/"))
    assert "Penetapan IKU 2027" in inbox
    assert "Dinas Kesehatan dikeluarkan dari putaran ini sejak" in inbox
    assert "Yang sudah dikirim tetap tercatat" in inbox
    assert "Tidak berlaku lagi bagi Dinas Kesehatan" in inbox
    assert "Kirim Konsep IKU" not in inbox and "Terlambat" not in inbox
    assert moment_text(dossier.due_at) not in inbox
    notices = text(clerk.get("/pemberitahuan/"))
    assert "Kirim Konsep IKU Dinas Kesehatan" in notices  # as it was sent
    assert "Dinas Kesehatan dikeluarkan dari putaran ini sejak" in notices
    assert "Tenggat:" not in notices and moment_text(dossier.due_at) not in notices

    admin.post("/admin/workflow/skpd/", {"action": "aktifkan", "_selected_action": [health.pk]})
    assert Skpd.objects.get(pk=health.pk).nonaktif_sejak is None
    inbox = text(clerk.get("/"))
    assert "Kirim Konsep IKU Dinas Kesehatan" in inbox and "dikeluarkan dari putaran" not in inbox
    notices = text(clerk.get("/pemberitahuan/"))
    assert "Tenggat:" in notices and "dikeluarkan dari putaran" not in notices


def deactivate_on_its_page(admin, agency):
    url = f"/admin/workflow/skpd/{agency.pk}/change/"
    form = admin.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "aktif"}
    return admin.post(url, data, follow=True)


def test_deactivating_on_the_agencys_page_says_from_when_too(people, walk):
    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    health = Skpd.objects.get(pk=people["dinkes"].skpd_id)
    deactivate_on_its_page(client_for(people, "admin"), health)
    assert Skpd.objects.get(pk=health.pk).nonaktif_sejak is not None
    assert "Dinas Kesehatan dikeluarkan dari putaran ini sejak" in text(client_for(people, "dinkes").get("/"))


def test_saying_it_costs_the_inbox_and_the_notices_no_query(people, walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(3):
        dossier = walk(STEP_BY_NUMBER[3].state, judul=f"Putaran {number}")
        deliver(AuditEvent.objects.filter(dossier=dossier, to_state=dossier.state).latest("pk").pk)
    clerk = client_for(people, "dinkes")

    def counted():
        found = []
        for url in ("/", "/pemberitahuan/"):
            clerk.get(url)  # the session warmed
            with CaptureQueriesContext(connection) as seen:
                assert "Putaran 2" in text(clerk.get(url))
            found.append(len(seen))
        return found

    active = counted()
    Skpd.objects.filter(pk=people["dinkes"].skpd_id).update(aktif=False, nonaktif_sejak=timezone.now())
    assert counted() == active


def test_the_admin_is_told_which_running_rounds_hold_a_draft_it_never_sent(people, walk):
    health = Skpd.objects.get(pk=people["dinkes"].skpd_id)
    typed = [walk(STEP_BY_NUMBER[3].state, judul=f"Penetapan IKU {2027 + n}") for n in range(5)]
    for dossier in typed:
        save_draft(dossier, health, IkuStage.KONSEP, [{"indikator": "Angka harapan hidup"}], timezone.now(),
                   by=people["dinkes"])
    untouched = walk(STEP_BY_NUMBER[3].state, judul="Putaran tanpa draf")
    admin = client_for(people, "admin")
    said = text(admin.post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [health.pk]},
                           follow=True))
    assert ("Draf IKU yang sudah diketik tetapi belum dikirim ada pada 5 dosier berjalan: “Penetapan IKU 2027”, "
            "“Penetapan IKU 2028”, “Penetapan IKU 2029” dan 2 lainnya.") in said
    assert untouched.judul not in said

    admin.post("/admin/workflow/skpd/", {"action": "aktifkan", "_selected_action": [health.pk]})
    said = text(deactivate_on_its_page(admin, health))
    assert "Draf IKU yang sudah diketik tetapi belum dikirim ada pada 5 dosier berjalan" in said
