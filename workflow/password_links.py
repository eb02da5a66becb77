"""Links that let a person set their own password, by e-mail: Django's password reset tokens
(`PasswordResetTokenGenerator`: bound to the account's password, last sign-in and e-mail, so a link
is dead once used, once the person signs in, or once the admin changes the address) made when the
mail goes, never stored. Two kinds, each with its own salt so that one cannot pass for the other:
the admin's (a new account's first password, opened maybe days later by an agency's officer) and
the one a person asks for on the sign-in page (they wait for it, and a short life limits what a
mail read by someone else can do).

The mail goes the way the hand-offs' mails go: recorded in the request's transaction, sent by the
task worker (`mail_password_link`), sent again by `send_reminders` when the mail server failed
(`mail_unsent_links`), under one Message-ID (lib.mail)."""

import datetime
import logging
import smtplib

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django_tasks.backends.immediate import ImmediateBackend

from lib.dates import moment_text
from lib.mail import send_once
from lib.site import site_url
from workflow import policy
from workflow.models import PasswordLink, User

log = logging.getLogger(__name__)

Kind = PasswordLink.Kind
SUBJECT = "[SOP-IKU] Atur kata sandi akun Anda"


def lifetime(kind: str) -> datetime.timedelta:
    if kind == Kind.ADMIN:
        return datetime.timedelta(days=settings.SOP_PASSWORD_LINK_DAYS)
    return datetime.timedelta(minutes=settings.SOP_PASSWORD_RESET_MINUTES)


def lifetime_text(kind: str) -> str:
    if kind == Kind.ADMIN:
        return f"{settings.SOP_PASSWORD_LINK_DAYS} hari"
    minutes = settings.SOP_PASSWORD_RESET_MINUTES
    return f"{minutes // 60} jam" if minutes % 60 == 0 else f"{minutes} menit"


class LinkTokens(PasswordResetTokenGenerator):
    """Django's tokens with a salt and a life of their own: Django checks PASSWORD_RESET_TIMEOUT
    (settings: the longest of the kinds' lives), then this kind's own."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind
        self.key_salt = f"sop_iku.password_link.{kind}"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        made = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - made <= lifetime(self.kind).total_seconds()


TOKENS = {kind: LinkTokens(kind) for kind in Kind.values}


def link_for(user, kind: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_url() + reverse("password_set", args=[kind, uid, TOKENS[kind].make_token(user)])


def log_for_account(account, by, message: str) -> None:
    """In the account's history in the admin (Riwayat), where the import and the user page record."""
    LogEntry.objects.create(user_id=(by or account).pk, content_type=ContentType.objects.get_for_model(User),
                            object_id=str(account.pk), object_repr=account.username[:200], action_flag=CHANGE,
                            change_message=message)


def request_link(account, kind: str, by=None) -> PasswordLink:
    """Record that `account` is to be mailed a link of `kind` (by the admin `by`, or by its own
    request), log it, and queue the mail. The caller has asked the policy."""
    from workflow.tasks import mail_password_link

    now = timezone.now()
    link = PasswordLink.objects.create(user=account, kind=kind, sent_by=by, email=account.email, created_at=now)
    if by is not None:
        said = f"Tautan atur kata sandi dikirim ke {account.email} (berlaku {lifetime_text(kind)})."
    else:
        said = (f"Tautan atur kata sandi diminta lewat Lupa kata sandi, dikirim ke {account.email} "
                f"(berlaku {lifetime_text(kind)}).")
    log_for_account(account, by, said)
    if isinstance(mail_password_link.get_backend(), ImmediateBackend):
        # At once without a worker: after the commit, so a rolled-back import mails nobody.
        transaction.on_commit(lambda: mail_password_link.enqueue(link.pk))
    else:
        # Queued in the request's own transaction, as the hand-offs are (notices.signals).
        mail_password_link.enqueue(link.pk)
    return link


def body(link, account, url: str) -> str:
    expires = moment_text(timezone.now() + lifetime(link.kind))
    if link.kind == Kind.ADMIN and not account.has_usable_password() and account.last_login is None:
        lead = "Akun Anda di SOP-IKU Biro Kesra sudah dibuat oleh admin Biro. Atur kata sandi Anda untuk mulai masuk."
    elif link.kind == Kind.ADMIN:
        lead = "Admin Biro mengirim tautan ini agar Anda dapat mengatur kata sandi baru untuk akun SOP-IKU Anda."
    else:
        lead = ("Ada permintaan mengatur kata sandi akun SOP-IKU Anda (Lupa kata sandi). Bila bukan Anda yang "
                "memintanya, abaikan surel ini: kata sandi Anda tidak berubah.")
    return (
        f"Yth. {account.display_name},\n\n{lead}\n\n"
        f"Nama pengguna: {account.username}\n\n"
        f"Buka tautan ini untuk mengatur kata sandi:\n{url}\n\n"
        f"Tautan berlaku sampai {expires} dan hanya dapat dipakai satu kali. Bila sudah tidak berlaku, minta "
        f"tautan baru lewat Lupa kata sandi? di {site_url()}{reverse('password_forgotten')}, atau hubungi admin Biro.\n"
        "\n--\nSurel ini dikirim otomatis oleh SOP-IKU Biro Kesra. Jangan teruskan surel ini kepada siapa pun: "
        "siapa yang membuka tautannya dapat mengatur kata sandi akun Anda.\n"
    )


def mail_link(link_id: int, now=None) -> bool:
    """Mail the link `link_id` names, unless it went already or the account may no longer have it
    (deactivated, its address changed, made admin since a request of its own). Safe to run again."""
    now = now or timezone.now()
    with transaction.atomic():
        # Locked, so the worker and the sweep cannot both mail it.
        link = PasswordLink.objects.select_for_update(of=("self",)).select_related("user").filter(pk=link_id).first()
        if link is None or link.emailed_at is not None:
            return False
        account = link.user
        if account.email.casefold() != link.email.casefold() or not policy.may_receive_password_link(
                account, asked_by_self=link.kind == Kind.FORGOTTEN):
            return False
        try:
            send_once(SUBJECT, body(link, account, link_for(account, link.kind)), [account.email],
                      kind="kata-sandi", key=link.pk, moment=link.created_at)
        except smtplib.SMTPRecipientsRefused as refused:
            log.warning("Server surel menolak alamat %s (tautan kata sandi %s): %s", account.email, link.pk,
                        refused.recipients)
            return False
        link.emailed_at = now
        link.save(update_fields=["emailed_at"])
    return True


# A link whose mail did not go when asked for (the mail server down): sent by `send_reminders`
# once the worker has had its turn, and while it is still wanted: the person asking on the sign-in
# page waits a while, then asks again; a new account's first link waits for days.
UNSENT_AFTER = datetime.timedelta(minutes=10)
UNSENT_UNTIL = {Kind.ADMIN: datetime.timedelta(days=3), Kind.FORGOTTEN: datetime.timedelta(hours=1)}


def mail_unsent_links(now) -> list[str]:
    sent = 0
    for kind, until in UNSENT_UNTIL.items():
        waiting = PasswordLink.objects.filter(kind=kind, emailed_at__isnull=True, created_at__lte=now - UNSENT_AFTER,
                                              created_at__gte=now - until).values_list("pk", flat=True)
        sent += sum(mail_link(pk, now) for pk in waiting)
    return [f"Tautan atur kata sandi yang tertunda dikirim lewat surel: {sent}"] if sent else []
