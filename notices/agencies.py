"""An agency the admin deactivates while rounds run, or activates again, is told so by each of its
active officers: the last mail they had said "Kirim Konsep IKU ... Tenggat ...", and only their inbox
and notices page said the rounds no longer wait on them; reactivated, nothing told them the rounds
wait on them again, by when. One notice per officer per change (`Notice.key`), recorded and mailed
by the task worker after the admin's change commits, as a role given is (notices.roles); a retry
tells nobody twice, and each officer's choices (e-mail, the list) hold as for every notice."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lib.dates import moment_text
from lib.one_line import one_line
from notices.models import Notice
from notices.roles import listed
from workflow.steps import FINAL_STATES

DEACTIVATED = "nonaktif"
REACTIVATED = "aktif"


def key(skpd_id: int, user_id: int, kind: str, at: int) -> str:
    return f"skpd-{kind}:{skpd_id}:{user_id}:{at}"


def _rounds(agency) -> list:
    """The running rounds that wait, or would wait, on `agency` (its invitations `waiting`, kept as
    they were while it was inactive: policy.taken_out_invitations), oldest first."""
    from workflow.models import Dossier

    return list(Dossier.objects.filter(invitation__skpd=agency.pk, invitation__waiting=True)
                .exclude(state__in=FINAL_STATES).order_by("state_entered_at", "pk"))


def _deactivated(agency, rounds) -> tuple[str, str]:
    name = agency.nama_pendek
    since = f" sejak {moment_text(agency.nonaktif_sejak)}" if agency.nonaktif_sejak else ""
    isi = f"Admin menonaktifkan {name}{since}.\n"
    if rounds:
        isi += (f"Putaran yang berjalan berikut tidak lagi menunggu IKU {name}; tenggatnya tidak berlaku lagi bagi "
                f"{name}:\n" + listed(rounds, lambda d: f"- {d.judul} ({d.get_state_display()})") + "\n")
    else:
        isi += f"Saat ini tidak ada putaran berjalan yang menunggu IKU {name}.\n"
    isi += (f"Tidak ada lagi yang perlu Anda kirim. Yang sudah dikirim {name} tetap tercatat dan dapat dibaca di "
            "halaman dosier; draf yang tersimpan tetap tersimpan, tetapi tidak dapat dikirim kecuali SKPD ini "
            "diaktifkan kembali.")
    return f"{name} dinonaktifkan: tidak ada lagi yang perlu dikirim", isi


def _due(dossier) -> str:
    # The step's deadline is the agency's only at the step that asks for its table; a table reopened
    # past it (step 6) is due by no clock of its own, as its hand-off says (notices.handoff).
    step = dossier.step
    if dossier.due_at and step is not None and step.iku_stage:
        return f"; tenggat {moment_text(dossier.due_at)}"
    return ""


def _reactivated(agency, rounds, off=None, on=None) -> tuple[str, str]:
    """The reactivation's notice; with `off` (and `on`), the moments it was switched off and on again,
    for an officer who was never told of the deactivation (the worker ran after both, or its mail did
    not go): "diaktifkan kembali" alone spoke of an agency nobody had said was switched off."""
    name = agency.nama_pendek
    if off is None:
        judul, isi = f"{name} diaktifkan kembali", f"Admin mengaktifkan kembali {name}."
    else:
        judul = f"{name} sempat dinonaktifkan, kini aktif kembali"
        isi = (f"Admin menonaktifkan {name} pada {moment_text(off)}, lalu mengaktifkannya kembali pada "
               f"{moment_text(on)}. Selama nonaktif, putaran berjalan tidak menunggu IKU {name} dan tidak ada yang "
               f"dapat dikirimnya; yang sudah dikirim dan draf yang tersimpan tetap ada.")
    if not rounds:
        return judul, f"{isi} Saat ini belum ada putaran berjalan yang menunggu IKU {name}; putaran berikutnya akan diberitahukan."
    isi += (f" Putaran berjalan berikut kembali menunggu IKU {name}:\n"
            + listed(rounds, lambda d: f"- {d.judul} ({d.get_state_display()}){_due(d)}.")
            + "\nSemuanya ada di halaman Menunggu saya.")
    return one_line(f"{judul}: {len(rounds)} putaran menunggu IKU {name}"), isi


def _told_off(agency, people, off) -> set[int]:
    """Those of `people` whose notice of the deactivation at `off` was recorded and mailed: the
    others read of it in the reactivation's (a notice not mailed yet is overtaken by it, and never
    mailed: notices.handoff._overtaken)."""
    return set(Notice.objects.filter(recipient__in=people, key__startswith=f"skpd-{DEACTIVATED}:{agency.pk}:",
                                     created_at__gte=off, emailed_at__isnull=False)
               .values_list("recipient_id", flat=True))


def _told_already(agency, people, kind: str, at: int) -> set[int]:
    """Those of `people` whose last notice of the agency told it stood so by an earlier change: it
    was switched off and on again (or on and off) twice before the worker ran, and each change's
    task finds it standing as its own left it. They read once that it is active (or not)."""
    last = {}
    for recipient_id, told in (Notice.objects.filter(recipient__in=people)
                               .filter(Q(key__startswith=f"skpd-{DEACTIVATED}:{agency.pk}:")
                                       | Q(key__startswith=f"skpd-{REACTIVATED}:{agency.pk}:"))
                               .order_by("pk").values_list("recipient_id", "key")):
        last[recipient_id] = told
    return {recipient_id for recipient_id, told in last.items()
            if told.startswith(f"skpd-{kind}:") and told.rpartition(":")[2] != str(at)}


def tell(skpd_id: int, kind: str, at: int, off: int | None = None) -> list[int]:
    """Record the notice of the agency's change `kind` made at `at` (Unix seconds) for each of its
    active officers, if the agency still stands so (switched back meanwhile, the later change is the
    news: a reactivation's says so to whoever was not told of the deactivation at `off`), and to
    nobody told so by an earlier change since the last news of the opposite; returns the ids of its
    notices of this change, those an earlier run recorded too, for `mail_pending` to mail those it
    did not."""
    from iku.round import officers
    from workflow.models import Skpd

    agency = Skpd.objects.filter(pk=skpd_id).first()
    if agency is None or agency.aktif != (kind == REACTIVATED):
        return []
    rounds = _rounds(agency)
    now = timezone.now()
    people = list(officers([agency.pk]).order_by("pk"))
    told_so = _told_already(agency, people, kind, at)
    people = [user for user in people if user.pk not in told_so]
    if kind == REACTIVATED:
        plain = _reactivated(agency, rounds)
        if off is not None:
            off_at, on_at = (dt.datetime.fromtimestamp(moment, dt.UTC) for moment in (off, at))
            told, whole = _told_off(agency, people, off_at), _reactivated(agency, rounds, off_at, on_at)
        said = {user.pk: plain if off is None or user.pk in told else whole for user in people}
    else:
        said = dict.fromkeys((user.pk for user in people), _deactivated(agency, rounds))
    Notice.objects.bulk_create([
        Notice(recipient=user, key=key(agency.pk, user.pk, kind, at), dossier=rounds[0] if len(rounds) == 1 else None,
               judul=one_line(said[user.pk][0])[:300], isi=said[user.pk][1][:2000], created_at=now)
        for user in people
    ], ignore_conflicts=True)
    return list(Notice.objects.filter(key__in=[key(agency.pk, user.pk, kind, at) for user in people])
                .values_list("pk", flat=True))


def tell_and_mail(skpd_id: int, kind: str, at: int, off: int | None = None) -> int:
    """`tell` the change and mail what is recorded and not yet mailed; returns how many e-mails went out."""
    from notices.handoff import mail_pending

    made = tell(skpd_id, kind, at, off)
    return mail_pending(Notice.objects.filter(pk__in=made), timezone.now()) if made else 0


def on_switched(agencies, active: bool) -> None:
    """Called by the admin in the transaction that deactivates or reactivates `agencies` (as they
    stood before: a reactivated agency's `nonaktif_sejak` still says when it was switched off): told
    off the request and only if it commits, as a role given is (notices.roles)."""
    from django_tasks.backends.immediate import ImmediateBackend

    from notices.tasks import tell_agency_switched

    kind = REACTIVATED if active else DEACTIVATED
    # The change's own moment names the notices, so the task run again tells nobody twice.
    at = int(timezone.now().timestamp())
    for agency in agencies:
        since = agency.nonaktif_sejak if active else None
        args = (agency.pk, kind, at) + ((int(since.timestamp()),) if since is not None else ())
        if isinstance(tell_agency_switched.get_backend(), ImmediateBackend):
            transaction.on_commit(lambda args=args: tell_agency_switched.enqueue(*args))
        else:
            tell_agency_switched.enqueue(*args)
