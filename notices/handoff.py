"""Who is told of a hand-off and what they read: whoever may act on the dossier now, in the words
of their own inbox and saying what happened (a return with the Kabag's note, a corrected draft with
the Kasubag's fix note); the agencies a new round invites; the Kasubag when an agency sends its IKU
or a Staf reports a disposisi done."""

import datetime
import logging
import smtplib

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from iku.models import IkuSubmission
from iku.round import officers
from lib.clipped import clipped
from lib.dates import local, long_date, moment_text
from lib.mail import send_once
from lib.one_line import one_line
from lib.sentence import sentence
from lib.site import site_url
from naskah import cosign
from notices.agencies import DEACTIVATED, REACTIVATED
from notices.models import Notice, NoticePreference
from workflow import policy
from workflow.actions import CREATE, DISPOSE, DISPOSE_DONE, Action
from workflow.inbox import tasks_for
from workflow.models import AuditEvent, Disposition, User
from workflow.policy import holders, holding, remember_roles, waited_on
from workflow.roles import Role
from workflow.steps import STATE_LABELS, now_at, step_for

log = logging.getLogger(__name__)

# How a hand-off's notice gives the deadline, on a line of its own: the notices page leaves it out of
# a round the agency was taken out of since (notices.views).
DEADLINE = "Tenggat: "


def _wanted(user) -> NoticePreference:
    return getattr(user, "notice_preference", None) or NoticePreference(user=user)


def role_title(event) -> str:
    """The capacity the actor acted in: "Kabag", or "Plh. Kabag" for a stand-in."""
    return event.role_title


def by_whom(event) -> str:
    """"Kabag Drs. Hendra Gunawan, M.M.", or the stand-in as the log writes them ("Plh. Kabag Andi
    atas nama Hendra"): the name as it was when they acted."""
    if event.delegation_kind or not event.role:
        return event.actor_label
    role = Role(event.role).label
    return f"{role} {event.actor_label.removesuffix(f' ({role})')}"


def superseded(event) -> bool:
    """The dossier moved again after `event`: its hand-off is over, and whoever it gave work has
    acted. A worker that ran late (or the demo, told only once its whole history is committed) must
    not tell each of the past hand-offs in the words of the dossier's position now."""
    return AuditEvent.objects.filter(dossier_id=event.dossier_id, pk__gt=event.pk).exclude(
        from_state=F("to_state")).exists()


def _returned_by(event):
    """The Kabag's return the finishing `event` answers: the move that last brought the dossier to
    the step it now leaves, when that move was a return; else None."""
    if event.action != Action.SELESAIKAN:
        return None
    arrival = (AuditEvent.objects.filter(dossier_id=event.dossier_id, pk__lt=event.pk, to_state=event.from_state)
               .exclude(from_state=F("to_state")).order_by("-pk").first())
    return arrival if arrival is not None and arrival.action == Action.KEMBALIKAN else None


def _wording(event):
    """How the hand-off `event` reads to a person whose work now is `todo`: a function of it giving
    (judul, isi)."""
    dossier = event.dossier
    title = dossier.judul
    if event.action == DISPOSE:
        disposition = Disposition.objects.filter(pk=event.data.get("disposisi")).first()
        if disposition is not None:
            # The instruction once, with its due moment: the task list would only say it again.
            isi = (f"Disposisi dari {by_whom(event)}:\n{sentence(disposition.instruksi)}\n"
                   f"Batas waktu: {moment_text(disposition.due_at)}.")
            return lambda todo: (f"{title}: Disposisi: {disposition.instruksi[:120]}", isi)
        return lambda todo: (f"{title}: {todo}", f"{sentence(event.note)} {todo}.")
    if event.action == Action.BUKA_KEMBALI_IKU:
        # Said as a return for fixes, by whom and why: "Kirim Bahan ..." alone is the subject the
        # agency was first asked with, which its mail program files with that old mail.
        what, _, note = event.note.partition(" dibuka kembali: ")
        who = role_title(event)
        isi = (f"{what} yang sudah dikirim dibuka kembali oleh {by_whom(event)} untuk diperbaiki.\n"
               f"Catatan {who}: {sentence(note or event.note)}\n")
        return lambda todo: (f"{title}: Dibuka kembali untuk diperbaiki, {todo}",
                             f"{isi}Yang perlu Anda lakukan: {todo}.")
    if event.action == Action.KEMBALIKAN:
        who = role_title(event)
        isi = (f"Draft dikembalikan oleh {by_whom(event)} ke {STATE_LABELS[event.to_state]}.\n"
               f"Catatan {who}: {sentence(event.note)}\n")
        return lambda todo: (f"{title}: Dikembalikan oleh {who}, {todo}",
                             f"{isi}Yang perlu Anda lakukan: {todo}.")
    returned = _returned_by(event)
    if returned is not None:
        fix = sentence(event.note) or f"tidak ada ({role_title(event)} tidak menulis catatan)."
        isi = (f"Draft perbaikan dari {by_whom(event)}, setelah dikembalikan oleh {role_title(returned)} "
               f"pada {long_date(timezone.localdate(returned.at))}.\n"
               f"Catatan pengembalian: {sentence(returned.note)}\n"
               f"Catatan perbaikan: {fix}\n")
        return lambda todo: (f"{title}: Draft perbaikan, {todo}", f"{isi}Yang perlu Anda lakukan: {todo}.")
    why = f"Dosier kini {now_at(dossier.state)}."
    if event.note and event.action == Action.SELESAIKAN:
        why += f"\nCatatan {by_whom(event)}: {sentence(event.note)}"
    return lambda todo: (f"{title}: {todo}", f"{why}\n{todo}.")


