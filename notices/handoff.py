"""Who is told of a hand-off and what they read: whoever may act on the dossier now, in the words
of their own inbox; the agencies a new round invites."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lib.one_line import one_line
from notices.models import Notice, NoticePreference
from workflow.actions import CREATE, DISPOSE, Action
from workflow.inbox import tasks_for
from workflow.models import AuditEvent, User
from workflow.policy import INBOX_ACTIONS, holding, remember_roles, roles_for
from workflow.steps import STATE_LABELS


def _wanted(user) -> NoticePreference:
    return getattr(user, "notice_preference", None) or NoticePreference(user=user)


def notices_for(event) -> list[tuple]:
    """(user, judul, isi) for each person the hand-off `event` puts work before."""
    dossier = event.dossier
    # Only those holding, in their own right or by a delegation running today, a role that can act
    # in the new position are asked whether it gives them work: a few of the province's 500 users.
    roles = {role for action in INBOX_ACTIONS for role in roles_for(action, dossier.state)}
    may_act = holding(roles)
    if event.action == CREATE:
        may_act |= Q(skpd__in=dossier.invited.all())
    people = User.objects.filter(is_active=True).filter(
        Q(skpd__isnull=True) | Q(skpd__in=dossier.invited.all())
    ).filter(may_act).distinct().select_related("skpd", "notice_preference")
    if event.action == Action.BUKA_KEMBALI_IKU:
        # Only the agency whose table was reopened has new work; the bureau's has not changed.
        people = people.filter(skpd_id=event.data.get("skpd_id"))
    elif event.action == DISPOSE:
        people = people.filter(pk=event.data.get("kepada"))
    told = []
    # Everyone's roles and delegations in two queries, not two per person (500 users at province scale).
    for user in remember_roles(people):
        if user.pk == event.actor_id:
            continue
        tasks = tasks_for(user, dossier)
        if tasks:
            todo = "; ".join(f"{t.text} {t.capacity}".strip() for t in tasks)
            why = event.note if event.action in (Action.BUKA_KEMBALI_IKU, DISPOSE) else f"Dosier kini di {STATE_LABELS[dossier.state]}."
            told.append((user, one_line(f"{dossier.judul}: {todo}"), f"{why} {todo}."))
        elif event.action == CREATE and user.skpd_id:
            told.append((user, one_line(f"{dossier.judul}: {user.skpd.nama_pendek} diundang"),
                         f"Biro Kesra mengundang {user.skpd.nama_pendek} dalam penetapan IKU {dossier.tahun}."))
    return told


def deliver(event_id: int, now=None) -> int:
    """Record each notice of the hand-off once and mail those not yet mailed; returns how many
    e-mails went out. Safe to run again after a failed send: nobody is told twice."""
    event = AuditEvent.objects.select_related("dossier").get(pk=event_id)
    now = now or timezone.now()
    for user, judul, isi in notices_for(event):
        Notice.objects.get_or_create(
            recipient=user, event=event,
            defaults={"dossier": event.dossier, "judul": judul[:300], "isi": isi[:2000], "created_at": now},
        )
    sent = 0
    link = reverse("dossier", args=[event.dossier_id])
    for notice_id in Notice.objects.filter(event=event, emailed_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            # Locked, so two workers retrying the same hand-off cannot both mail it.
            notice = Notice.objects.select_for_update().select_related("recipient").get(pk=notice_id)
            recipient = notice.recipient
            if notice.emailed_at is not None or not recipient.email or not _wanted(recipient).by_email:
                continue
            # Folded again: a notice stored before titles were checked may still hold a break.
            send_mail(one_line(notice.judul), f"{notice.isi}\n\nBuka: {settings.SOP_SITE_URL}{link}",
                      None, [recipient.email])
            notice.emailed_at = now
            notice.save(update_fields=["emailed_at"])
            sent += 1
    return sent
