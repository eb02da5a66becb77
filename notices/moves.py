"""An agency officer the admin moves to another agency (or out of agencies) is told so: whom she
acts for from now on, that the old agency's rounds, tables and notices are no longer hers (what she
kept as its draft stays its draft, for its officers to carry on), and what already waits on her new
agency. Her inbox, lists and grid changed under her without a word; she would go on looking for the
old agency's table, and the new agency's round (told to its officers long ago) reaches her nowhere
else. One notice per move, mailed after the commit as a role given is (notices.roles)."""

from django.db import transaction
from django.utils import timezone

from lib.one_line import one_line
from notices.models import Notice
from notices.roles import NAMED, waiting_in
from workflow.roles import Role


def key(user_id: int, skpd_id: int | None, now) -> str:
    return f"skpd:{user_id}:{skpd_id or 0}:{int(now.timestamp())}"


def tell(user_id: int, old_skpd_id: int | None) -> Notice | None:
    """Record the notice of the officer's move from the agency `old_skpd_id`, if she still stands
    moved (a second save may have put her back) and acts for agencies."""
    from workflow.models import Skpd, User

    user = User.objects.select_related("skpd").filter(pk=user_id, is_active=True).first()
    if user is None or user.skpd_id == old_skpd_id or Role.SKPD not in user.own_roles:
        return None
    old = Skpd.objects.filter(pk=old_skpd_id).first()
    new = user.skpd
    was = f" dari {old.nama_pendek}" if old else ""
    left = (f"Dosier, tabel IKU dan pemberitahuan {old.nama_pendek} tidak lagi untuk Anda; draf yang Anda simpan "
            f"untuk {old.nama_pendek} tetap menjadi draf {old.nama_pendek}, dilanjutkan petugasnya.\n") if old else ""
    if new is None:
        judul = f"Anda tidak lagi petugas {old.nama_pendek}" if old else "Akun Anda tidak lagi untuk SKPD mana pun"
        isi = f"Admin memindahkan akun Anda{was}; kini akun Anda tidak bertindak untuk SKPD mana pun.\n{left}"
        waiting = []
    else:
        waiting = waiting_in(user, Role.SKPD)
        judul = f"Anda kini petugas {new.nama_pendek}"
        isi = f"Admin memindahkan akun Anda{was} ke {new.nama_pendek}. Mulai sekarang Anda bertindak untuk {new.nama_pendek}.\n{left}"
        if waiting:
            lines = [f"- {d.judul} ({d.get_state_display()}): {'; '.join(task.text for task in d.tasks)}"
                     for d in waiting[:NAMED]]
            if len(waiting) > NAMED:
                lines.append(f"- dan {len(waiting) - NAMED} dosier lagi.")
            isi += (f"Yang sudah menunggu {new.nama_pendek} kini juga menunggu Anda:\n" + "\n".join(lines)
                    + "\nSemuanya ada di halaman Menunggu saya.")
        else:
            isi += f"Saat ini belum ada dosier yang menunggu {new.nama_pendek}."
    if user.api_tokens.exists():
        # Ended by the move (api.tokens.revoke_on_lost_trust): her programs answer "401" unexplained.
        isi += ("\nToken API yang Anda buat sebelum perpindahan ini tidak berlaku lagi: program yang memakainya perlu "
                "token baru (menu Token API).")
    now = timezone.now()
    return Notice.objects.create(
        recipient=user, key=key(user.pk, new and new.pk, now), dossier=waiting[0] if len(waiting) == 1 else None,
        judul=one_line(judul)[:300], isi=isi.strip()[:2000], created_at=now,
    )


def tell_and_mail(user_id: int, old_skpd_id: int | None) -> int:
    """`tell` the move and mail what was recorded; returns how many e-mails went out."""
    from notices.handoff import mail_pending

    notice = tell(user_id, old_skpd_id)
    return mail_pending(Notice.objects.filter(pk=notice.pk), timezone.now()) if notice is not None else 0


def on_moved(user_id: int, old_skpd_id: int | None) -> None:
    """Called in the transaction that moves her: told off the request and only if it commits, after
    the admin's page has saved her roles too (they are saved after the account)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from notices.tasks import tell_moved

    if isinstance(tell_moved.get_backend(), ImmediateBackend):
        transaction.on_commit(lambda: tell_moved.enqueue(user_id, old_skpd_id))
    else:
        tell_moved.enqueue(user_id, old_skpd_id)