def _handoff(event) -> list[tuple]:
    dossier = event.dossier
    # Only those holding, in their own right or by a delegation running today, a role that can act
    # in the new position are asked whether it gives them work: a few of the province's 500 users.
    roles = waited_on(dossier.state)
    among = User.objects.filter(Q(skpd__isnull=True) | Q(skpd__in=dossier.invited.all())).select_related(
        "skpd", "notice_preference")
    if event.action == Action.BUKA_KEMBALI_IKU:
        # Only the agency whose table was reopened has new work; the bureau's has not changed.
        among = among.filter(skpd_id=event.data.get("skpd_id"))
    elif event.action == DISPOSE:
        among = among.filter(pk=event.data.get("kepada"))
    if event.action == CREATE:
        # Every invited agency's officers hear of the invitation, whatever their roles.
        people = remember_roles(among.filter(holding(roles) | Q(skpd__in=dossier.invited.all()), is_active=True)
                                .distinct().order_by("pk"))
    else:
        # Everyone's roles and delegations with them, not two queries per person (500 users at
        # province scale).
        people = holders(roles, among)
        people += _named_to_sign(event, people)
    words = _wording(event)
    # The deadline the inbox shows beside the row (a disposisi's own says its own): a mail read on a
    # phone away from the desk tells when the work is due, not only what it is. A reopened table has
    # none: the dossier's is the Kasubag's hour at step 6, often past when the table is reopened.
    due = (f"\n{DEADLINE}{moment_text(dossier.due_at)}."
           if dossier.due_at and event.action not in (DISPOSE, Action.BUKA_KEMBALI_IKU) else "")
    told = []
    for user in people:
        if user.pk == event.actor_id:
            continue
        tasks = tasks_for(user, dossier)
        if tasks:
            judul, isi = words("; ".join(f"{t.text} {t.capacity}".strip() for t in tasks))
            told.append((user, one_line(judul), isi + due))
        elif event.action == CREATE and user.skpd_id:
            told.append((user, one_line(f"{dossier.judul}: {user.skpd.nama_pendek} diundang"),
                         f"Biro Kesra mengundang {user.skpd.nama_pendek} dalam penetapan IKU {dossier.tahun}."))
    return told


def _named_to_sign(event, people) -> list:
    """Whom the signature that finished a step leaves a document waiting for, beside those the new
    position waits on (the Notulen's Pencatat, who may hold no role the next step waits on: a Tim
    member, the Kabag), told once, by the hand-off that left it waiting for them."""
    step = step_for(event.from_state)
    if event.action != Action.SELESAIKAN or step is None or not set(step.signs) & set(cosign.SIGNED_BY_SEVERAL):
        return []
    cosign.remember_latest([event.dossier])
    # Whom each noted it waits for when the finishing signed it (record.remember_awaited).
    known = {user.pk for user in people}
    ids = sorted({made.awaiting_id for made in event.dossier._signed_by_several
                  if made.is_final and made.awaiting_id is not None and made.awaiting_id not in known})
    return remember_roles(User.objects.filter(pk__in=ids, is_active=True).select_related("skpd", "notice_preference")
                          .order_by("pk")) if ids else []


def _kasubags(event) -> list:
    """The bureau's Kasubag (and a Plh./Plt. standing in today), not the one who acted."""
    people = holders({Role.KASUBAG}, User.objects.filter(skpd__isnull=True).exclude(pk=event.actor_id)
                     .select_related("notice_preference"))
    found = []
    for user in people:
        delegation = policy.roles_of(user).get(Role.KASUBAG)
        as_ = f"\nAnda menerima ini sebagai {delegation.get_kind_display()} Kasubag." if delegation else ""
        found.append((user, as_))
    return found


