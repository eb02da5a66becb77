"""The round around the agencies' tables: versions compared, who has sent, reminders once a day,
and a Bahan reopened after a return and sent again."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from iku.models import IkuReminder, IkuSubmission
from iku.versions import ADDED, CHANGED, REMOVED, SAME, compare
from lib.dates import moment_text
from notices.models import NoticePreference
from tests.api.helpers import as_token
from tests.factories import client_for
from tests.notices.test_handoff import IMMEDIATE
from workflow import demo, sla
from workflow.actions import Action
from workflow.models import AuditEvent, Dossier, User
from workflow.steps import STEP_BY_NUMBER


def send(people, dossier, username, rows):
    dossier.refresh_from_db()
    posted = {"revision": dossier.revision, "state": dossier.state}
    for number, row in enumerate(rows, start=1):
        posted |= {f"r-{number}-{name}": value for name, value in row.items()}
    return client_for(people, username).post(f"/dosier/{dossier.pk}/aksi/ajukan_iku/", posted)


def reopen(people, dossier, username, note, client=None):
    """The Kasubag reopens `username`'s agency's table at step 6 for fixes, with `note`."""
    dossier.refresh_from_db()
    return (client or client_for(people, "kasubag")).post(f"/dosier/{dossier.pk}/aksi/buka_kembali_iku/", {
        "revision": dossier.revision, "state": dossier.state, "skpd": people[username].skpd_id, "catatan": note})


def test_two_tables_compare_row_by_row_and_field_by_field():
    old = [{"sasaran_strategis": "S1", "indikator": "AKI", "target": "150"},
           {"sasaran_strategis": "", "indikator": "AKB", "target": "20"},
           {"sasaran_strategis": "S2", "indikator": "Lama", "target": "1"}]
    new = [{"sasaran_strategis": "S1", "indikator": "AKI", "target": "140"},
           {"sasaran_strategis": "S1", "indikator": "AKB", "target": "20"},
           {"sasaran_strategis": "S2", "indikator": "Baru", "target": "1"}]
    diffs = compare(old, new)
    assert [(d.kind, d.key) for d in diffs] == [(CHANGED, "aki"), (SAME, "akb"), (REMOVED, "lama"), (ADDED, "baru")]
    assert diffs[0].changed == {"target"}  # a Sasaran written out where it was continued is no change


def test_the_bureau_and_the_agency_compare_versions_and_another_agency_cannot(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "150"}])
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "140"}, {"indikator": "Stunting"}])
    skpd = people["dinkes"].skpd_id
    url = f"/dosier/{dossier.pk}/iku/konsep/versi/{skpd}/"
    for username in ("kasubag", "dinkes"):
        page = client_for(people, username).get(url).content.decode()
        assert "Versi 2" in page and "Ditambah 1" in page and "Diubah 1" in page
        assert "<del>150</del> <ins>140</ins>" in page
    assert client_for(people, "dinsos").get(url).status_code == 404
    assert client_for(people, "dishub").get(url).status_code == 404


def test_an_agency_explains_its_changes_against_last_years_decree(people, walk):
    last = walk("selesai", judul="IKU tahun lalu")
    Dossier.objects.filter(pk=last.pk).update(tahun=2026)
    dossier = walk(STEP_BY_NUMBER[3].state)
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "140"}])
    url = f"/dosier/{dossier.pk}/iku/konsep/versi/{people['dinkes'].skpd_id}/?a=lalu&b=1"
    page = client_for(people, "dinkes").get(url).content.decode()
    assert "Keputusan tahun 2026" in page and "Dihapus 1" in page and "Ditambah 1" in page
    client_for(people, "dinkes").post(url, {"alasan-angka kematian ibu": "Indikator baru dari RPJMD 2025-2029"})
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd, stage="konsep")
    assert submission.change_reasons == {"angka kematian ibu": "Indikator baru dari RPJMD 2025-2029"}
    bureau = client_for(people, "kasubag")
    assert "Alasan SKPD:</strong> Indikator baru dari RPJMD 2025-2029" in bureau.get(url).content.decode()
    assert bureau.post(url, {"alasan-angka kematian ibu": "diubah biro"}).status_code == 403


def test_the_matrix_shows_who_sent_and_reminders_go_once_a_day(people, walk, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    dossier = walk(STEP_BY_NUMBER[3].state)  # three agencies invited, none has sent yet
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu"}])
    client_for(people, "dinsos").post(f"/dosier/{dossier.pk}/iku/draf/", {"state": dossier.state, "r-1-indikator": "X"})
    kasubag = client_for(people, "kasubag")
    page = kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert page.count('iku-terkirim">Terkirim') == 1 and 'iku-draf">Baru draf' in page
    # Two have not sent, but only Dinsos has anyone to e-mail: the button counts whom it reaches.
    assert "Ingatkan 1 SKPD yang belum mengirim Konsep IKU" in page
    assert ("1 SKPD lainnya yang belum mengirim belum ada petugas (pengguna aktif berperan SKPD), sehingga tidak "
            "dapat diingatkan lewat aplikasi: Dinas Pendidikan dan Kebudayaan.") in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/", follow=True).content.decode()
    # Dikbud has no officer in the app yet: it is said to be out of reach, not said reminded.
    assert "1 SKPD diingatkan: Dinas Sosial." in first
    assert ("Tidak dapat diingatkan karena belum ada petugas (pengguna aktif berperan SKPD): Dinas Pendidikan dan "
            "Kebudayaan. Minta admin menambahkan petugasnya") in first
    again = kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/", follow=True).content.decode()
    assert "Sudah diingatkan hari ini: Dinas Sosial." in again and "Tidak dapat diingatkan karena belum ada petugas" in again
    assert IkuReminder.objects.filter(dossier=dossier).count() == 1
    assert [m.to for m in mail.outbox] == [[people["dinsos"].email]]
    assert mail.outbox[0].subject == "Pengingat: Konsep IKU Dinas Sosial untuk Dosier uji (2027) belum dikirim"
    assert client_for(people, "staf").post(f"/dosier/{dossier.pk}/iku/ingatkan/").status_code == 403
    assert "Ingatkan" not in client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/").content.decode()


def test_an_unsent_table_reads_late_once_the_step_is_past_its_waktu(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier, skpd=people["dinsos"].skpd).delete()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    dossier.visits.filter(left_at__isnull=True).update(entered_at=long_ago)
    sla.reschedule_open()
    page = client_for(people, "kabiro").get(f"/dosier/{dossier.pk}/").content.decode()
    assert 'iku-terlambat">Terlambat' in page


def test_a_returned_draft_reopens_one_agencys_bahan_which_it_sends_again(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/aksi/buka_kembali_iku/"
    refused = kasubag.post(url, {"revision": dossier.revision, "skpd": people["dinkes"].skpd_id, "catatan": ""})
    assert "Tulis untuk SKPD apa yang perlu diperbaiki." in refused.content.decode()
    kasubag.post(url, {"revision": dossier.revision, "state": dossier.state, "skpd": people["dinkes"].skpd_id,
                       "catatan": "Target AKI belum memuat angka tahun 2027"})
    event = AuditEvent.objects.filter(dossier=dossier, action=Action.BUKA_KEMBALI_IKU).get()
    assert event.data["skpd_id"] == people["dinkes"].skpd_id

    agency = client_for(people, "dinkes")
    assert f"/dosier/{dossier.pk}/" in agency.get("/").content.decode()  # in its inbox
    assert f"/dosier/{dossier.pk}/" not in client_for(people, "dinsos").get("/").content.decode()  # not reopened
    grid = agency.get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/").content.decode()
    assert "Target AKI belum memuat angka tahun 2027" in grid
    assert "Indeks kepuasan masyarakat terhadap layanan Dinas Kesehatan" in grid  # starts from what it sent
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "140 (2027)"}])
    submission = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd, stage="bahan")
    assert submission.reopened_at is None and submission.versions.count() == 2
    assert [r.indikator for r in submission.rows.all()] == ["Angka kematian ibu"]
    assert f"/dosier/{dossier.pk}/" not in agency.get("/").content.decode()  # sent again: out of its inbox
    assert client_for(people, "dinsos").get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/").status_code == 403
    dossier.refresh_from_db()
    assert agency.get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/").status_code == 403  # closed again
    # The state never moved: reopening and sending again only add to step 6.
    assert dossier.state == STEP_BY_NUMBER[6].state


def test_the_reopened_agency_alone_is_told(people, walk, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopen(people, dossier, "dinkes", "Target AKI belum memuat angka")
    assert [m.to for m in mail.outbox] == [[people["dinkes"].email]]
    assert "Target AKI belum memuat angka" in mail.outbox[0].body
    assert "Kirim Bahan penyusunan IKU Dinas Kesehatan" in mail.outbox[0].subject


def test_the_reopened_agency_reads_its_table_was_returned_for_fixes_by_whom_and_why(
        people, walk, settings, django_capture_on_commit_callbacks):
    """The mail read "Kirim Bahan penyusunan IKU Dinas Kesehatan", the subject the agency was first
    asked with (filed with that old mail), under "Tenggat" the Kasubag's hour at step 6: days past
    when the Kasubag reopened the table two days after the Kabag's return."""
    settings.TASKS = IMMEDIATE
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    dossier.visits.filter(left_at__isnull=True).update(entered_at=timezone.now() - datetime.timedelta(days=2))
    sla.reschedule_open()
    dossier.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopen(people, dossier, "dinkes", "Target AKI belum memuat angka")
    (sent,) = mail.outbox
    assert sent.subject == (f"{dossier.judul}: Dibuka kembali untuk diperbaiki, "
                            "Kirim Bahan penyusunan IKU Dinas Kesehatan")
    kasubag = people["kasubag"].display_name
    assert sent.body.startswith(
        f"Bahan penyusunan IKU Dinas Kesehatan yang sudah dikirim dibuka kembali oleh Kasubag {kasubag} "
        "untuk diperbaiki.\nCatatan Kasubag: Target AKI belum memuat angka.\n"
        "Yang perlu Anda lakukan: Kirim Bahan penyusunan IKU Dinas Kesehatan.\n\n"
        f"Buka: http://127.0.0.1:8000/dosier/{dossier.pk}/\n")
    assert "Tenggat" not in sent.body


