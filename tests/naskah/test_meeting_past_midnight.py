"""A meeting that runs past midnight is recorded: its minutes were refused with "Rapat harus ditutup
sesudah dimulai." when the closing time, the next morning, was earlier than the opening. Ticked as
closing the next day, the Notulen print the day it closed beside the time; left unticked, the form
says how to record it, and keeps what was typed."""

import datetime as dt
import re

from django.utils import timezone

from lib.dates import TZ, weekday_date
from naskah import record
from tests.factories import client_for
from tests.naskah.helpers import form_data, generate, pages, stored_pdf
from tests.naskah.test_notulen_signed_after_meeting import finish_at
from workflow.steps import STEP_BY_NUMBER, DocKind

KIND = DocKind.NOTULEN_PERSIAPAN
NEXT_DAY_LABEL = "Rapat selesai keesokan harinya (lewat tengah malam)"
PESERTA = "Dr. H. Muhammad Rizal, S.K.M., M.Kes."


def error_of(html: str, field: str) -> str:
    parts = html.split(f'id="id_{field}_error"', 1)
    return re.sub(r"\s+", " ", parts[1].split("</ul>", 1)[0]) if len(parts) == 2 else ""


def test_a_meeting_closed_after_midnight_is_refused_unticked_saying_how_and_keeping_what_was_typed(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    data = form_data(dossier, KIND, waktu_mulai="19:00", waktu_ditutup="01.30", peserta=PESERTA)
    response = client_for(people, "staf").post(f"/dosier/{dossier.pk}/buat/{KIND}/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert (f"Rapat harus ditutup sesudah dimulai. Bila rapat berlangsung lewat tengah malam, centang "
            f"“{NEXT_DAY_LABEL}” di bawah ini.") in error_of(html, "waktu_ditutup")
    assert 'value="19:00"' in html and 'value="01.30"' in html and PESERTA in html
    assert not dossier.documents.filter(kind=KIND).exists()


def test_ticked_as_closing_the_next_day_a_closing_time_not_before_the_opening_is_refused(people, walk):
    # Ticked by mistake, two hours would print as a day and two hours.
    dossier = walk(STEP_BY_NUMBER[2].state)
    data = form_data(dossier, KIND, waktu_mulai="09:00", waktu_ditutup="11:00", selesai_besok="on")
    html = client_for(people, "staf").post(f"/dosier/{dossier.pk}/buat/{KIND}/", data).content.decode()
    assert ("Rapat yang selesai keesokan harinya ditutup lebih awal dari jam mulainya (dimulai 09.00, ditutup "
            f"mis. 01.30). Bila rapat selesai pada hari yang sama, hapus centang “{NEXT_DAY_LABEL}”.") in error_of(
        html, "waktu_ditutup")
    assert re.search(r'name="selesai_besok"[^>]*checked', html)
    assert not dossier.documents.filter(kind=KIND).exists()


def test_minutes_of_a_meeting_closed_the_next_day_print_that_day_and_are_signed_only_after_it(people, walk, settings):
    # The clock is moved to later today (and tomorrow): the chair's session, begun now, lasts until then
    # at whatever hour the test runs (it ends after a working day idle, counted from now).
    settings.SESSION_COOKIE_AGE = 2 * 24 * 60 * 60
    dossier = walk(STEP_BY_NUMBER[2].state)
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    made = generate(client_for(people, "staf"), dossier, KIND, tanggal_rapat=today.isoformat(),
                    waktu_mulai="19:00", waktu_ditutup="01:30", selesai_besok="on")
    assert made.status_code == 302, made.content.decode()
    text = pages(stored_pdf(dossier, KIND))[0]
    assert f"Hari/tanggal : {weekday_date(today)} Waktu : 19.00 WIB s.d. 01.30 WIB ({weekday_date(tomorrow)})" in text
    assert f"Rapat ditutup pada hari {weekday_date(tomorrow)} pukul 01.30 WIB." in text

    # Before 01.30 the next day the meeting is still on: the chair is told from when she may sign.
    kasubag = client_for(people, "kasubag")
    refused = finish_at(kasubag, dossier, dt.datetime.combine(today, dt.time(23, 0), tzinfo=TZ))
    page = re.sub(r"\s+", " ", refused.content.decode())
    assert refused.status_code == 200
    assert f"baru dapat ditandatangani mulai {weekday_date(tomorrow)} pukul 01.30 WIB" in page
    assert not record.latest(dossier, KIND).is_final
    done = finish_at(kasubag, dossier, dt.datetime.combine(tomorrow, dt.time(1, 31), tzinfo=TZ))
    assert done.status_code == 302, done.content.decode()
    assert record.latest(dossier, KIND).is_final
