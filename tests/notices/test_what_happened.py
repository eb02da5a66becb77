"""Hand-offs that say what happened (issue 26): a return says "dikembalikan oleh Kabag" with the note
to each person who must act; the corrected draft reaches the Kabag marked as such with the fix note;
the Kasubag hears when an agency sends or sends again and when a disposisi is done; a Plh./Plt. when
the delegation starts and ends. Each is told once, with a one-line subject."""

import datetime as dt
import re
from io import StringIO

from django.core import mail, serializers
from django.core.management import call_command
from django.utils import timezone

from lib.dates import long_date, moment_text
from notices.handoff import deliver
from notices.models import Notice, NoticePreference
from notices.tasks import mail_notices
from tests.factories import client_for
from tests.notices.test_office_hours import working_days
from workflow import demo, dispositions, services
from workflow.actions import Action
from workflow.models import AuditEvent, Delegation, User, UserRole
from workflow.steps import STEP_BY_NUMBER, now_at
from worktime.models import load_calendar

RETURN_NOTE = "Formula indikator Dinas Sosial belum terukur.\nLengkapi lampiran target."


def told(people, *usernames, event=None) -> dict:
    """The one e-mail each of `usernames` got (failing on none or two), by username; every subject
    one line."""
    for message in mail.outbox:
        # As given to the mail library: a break here is refused (BadHeaderError); the library's own
        # folding of a long Subject when it writes the message is not one.
        assert "\n" not in message.subject and "\r" not in message.subject
    found = {}
    for username in usernames:
        (found[username],) = [m for m in mail.outbox if m.to == [people[username].email]]
        if event is not None:
            assert Notice.objects.filter(recipient=people[username], event=event).count() == 1
    return found


def give_back(dossier, people, note=RETURN_NOTE):
    dossier.refresh_from_db()
    return services.perform(dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision, catatan=note)


def finish(dossier, people, who="kasubag", **fields):
    dossier.refresh_from_db()
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    return services.perform(dossier, people[who], Action.SELESAIKAN, revision=dossier.revision, **fields)


