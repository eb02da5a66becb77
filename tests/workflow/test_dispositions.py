"""Disposisi: the Kasubag hands a preparatory task to a named Staf with a due moment in working time;
it shows in that Staf's inbox and on the dossier, the Staf is told, and both acts are in the log."""

import datetime as dt
import html

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from lib.dates import TZ, moment_text
from tests.factories import admin_user_form, client_for
from workflow import demo, dispositions
from workflow.actions import DISPOSE, DISPOSE_DONE
from workflow.models import Disposition
from workflow.steps import STEP_BY_NUMBER
from worktime.models import SpecialDay, load_calendar


def give(people, dossier, **fields):
    form = {"kepada": people["staf"].pk, "instruksi": "Siapkan konsep Undangan workshop, cek daftar SKPD",
            "waktu_amount": "4", "waktu_unit": "jam", "state": dossier.state} | fields
    return client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/disposisi/", form)


def admin_saves(people, user, form) -> str:
    """The admin saves `user`'s page with `form`: what the admin is told, as one text."""
    saved = client_for(people, "admin").post(f"/admin/workflow/user/{user.pk}/change/", form, follow=True)
    return " ".join(str(message) for message in saved.context["messages"])


def test_the_kasubag_gives_a_disposisi_that_waits_in_the_stafs_inbox(people, dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = give(people, dossier)
    assert response.status_code == 302
    given = Disposition.objects.get()
    # Four working hours from when it was given, by the office calendar.
    assert given.due_at == load_calendar().add_waktu(given.given_at, 4, "jam")
    inbox = client_for(people, "staf").get("/").content.decode()
    assert "Disposisi: Siapkan konsep Undangan workshop" in inbox and "tenggat" in inbox
    # Told at once, by mail and in the notices list.
    assert any(m.to == [people["staf"].email] and "Disposisi" in m.subject for m in mail.outbox)
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert "Andi Saputra" in page and "Siapkan konsep Undangan workshop" in page
    listed = page.split('id="disposisi"')[1].split("</section>")[0]
    assert f"<strong>{people['staf'].display_name}</strong>" in listed
    assert f"dari {people['kasubag'].display_name}," in listed
    event = dossier.events.get(action=DISPOSE)
    assert event.actor == people["kasubag"] and "Kepada Andi Saputra" in event.note


def test_a_disposisis_deadline_reads_with_its_weekday_as_every_other_deadline(people, dossier):
    # The inbox and the dossier page read "tenggat 3 September 2030 pukul 10.00" where every other
    # deadline, the disposisi's own page included, names the day: "Selasa, 3 September 2030 pukul 10.00".
    monday = dt.datetime(2030, 9, 2, 10, 0, tzinfo=TZ)
    given = dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"], instruksi="Siapkan daftar SKPD",
                              waktu_amount=1, waktu_unit="hari", at=monday)
    said = f"tenggat {moment_text(given.due_at)}"
    assert said == "tenggat Selasa, 3 September 2030 pukul 10.00"
    assert said in client_for(people, "staf").get("/").content.decode()
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert said in page.split('id="disposisi"')[1].split("</section>")[0]


def test_the_staf_reports_it_done_and_the_log_says_so(people, dossier):
    give(people, dossier)
    given = Disposition.objects.get()
    staf = client_for(people, "staf")
    assert "Laporkan disposisi selesai" in staf.get(f"/dosier/{dossier.pk}/").content.decode()
    staf.post(f"/dosier/{dossier.pk}/disposisi/{given.pk}/selesai/", {"hasil": "Konsep diunggah"})
    given.refresh_from_db()
    assert given.done_by == people["staf"] and given.hasil == "Konsep diunggah"
    assert dossier.events.get(action=DISPOSE_DONE).note.endswith("selesai: Konsep diunggah")
    assert "Disposisi:" not in staf.get("/").content.decode()
    # Done once: a second report is refused.
    assert staf.post(f"/dosier/{dossier.pk}/disposisi/{given.pk}/selesai/", {}).status_code == 403