def _agency_sent(event) -> list[tuple]:
    """An agency sent its IKU, the first time or again: news for the Kasubag, who closes the step."""
    submission = IkuSubmission.objects.select_related("skpd").filter(pk=event.data.get("kiriman")).first()
    if submission is None:
        return []
    # The version this send made: the newest at the event's moment (a later send adds another).
    version = submission.versions.filter(sent_at__lte=event.at).order_by("-nomor").first()
    nomor = version.nomor if version is not None else 1
    agency, stage = submission.skpd.nama_pendek, submission.get_stage_display()
    sent = "mengirim ulang" if nomor > 1 else "mengirim"
    judul = one_line(f"{event.dossier.judul}: {agency} {sent} {stage}")
    isi = (f"{agency} {sent} {stage}: {len(version.rows) if version else 0} indikator, versi {nomor}.\n"
           f"Dikirim oleh {event.actor_label} pada {moment_text(event.at)}.")
    if version is not None and version.catatan.strip():
        isi += f"\nCatatan SKPD: {sentence(version.catatan)}"
    return [(user, judul, f"{isi}{as_}") for user, as_ in _kasubags(event)]


def _disposition_done(event) -> list[tuple]:
    """A Staf reports a disposisi done: news for the Kasubag who gave it, or, when they hold the post
    no more (switched off, moved, a Plh. whose days ended), for the Kasubag holding it now: the
    result reached nobody, and the step it helps waits on the new one."""
    disposition = Disposition.objects.select_related("given_by").filter(pk=event.data.get("disposisi")).first()
    if disposition is None:
        return []
    giver = disposition.given_by
    if giver.pk == event.actor_id:
        return []
    judul = one_line(f"{event.dossier.judul}: Disposisi selesai, {disposition.instruksi[:120]}")
    isi = (f"{by_whom(event)} melaporkan disposisi selesai.\n"
           f"Disposisi: {sentence(disposition.instruksi)}\n"
           f"Hasil: {sentence(disposition.hasil) or 'tidak ditulis.'}")
    if giver.is_active and Role.KASUBAG in policy.roles_of(giver):
        return [(giver, judul, isi)]
    given = disposition.given_by_nama or giver.display_name
    isi += f"\nDisposisi ini diberikan oleh {given}, yang kini tidak lagi memegang peran Kasubag."
    return [(user, judul, f"{isi}{as_}") for user, as_ in _kasubags(event) if user.pk != giver.pk]


def _cancelled(event) -> list[tuple]:
    """The round is cancelled: news for whoever had work at the position it was cancelled at, and for
    every officer of the agencies it invited (told of the invitation, some with a table half typed).
    A cancelled dossier waits on nobody, so the hand-off's own reckoning told no one: the round just
    dropped out of their inboxes."""
    dossier = event.dossier
    among = User.objects.filter(Q(skpd__isnull=True) | Q(skpd__in=dossier.invited.all()))
    held = holders(waited_on(event.from_state), among)
    judul = one_line(f"{dossier.judul}: Dosier dibatalkan")
    said = f"Dosier dibatalkan oleh {by_whom(event)} saat {STATE_LABELS[event.from_state]}.\n"
    done = "Tidak ada lagi yang perlu Anda kerjakan pada dosier ini."
    # The reason is the bureau's own, as on the dossier page (tests/security/test_side_channels.py):
    # an agency reads that the round was cancelled, not why.
    return [(user, judul, said + done if user.skpd_id else f"{said}Alasan: {sentence(event.note)}\n{done}")
            for user in _with_agencies(event, held)]


def _decreed(event) -> list[tuple]:
    """The Governor's decree is recorded and the round closes: news for the officers of the agencies
    it invited (whose IKU it sets) and the bureau's Kasubag, Kabag and Kabiro. It waits on nobody,
    so the hand-off's own reckoning told no one: the round just left their inboxes."""
    dossier = event.dossier
    bureau = holders({Role.KASUBAG, Role.KABAG, Role.KABIRO}, User.objects.filter(skpd__isnull=True))
    decree = f"Keputusan Gubernur Nomor {dossier.nomor_kepgub} tanggal {long_date(dossier.tanggal_kepgub)}"
    judul = one_line(f"{dossier.judul}: IKU {dossier.tahun} ditetapkan")
    said = f"Gubernur menetapkan IKU {dossier.tahun} dengan {decree}; dicatat oleh {by_whom(event)}.\n"
    return [(user, judul, said + (f"IKU {user.skpd.nama_pendek} yang ditetapkan dapat dibaca pada halaman dosier."
                                  if user.skpd_id else "Dosier selesai."))
            for user in _with_agencies(event, bureau)]


