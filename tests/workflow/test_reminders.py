"""`manage.py send_reminders`: near-due and overdue mail, once each, and the Kasubag's daily digest."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from lib.dates import TZ
from workflow import sla
from workflow.models import Delegation, DigestSent, Dossier, ReminderSent, StepVisit
from workflow.roles import Role
from workflow.steps import state_of


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def stand_at(dossier, step: int, entered: str):
    """The dossier waiting at `step` since `entered` (Pontianak time)."""
    Dossier.objects.filter(pk=dossier.pk).update(state=state_of(step))
    StepVisit.objects.filter(dossier=dossier).update(state=state_of(step), entered_at=at(entered))
    sla.reschedule_open()  # the stay was rewritten under its stored due moment


def remind(now: str) -> list:
    before = len(mail.outbox)
    call_command("send_reminders", "--now", now, stdout=StringIO())
    return mail.outbox[before:]


def test_near_due_then_overdue_each_mailed_once_to_whoever_holds_the_step(dossier):
    stand_at(dossier, 8, "2026-03-09 09:00")  # Kabiro, 30 minutes
    assert remind("2026-03-09T09:10") == []
    (near,) = remind("2026-03-09T09:25")
    assert near.to == ["kabiro@example.go.id"]
    assert near.subject == "[SOP-IKU] Mendekati batas waktu: Langkah 8, Penetapan IKU 2027"
    assert "Batas waktu: Senin, 9 Maret 2026 pukul 09.30" in near.body
    assert f"Buka: http://127.0.0.1:8000/dosier/{dossier.pk}/" in near.body
    assert remind("2026-03-09T09:26") == []
    (late,) = remind("2026-03-09T09:31")
    assert late.subject.startswith("[SOP-IKU] Terlambat: Langkah 8")
    assert "sudah melewati batas waktunya" in late.body
    assert remind("2026-03-09T09:32") == []


def test_running_twice_sends_nothing_new(dossier):
    stand_at(dossier, 6, "2026-03-09 08:00")
    first = remind("2026-03-09T09:45")
    assert len(first) == 2  # the overdue notice and, after opening, the Kasubag's digest
    assert remind("2026-03-09T09:45") == []


def test_a_reminder_and_a_digest_whose_record_was_lost_go_again_as_the_same_messages(dossier):
    stand_at(dossier, 6, "2026-03-09 08:00")
    first = remind("2026-03-09T09:45")
    # The database failed over between the sends and their commits: the records are lost.
    ReminderSent.objects.all().delete()
    DigestSent.objects.all().delete()
    again = remind("2026-03-09T09:45")
    assert [m.message()["Message-ID"] for m in again] == [m.message()["Message-ID"] for m in first]
    assert len({m.message()["Message-ID"] for m in first}) == 2
    # The next day's digest is a message of its own.
    (digest,) = remind("2026-03-10T07:30")
    assert digest.message()["Message-ID"] not in {m.message()["Message-ID"] for m in first}


def test_a_step_found_already_overdue_gets_only_the_overdue_notice(dossier):
    stand_at(dossier, 7, "2026-03-09 08:00")
    sent = remind("2026-03-09T07:00")  # before opening: no digest yet, nothing used
    assert sent == []
    assert remind("2026-03-10T07:00") == []  # still before opening: told when the office opens
    sent = [m for m in remind("2026-03-10T07:30") if not m.subject.endswith("Selasa, 10 Maret 2026")]  # not the digest
    assert [m.subject.split(":")[0] for m in sent] == ["[SOP-IKU] Terlambat"]
    assert sent[0].to == ["kabag@example.go.id"]


def test_a_plh_holding_the_role_that_day_is_reminded_too(dossier, people):
    # A run --now reads who stands in on that day, not on the machine's: the Plh. of 10 March is
    # reminded on 10 March, and the one of the real today is not.
    day = dt.date(2026, 3, 10)
    Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role=Role.KABAG,
                              starts_on=day, ends_on=day)
    today = timezone.localdate()
    Delegation.objects.create(official=people["kabag"], delegate=people["staf"], role=Role.KABAG,
                              starts_on=today, ends_on=today)
    stand_at(dossier, 7, "2026-03-09 08:00")
    (late,) = [m for m in remind("2026-03-10T07:30") if m.subject.startswith("[SOP-IKU] Terlambat")]
    assert sorted(late.to) == ["kabag@example.go.id", "tim@example.go.id"]


def test_a_trial_run_sends_and_records_nothing(dossier):
    stand_at(dossier, 6, "2026-03-09 08:00")
    out = StringIO()
    call_command("send_reminders", "--now", "2026-03-09T09:45", "--coba", stdout=out)
    assert "Percobaan: 2 pesan akan dikirim" in out.getvalue() and "Terlambat" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists() and not DigestSent.objects.exists()
    assert len(remind("2026-03-09T09:45")) == 2  # the real run sends them


def test_agencies_are_not_mailed_about_the_bureaus_steps(dossier):
    stand_at(dossier, 3, "2026-03-02 08:00")
    (late,) = [m for m in remind("2026-03-09T07:30") if m.subject.startswith("[SOP-IKU] Terlambat")]
    assert late.to == ["kasubag@example.go.id"]


def test_the_kasubag_gets_one_digest_per_working_day_after_opening(dossier, walk):
    stand_at(dossier, 8, "2026-03-09 09:00")
    remind("2026-03-09T10:00")  # the overdue notice, and the Monday digest
    assert remind("2026-03-10T07:00") == []  # Tuesday, before opening
    (digest,) = remind("2026-03-10T07:30")
    assert digest.to == ["kasubag@example.go.id"]
    assert digest.subject == "[SOP-IKU] 1 langkah terlambat, Selasa, 10 Maret 2026"
    assert "Langkah 8: Kabiro memeriksa dan menandatangani Nota" in digest.body
    assert "Menunggu: Dr. H. Syarif Abdullah, M.Si." in digest.body
    assert remind("2026-03-10T15:00") == []
    assert remind("2026-03-14T09:00") == []  # Saturday


def test_no_digest_when_nothing_is_overdue(dossier):
    stand_at(dossier, 1, "2026-03-09 09:00")
    assert remind("2026-03-09T10:00") == []


def test_a_bad_now_is_refused_with_status_two(db):
    with pytest.raises(CommandError, match="bukan waktu yang sah") as raised:
        call_command("send_reminders", "--now", "besok pagi", stdout=StringIO())
    assert raised.value.returncode == 2


def test_a_step_whose_letter_others_prepare_reminds_them_with_its_signer(dossier):
    # Step 4: the Kabiro signs the Surat ke SKPD the Kasubag or the Staf prepares; while it is not
    # there, the step waits on them as much as on him (their inboxes say "Siapkan Surat ke SKPD").
    stand_at(dossier, 4, "2026-03-09 08:00")
    late = [message for message in remind("2026-03-12T09:00") if "Terlambat: Langkah 4" in message.subject]
    assert len(late) == 1
    assert sorted(late[0].to) == ["kabiro@example.go.id", "kasubag@example.go.id", "staf@example.go.id"]
    assert late[0].message()["Date"].endswith("+0700")  # Pontianak's time, as the body reads


def test_the_digest_says_a_late_step_waits_on_nobody_and_what_to_do(dossier, people):
    stand_at(dossier, 8, "2026-03-09 09:00")
    people["kabiro"].is_active = False
    people["kabiro"].save()
    remind("2026-03-09T10:00")  # the overdue notice reaches nobody; the Monday digest
    (digest,) = remind("2026-03-10T07:30")
    body = " ".join(digest.body.split())
    assert ("Menunggu: - Tidak ada yang dapat menyelesaikannya: peran Kabiro tidak dipegang pengguna aktif mana pun, "
            "juga tidak oleh Plh./Plt. Minta admin mengaktifkan pejabatnya, memberi perannya kepada pengguna lain, "
            "atau mencatat Plt.") in body


def test_a_step_told_late_before_a_cuti_bersama_was_entered_is_told_again_when_its_new_deadline_passes(dossier, people):
    from tests.factories import client_for
    from worktime.models import SpecialDay

    stand_at(dossier, 7, "2026-05-12 15:00")  # the Kabag's 2 jam: due Wednesday 13 May 08.30
    (first,) = [m for m in remind("2026-05-13T08:35") if m.to == ["kabag@example.go.id"]]
    assert first.subject.startswith("[SOP-IKU] Terlambat: Langkah 7")
    # Wednesday was cuti bersama, entered by the admin only that morning: the deadline moves past
    # Kenaikan (Thursday) and its cuti bersama (Friday) to Monday 18 May 08.30.
    client_for(people, "admin").post("/admin/worktime/specialday/add/", {
        "date": "2026-05-13", "kind": SpecialDay.Kind.LIBUR, "note": "Cuti bersama"})
    assert SpecialDay.objects.filter(date=dt.date(2026, 5, 13)).exists()
    # Not late again before the new deadline (near it, which it was never told under the old one).
    assert [m.subject.split(":")[0] for m in remind("2026-05-18T08:25") if m.to == ["kabag@example.go.id"]] == [
        "[SOP-IKU] Mendekati batas waktu"]
    (again,) = [m for m in remind("2026-05-18T08:35") if m.to == ["kabag@example.go.id"]]
    assert again.subject.startswith("[SOP-IKU] Terlambat: Langkah 7")
    assert "Batas waktu: Senin, 18 Mei 2026 pukul 08.30" in again.body
    assert again.message()["Message-ID"] != first.message()["Message-ID"]
    assert remind("2026-05-18T08:40") == []
    assert ReminderSent.objects.filter(kind=ReminderSent.Kind.LATE).count() == 1


def test_a_deadline_a_calendar_edit_moves_into_the_past_at_night_is_told_at_the_next_opening(dossier, people):
    """Friday's cuti bersama was worked after all, and the admin says so at 20.00: the Kabag's step,
    due Monday under the old calendar, was due Friday 08.30 under the new one. The reminder run of
    20.15 mailed "Terlambat" that night; it now waits for Monday's opening, and goes once."""
    from tests.factories import client_for
    from worktime.models import SpecialDay

    stand_at(dossier, 7, "2026-05-13 15:00")  # the Kabag's 2 jam: Kenaikan and its cuti bersama, due Monday 08.30
    assert remind("2026-05-15T19:45") == []
    client_for(people, "admin").post("/admin/worktime/specialday/add/", {
        "date": "2026-05-15", "kind": SpecialDay.Kind.MASUK, "note": "Tetap masuk"})
    assert Dossier.objects.get(pk=dossier.pk).due_at == at("2026-05-15 08:30")
    for night in ("2026-05-15T20:15", "2026-05-16T09:00", "2026-05-18T07:15"):
        assert remind(night) == [], night
    assert not ReminderSent.objects.exists()
    sent = remind("2026-05-18T07:30")
    (late,) = [m for m in sent if m.to == ["kabag@example.go.id"]]
    assert late.subject.startswith("[SOP-IKU] Terlambat: Langkah 7")
    assert "Batas waktu: Jumat, 15 Mei 2026 pukul 08.30" in late.body
    assert remind("2026-05-18T07:45") == []


