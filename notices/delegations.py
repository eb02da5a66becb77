"""What a Plh./Plt. is told of their delegation: that it was given (when it starts later), that it
started, and that it ended (early, called off, or by its date passing). One notice per delegate per
delegation and kind (`Notice.key`), so the daily check run every minute tells nobody twice."""

import datetime

from django.db import transaction
from django.utils import timezone

from lib.dates import long_date
from lib.one_line import one_line
from lib.sentence import sentence
from notices.handoff import mail_pending
from notices.models import Notice

NAMED = "ditunjuk"  # given, starting on a later day
CHANGED = "diubah"  # its days changed after the delegate was told of it
STARTED = "mulai"
ENDED = "selesai"
# Told to a delegate the admin replaced by another (a key of its own per change: the ending, told to
# whoever holds it then, is still to come).
HANDED_ON = "dialihkan"
# Told to the official: the delegate's account was switched off, so the delegation gives nothing.
DELEGATE_LEFT = "pelaksana_nonaktif"
# Told to the official: that account switched on again, so the delegation gives the role again.
DELEGATE_BACK = "pelaksana_aktif"
# How far back the daily check looks for a delegation whose last day passed: a check that did not
# run for a few days (a server down over a long weekend) still tells, an old one never does.
LOOK_BACK = datetime.timedelta(days=7)


def key(delegation_id: int, kind: str) -> str:
    return f"pelimpahan:{delegation_id}:{kind}"


def changed_key(delegation_id: int, kind: str, now) -> str:
    """A key of its own for each change the admin makes ("pelimpahan:<id>:" as the others, so later
    news of it overtakes it unmailed): a change back to what was told before is news again."""
    return f"{key(delegation_id, kind)}-{int(now.timestamp() * 1_000_000)}"


def _basis(delegation) -> str:
    # Typed as a sentence ("ST/12/2026.") it gets no second stop.
    return f"\nDasar: {sentence(delegation.dasar)}" if delegation.dasar.strip() else ""


def _but_own(delegation) -> str:
    """What a stand-in who prepares the role's drafts is not handed (`Delegation.own_drafts_note`)."""
    from workflow import policy

    if not policy.reviews_of_own_preparing(delegation.delegate, delegation.role):
        return ""
    return (f", kecuali yang draftnya Anda siapkan sendiri: draft itu tidak dapat Anda paraf, kembalikan atau "
            f"tandatangani, dan tetap menunggu {delegation.official.display_name}")


def _words(delegation, kind: str, today, how: str = "") -> tuple[str, str]:
    official = delegation.official.display_name
    as_ = delegation.title
    role = delegation.get_role_display()
    if kind == NAMED:
        return (f"Anda ditunjuk sebagai {as_} mulai {long_date(delegation.starts_on)}",
                f"{official} menunjuk Anda sebagai {as_} atas namanya dari {delegation.span}.{_basis(delegation)}\n"
                f"Mulai {long_date(delegation.starts_on)} dosier yang menunggu {role} juga menunggu "
                + sentence(f"Anda{_but_own(delegation)}"))
    if kind == STARTED:
        return (f"Pelimpahan dimulai: Anda {as_} atas nama {official}",
                f"Mulai {long_date(max(delegation.starts_on, today))} sampai dengan {long_date(delegation.ends_on)} "
                f"Anda bertindak sebagai {as_} atas nama {sentence(official)}{_basis(delegation)}\n"
                f"Dosier yang menunggu {role} kini juga menunggu " + sentence(f"Anda{_but_own(delegation)}"))
    if how == "batal":
        return (f"Pelimpahan dibatalkan: {as_} atas nama {official}",
                f"Penunjukan Anda sebagai {as_} atas nama {official} ({delegation.span}) dibatalkan sebelum berlaku.")
    if how == "awal":
        # From the day after its new last day (`Delegation.end_early` makes that yesterday), or today
        # when it was ended on its first day or a running one is deleted (its last day still ahead).
        since = today if delegation.ends_on >= today else delegation.ends_on + datetime.timedelta(days=1)
        return (f"Pelimpahan diakhiri: {as_} atas nama {official}",
                f"Pelimpahan {as_} atas nama {official} diakhiri lebih awal: mulai {long_date(since)} Anda tidak "
                f"lagi bertindak sebagai {role}. Yang sudah Anda kerjakan tetap tercatat dalam riwayat.")
    return (f"Pelimpahan berakhir: {as_} atas nama {official}",
            f"Pelimpahan {as_} atas nama {official} berakhir pada {long_date(delegation.ends_on)}: sejak "
            f"{long_date(delegation.ends_on + datetime.timedelta(days=1))} Anda tidak lagi bertindak sebagai {role}.")