def _with_agencies(event, told) -> list:
    """`told` and every officer of the active agencies the round invited, once each, in id order,
    without whoever acted: the news of a round that closes and waits on nobody any more."""
    agencies = officers(event.dossier.invited.filter(aktif=True)).select_related("skpd")
    people = {user.pk: user for user in [*told, *agencies] if user.pk != event.actor_id}
    return [user for _, user in sorted(people.items())]


def notices_for(event) -> list[tuple]:
    """(user, judul, isi) for each person the `event` puts work before or brings news to."""
    if event.action == Action.AJUKAN_IKU:
        return _agency_sent(event)
    if event.action == DISPOSE_DONE:
        return _disposition_done(event)
    if event.action == Action.BATALKAN:
        return _cancelled(event)
    if event.action == Action.CATAT_PENETAPAN:
        return _decreed(event)
    return _handoff(event)


def _why_mailed(site: str) -> str:
    """The mail's last lines: why it came, and where to stop such mail (the reader's own choice)."""
    return ("\n\n--\nSurel ini dikirim otomatis oleh SOP-IKU Biro Kesra. Untuk berhenti menerima "
            f"pemberitahuan lewat surel, ubah Pilihan pemberitahuan: {site}{reverse('notice_preferences')}")


def mail_pending(notices, now) -> int:
    """Mail each of `notices` not yet mailed to whoever wants e-mail; returns how many went out.
    Safe to run again after a failed send: nobody is mailed twice (a send the database lost the
    record of goes again as the same message: `lib.mail`)."""
    sent = 0
    for notice_id in notices.filter(emailed_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            # Locked, so two workers retrying the same notices cannot both mail them.
            # With the recipient's wishes: read apart, one query more for each notice of every hand-off.
            notice = Notice.objects.select_for_update(of=("self",)).select_related(
                "recipient", "recipient__notice_preference").get(pk=notice_id)
            recipient = notice.recipient
            if notice.emailed_at is not None or not recipient.email or not _wanted(recipient).by_email:
                continue
            # Folded again: a notice stored before titles were checked may still hold a break.
            site = site_url()
            try:
                send_once(one_line(notice.judul), f"{notice.isi}\n\nBuka: {site}{notice.path}{_why_mailed(site)}",
                          [recipient.email], kind="pemberitahuan", key=notice.pk, moment=notice.created_at)
            except smtplib.SMTPRecipientsRefused as refused:
                # One mailbox the server refuses (an address mistyped, a mailbox closed) must not keep
                # the hand-off from the others after it; it stays unmailed, tried again by the sweep.
                log.warning("Server surel menolak alamat %s (pemberitahuan %s): %s", recipient.email, notice.pk,
                            refused.recipients)
                continue
            notice.emailed_at = now
            notice.save(update_fields=["emailed_at"])
            sent += 1
    return sent


TITLE_LENGTH = Notice._meta.get_field("judul").max_length
TEXT_LENGTH = Notice._meta.get_field("isi").max_length
# A note longer than the notice holds (a Kabag's return note may fill its 2,000 characters).
WHOLE_ON_THE_PAGE = "\n(Selengkapnya di halaman dosier.)"


def deliver(event_id: int, now=None) -> int:
    """Record each notice of the hand-off once and mail those not yet mailed; returns how many
    e-mails went out. Safe to run again after a failed send: nobody is told twice."""
    event = AuditEvent.objects.select_related("dossier", "actor").get(pk=event_id)
    now = now or timezone.now()
    # A notice recorded while the hand-off was current is still mailed on a retry; a hand-off the
    # dossier has since moved past records none.
    told = [] if superseded(event) else notices_for(event)
    # One statement for all: a notice already recorded (a retry) is left as it is, by the one-per-
    # person-per-hand-off constraint.
    Notice.objects.bulk_create([
        Notice(recipient=user, event=event, dossier=event.dossier, judul=clipped(judul, TITLE_LENGTH),
               isi=clipped(isi, TEXT_LENGTH, more=WHOLE_ON_THE_PAGE), created_at=now)
        for user, judul, isi in told
    ], ignore_conflicts=True)
    return mail_pending(Notice.objects.filter(event=event), now)


# A notice whose e-mail did not go when it was made (the mail server down or refusing when the
# worker sent it: the task is then failed and never run again) is mailed by `send_reminders`, which
# runs every minute: once the worker has had its turn, and while it is still news.
UNSENT_AFTER = datetime.timedelta(minutes=10)
UNSENT_UNTIL = datetime.timedelta(days=3)


def _done_meanwhile(notice) -> bool:
    """The recipient did the work the notice asks for while the dossier stayed where it was: an
    agency sent the table it was asked for (sending moves no dossier), a Staf reported the disposisi
    done. Mailed late, "Kirim Konsep IKU ..." would reach an agency that has sent it."""
    event = notice.event
    if event.action == DISPOSE:
        return Disposition.objects.filter(pk=event.data.get("disposisi"), done_at__isnull=False).exists()
    # An agency's only work is its table; the invitation and the cancellation are news, not work.
    # Sent is done, though the agency may still send again while the step lasts (its inbox keeps it).
    step = notice.dossier.step
    stage = step and step.iku_awaited
    if not notice.recipient.skpd_id or not stage or event.action in (CREATE, Action.BATALKAN):
        return False
    return IkuSubmission.objects.filter(dossier_id=notice.dossier_id, skpd_id=notice.recipient.skpd_id, stage=stage,
                                        submitted_at__isnull=False, reopened_at__isnull=True).exists()


def _agency_left(notice) -> bool:
    """The recipient's agency was deactivated since: the round asks nothing of it any more, as its
    officers were told (notices.agencies); mailed late, "Kirim Konsep IKU ... Tenggat ..." would
    follow that notice. The invitation and the cancellation stay news."""
    agency = notice.recipient.skpd
    return agency is not None and not agency.aktif and notice.event.action not in (CREATE, Action.BATALKAN)


def _overtaken(notice) -> bool:
    """Later news of the same thing has come: the dossier moved past the hand-off (its work is done,
    and the mail would ask for it again), the recipient did its work meanwhile, or the delegation it
    told of was told as started or ended since ("pelimpahan:12:ditunjuk" after
    "pelimpahan:12:mulai" would announce what already began)."""
    if notice.event is not None:
        return superseded(notice.event) or _done_meanwhile(notice) or _agency_left(notice)
    about = notice.key.rpartition(":")[0]
    if not about:
        return False
    later = Notice.objects.filter(recipient_id=notice.recipient_id, pk__gt=notice.pk)
    if notice.key.startswith("skpd-"):
        # An agency switched off, then on again (or back): "dinonaktifkan" mailed after "diaktifkan
        # kembali" would leave the officer reading that it is off. The later one says both.
        agency = about.split(":")[1]
        return later.filter(Q(key__startswith=f"skpd-{DEACTIVATED}:{agency}:")
                            | Q(key__startswith=f"skpd-{REACTIVATED}:{agency}:")).exists()
    return later.filter(key__startswith=f"{about}:").exists()


def _shut_before(calendar, now) -> datetime.timedelta:
    """The whole days the office was shut just before `now`'s day (a weekend, a holiday): a notice
    the worker could not mail on a Thursday afternoon waits for the office's opening after them, and
    is mailed then, not dropped as older than UNSENT_UNTIL."""
    day, shut = local(now).date(), 0
    # Bounded: a calendar with no office hours at all has no opening to wait for.
    while shut < 31 and not calendar.day(day - datetime.timedelta(days=shut + 1)).spans:
        shut += 1
    return datetime.timedelta(days=shut)


def mail_unsent(now, calendar=None) -> list[str]:
    """Mail the notices still unmailed from between UNSENT_UNTIL and UNSENT_AFTER ago to whoever
    wants e-mail, unless later news overtook them; returns a line for the command's output. With
    the office's `calendar`, the days it was shut before today are not counted in UNSENT_UNTIL (the
    run of `send_reminders` mails them in office hours only)."""
    until = UNSENT_UNTIL + (_shut_before(calendar, now) if calendar is not None else datetime.timedelta())
    waiting = (Notice.objects.filter(emailed_at__isnull=True, created_at__lte=now - UNSENT_AFTER,
                                     created_at__gte=now - until, recipient__is_active=True)
               .exclude(recipient__email="").exclude(recipient__notice_preference__by_email=False)
               .select_related("event", "recipient__skpd", "dossier"))
    due = [notice.pk for notice in waiting if not _overtaken(notice)]
    if not due:
        return []
    sent = mail_pending(Notice.objects.filter(pk__in=due), now)
    return [f"Pemberitahuan yang tertunda dikirim lewat surel: {sent}"] if sent else []
