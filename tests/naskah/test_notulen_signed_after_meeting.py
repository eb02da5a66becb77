"""Minutes are signed once their meeting is over: a Notulen dated today whose meeting closes later
(still on, or not begun) is not signed by finishing the meeting's step. The chair reads when it can
be signed, in Indonesian, the note typed on the finishing form kept; after the closing time it
signs as before."""

import datetime as dt
import re
from unittest import mock

from django.utils import timezone

from lib.dates import TZ
from naskah import record
from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow.steps import STEP_BY_NUMBER, DocKind

NOTE = "Notulen diperiksa bersama Tim sebelum ditandatangani."


def finish_at(client, dossier, moment):
    """The chair's finishing form sent at `moment`, the clock read there."""
    dossier.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return client.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {
            "revision": dossier.revision, "state": dossier.state, "catatan": NOTE, "kata_sandi": "sopiku-demo"})


def test_minutes_of_a_meeting_not_yet_closed_are_not_signed_and_say_from_when(people, walk, settings):
    # The clock is moved to later today (and tomorrow): the chair's session, begun now, lasts until then
    # at whatever hour the test runs (it ends after a working day idle, counted from now).
    settings.SESSION_COOKIE_AGE = 2 * 24 * 60 * 60
    dossier = walk(STEP_BY_NUMBER[2].state)
    today = timezone.localdate()
    made = generate(client_for(people, "staf"), dossier, DocKind.NOTULEN_PERSIAPAN,
                    tanggal_rapat=today.isoformat(), waktu_mulai="09:00", waktu_ditutup="15:30")
    assert made.status_code == 302
    kasubag = client_for(people, "kasubag")

    # The meeting is still on at 10.00.
    refused = finish_at(kasubag, dossier, dt.datetime.combine(today, dt.time(10, 0), tzinfo=TZ))

    assert refused.status_code == 200
    page = re.sub(r"\s+", " ", refused.content.decode())
    assert "rapat itu belum selesai, maka notulennya baru dapat ditandatangani mulai" in page
    assert "pukul 15.30 WIB" in page
    assert NOTE in page  # the note typed is given back
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[2].state
    assert not record.latest(dossier, DocKind.NOTULEN_PERSIAPAN).is_final

    # Once the meeting has closed, the chair signs it.
    done = finish_at(kasubag, dossier, dt.datetime.combine(today, dt.time(15, 31), tzinfo=TZ))
    assert done.status_code == 302, done.content
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[3].state
    assert record.latest(dossier, DocKind.NOTULEN_PERSIAPAN).is_final