def test_a_return_tells_the_kasubag_and_the_staf_it_was_returned_with_the_kabags_note(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    event = give_back(dossier, people)
    mail.outbox = []
    deliver(event.pk)
    deliver(event.pk)  # a duplicate run of the task tells nobody twice
    sent = told(people, "kasubag", "staf", event=event)
    assert sent["kasubag"].subject == "Dosier uji: Dikembalikan oleh Kabag, Paraf dan serahkan ke Kabag"
    assert sent["kasubag"].body.startswith(
        "Draft dikembalikan oleh Kabag Drs. Hendra Gunawan, M.M. ke Langkah 6: Nota dan draft IKU Provinsi.\n"
        "Catatan Kabag: Formula indikator Dinas Sosial belum terukur.\nLengkapi lampiran target.\n"
        "Yang perlu Anda lakukan: Paraf dan serahkan ke Kabag.\nTenggat: ")
    dossier.refresh_from_db()
    assert f"Tenggat: {moment_text(dossier.due_at)}.\n\nBuka: " in sent["kasubag"].body
    assert sent["staf"].subject.startswith("Dosier uji: Dikembalikan oleh Kabag, Siapkan Nota Dinas")
    assert "Catatan Kabag: Formula indikator Dinas Sosial belum terukur." in sent["staf"].body
    # The Kabag who returned it, and those with nothing to do at step 6, hear nothing.
    assert {m.to[0] for m in mail.outbox} == {people["kasubag"].email, people["staf"].email}
    page = client_for(people, "kasubag").get("/pemberitahuan/").content.decode()
    assert "Dikembalikan oleh Kabag" in page and "Formula indikator Dinas Sosial belum terukur.<br>" in page


def test_the_corrected_draft_reaches_the_kabag_marked_as_such_with_the_fix_note(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    give_back(dossier, people, "Target Dinas Kesehatan belum memuat tahun.")
    event = finish(dossier, people, catatan="Target Dinas Kesehatan kini memuat tahun 2027.")
    mail.outbox = []
    deliver(event.pk)
    deliver(event.pk)
    sent = told(people, "kabag", event=event)["kabag"]
    assert sent.subject == "Dosier uji: Draft perbaikan, Paraf dan teruskan ke Kabiro"
    today = timezone.localdate()
    assert (f"Draft perbaikan dari Kasubag Rina Marlina, S.E., M.Si., setelah dikembalikan oleh Kabag pada "
            f"{today.day} ") in sent.body
    assert "Catatan pengembalian: Target Dinas Kesehatan belum memuat tahun.\n" in sent.body
    assert "Catatan perbaikan: Target Dinas Kesehatan kini memuat tahun 2027.\n" in sent.body
    assert "Yang perlu Anda lakukan: Paraf dan teruskan ke Kabiro." in sent.body


def test_a_corrected_draft_without_a_fix_note_says_there_is_none_and_a_first_draft_is_no_correction(people, walk):
    returned = walk(STEP_BY_NUMBER[7].state)
    give_back(returned, people)
    event = finish(returned, people)
    mail.outbox = []
    deliver(event.pk)
    sent = told(people, "kabag")["kabag"]
    assert "Draft perbaikan" in sent.subject
    assert "Catatan perbaikan: tidak ada (Kasubag tidak menulis catatan)." in sent.body
    first = finish(walk(STEP_BY_NUMBER[6].state, judul="Dosier baru"), people, catatan="Siap diparaf.")
    mail.outbox = []
    deliver(first.pk)
    sent = told(people, "kabag")["kabag"]
    assert sent.subject == "Dosier baru: Paraf dan teruskan ke Kabiro"
    assert "perbaikan" not in sent.body
    assert "Catatan Kasubag Rina Marlina, S.E., M.Si.: Siap diparaf." in sent.body


def test_the_kasubag_is_told_when_an_agency_sends_its_iku_and_when_it_sends_again(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    event = demo.submit_iku(dossier, people["dinkes"], "Konsep IKU")
    # Renamed in the admin before the queued notice went: it names who sent, as they were then.
    type(people["dinkes"]).objects.filter(pk=people["dinkes"].pk).update(nama="Bambang Sutrisno Wijaya, S.K.M.")
    mail.outbox = []
    deliver(event.pk)
    deliver(event.pk)
    sent = told(people, "kasubag", event=event)["kasubag"]
    assert [m.to for m in mail.outbox] == [[people["kasubag"].email]]  # the agency, Staf, Kabag: nothing
    assert sent.subject == "Dosier uji: Dinas Kesehatan mengirim Konsep IKU"
    assert sent.body.startswith("Dinas Kesehatan mengirim Konsep IKU: 1 indikator, versi 1.\n"
                                "Dikirim oleh Bambang Sutrisno, S.K.M. (SKPD) pada ")
    assert "Catatan SKPD: Konsep IKU Dinas Kesehatan." in sent.body

    # At step 6 after a return, the bureau reopens the agency's Bahan and it sends it again.
    again = walk(STEP_BY_NUMBER[7].state, judul="Dosier dikembalikan")
    give_back(again, people)
    again.refresh_from_db()
    services.perform(again, people["kasubag"], Action.BUKA_KEMBALI_IKU, revision=again.revision,
                     skpd=people["dinkes"].skpd, catatan="Target belum memuat tahun.")
    resent = demo.submit_iku(again, people["dinkes"], "Perbaikan")
    mail.outbox = []
    deliver(resent.pk)
    sent = told(people, "kasubag", event=resent)["kasubag"]
    assert sent.subject == "Dosier dikembalikan: Dinas Kesehatan mengirim ulang Bahan penyusunan IKU"
    assert sent.body.startswith("Dinas Kesehatan mengirim ulang Bahan penyusunan IKU: 1 indikator, versi 2.\n")


def test_a_plh_kasubag_is_told_as_such_and_not_once_the_kasubag_is_deactivated(people, walk):
    # The Staf stands in for the Kasubag today: the agency's send reaches both, the Staf's mail saying
    # in what capacity. Standing in for an official since deactivated gives no role (policy.roles_of),
    # so nobody is told as the Kasubag then: not the Staf, in words meant for the Kasubag.
    today = timezone.localdate()
    Delegation.objects.create(official=people["kasubag"], delegate=people["staf"], role="kasubag",
                              starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1))
    dossier, second = walk(STEP_BY_NUMBER[3].state), walk(STEP_BY_NUMBER[3].state, judul="Dosier kedua")
    event = demo.submit_iku(dossier, people["dinkes"], "Konsep IKU")
    mail.outbox = []
    deliver(event.pk)
    sent = told(people, "kasubag", "staf", event=event)
    assert "sebagai" not in sent["kasubag"].body
    assert "\nAnda menerima ini sebagai Plh. Kasubag.\n" in sent["staf"].body

    people["kasubag"].is_active = False
    people["kasubag"].save()
    again = demo.submit_iku(second, people["dinkes"], "Konsep IKU")
    mail.outbox = []
    deliver(again.pk)
    assert mail.outbox == [] and not Notice.objects.filter(event=again).exists()


def test_the_kasubag_is_told_when_the_staf_reports_a_disposisi_done(people, dossier):
    given = dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"],
                              instruksi="Siapkan daftar hadir.\nCetak dua rangkap.", waktu_amount=1, waktu_unit="hari")
    dispositions.finish(given, people["staf"], hasil="Daftar hadir diunggah")
    event = AuditEvent.objects.get(dossier=dossier, action="disposisi_selesai")
    mail.outbox = []
    deliver(event.pk)
    deliver(event.pk)
    sent = told(people, "kasubag", event=event)["kasubag"]
    assert [m.to for m in mail.outbox] == [[people["kasubag"].email]]
    assert sent.subject == "Penetapan IKU 2027: Disposisi selesai, Siapkan daftar hadir. Cetak dua rangkap."
    assert sent.body.startswith("Staf Andi Saputra, S.Kom. melaporkan disposisi selesai.\n"
                                "Disposisi: Siapkan daftar hadir.\nCetak dua rangkap.\n"
                                "Hasil: Daftar hadir diunggah.\n")


def test_a_disposisi_the_kasubag_closes_herself_tells_nobody(people, dossier):
    given = dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"], instruksi="Cek daftar SKPD",
                              waktu_amount=1, waktu_unit="hari")
    dispositions.finish(given, people["kasubag"])
    mail.outbox = []
    deliver(AuditEvent.objects.get(dossier=dossier, action="disposisi_selesai").pk)
    assert mail.outbox == []


