"""An agency's inbox: a deadline past reads "Terlambat" while its table is not sent, and the task to
send the IKU opens the grid."""

import datetime

from django.utils import timezone

from tests.factories import client_for
from workflow import demo, sla
from workflow.steps import STEP_BY_NUMBER


def row_of(page: str, judul: str) -> str:
    return page.split(judul)[1].split("</tr>")[0]


def test_a_past_deadline_reads_late_to_the_agency_that_has_not_sent(people, walk):
    late = walk(STEP_BY_NUMBER[3].state, judul="Putaran lewat tenggat")
    walk(STEP_BY_NUMBER[3].state, judul="Putaran baru")
    demo.submit_iku(late, people["dinkes"])
    late.visits.filter(left_at__isnull=True).update(entered_at=timezone.now() - datetime.timedelta(days=30))
    sla.reschedule_open()
    unsent = client_for(people, "dinsos").get("/").content.decode()
    assert '<span class="badge late">Terlambat</span>' in row_of(unsent, "Putaran lewat tenggat")
    assert "Terlambat" not in row_of(unsent, "Putaran baru")
    sent = client_for(people, "dinkes").get("/").content.decode()
    assert "Terlambat" not in row_of(sent, "Putaran lewat tenggat")  # its part is in


def test_the_agencys_task_opens_the_grid(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state, judul="Putaran berjalan")
    row = row_of(client_for(people, "dinsos").get("/").content.decode(), "Putaran berjalan")
    assert f'<a href="/dosier/{dossier.pk}/aksi/ajukan_iku/">Kirim Konsep IKU Dinas Sosial</a>' in row
    bureau = row_of(client_for(people, "kasubag").get("/").content.decode(), "Putaran berjalan")
    assert f'<a href="/dosier/{dossier.pk}/">' in bureau and "ajukan_iku" not in bureau
