from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from iku.models import IkuReminder
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
    due = ""
    if dossier.due_at:
        due = f"Tenggat: {moment_text(dossier.due_at)}{' (sudah lewat)' if dossier.due_at < timezone.now() else ''}.\n"
    for address in recipients:
        send_once(
            # Folded: an agency's name saved before names were checked may hold a line break.
            one_line(f"Pengingat: {stage} {reminder.skpd.nama_pendek} untuk {named} belum dikirim"),
            f"Biro Kesra menunggu {stage} {reminder.skpd} untuk {named}.\n{due}\n"
            f"Isi dan kirim: {link}\n\n"
            f"--\nPengingat ini dikirim lewat SOP-IKU Biro Kesra oleh {sentence(reminder.sent_by.display_name)}",
            [address], kind="pengingat-iku", key=reminder.pk, moment=reminder.sent_at,
        )
    IkuReminder.objects.filter(pk=reminder.pk).update(emailed=len(recipients))
    return len(recipients)