def test_a_disposisi_reported_done_again_says_who_finished_it_and_when(people, dossier):
    # The Kasubag closes it while the Staf still has its report open (or a second tab of theirs).
    give(people, dossier)
    given = Disposition.objects.get()
    url = f"/dosier/{dossier.pk}/disposisi/{given.pk}/selesai/"
    assert client_for(people, "kasubag").post(url, {"hasil": "Ditangani Kasubag"}).status_code == 302
    given.refresh_from_db()
    staf = client_for(people, "staf")
    # Posted from the page (browsers send Origin), the report typed is given back to copy.
    for response in (staf.get(url), staf.post(url, {"hasil": "Konsep diunggah"}, HTTP_ORIGIN="http://testserver")):
        assert response.status_code == 403
        page = html.unescape(response.content.decode())
        assert (f"sudah dilaporkan selesai oleh {people['kasubag'].display_name} pada {moment_text(given.done_at)}"
                in page), page
        assert "Ditangani Kasubag" in page
        if response.request["REQUEST_METHOD"] == "POST":
            assert "Konsep diunggah" in page
    # Their own second tab: said as theirs.
    give(people, dossier, instruksi="Cek daftar hadir")
    again = Disposition.objects.get(done_at__isnull=True)
    url = f"/dosier/{dossier.pk}/disposisi/{again.pk}/selesai/"
    assert staf.post(url, {"hasil": "Sudah"}).status_code == 302
    assert "sudah dilaporkan selesai oleh Anda sendiri" in html.unescape(staf.post(url, {"hasil": "Sudah"}).content.decode())


def test_only_the_kasubag_gives_and_only_to_staff(people, dossier, walk):
    for username in ("staf", "kabag", "kabiro", "tim", "dinkes"):
        response = client_for(people, username).post(f"/dosier/{dossier.pk}/disposisi/", {"state": dossier.state})
        assert response.status_code in (403, 404), username
    refused = give(people, dossier, kepada=people["kabag"].pk)
    assert "Pilih staf dari daftar." in refused.content.decode()
    # The service asks the same policy, whoever calls it.
    with pytest.raises(ValidationError):
        dispositions.give(dossier, people["kasubag"], assigned_to=people["tim"], instruksi="x", waktu_amount=1,
                          waktu_unit="jam")
    # The Kabag's paraf (step 7) has nothing for the Staf to prepare.
    at_seven = walk(STEP_BY_NUMBER[7].state)
    assert give(people, at_seven).status_code == 403
    assert not Disposition.objects.exists()


def test_an_impossible_duration_is_refused_beside_the_field_with_the_text_kept(people, dossier):
    page = give(people, dossier, waktu_amount="90", waktu_unit="hari").content.decode()
    assert "antara 1 dan 20" in page and "cek daftar SKPD" in page
    assert not Disposition.objects.exists()


def test_a_time_out_of_bounds_is_told_in_the_chosen_unit_with_what_it_allows(people, dossier):
    """A 0 said Django's "Pastikan nilai ini lebih besar dari atau sama dengan 1.", and 500 hours its
    "lebih kecil dari atau sama dengan 480", naming neither the unit chosen nor what it allows."""
    for amount, unit, told in [("0", "jam", "Waktu dalam jam kerja: antara 1 dan 40 jam."),
                               ("0", "hari", "Waktu dalam hari kerja: antara 1 dan 20 hari."),
                               ("-2", "hari", "Waktu dalam hari kerja: antara 1 dan 20 hari."),
                               ("500", "jam", "Waktu dalam jam kerja: antara 1 dan 40 jam."),
                               ("10", "menit", "Waktu dalam menit kerja: antara 15 dan 480 menit."),
                               ("1,5", "jam", "Waktu harus bilangan bulat, misalnya 4.")]:
        refused = give(people, dossier, waktu_amount=amount, waktu_unit=unit)
        assert refused.status_code == 200, (amount, unit)
        errors = refused.context["form"].errors
        assert errors == {"waktu_amount": [told]}, (amount, unit, errors)
        page = html.unescape(refused.content.decode())
        assert told in page and "Pastikan nilai" not in page and "cek daftar SKPD" in page
    assert not Disposition.objects.exists()