def test_the_disposisi_mail_gives_the_instruction_once_with_its_due_moment(people, dossier):
    dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"],
                      instruksi="Siapkan konsep Undangan workshop", waktu_amount=4, waktu_unit="jam")
    mail.outbox = []
    deliver(AuditEvent.objects.get(dossier=dossier, action="disposisi").pk)
    sent = told(people, "staf")["staf"]
    assert sent.subject == "Penetapan IKU 2027: Disposisi: Siapkan konsep Undangan workshop"
    assert sent.body.count("Siapkan konsep Undangan workshop") == 1
    assert sent.body.startswith("Disposisi dari Kasubag Rina Marlina, S.E., M.Si.:\n"
                                "Siapkan konsep Undangan workshop.\nBatas waktu: ")


def test_hand_offs_told_late_tell_each_person_once_in_the_words_of_the_last(people, walk):
    """A worker that ran late, or the demo whose history is told once all of it is committed: every
    past hand-off was told in the words of the dossier's position now, three times over at step 3."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    mail.outbox = []
    for event in dossier.events.order_by("pk"):
        deliver(event.pk)
    sent = told(people, "dinkes", "staf")
    assert sent["dinkes"].subject == "Dosier uji: Kirim Konsep IKU Dinas Kesehatan"
    # Only the last hand-off is told: opening the round (step 1) and the move to step 2 are over.
    assert set(Notice.objects.values_list("event", flat=True)) == {dossier.events.order_by("pk").last().pk}


def delegation_form(people, starts_on, ends_on):
    return {"role": "kabag", "delegate": people["kasubag"].pk, "kind": "plh", "dasar": "ST 800/12",
            "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()}


def test_a_delegate_is_told_when_the_delegation_starts_and_when_it_is_ended(
        people, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    kabag = client_for(people, "kabag")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        kabag.post("/pelimpahan/", delegation_form(people, today, today + dt.timedelta(days=2)))
    sent = told(people, "kasubag")["kasubag"]
    assert sent.subject == "Pelimpahan dimulai: Anda Plh. Kabag atas nama Drs. Hendra Gunawan, M.M."
    end = today + dt.timedelta(days=2)
    assert sent.body.startswith(f"Mulai {today.day} ") and f"sampai dengan {end.day} " in sent.body
    assert "Anda bertindak sebagai Plh. Kabag atas nama Drs. Hendra Gunawan, M.M.\nDasar: ST 800/12." in sent.body
    assert "/pelimpahan/\n" in sent.body
    delegate = client_for(people, "kasubag")
    link = re.search(r'href="(/pemberitahuan/\d+/)">Pelimpahan dimulai', delegate.get("/pemberitahuan/").content.decode())
    assert delegate.get(link.group(1))["Location"] == "/pelimpahan/"

    delegation = Delegation.objects.get()
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        kabag.post(f"/pelimpahan/{delegation.pk}/akhiri/")
    sent = told(people, "kasubag")["kasubag"]
    assert sent.subject == "Pelimpahan diakhiri: Plh. Kabag atas nama Drs. Hendra Gunawan, M.M."
    assert f"diakhiri lebih awal: mulai {today.day} " in sent.body and "tidak lagi bertindak sebagai Kabag" in sent.body
    assert Notice.objects.filter(recipient=people["kasubag"]).count() == 2


def test_a_basis_typed_as_a_sentence_is_closed_once(people, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    form = delegation_form(people, today, today + dt.timedelta(days=2)) | {"dasar": "ST/1/2026."}
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people, "kabag").post("/pelimpahan/", form)
    body = told(people, "kasubag")["kasubag"].body
    assert "\nDasar: ST/1/2026.\n" in body and ".." not in body


def test_a_running_delegation_ended_early_and_one_called_off_before_it_began(
        people, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    kabag = client_for(people, "kabag")
    with django_capture_on_commit_callbacks(execute=True):
        # Recorded in the admin the day before (the page starts a delegation today at the earliest).
        running = Delegation.objects.create(
            official=people["kabag"], delegate=people["kasubag"], role="kabag",
            starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=3))
        kabag.post("/pelimpahan/", delegation_form(people, today + dt.timedelta(days=5), today + dt.timedelta(days=6)))
    later = Delegation.objects.exclude(pk=running.pk).get()
    named = Notice.objects.get(key=f"pelimpahan:{later.pk}:ditunjuk")
    assert named.judul.startswith("Anda ditunjuk sebagai Plh. Kabag mulai ")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        kabag.post(f"/pelimpahan/{running.pk}/akhiri/")
        kabag.post(f"/pelimpahan/{later.pk}/akhiri/")
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Pelimpahan diakhiri: Plh. Kabag atas nama Drs. Hendra Gunawan, M.M.",
                        "Pelimpahan dibatalkan: Plh. Kabag atas nama Drs. Hendra Gunawan, M.M."]
    assert "dibatalkan sebelum berlaku" in [m for m in mail.outbox if "dibatalkan" in m.subject][0].body


def remind(now: dt.date) -> str:
    """The run at `now`'s opening, the first that tells a delegation's news (in office hours only)."""
    out = StringIO()
    spans = load_calendar().day(now).spans
    moment = spans[0][0].replace(tzinfo=None) if spans else dt.datetime.combine(now, dt.time(7))
    call_command("send_reminders", "--now", moment.isoformat(), stdout=out)
    # Not the Kasubag's digest, which the opening's run sends too.
    return "".join(line for line in out.getvalue().splitlines(keepends=True) if not line.startswith("Ringkasan harian"))


def test_the_daily_check_tells_the_first_day_of_one_named_ahead_and_the_end_by_date_once_each(people):
    # Working days, whose opening the check tells at (tests/notices/test_office_hours.py).
    today, first, last = working_days(timezone.localdate(), 3)
    Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                              starts_on=first, ends_on=last)
    # Its naming was mailed by the worker after the commit, which a test never reaches: left unmailed,
    # the daily check run three days on sent it late, or not, by the hour of the day the test ran.
    Notice.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    mail.outbox = []
    assert remind(today) == ""  # named already, not begun
    assert "Pelimpahan dimulai" in remind(first)
    assert remind(first) == "" and remind(last) == ""
    after, later = working_days(last, 2)  # the days after its last
    assert "Pelimpahan berakhir" in remind(after)
    assert remind(later) == ""
    started, ended = told_in_order = [m for m in mail.outbox if m.to == [people["kasubag"].email]]
    assert len(told_in_order) == 2
    assert started.subject == "Pelimpahan dimulai: Anda Plh. Kabag atas nama Drs. Hendra Gunawan, M.M."
    assert ended.subject == "Pelimpahan berakhir: Plh. Kabag atas nama Drs. Hendra Gunawan, M.M."
    assert f"berakhir pada {last.day} " in ended.body
    assert all("\n" not in m.subject for m in mail.outbox)


def test_the_daily_check_leaves_a_delegation_nobody_was_told_of_alone(people):
    today = timezone.localdate()
    # Recorded after the fact: over before anyone could be told it began.
    Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                              starts_on=today - dt.timedelta(days=3), ends_on=today - dt.timedelta(days=1))
    mail.outbox = []
    assert remind(today) == ""
    assert mail.outbox == [] and not Notice.objects.exists()


def test_delegation_notices_respect_the_preferences_and_are_mailed_once(people):
    NoticePreference.objects.create(user=people["kasubag"], by_email=False, in_app=True)
    NoticePreference.objects.create(user=people["staf"], by_email=True, in_app=False)
    today = timezone.localdate()
    Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                              starts_on=today, ends_on=today)
    Delegation.objects.create(official=people["kasubag"], delegate=people["staf"], role="kasubag",
                              starts_on=today, ends_on=today)
    ids = list(Notice.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    mail.outbox = []
    mail_notices.enqueue(ids)
    mail_notices.enqueue(ids)  # a retried task
    assert [m.to for m in mail.outbox] == [[people["staf"].email]]
    assert "Pelimpahan dimulai" in client_for(people, "kasubag").get("/pemberitahuan/").content.decode()
    assert "Pelimpahan dimulai" not in client_for(people, "staf").get("/pemberitahuan/").content.decode()


def test_a_restored_delegation_tells_nobody(people):
    today = timezone.localdate()
    delegation = Delegation.objects.create(official=people["kabag"], delegate=people["kasubag"], role="kabag",
                                           starts_on=today, ends_on=today + dt.timedelta(days=1))
    data = serializers.serialize("json", [delegation])
    Notice.objects.all().delete()
    Delegation.objects.filter(pk=delegation.pk).delete()
    Notice.objects.all().delete()  # the deletion's own notice: the restore below must add none
    for restored in serializers.deserialize("json", data):
        restored.save()  # what loaddata does: a raw save
    assert Delegation.objects.filter(pk=delegation.pk).exists()
    assert not Notice.objects.exists()


def test_the_kabag_reads_on_the_paraf_page_that_the_draft_is_corrected_with_both_notes(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    kabag = client_for(people, "kabag")
    assert "Draft perbaikan" not in kabag.get(f"/dosier/{dossier.pk}/aksi/selesaikan/").content.decode()
    give_back(dossier, people, "Target Dinas Kesehatan belum memuat tahun.")
    finish(dossier, people, catatan="Target Dinas Kesehatan kini memuat tahun 2027.")
    for url in (f"/dosier/{dossier.pk}/aksi/selesaikan/", f"/dosier/{dossier.pk}/aksi/kembalikan/", f"/dosier/{dossier.pk}/"):
        page = kabag.get(url).content.decode()
        assert "<strong>Draft perbaikan</strong>: diserahkan kembali oleh Rina Marlina" in page, url
        assert "Catatan pengembalian:</strong> Target Dinas Kesehatan belum memuat tahun." in page, url
        assert "Catatan perbaikan:</strong> Target Dinas Kesehatan kini memuat tahun 2027." in page, url


def test_a_return_note_longer_than_a_notice_holds_is_cut_between_words_and_says_so(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    note = " ".join(f"({n}) target baris {n} belum terukur, cek ulang sumber datanya" for n in range(1, 60))[:2000]
    event = give_back(dossier, people, note)
    mail.outbox = []
    deliver(event.pk)
    notice = Notice.objects.get(recipient=people["kasubag"], event=event)
    assert len(notice.isi) <= 2000
    assert notice.isi.endswith(" …\n(Selengkapnya di halaman dosier.)")
    kept = notice.isi.removesuffix(" …\n(Selengkapnya di halaman dosier.)")
    # Cut after a whole word of the note.
    shown = kept[kept.index("(1)"):]
    assert note.startswith(shown) and note[len(shown)] in " ,"
    assert " …\n(Selengkapnya di halaman dosier.)" in told(people, "kasubag", event=event)["kasubag"].body
    # The whole note is on the dossier's page.
    assert note in client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()


def test_the_forwarding_to_asisten_i_says_the_dossier_now_waits_for_the_governors_signature(people, walk):
    """It said "Dosier kini di Menunggu tanda tangan Gubernur." on the page and in the notices, a
    position's name pasted after "di" (right for "di Langkah 8: ...", a slip for this one)."""
    dossier = walk(STEP_BY_NUMBER[9].state)
    staf = client_for(people, "staf")
    answer = staf.post(f"/dosier/{dossier.pk}/aksi/selesaikan/", {"revision": dossier.revision,
                                                                  "state": dossier.state, "catatan": ""}, follow=True)
    said = [str(message) for message in answer.context["messages"]]
    assert said == ["Langkah 9: Diteruskan ke Asisten I selesai. Dosier kini menunggu tanda tangan Gubernur."]
    mail.outbox = []
    deliver(AuditEvent.objects.filter(dossier=dossier).latest("pk").pk)
    assert told(people, "kasubag")["kasubag"].body.startswith("Dosier kini menunggu tanda tangan Gubernur.\n")
    # A step's position keeps its "di".
    assert now_at(STEP_BY_NUMBER[8].state) == "di Langkah 8: Kabiro memeriksa dan menandatangani Nota"


