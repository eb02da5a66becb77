"""Disposisi: the Kasubag hands a preparatory task to a named Staf; giving it and finishing it each
lock the dossier's row and write an audit event in the same transaction, moving nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from lib.dates import moment_text
from lib.update_each import update_each
from workflow import policy
from workflow.actions import DISPOSE, DISPOSE_DONE
from workflow.models import AuditEvent, Disposition, Dossier, User
from workflow.services import StaleDossier
from worktime.models import load_calendar

# Disposition.in_stay_of, for a query of dispositions.
IN_STAY = Q(state=F("dossier__state"), given_at__gte=F("dossier__state_entered_at"))


def open_for(dossier) -> list:
    """The dossier's open dispositions in its current stay (cached on it for a page)."""
    cached = getattr(dossier, "_open_dispositions", None)
    if cached is None:
        cached = list(dossier.dispositions.filter(done_at__isnull=True, state=dossier.state,
                                                  given_at__gte=dossier.state_entered_at).select_related("assigned_to"))
        dossier._open_dispositions = cached
    return cached


def held_by(user):
    """The dispositions still waiting on `user`: not reported done, their dossier still in the stay they were given in."""
    return (Disposition.objects.filter(IN_STAY, assigned_to=user, done_at__isnull=True)
            .select_related("dossier").order_by("given_at"))


def remember_open(user, dossiers) -> list:
    """Give each of a page's `dossiers` the open dispositions to `user` at its position, in one query."""
    dossiers = list(dossiers)
    found = {d.pk: [] for d in dossiers}
    by_pk = {d.pk: d for d in dossiers}
    for disposition in Disposition.objects.filter(dossier_id__in=found, assigned_to=user.pk, done_at__isnull=True):
        if disposition.in_stay_of(by_pk[disposition.dossier_id]):
            found[disposition.dossier_id].append(disposition)
    for dossier in dossiers:
        dossier._open_dispositions = found[dossier.pk]
    return dossiers


def reschedule_open(calendar=None) -> int:
    """Work the due moment of every disposisi still waiting out again from when it was given: the
    calendar changed under it (a cuti bersama declared on its last day), as the step's clock is."""
    calendar = calendar or load_calendar()
    waiting = list(Disposition.objects.filter(IN_STAY, done_at__isnull=True))
    for disposition in waiting:
        disposition.due_at = calendar.add_waktu(disposition.given_at, disposition.waktu_amount, disposition.waktu_unit)
    update_each(Disposition, waiting, ["due_at"])
    return len(waiting)


def give(dossier, user, *, assigned_to, instruksi: str, waktu_amount: int, waktu_unit: str, at=None) -> Disposition:
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.state != dossier.state:
            raise StaleDossier(locked)
        capacity = policy.disposing_as(user, locked)
        if capacity is None:
            raise PermissionDenied("Hanya Kasubag yang dapat memberi disposisi, pada langkah yang disiapkan Staf.")
        if not policy.disposable_staff(User.objects.filter(pk=assigned_to.pk)).exists():
            raise ValidationError({"kepada": "Disposisi hanya untuk Staf yang aktif."})
        now = at or timezone.now()
        disposition = Disposition.objects.create(
            dossier=locked, state=locked.state, assigned_to=assigned_to, instruksi=instruksi.strip(),
            waktu_amount=waktu_amount, waktu_unit=waktu_unit,
            due_at=load_calendar().add_waktu(now, waktu_amount, waktu_unit), given_by=user, given_at=now,
            given_by_nama=user.display_name, assigned_to_nama=assigned_to.display_name,
        )
        AuditEvent.objects.record(locked, user, capacity, DISPOSE, locked.state, {
            "note": f"Kepada {assigned_to.display_name}: {disposition.instruksi}",
            "disposisi": disposition.pk, "kepada": assigned_to.pk,
        }, now)
    return disposition


def not_finishing(disposition, user) -> str:
    """Why `user` may not report `disposition` done: one reported done already says by whom and
    when (another tab of theirs, or the Kasubag closing it), not that it might not be theirs."""
    if disposition.done_at is None:
        return "Disposisi ini bukan untuk Anda, atau posisi dosier sudah berpindah dari tempat disposisi ini diberikan."
    by = "Anda sendiri" if disposition.done_by_id == user.pk else disposition.done_by_name
    hasil = f", dengan hasil: “{disposition.hasil}”" if disposition.hasil else ""
    return (f"Disposisi ini sudah dilaporkan selesai oleh {by} pada {moment_text(disposition.done_at)}{hasil}. "
            "Laporan ini tidak dicatat lagi.")


def finish(disposition, user, *, hasil: str = "", at=None) -> Disposition:
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=disposition.dossier_id)
        disposition = Disposition.objects.select_for_update().get(pk=disposition.pk)
        capacity = policy.finishing_disposition_as(user, disposition, locked)
        if capacity is None:
            raise PermissionDenied(not_finishing(disposition, user))
        now = at or timezone.now()
        disposition.done_at, disposition.done_by, disposition.hasil = now, user, hasil.strip()
        disposition.done_by_nama = user.display_name
        disposition.save(update_fields=["done_at", "done_by", "done_by_nama", "hasil"])
        note = f"Disposisi “{disposition.instruksi[:200]}” selesai" + (f": {disposition.hasil}" if disposition.hasil else ".")
        AuditEvent.objects.record(locked, user, capacity, DISPOSE_DONE, locked.state,
                                  {"note": note, "disposisi": disposition.pk}, now)
    return disposition