def _tell(delegation, kind: str, now, how: str = ""):
    """Record the delegate's notice of `kind` once; the notice, or None when it was told before or
    the delegate can no longer sign in."""
    delegate = delegation.delegate
    if not delegate.is_active:
        return None
    judul, isi = _words(delegation, kind, timezone.localdate(now), how)
    notice, created = Notice.objects.get_or_create(
        recipient=delegate, key=key(delegation.pk, kind),
        defaults={"judul": one_line(judul)[:300], "isi": isi[:2000], "created_at": now},
    )
    return notice if created else None


def _told(delegation_id: int, *kinds) -> bool:
    return Notice.objects.filter(key__in=[key(delegation_id, kind) for kind in kinds]).exists()


def _mail_after_commit(notice) -> None:
    if notice is None:
        return
    from notices.tasks import mail_notices

    notice_id = notice.pk
    # After commit: a delegation rolled back tells nothing, and the worker sees the notice.
    transaction.on_commit(lambda: mail_notices.enqueue([notice_id]))


def on_saved(delegation, created: bool) -> None:
    """A delegation recorded (on its page or in the admin), or its dates changed."""
    now = timezone.now()
    today = timezone.localdate(now)
    if created:
        if delegation.ends_on < today:
            return  # recorded after the fact: nothing left to act on
        _mail_after_commit(_tell(delegation, NAMED if delegation.starts_on > today else STARTED, now))
    elif (delegation.ends_on < today or delegation.ended_early_at is not None) and _told(delegation.pk, NAMED, STARTED):
        # Ended early: its official ends it from today on (`Delegation.end_early`: one begun today keeps
        # today as its last day), or the admin moved its last day.
        _mail_after_commit(_tell(delegation, ENDED, now, how="awal"))
    elif _delegate_changed(delegation) and delegation.ends_on >= today:
        # Before the days: the new delegate is told the delegation whole, with its days as they are now.
        _mail_after_commit(_tell_handed_on(delegation, now))
        kind = NAMED if delegation.starts_on > today else STARTED
        _mail_after_commit(_tell(delegation, kind, now) or _tell_anew(delegation, kind, now, "Pelimpahan kembali kepada Anda:"))
        delegation.loaded_delegate_id = delegation.delegate_id
        delegation.loaded_days = (delegation.starts_on, delegation.ends_on)
        delegation.loaded_capacity = _capacity(delegation)
    elif (_days_changed(delegation) or _capacity_changed(delegation)) and _told(delegation.pk, NAMED, STARTED):
        _mail_after_commit(_tell_changed(delegation, now))


def _delegate_changed(delegation) -> bool:
    loaded = getattr(delegation, "loaded_delegate_id", None)
    return loaded is not None and loaded != delegation.delegate_id