def test_a_reminder_names_the_round_says_by_when_and_who_asked(people, walk, settings,
                                                                django_capture_on_commit_callbacks):
    """The mail read "Pengingat: Konsep IKU Dinas Sosial belum dikirim", of no round, and "untuk
    Penetapan IKU 2027 (2027)" in its body, with no word of the deadline the round counts the agency
    late by nor of who at the bureau asked."""
    settings.TASKS = IMMEDIATE
    settings.SOP_SITE_URL = "https://sop-iku.kalbarprov.go.id"
    dossier = walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU 2027")
    dossier.visits.filter(left_at__isnull=True).update(entered_at=timezone.now() - datetime.timedelta(days=30))
    sla.reschedule_open()
    dossier.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/iku/ingatkan/")
    (sent,) = [m for m in mail.outbox if m.to == [people["dinsos"].email]]
    assert sent.subject == "Pengingat: Konsep IKU Dinas Sosial untuk Penetapan IKU 2027 belum dikirim"
    assert sent.body == (
        "Biro Kesra menunggu Konsep IKU Dinas Sosial untuk Penetapan IKU 2027.\n"
        f"Tenggat: {moment_text(dossier.due_at)} (sudah lewat).\n\n"
        f"Isi dan kirim: https://sop-iku.kalbarprov.go.id/dosier/{dossier.pk}/aksi/ajukan_iku/\n\n"
        f"--\nPengingat ini dikirim lewat SOP-IKU Biro Kesra oleh {people['kasubag'].display_name}")
    # Followed by the agency, the link opens its own form.
    form = client_for(people, "dinsos").get(f"/dosier/{dossier.pk}/aksi/ajukan_iku/")
    assert form.status_code == 200 and "Konsep IKU Dinas Sosial" in form.content.decode()