def test_a_cancelled_round_tells_the_invited_agencies_and_whoever_had_its_step_why(people, walk):
    """The Kabiro cancels while the agencies type their Konsep IKU: the round just dropped out of
    their inboxes, nobody told (a cancelled dossier waits on no one, so the hand-off told no one)."""
    from workflow.steps import STATE_LABELS, STEPS

    drafting = next(step for step in STEPS if step.iku_stage)
    dossier = walk(drafting.state)
    mail.outbox = []
    event = services.perform(dossier, people["kabiro"], Action.BATALKAN, revision=dossier.revision,
                             alasan="Dibuat dua kali; lanjut pada dosier Penetapan IKU 2027 yang lain.")
    deliver(event.pk)
    sent = told(people, "dinkes", "dinsos", "kasubag", event=event)
    said = f"Dosier dibatalkan oleh Kabiro {people['kabiro'].nama} saat {STATE_LABELS[drafting.state]}.\n"
    for username, message in sent.items():
        assert message.subject == "Dosier uji: Dosier dibatalkan"
        # The reason is the bureau's: the agencies read that the round was cancelled, not why.
        why = "" if username != "kasubag" else "Alasan: Dibuat dua kali; lanjut pada dosier Penetapan IKU 2027 yang lain.\n"
        assert message.body.startswith(said + why + "Tidak ada lagi yang perlu Anda kerjakan pada dosier ini.")
    # Who cancelled it is not told of their own act; an agency the round never invited hears nothing.
    told_to = {m.to[0] for m in mail.outbox}
    assert people["kabiro"].email not in told_to and people["dishub"].email not in told_to
    notices = client_for(people, "dinkes").get("/pemberitahuan/").content.decode()
    assert "Dosier dibatalkan" in notices and "Dibuat dua kali" not in notices