def _tell_handed_on(delegation, now):
    """The admin gave a running or coming delegation to another delegate: the one it was given to, if
    told of it, hears it is no longer theirs (their inbox lost the role's work without a word)."""
    from workflow.models import User

    was = User.objects.filter(pk=delegation.loaded_delegate_id, is_active=True).first()
    if was is None or not Notice.objects.filter(
            recipient=was, key__in=[key(delegation.pk, NAMED), key(delegation.pk, STARTED)]).exists():
        return None
    today = timezone.localdate(now)
    # As she was told it: the admin's same save may have changed for whom or as what it stands.
    as_, official, role = _was(delegation)
    new = delegation.delegate.display_name
    if delegation.starts_on > today:
        isi = (f"Penunjukan Anda sebagai {as_} atas nama {official} ({delegation.span}) dialihkan admin kepada "
               f"{new}: Anda tidak akan bertindak sebagai {role}.")
    else:
        isi = (f"Pelimpahan {as_} atas nama {official} ({delegation.span}) dialihkan admin kepada {new}: mulai "
               f"{long_date(today)} Anda tidak lagi bertindak sebagai {role}. Yang sudah Anda kerjakan tetap "
               "tercatat dalam riwayat.")
    notice, created = Notice.objects.get_or_create(
        recipient=was, key=changed_key(delegation.pk, HANDED_ON, now),
        defaults={"created_at": now, "isi": isi[:2000],
                  "judul": one_line(f"Pelimpahan dialihkan: {as_} atas nama {official}")[:300]})
    return notice if created else None


def _tell_anew(delegation, kind: str, now, judul: str, lead: str = ""):
    """The delegation told again (its title begun by `judul`, its text by `lead`) as given or started (`kind`) to a delegate whose notice of it stands
    from before, so nothing new was recorded: handed back to her after it was handed away (the newest
    she read says it is no longer hers), or her account switched on again after it lapsed. A notice
    per change ("pelimpahan:<id>:" as the others, so it overtakes an unmailed older one)."""
    delegate = delegation.delegate
    if not delegate.is_active:
        return None
    _, isi = _words(delegation, kind, timezone.localdate(now))
    notice, created = Notice.objects.get_or_create(
        recipient=delegate, key=changed_key(delegation.pk, kind, now),
        defaults={"created_at": now, "isi": f"{lead}{isi}"[:2000],
                  "judul": one_line(f"{judul} {delegation.title} atas nama {delegation.official.display_name}")[:300]})
    return notice if created else None


def _days_changed(delegation) -> bool:
    loaded = getattr(delegation, "loaded_days", None)
    return loaded is not None and None not in loaded and loaded != (delegation.starts_on, delegation.ends_on)


def _capacity(delegation) -> tuple:
    return (delegation.official_id, delegation.role, delegation.kind)


def _capacity_changed(delegation) -> bool:
    loaded = getattr(delegation, "loaded_capacity", None)
    return loaded is not None and None not in loaded and loaded != _capacity(delegation)


def _was(delegation) -> tuple[str, str, str]:
    """The capacity, official and role the delegation had as loaded (before the admin's change)."""
    from workflow.models import User
    from workflow.roles import DelegationKind, Role

    official_id, role, kind = getattr(delegation, "loaded_capacity", None) or _capacity(delegation)
    official = (delegation.official if official_id == delegation.official_id
                else User.objects.filter(pk=official_id).first() or delegation.official)
    return f"{DelegationKind(kind).label} {Role(role).label}", official.display_name, Role(role).label


