"""A person given a role while work already waits on it (a new Kabag appointed while a paraf waits,
an agency's officer replaced while the round waits for its table, a Staf made Kasubag) is told what
waits on them in it: its hand-off was told to whoever held the role then, who may be gone, and a
stay's reminders go once. One notice per role given, mailed after the commit as a delegation's."""

from django.db import transaction
from django.utils import timezone

from lib.one_line import one_line
from notices.models import Notice
from workflow.roles import Role

# How many dossiers the notice names; the inbox lists them all.
NAMED = 10


def listed(dossiers, line) -> str:
    """A notice's lines for the first NAMED of `dossiers` (`line` of each), and how many more."""
    lines = [line(dossier) for dossier in dossiers[:NAMED]]
    if len(dossiers) > NAMED:
        lines.append(f"- dan {len(dossiers) - NAMED} dosier lagi.")
    return "\n".join(lines)


def key(user_id: int, role: str, now) -> str:
    return f"peran:{user_id}:{role}:{int(now.timestamp())}"


def waiting_in(user, role: str) -> list:
    """The dossiers waiting on `user` in `role` now, as their inbox shows them (with `tasks`)."""
    from workflow import inbox, policy
    from workflow.models import Dossier

    invitations = policy.waiting_invitations(user)
    if role == Role.SKPD:
        if invitations is None:
            return []
        found = Dossier.objects.filter(pk__in=invitations.values("dossier_id"))
    else:
        found = Dossier.objects.visible_to(user).filter(policy.inbox_scope(user),
                                                         state__in=policy.waiting_states({role}))
    dossiers = policy.remember_preparers(list(found.order_by("state_entered_at", "pk")))
    if role == Role.SKPD:
        dossiers = policy.remember_invitation(user, dossiers)
    return [dossier for dossier in inbox.attach(user, dossiers) if dossier.tasks]


def tell(user_id: int, role: str) -> Notice | None:
    """Record the notice of `role` given to the user, when anything waits on them in it."""
    from workflow.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    waiting = waiting_in(user, role)
    if not waiting:
        return None
    label = Role(role).label
    lines = listed(waiting, lambda d: f"- {d.judul} ({d.get_state_display()}): {'; '.join(task.text for task in d.tasks)}")
    now = timezone.now()
    isi = (f"Anda kini memegang peran {label}. Yang sudah menunggu peran itu kini menunggu Anda:\n" + lines
           + "\nSemuanya ada di halaman Menunggu saya.")
    return Notice.objects.create(
        recipient=user, key=key(user.pk, role, now), dossier=waiting[0] if len(waiting) == 1 else None,
        judul=one_line(f"Anda kini memegang peran {label}: {len(waiting)} dosier menunggu Anda")[:300],
        isi=isi[:2000], created_at=now,
    )


def tell_and_mail(pairs) -> int:
    """`tell` each (user id, role) and mail what was recorded; returns how many e-mails went out."""
    from notices.handoff import mail_pending

    made = [notice.pk for notice in (tell(user_id, role) for user_id, role in pairs) if notice is not None]
    return mail_pending(Notice.objects.filter(pk__in=made), timezone.now()) if made else 0


def on_given(pairs) -> None:
    """Roles given, as (user id, role), in the transaction that gives them: told off the request
    (an import gives hundreds), and only if it commits, as a hand-off is (notices.signals)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from notices.tasks import tell_roles_given

    pairs = [[user_id, str(role)] for user_id, role in pairs]
    if not pairs:
        return
    if isinstance(tell_roles_given.get_backend(), ImmediateBackend):
        transaction.on_commit(lambda: tell_roles_given.enqueue(pairs))
    else:
        tell_roles_given.enqueue(pairs)