def test_a_disposisi_given_by_a_kasubag_who_left_is_reported_to_the_one_who_holds_the_post_now(people, dossier):
    given = dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"],
                              instruksi="Siapkan daftar hadir", waktu_amount=1, waktu_unit="hari")
    successor = User.objects.create_user("kasubag2", nama="Dewi Lestari, S.E.", email="kasubag2@example.go.id")
    UserRole.objects.create(user=successor, role="kasubag")
    people["kasubag"].is_active = False
    people["kasubag"].save()
    dispositions.finish(given, people["staf"], hasil="Daftar hadir diunggah")
    mail.outbox = []
    deliver(AuditEvent.objects.get(dossier=dossier, action="disposisi_selesai").pk)
    assert [m.to for m in mail.outbox] == [["kasubag2@example.go.id"]]
    body = mail.outbox[0].body
    assert "Hasil: Daftar hadir diunggah." in body
    assert f"Disposisi ini diberikan oleh {people['kasubag'].display_name}, yang kini tidak lagi memegang peran Kasubag." in body


def test_the_decree_recorded_tells_the_invited_agencies_and_the_bureaus_officials_its_number(people, walk):
    """The Staf records the Governor's decree and the round closes: it waits on nobody, so the
    hand-off told no one, and the agencies whose IKU it sets never heard they were decreed."""
    from workflow.steps import DI_GUBERNUR

    dossier = walk(DI_GUBERNUR)
    mail.outbox = []
    event = services.perform(dossier, people["staf"], Action.CATAT_PENETAPAN, revision=dossier.revision,
                             nomor_kepgub="188.44/123/Kesra-2027", tanggal_kepgub=timezone.localdate())
    deliver(event.pk)
    sent = told(people, "dinkes", "dinsos", "kasubag", "kabag", "kabiro", event=event)
    said = (f"Gubernur menetapkan IKU {dossier.tahun} dengan Keputusan Gubernur Nomor 188.44/123/Kesra-2027 "
            f"tanggal {long_date(timezone.localdate())}; dicatat oleh Staf {people['staf'].nama}.\n")
    for username, message in sent.items():
        assert message.subject == f"Dosier uji: IKU {dossier.tahun} ditetapkan"
        agency = people[username].skpd
        assert message.body.startswith(said + (f"IKU {agency.nama_pendek} yang ditetapkan dapat dibaca pada halaman "
                                               "dosier." if agency else "Dosier selesai."))
    # Who recorded it is not told of their own act; an agency the round never invited hears nothing.
    told_to = {m.to[0] for m in mail.outbox}
    assert people["staf"].email not in told_to and people["dishub"].email not in told_to
    assert f"IKU {dossier.tahun} ditetapkan" in client_for(people, "dinkes").get("/pemberitahuan/").content.decode()
