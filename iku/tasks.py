from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from iku.models import IkuReminder, IkuSubmission
from iku.round import officers, still_awaited
from lib.dates import moment_text
from lib.mail import send_once
from lib.one_line import one_line
from lib.sentence import sentence
from lib.site import site_url


@task()
def mail_reminders(reminder_id: int) -> int:
    """Off the request path: each active officer of the agency gets one e-mail for the reminder."""
    reminder = IkuReminder.objects.select_related("dossier", "skpd", "sent_by").get(pk=reminder_id)
    if reminder.emailed:
        return 0
    if not still_awaited(reminder):
        # Mailed by a worker that ran later than the click (behind a decree's render, or started
        # again after an outage): a round cancelled, moved on or sent meanwhile waits for nothing,
        # and "Biro Kesra menunggu" would have the agency fill a table nobody will read.
        return 0
    dossier = reminder.dossier
    link = site_url() + reverse("dossier_action", args=[dossier.pk, "ajukan_iku"])
    # The agency's officers, as the dossier's reminder button counted them.
    recipients = list(officers([reminder.skpd]).exclude(email="").values_list("email", flat=True))
    stage = reminder.get_stage_display()
    # The round by its title, which mostly names its year already ("Penetapan IKU 2027 (2027)" read
    # as a slip); an agency invited to two rounds tells them apart in the subject.
    named = dossier.judul if str(dossier.tahun) in dossier.judul else f"{dossier.judul} ({dossier.tahun})"
    # A table the bureau reopened for fixes (step 6) is asked for again as such, with why: "menunggu
    # Bahan ... Isi dan kirim" read as if the agency had never sent it.
    reopened = IkuSubmission.objects.filter(dossier=dossier, skpd=reminder.skpd_id, stage=reminder.stage,
                                            reopened_at__isnull=False).first()
    due = ""
    # A reopened table has no deadline of its own: the dossier's is the Kasubag's hour at step 6.
    if dossier.due_at and reopened is None:
        due = f"Tenggat: {moment_text(dossier.due_at)}{' (sudah lewat)' if dossier.due_at < timezone.now() else ''}.\n"
    if reopened is None:
        subject = f"Pengingat: {stage} {reminder.skpd.nama_pendek} untuk {named} belum dikirim"
        asked = f"Biro Kesra menunggu {stage} {reminder.skpd} untuk {named}.\n{due}\nIsi dan kirim: {link}"
    else:
        subject = f"Pengingat: perbaikan {stage} {reminder.skpd.nama_pendek} untuk {named} belum dikirim"
        asked = (f"Biro Kesra menunggu perbaikan {stage} {reminder.skpd} untuk {named}: tabel yang sudah dikirim "
                 f"dibuka kembali untuk diperbaiki pada {moment_text(reopened.reopened_at)}.\n"
                 f"Catatan Kasubag: {sentence(reopened.reopen_note)}\n\nPerbaiki dan kirim lagi: {link}")
    for address in recipients:
        send_once(
            # Folded: an agency's name saved before names were checked may hold a line break.
            one_line(subject),
            f"{asked}\n\n"
            f"--\nPengingat ini dikirim lewat SOP-IKU Biro Kesra oleh {sentence(reminder.sent_by.display_name)}",
            [address], kind="pengingat-iku", key=reminder.pk, moment=reminder.sent_at,
        )
    IkuReminder.objects.filter(pk=reminder.pk).update(emailed=len(recipients))
    return len(recipients)