def test_a_disposisi_given_after_the_step_moved_keeps_the_text_and_says_so(people, dossier):
    seen = dossier.state
    demo.walk_to(dossier, people, STEP_BY_NUMBER[2].state)
    page = give(people, dossier, state=seen).content.decode()
    assert "sudah berubah" in page and "cek daftar SKPD" in page
    assert not Disposition.objects.exists()


def test_an_open_disposisi_leaves_the_inbox_when_the_dossier_moves_on(people, dossier):
    give(people, dossier)
    demo.walk_to(dossier, people, STEP_BY_NUMBER[4].state)
    assert "Disposisi:" not in client_for(people, "staf").get("/").content.decode()
    # ... and its record stays on the dossier, said to have lapsed, not left open with its deadline.
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert "Siapkan konsep Undangan" in page
    assert "gugur: dosier sudah pindah dari Langkah 1" in page
    assert dt.timedelta(0) < Disposition.objects.get().due_at - Disposition.objects.get().given_at


def test_the_report_form_takes_any_text_without_a_server_error_and_keeps_a_refused_one(people, dossier):
    from hypothesis import HealthCheck, given, settings

    from tests.security.test_hostile_input import HOSTILE

    staf = client_for(people, "staf")

    def open_one():
        return Disposition.objects.filter(done_at=None).first() or dispositions.give(
            dossier, people["kasubag"], assigned_to=people["staf"], instruksi="Siapkan daftar hadir",
            waktu_amount=1, waktu_unit="jam")

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(HOSTILE)
    def attack(hasil):
        given_one = open_one()
        response = staf.post(f"/dosier/{dossier.pk}/disposisi/{given_one.pk}/selesai/", {"hasil": hasil})
        assert response.status_code in (200, 302), hasil
        assert staf.get(f"/dosier/{dossier.pk}/").status_code == 200

    attack()
    long_report = "Laporan " + "panjang " * 200
    given_one = open_one()
    page = staf.post(f"/dosier/{dossier.pk}/disposisi/{given_one.pk}/selesai/", {"hasil": long_report})
    assert page.status_code == 200 and long_report.strip() in page.content.decode()
    given_one.refresh_from_db()
    assert given_one.done_at is None


def test_the_dossier_page_and_the_inbox_cost_the_same_queries_for_one_disposisi_or_many(people, dossier):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    give(people, dossier)
    staf = client_for(people, "staf")
    staf.get(f"/dosier/{dossier.pk}/")  # the process reads its calendar once
    with CaptureQueriesContext(connection) as few_page:
        staf.get(f"/dosier/{dossier.pk}/")
    with CaptureQueriesContext(connection) as few_inbox:
        staf.get("/")
    for n in range(5):
        give(people, dossier, instruksi=f"Tugas tambahan {n}")
    with CaptureQueriesContext(connection) as many_page:
        page = staf.get(f"/dosier/{dossier.pk}/").content.decode()
    with CaptureQueriesContext(connection) as many_inbox:
        inbox = staf.get("/").content.decode()
    assert "Tugas tambahan 4" in page and "Tugas tambahan 4" in inbox
    assert len(many_page) == len(few_page)
    assert len(many_inbox) == len(few_inbox)


def test_every_step_a_disposisi_can_be_given_at_already_waits_on_the_staf(people):
    # Why the inbox's filter has no clause for dispositions: a Staf's inbox holds every such step.
    from workflow import policy
    from workflow.models import Dossier
    from workflow.steps import ACTIVE_STATES

    disposable = [state for state in ACTIVE_STATES if policy.disposing_as(people["kasubag"], Dossier(state=state))]
    assert disposable
    assert set(disposable) <= set(policy.inbox_states(people["staf"]))


