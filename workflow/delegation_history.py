"""A delegation's naming, changes, early end and deletion in the admin's log (*Riwayat*), where the
admin's own pages, the people import and the password links record what happens to the bureau's
people. Not in a dossier's audit chain: a delegation belongs to no dossier.

Each is written on the delegation and on the accounts of its official and its delegate: an inspector
asking who was Plh. Kabag on a day, who named her and who ended it reads it on either, and a deleted
delegation, whose own page is gone, on its people's. Every entry names the delegation whole, as a
person's Riwayat lists it among their other changes. The caller writes it in the transaction that
makes the change."""

import datetime

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from lib.dates import long_date, moment_text
from workflow.models import Delegation, User
from workflow.roles import DelegationKind, Role

ON_PAGE = "di halaman Pelimpahan"
IN_ADMIN = "di admin"
# How every entry here begins, which tells the copies on people's accounts from their own changes.
BEGINS = "Pelimpahan "


def described(delegation, before: str = "") -> str:
    """"Plh. Kabag: Rina untuk Budi (1 Maret 2027 sampai dengan 7 Maret 2027; dasar ST/1/2027)", with
    `before` ("semula sampai dengan ...") after its days."""
    dasar = f"; dasar {delegation.dasar.rstrip('.')}" if delegation.dasar else ""
    return f"{delegation} ({delegation.span}{before}{dasar})"


def named(delegation, by, where: str) -> None:
    _write(delegation, by, ADDITION, f"Pelimpahan dicatat oleh {by} {where}: {described(delegation)}.")


def ended_early(delegation, by, where: str) -> None:
    """After `Delegation.end_early`: its last day as it was, from when the page read it."""
    was_to = getattr(delegation, "loaded_days", (None, None))[1]
    before = f", semula sampai dengan {long_date(was_to)}" if was_to and was_to != delegation.ends_on else ""
    _write(delegation, by, CHANGE, f"Pelimpahan diakhiri lebih awal oleh {by} {where} pada "
                                   f"{moment_text(delegation.ended_early_at)}: {described(delegation, before)}.")


def deleted(delegation, by, where: str) -> None:
    """Before the delete, while it has its id."""
    called_off = " sebelum berlaku" if delegation.starts_on > timezone.localdate() else ""
    _write(delegation, by, DELETION, f"Pelimpahan dihapus{called_off} oleh {by} {where}: {described(delegation)}.")


def changed_in_admin(delegation, by, form) -> None:
    """What the admin's save changed, each field from what the page loaded to what it holds now; a
    save that changed nothing is written on the delegation only."""
    changes = [f"{form.fields[name].label} {_shown(name, form.initial.get(name))} → "
               f"{_shown(name, getattr(delegation, name))}"
               for name in form.changed_data if name in form.fields]
    ended = getattr(delegation, "early_end_marked", "")
    said = "; ".join(changes) if changes else "disimpan tanpa perubahan"
    if ended:
        said += f"; {ended}"
    text = f"Pelimpahan diubah oleh {by} {IN_ADMIN}: {said}. Kini: {described(delegation)}."
    # One handed from another official or delegate: the one it no longer names reads it too.
    were = {getattr(delegation, "loaded_delegate_id", None), getattr(delegation, "loaded_capacity", (None,))[0]}
    _write(delegation, by, CHANGE, text, people=(were if changes or ended else None))


def _shown(name: str, value) -> str:
    if value in (None, ""):
        return "-"
    if name in ("official", "delegate"):
        return str(value if isinstance(value, User) else User.objects.filter(pk=value).first() or "-")
    if name == "role":
        return Role(value).label
    if name == "kind":
        return DelegationKind(value).label
    if isinstance(value, datetime.date):
        return long_date(value)
    return str(value)


def _write(delegation, by, flag: int, said: str, *, people=()) -> None:
    """`said` on the delegation (as `flag`) and, as a change of theirs, on its official's and its
    delegate's accounts and `people`'s (ids); `people` None: on the delegation only."""
    of_delegation = ContentType.objects.get_for_model(Delegation)
    rows = [LogEntry(user_id=by.pk, content_type=of_delegation, object_id=str(delegation.pk),
                     object_repr=str(delegation)[:200], action_flag=flag, change_message=said)]
    if people is not None:
        of_user = ContentType.objects.get_for_model(User)
        ids = {delegation.official_id, delegation.delegate_id} | set(people)
        accounts = User.objects.filter(pk__in=[pk for pk in ids if pk is not None]).order_by("pk")
        rows += [LogEntry(user_id=by.pk, content_type=of_user, object_id=str(account.pk),
                          object_repr=account.username[:200], action_flag=CHANGE, change_message=said)
                 for account in accounts]
    LogEntry.objects.bulk_create(rows)


def without_account_copies(entries):
    """`entries` (LogEntry) without the copies `_write` puts on the accounts a delegation names: the
    admin's recent actions listed one delegation's change three times, once under each account."""
    return entries.exclude(content_type=ContentType.objects.get_for_model(User), change_message__startswith=BEGINS)