def _tell_changed(delegation, now):
    """The admin moved a running or coming delegation's days (not ending it), or changed for whom,
    in which role or as what (Plh., Plt.) it makes its delegate act: told "sampai 18 Desember" she
    would act to that day or stop before the new one; told "Plh. Kabag atas nama A", she would not
    know what she may now do, nor that the history and the documents write her acts in B's name.
    Once per change."""
    delegate = delegation.delegate
    if not delegate.is_active:
        return None
    (was_from, was_to), as_ = delegation.loaded_days, delegation.title
    official = delegation.official.display_name
    if _capacity_changed(delegation):
        was_as, was_official, was_role = _was(delegation)
        role = delegation.get_role_display()
        was_days = f", dari {long_date(was_from)} sampai dengan {long_date(was_to)}" if _days_changed(delegation) else ""
        when = "Kini" if delegation.starts_on <= timezone.localdate(now) else f"Mulai {long_date(delegation.starts_on)}"
        judul = f"Pelimpahan diubah: kini {as_} atas nama {official}"
        isi = (f"Pelimpahan Anda diubah admin: kini Anda {as_} atas nama {official} dari {delegation.span} "
               f"(sebelumnya {was_as} atas nama {was_official}{was_days}).{_basis(delegation)}\n"
               f"{when} dosier yang menunggu {role} juga menunggu Anda{_but_own(delegation)}"
               f"{f', tidak lagi yang menunggu {was_role}' if was_role != role else ''}; yang Anda kerjakan "
               f"tercatat sebagai {as_} atas nama {sentence(official)}.")
    else:
        judul = f"Tanggal pelimpahan diubah: {as_} atas nama {official}"
        isi = (f"Tanggal pelimpahan Anda sebagai {as_} atas nama {official} diubah: kini dari "
               f"{delegation.span} (sebelumnya dari {long_date(was_from)} sampai dengan "
               f"{long_date(was_to)}).{_basis(delegation)}")
    notice, created = Notice.objects.get_or_create(
        recipient=delegate,
        # One per change, not per new days: shortened, lengthened and shortened again, the last was
        # not told (the first one's notice had its days) and the Plh. read the longer ones.
        key=changed_key(delegation.pk, CHANGED, now),
        defaults={"created_at": now, "judul": one_line(judul)[:300], "isi": isi[:2000]})
    delegation.loaded_days = (delegation.starts_on, delegation.ends_on)
    delegation.loaded_capacity = _capacity(delegation)
    return notice if created else None


def on_deleting(delegation) -> None:
    """A delegation deleted: called off before it began (`delegation_end`), or removed in the admin."""
    now = timezone.now()
    today = timezone.localdate(now)
    if delegation.ends_on < today or not _told(delegation.pk, NAMED, STARTED) or _told(delegation.pk, ENDED):
        return
    _mail_after_commit(_tell(delegation, ENDED, now, how="batal" if delegation.starts_on > today else "awal"))


def on_delegate_left(delegate) -> list:
    """The delegate's account switched off: each official whose delegation to them runs or is still
    to come is told it gives nothing (`Delegation.void`). Away on leave, the official counted on the
    Plh. for what waits on the post, and nobody else would tell them. Returns those delegations."""
    from workflow.models import Delegation

    now = timezone.now()
    today = timezone.localdate(now)
    lapsed = list(Delegation.objects.filter(delegate=delegate, ends_on__gte=today)
                  .select_related("official", "delegate").order_by("starts_on", "pk"))
    for delegation in lapsed:
        official = delegation.official
        if not official.is_active:
            continue
        as_ = delegation.title
        role = delegation.get_role_display()
        told_before = Notice.objects.filter(recipient=official, key=key(delegation.pk, DELEGATE_LEFT)).exists()
        notice, created = Notice.objects.get_or_create(
            # Switched off again after it was told as holding again (`on_delegate_back`): told again.
            recipient=official,
            key=changed_key(delegation.pk, DELEGATE_LEFT, now) if told_before else key(delegation.pk, DELEGATE_LEFT),
            defaults={"created_at": now,
                      "judul": one_line(f"{as_} Anda tidak berlaku: akun {delegate.display_name} dinonaktifkan")[:300],
                      "isi": (f"Akun {delegate.display_name}, yang Anda tunjuk sebagai {as_} dari {delegation.span}, "
                              f"dinonaktifkan admin: pelimpahan itu tidak berlaku, dan dosier yang menunggu {role} "
                              f"tidak menunggu {delegate.display_name} lagi. Bila Anda berhalangan, tunjuk pelaksana "
                              "lain di halaman Pelimpahan.")[:2000]})
        _mail_after_commit(notice if created else None)
    return lapsed