def test_a_holiday_declared_on_a_waiting_disposisis_last_day_moves_its_deadline(people, dossier, admin_client):
    # Given Monday 2 September 2030 10.00 for one working day: due Tuesday 10.00, until the admin
    # declares that Tuesday a cuti bersama (and moves the step's own deadline with it).
    monday = dt.datetime(2030, 9, 2, 10, 0, tzinfo=TZ)
    dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"], instruksi="Siapkan daftar SKPD",
                      waktu_amount=1, waktu_unit="hari", at=monday)
    staf = client_for(people, "staf")
    assert "tenggat Selasa, 3 September 2030 pukul 10.00" in staf.get("/").content.decode()
    added = admin_client.post("/admin/worktime/specialday/add/",
                              {"date": "03-09-2030", "kind": "libur", "note": "Cuti bersama uji"})
    assert added.status_code == 302
    assert Disposition.objects.get().due_at == dt.datetime(2030, 9, 4, 10, 0, tzinfo=TZ)
    assert "tenggat Rabu, 4 September 2030 pukul 10.00" in staf.get("/").content.decode()
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert "tenggat Rabu, 4 September 2030 pukul 10.00" in page
    # Taken back: the deadline is Tuesday's again.
    day = SpecialDay.objects.get()
    assert admin_client.post(f"/admin/worktime/specialday/{day.pk}/delete/", {"post": "yes"}).status_code == 302
    assert "tenggat Selasa, 3 September 2030 pukul 10.00" in staf.get("/").content.decode()


def test_deactivating_a_staf_who_holds_a_disposisi_says_so_to_the_admin_and_the_kasubag(people, dossier):
    # The admin read only "berhasil diubah", and the disposisi waited on the dossier page for someone
    # who could no longer sign in, looking like any other.
    give(people, dossier)
    staf = people["staf"]
    told = admin_saves(people, staf, admin_user_form(staf, is_active=""))
    assert (f"{staf} masih memegang 1 disposisi yang belum dilaporkan selesai ({dossier.judul}, "
            f"Langkah 1: {STEP_BY_NUMBER[1].ringkas}), yang kini tidak dapat dilaporkannya.") in told
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    listed = page.split('id="disposisi"')[1].split("</section>")[0]
    assert f"{staf.display_name} sudah nonaktif: laporkan selesai atau beri disposisi baru kepada staf lain" in listed
    assert "Laporkan disposisi selesai" in listed


def test_a_disposisi_lapsed_by_the_move_stays_lapsed_when_the_kabag_returns_the_draft(people, walk):
    """Given at step 6, not reported done when the Kasubag finished the step; the Kabag returns the
    draft to step 6: the old disposisi does not come back to the Staf's inbox with its old deadline
    (late at once), it stays lapsed; one given after the return waits as any other."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    give(people, dossier, instruksi="Siapkan draft Nota Dinas pertama")
    demo.prepare_step(dossier, people)
    demo.finish(dossier, people["kasubag"])
    dossier.refresh_from_db()
    client_for(people, "kabag").post(f"/dosier/{dossier.pk}/aksi/kembalikan/", {
        "revision": dossier.revision, "state": dossier.state, "catatan": "Formula indikator belum terukur"})
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[6].state
    staf = client_for(people, "staf")
    assert "Siapkan draft Nota Dinas pertama" not in staf.get("/").content.decode()
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert "gugur: dosier sudah pindah dari Langkah 6" in page
    old = Disposition.objects.get()
    assert staf.post(f"/dosier/{dossier.pk}/disposisi/{old.pk}/selesai/", {"hasil": "x"}).status_code == 403
    assert dispositions.reschedule_open() == 0
    give(people, dossier, instruksi="Perbaiki formula indikator Dinas Sosial")
    inbox = staf.get("/").content.decode()
    assert "Perbaiki formula indikator Dinas Sosial" in inbox and "Siapkan draft Nota Dinas pertama" not in inbox