def test_a_date_alone_is_that_days_office_opening_not_its_midnight(dossier):
    # `--now 2026-03-10` was read as midnight, outside office hours: the overdue step was not told
    # and the run said nothing.
    stand_at(dossier, 7, "2026-03-09 08:00")
    out = StringIO()
    call_command("send_reminders", "--now", "2026-03-10", stdout=out)
    assert "dijalankan seolah Selasa, 10 Maret 2026 pukul 07.30 (jam masuk kantor)" in out.getvalue()
    late = [m for m in mail.outbox if m.subject.startswith("[SOP-IKU] Terlambat: Langkah 7")]
    assert len(late) == 1 and late[0].to == ["kabag@example.go.id"]
    assert ReminderSent.objects.get().sent_at == at("2026-03-10 07:30")


def test_a_date_alone_on_a_day_off_is_refused_naming_why(db):
    with pytest.raises(CommandError) as raised:
        call_command("send_reminders", "--now", "2026-03-14", stdout=StringIO())
    assert raised.value.returncode == 2
    assert str(raised.value) == ("--now 2026-03-14: Sabtu, 14 Maret 2026 bukan hari kerja, akhir pekan; tulis juga "
                                 "pukulnya bila memang dimaksud, misalnya 2026-03-14T10:30")
    assert not ReminderSent.objects.exists() and not DigestSent.objects.exists()


def test_a_moment_asked_outside_office_hours_says_why_nothing_went(dossier):
    stand_at(dossier, 7, "2026-03-09 08:00")
    out = StringIO()
    call_command("send_reminders", "--now", "2026-03-10T20:00", "--coba", stdout=out)
    assert ("Selasa, 10 Maret 2026 pukul 20.00 di luar jam kerja: pengingat langkah dan ringkasan harian dikirim "
            "pada jalan pertama sesudah jam masuk berikutnya.") in out.getvalue()