def test_a_reminder_links_to_the_form_also_when_the_site_address_ends_with_a_slash(people, walk, settings,
                                                                                    django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    settings.SOP_SITE_URL = "https://sop-iku.kalbarprov.go.id/"
    dossier = walk(STEP_BY_NUMBER[3].state)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/iku/ingatkan/")
    (sent,) = [m for m in mail.outbox if m.to == [people["dinsos"].email]]
    assert f"Isi dan kirim: https://sop-iku.kalbarprov.go.id/dosier/{dossier.pk}/" in sent.body
    assert "//dosier" not in sent.body


def test_a_reminder_the_worker_takes_after_the_round_was_cancelled_or_sent_is_not_mailed(
        people, walk, django_capture_on_commit_callbacks):
    """The Kasubag reminds, and before the worker mails it (behind a decree's render, or down for a
    while) the Kabiro cancels the round, or the agency sends its table: nobody is asked to fill it."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    kasubag = client_for(people, "kasubag")
    with django_capture_on_commit_callbacks() as queued:
        kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/")
    assert IkuReminder.objects.filter(dossier=dossier).count() == 2  # Dinkes and Dinsos
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu"}])
    dossier.refresh_from_db()
    client_for(people, "kabiro").post(f"/dosier/{dossier.pk}/aksi/batalkan/", {
        "revision": dossier.revision, "state": dossier.state, "alasan": "Tahun anggaran salah"})
    assert Dossier.objects.get(pk=dossier.pk).state == "dibatalkan"
    mail.outbox.clear()
    for mailed in queued:
        mailed()
    assert mail.outbox == []
    assert list(IkuReminder.objects.filter(dossier=dossier).values_list("emailed", flat=True)) == [0, 0]


def test_a_reminder_taken_late_still_goes_to_an_agency_the_step_waits_for(people, walk,
                                                                          django_capture_on_commit_callbacks):
    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    with django_capture_on_commit_callbacks() as queued:
        client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/iku/ingatkan/")
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu"}])
    mail.outbox.clear()
    for mailed in queued:
        mailed()
    assert [m.to for m in mail.outbox] == [[people["dinsos"].email]]


def test_an_officer_who_switched_mail_off_still_gets_the_reminder_and_the_page_said_so(
        people, walk, settings, django_capture_on_commit_callbacks):
    """The preferences page promised only which notices it stops: Dinas Sosial's officer turned
    e-mail off, then got "Pengingat: ..." by mail and read the setting as broken."""
    settings.TASKS = IMMEDIATE
    dinsos = client_for(people, "dinsos")
    dinsos.post("/pemberitahuan/pilihan/", {"in_app": "on"})
    assert NoticePreference.objects.get(user=people["dinsos"]).by_email is False
    page = dinsos.get("/pemberitahuan/pilihan/").content.decode()
    assert "Pengingat tetap dikirim lewat surel apa pun pilihan Anda" in page
    assert "pengingat Biro kepada SKPD yang\n  belum mengirim IKU" in page
    dossier = walk(STEP_BY_NUMBER[3].state)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/iku/ingatkan/")
    assert [m.subject for m in mail.outbox if m.to == [people["dinsos"].email]] == [
        "Pengingat: Konsep IKU Dinas Sosial untuk Dosier uji (2027) belum dikirim"]


def test_a_table_reopened_at_step_six_is_reminded_as_sent_back_for_fixes_until_sent_again(
        people, walk, settings, django_capture_on_commit_callbacks):
    """Back at step 6 the Kasubag reopened two agencies' Bahan and waited: the page offered no
    reminder and the click was refused (403), the reminders knowing only steps 3 and 5."""
    settings.TASKS = IMMEDIATE
    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    kasubag = client_for(people, "kasubag")
    for username, note in (("dinkes", "Target AKI belum memuat angka tahun 2027"), ("dinsos", "Formula belum terukur")):
        reopen(people, dossier, username, note, kasubag)
    reopened_at = IkuSubmission.objects.get(dossier=dossier, skpd=people["dinkes"].skpd, stage="bahan").reopened_at
    page = kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert "Ingatkan 2 SKPD yang Bahan penyusunan IKU-nya dibuka kembali dan belum dikirim lagi" in page
    with django_capture_on_commit_callbacks() as queued:
        done = kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/", follow=True).content.decode()
    assert "2 SKPD diingatkan: Dinas Kesehatan, Dinas Sosial." in done
    # Dinas Sosial sends its fixes before the worker mails: it is not asked again.
    send(people, dossier, "dinsos", [{"indikator": "Persentase PMKS yang tertangani"}])
    mail.outbox.clear()
    for mailed in queued:
        mailed()
    (sent,) = mail.outbox
    assert sent.to == [people["dinkes"].email]
    assert sent.subject == "Pengingat: perbaikan Bahan penyusunan IKU Dinas Kesehatan untuk Dosier uji (2027) belum dikirim"
    assert sent.body.startswith(
        "Biro Kesra menunggu perbaikan Bahan penyusunan IKU Dinas Kesehatan untuk Dosier uji (2027): tabel yang "
        f"sudah dikirim dibuka kembali untuk diperbaiki pada {moment_text(reopened_at)}.\n"
        "Catatan Kasubag: Target AKI belum memuat angka tahun 2027.\n\n"
        f"Perbaiki dan kirim lagi: http://127.0.0.1:8000/dosier/{dossier.pk}/aksi/ajukan_iku/\n\n--\n")
    assert "Tenggat" not in sent.body
    assert "Ingatkan 1 SKPD yang Bahan" in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    # Sent again, the table is awaited no more: no button, and the click reminds nobody.
    send(people, dossier, "dinkes", [{"indikator": "Angka kematian ibu", "target": "140 (2027)"}])
    assert "Ingatkan" not in kasubag.get(f"/dosier/{dossier.pk}/").content.decode()
    done = kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/", follow=True).content.decode()
    assert "Tidak ada IKU SKPD yang dibuka kembali dan belum dikirim lagi." in done
    assert IkuReminder.objects.filter(dossier=dossier).count() == 2


def test_an_agency_with_no_officer_and_one_whose_officer_has_no_address_are_told_apart(people, walk):
    """Both were 'tidak ada pengguna aktif bersurel ... minta admin menambahkan penggunanya': the admin
    added a second user to Dinas Sosial, whose officer was there all along with no e-mail address."""
    dossier = walk(STEP_BY_NUMBER[3].state)
    IkuSubmission.objects.filter(dossier=dossier).delete()
    User.objects.filter(pk=people["dinsos"].pk).update(email="")
    kasubag = client_for(people, "kasubag")
    page = re.sub(r"\s+", " ", kasubag.get(f"/dosier/{dossier.pk}/").content.decode())
    assert "Ingatkan 1 SKPD yang belum mengirim Konsep IKU" in page
    assert ("1 SKPD lainnya yang belum mengirim belum ada petugas (pengguna aktif berperan SKPD), sehingga tidak dapat "
            "diingatkan lewat aplikasi: Dinas Pendidikan dan Kebudayaan. Minta admin menambahkan petugasnya di "
            "Admin › Pengguna (peran SKPD, dengan SKPD-nya).") in page
    assert ("1 SKPD lainnya yang belum mengirim punya petugas, tetapi petugasnya belum punya alamat surel, sehingga "
            "tidak dapat diingatkan lewat surel: Dinas Sosial. Minta admin mengisi alamat surel petugasnya di "
            "Admin › Pengguna.") in page
    done = re.sub(r"\s+", " ", kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/", follow=True).content.decode())
    assert "1 SKPD diingatkan: Dinas Kesehatan." in done
    assert ("Tidak dapat diingatkan karena belum ada petugas (pengguna aktif berperan SKPD): Dinas Pendidikan dan "
            "Kebudayaan. Minta admin menambahkan petugasnya di Admin › Pengguna (peran SKPD, dengan SKPD-nya), atau "
            "hubungi SKPD tersebut langsung.") in done
    assert ("Tidak dapat diingatkan lewat surel karena petugasnya belum punya alamat surel: Dinas Sosial. Minta admin "
            "mengisi alamat surel petugasnya di Admin › Pengguna, atau hubungi SKPD tersebut langsung.") in done
    # A program reads them apart too, and all of them among those out of reach.
    IkuReminder.objects.all().delete()
    answer = as_token(people, "kasubag").post(f"/api/v1/dosier/{dossier.pk}/ingatkan/")
    assert answer.json() == {
        "diingatkan": ["Dinas Kesehatan"], "sudah_diingatkan_hari_ini": [],
        "tanpa_penerima": ["Dinas Pendidikan dan Kebudayaan", "Dinas Sosial"],
        "tanpa_petugas": ["Dinas Pendidikan dan Kebudayaan"], "petugas_tanpa_surel": ["Dinas Sosial"]}


def test_a_table_sent_back_at_step_six_is_reminded_the_day_step_five_reminded_it_unsent(
        people, walk, settings, django_capture_on_commit_callbacks):
    """On the day step 5 ended, Dinas Sosial was reminded in the morning to send its Bahan (Tenggat
    of step 5), sent it, and step 6 reopened it for fixes: the Kasubag's reminder of the fixes read
    "Sudah diingatkan hari ini", and the agency's last reminder asked for a step already left."""
    settings.TASKS = IMMEDIATE
    dossier = walk(STEP_BY_NUMBER[5].state)
    IkuSubmission.objects.filter(dossier=dossier, skpd=people["dinsos"].skpd, stage="bahan").delete()
    kasubag = client_for(people, "kasubag")
    with django_capture_on_commit_callbacks(execute=True):
        kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/")
    send(people, dossier, "dinsos", [{"indikator": "Persentase PMKS yang tertangani", "target": "80"}])
    demo.walk_to(dossier, people, STEP_BY_NUMBER[6].state)
    reopen(people, dossier, "dinsos", "Formula belum terukur", kasubag)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/", follow=True).content.decode()
    assert "1 SKPD diingatkan: Dinas Sosial." in done and "Sudah diingatkan hari ini" not in done
    (sent,) = mail.outbox
    assert sent.to == [people["dinsos"].email]
    assert sent.subject == "Pengingat: perbaikan Bahan penyusunan IKU Dinas Sosial untuk Dosier uji (2027) belum dikirim"
    assert "Catatan Kasubag: Formula belum terukur." in sent.body and "Tenggat" not in sent.body
    # The fixes once reminded, the day's limit holds again.
    again = kasubag.post(f"/dosier/{dossier.pk}/iku/ingatkan/", follow=True).content.decode()
    assert "Sudah diingatkan hari ini: Dinas Sosial." in again
    assert IkuReminder.objects.filter(dossier=dossier, skpd=people["dinsos"].skpd).count() == 1