def on_delegate_back(delegate) -> list:
    """The delegate's account switched on again: each delegation to them running or still to come
    gives the role again (`Delegation.void`), and nobody was told. The delegate hears it stands: one
    recorded while the account was off was never told to them, and one told before lapsed since.
    The official told that it lapsed (`on_delegate_left`) hears it holds again: they may have named
    another Plh. meanwhile, and both would act. Returns the delegations that hold again."""
    from workflow.models import Delegation

    now = timezone.now()
    today = timezone.localdate(now)
    standing = [delegation for delegation in Delegation.objects.filter(delegate=delegate, ends_on__gte=today)
                .select_related("official", "delegate").order_by("starts_on", "pk") if not delegation.void]
    for delegation in standing:
        kind = NAMED if delegation.starts_on > today else STARTED
        _mail_after_commit(_tell(delegation, kind, now) or _tell_anew(
            delegation, kind, now, "Pelimpahan berlaku lagi: Anda",
            lead="Akun Anda diaktifkan kembali, dan pelimpahan ini berlaku lagi.\n"))
        official = delegation.official
        if official.is_active and Notice.objects.filter(
                recipient=official, key__startswith=key(delegation.pk, DELEGATE_LEFT)).exists():
            _mail_after_commit(_tell_official_back(delegation, now))
    return standing


def _tell_official_back(delegation, now):
    delegate, as_, role = delegation.delegate.display_name, delegation.title, delegation.get_role_display()
    others = [d for d in delegation.overlapping() if d.delegate_id != delegation.delegate_id and not d.void]
    alongside = (" Pada sebagian tanggal itu Anda juga menunjuk "
                 + "; ".join(f"{d.delegate.display_name} ({d.title}, {d.span})" for d in others)
                 + ": keduanya dapat bertindak. Bila hanya satu yang Anda maksud, akhiri yang lain di halaman "
                   "Pelimpahan.") if others else ""
    notice, created = Notice.objects.get_or_create(
        recipient=delegation.official, key=changed_key(delegation.pk, DELEGATE_BACK, now),
        defaults={"created_at": now,
                  "judul": one_line(f"{as_} Anda berlaku lagi: akun {delegate} diaktifkan kembali")[:300],
                  "isi": (f"Akun {delegate}, yang Anda tunjuk sebagai {as_} dari {delegation.span}, diaktifkan "
                          f"kembali oleh admin: pelimpahan itu berlaku lagi, dan dosier yang menunggu {role} juga "
                          f"menunggu {delegate}.{alongside}")[:2000]})
    return notice if created else None


def tell_daily(now) -> list[str]:
    """Run by `manage.py send_reminders`: a delegation named ahead whose first day came is told as
    started, one whose last day passed as ended; only to a delegate told of it before. Mails at
    once, as the reminders do; returns a line per notice for the command's output."""
    from workflow.models import Delegation

    today = timezone.localdate(now)
    starting = list(Delegation.objects.active_on(today).select_related("official", "delegate"))
    ended = list(Delegation.objects.filter(ends_on__lt=today, ends_on__gte=today - LOOK_BACK)
                 .select_related("official", "delegate"))
    keys = {key(d.pk, kind) for d in starting + ended for kind in (NAMED, STARTED, ENDED)}
    # What was told already, in one query, so a run every minute costs two.
    told = set(Notice.objects.filter(key__in=keys).values_list("key", flat=True))
    made = []
    for delegation in starting:
        if key(delegation.pk, NAMED) in told and key(delegation.pk, STARTED) not in told:
            made.append(_tell(delegation, STARTED, now))
    for delegation in ended:
        if told & {key(delegation.pk, NAMED), key(delegation.pk, STARTED)} and key(delegation.pk, ENDED) not in told:
            made.append(_tell(delegation, ENDED, now))
    made = [notice for notice in made if notice is not None]
    if made:
        mail_pending(Notice.objects.filter(pk__in=[n.pk for n in made]), now)
    return [f"Pelimpahan: {notice.judul} -> {notice.recipient.email or notice.recipient}" for notice in made]
