"""Every view gets its dossier here: not visible is 404, visible but not allowed is 403. And every
view that writes hands the refusals a user must read to the form here."""

import copy
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from lib.dates import long_date
from sop_iku.errors import database_away
from workflow import changed_since, policy
from workflow.actions import ACTION_LABELS
from workflow.models import Dossier
from workflow.roles import Role
from workflow.services import StaleDossier
from workflow.steps import STATE_LABELS
from workflow.views import stand_in

logger = logging.getLogger("sop_iku.busy")

BUSY = ("Basis data sedang sibuk menyimpan isian lain, jadi isian Anda belum tersimpan. Semua yang Anda ketik "
        "masih di bawah ini; kirim lagi sebentar lagi.")


def visible_dossier(user, pk) -> Dossier:
    dossier = Dossier.objects.visible_to(user).filter(pk=pk).first()
    if dossier is None:
        raise Http404("Dosier tidak ditemukan atau tidak dibagikan kepada Anda.")
    # Whether the user's agency is invited is all the policy asks of the invitations (the bureau's
    # staff are not asked at all): the invited agencies are read only by a page that lists them.
    policy.remember_invitation(user, [dossier])
    return dossier


def require_now_or_as_seen(request, dossier, may, refusal, *, additive: bool, lapsed=None) -> bool | str:
    """Ask the policy before anything else, whatever the posted form says; return whether the form
    is stale (made before the dossier moved on), or the news (a str) that the sender's delegation
    ended since the form was opened, the dossier standing where it did: `lapsed()` says it, or None.
    Either way the view gives the form back with what was typed (`keep_typed_with_news`).

    `may(dossier)` is the policy's answer for the action. A stale form gets the news only if its
    sender could take the action in the position the form was made at (its posted `state`): a
    Kabag whose return lost the race to a paraf reads where the dossier went, while an agency that
    posts an old or forged state to an action it never holds is refused exactly as a fresh form
    is, and no form page, with what it lists, is shown to it.
    """
    stale = request.method == "POST" and posted_is_stale(request, dossier, additive=additive)
    if may(dossier):
        return stale
    if stale and may_where_seen(dossier, request.POST.get("state"), may):
        return True
    # A form made at another position was not refused by a delegation's end: that is not its news.
    return require_or_lapsed(request, False, refusal, lapsed=None if stale else lapsed)


def require_or_lapsed(request, may: bool, refusal, *, lapsed) -> bool | str:
    """`require_now_or_as_seen` for a form that carries no position of a dossier's: a new round's
    (there is no dossier yet), a disposisi's report (the policy asks whether the dossier is still in
    its stay), a SRIKANDI number. False when the policy allows it (`may`); the news (a str) that the
    sender's delegation ended since the form was opened (`lapsed()` says it, or None); else refused."""
    if may:
        return False
    if request.method == "POST" and lapsed is not None and (news := lapsed()):
        return news
    # A callable: the words of a refusal may take a query, asked only of those refused.
    raise PermissionDenied(refusal() if callable(refusal) else refusal)


def may_where_seen(dossier, seen_state, may) -> bool:
    """Whether a sender whose form or If-Match claims the dossier stood at `seen_state`, another
    position than now, could take the action there (`may`, the policy's answer): such a sender lost
    a race and is told the dossier moved; anyone else is refused as a fresh request is."""
    return seen_state in STATE_LABELS and seen_state != dossier.state and may(as_seen_at(dossier, seen_state))


def as_seen_at(dossier, state: str):
    """The dossier as its sender saw it, at `state`, for the policy only: a copy, never saved."""
    seen = copy.copy(dossier)
    # The state field is protected against assignment (django-fsm); this copy never reaches save().
    seen.__dict__["state"] = state
    return seen


def require_action(request, action: str, dossier, *, additive: bool) -> bool | str:
    """`require_now_or_as_seen` for one of the dossier's actions (`workflow.actions`)."""
    return require_now_or_as_seen(
        request, dossier, lambda d: policy.can(request.user, action, d), lambda: refusal(request.user, action, dossier),
        additive=additive, lapsed=lambda: _action_lapsed_news(request, action, dossier))


def _action_lapsed_news(request, action: str, dossier) -> str | None:
    label = dossier.action_labels().get(action) or ACTION_LABELS[action]
    return lapsed_news(request, policy.roles_for(action, dossier.state), dossier, f"“{label}” tidak dapat Anda lakukan")


def lapsed_news(request, roles, dossier, what: str, left=None) -> str | None:
    """Why the sender of a form may do `what` ("disposisi tidak dapat Anda berikan") no more, when a
    delegation of hers of one of `roles` ended while the dossier stood where it does: the one her form
    was opened under (`stand_in`), else the latest of hers for those roles. Every form a Plh. opens
    (an action, a disposisi and its report, a document made in the app, a SRIKANDI number, a new
    round with no `dossier`) asks it as its `lapsed`; `left(who)` as `stand_in.news`."""
    return (stand_in.news(request, roles, dossier, what, left)
            or delegation_news(request.user, roles, dossier, what, left=left))


def refusal(user, action: str, dossier, *, program: bool = False) -> str:
    """Why `user` may not take `action` on `dossier` now, in the words that fit them; a `program`
    (the API's caller) is pointed at the dossier's API address, having no page to look at."""
    label = ACTION_LABELS[action]
    said = f"Anda tidak berwenang {label[0].lower()}{label[1:]} pada posisi “{dossier.state_label}”."
    held = policy.roles_of(user)
    if policy.scoped_to_invitations(user) and not policy.agency_active(user):
        return (f"{user.skpd.nama_pendek} sudah dinonaktifkan oleh admin, jadi putaran tidak lagi menunggu "
                "IKU-nya dan tidak ada yang dapat dikirim. Hubungi Biro Kesra bila ini keliru.")
    if action in policy.REVIEW_ACTIONS and policy.reviews_own_draft(user, dossier):
        # The one refusal a holder of the role (or its Plh.) cannot guess from their role.
        return said + (" Anda ikut menyiapkan draf yang ditinjau pada langkah ini, jadi paraf, pengembalian atau "
                       "tanda tangannya dilakukan pejabat lain (pemisahan tugas).")
    # A Plh. whose official was deactivated meanwhile, or whose dates ran out while the step waited
    # on it: the dossier stands where the open page showed it, so "sudah berpindah" below would send
    # them looking for a move.
    if news := delegation_news(user, policy.roles_for(action, dossier.state), dossier,
                               f"{label[0].lower()}{label[1:]} tidak dapat Anda lakukan"):
        return news
    if any(role in held for state in STATE_LABELS for role in policy.roles_for(action, state)):
        # Someone who takes this action elsewhere in the round (back in their browser after doing it,
        # or a link from an old e-mail) reads that the dossier moved, not that they lack the right.
        look = (f"Baca dosier lagi (GET {reverse('api_dossier', args=[dossier.pk])}) untuk posisinya sekarang."
                if program else "Lihat halaman dosier untuk posisinya sekarang.")
        return (f"{label} tidak tersedia pada posisi “{dossier.state_label}”: dosier sudah berpindah, atau "
                f"tindakan ini sudah dilakukan. {look}")
    return said


# How long after a delegation ended its holder, opening or sending a form that needs no dossier (a new
# round), is told it ended rather than that only the role may: a form left open over a long weekend.
NEW_FORM_DAYS = 7


def delegation_news(user, roles, dossier, what: str, again: str = " lagi", left=None) -> str | None:
    """Why `user` may do `what` ("Surat ke SKPD tidak dapat Anda buat") no more when a delegation of
    one of `roles` to them became void or ended while the dossier stood where it does: the form was
    opened with the right, the dossier has not moved. Without a dossier (a new one's form), a
    delegation ended within NEW_FORM_DAYS. None when neither. `left(who)`, as `stand_in.news`,
    closes an ended one's news instead of the dossier's position."""
    if lapsed := lapsed_standing_in(user, roles):
        return (f"Pelimpahan {lapsed.title} dari {lapsed.official} kepada "
                f"Anda {lapsed.void}, jadi {what}.")
    since = (timezone.localdate(dossier.state_entered_at) if dossier is not None
             else timezone.localdate() - timedelta(days=NEW_FORM_DAYS))
    if ended := ended_standing_in(user, roles, since):
        said = (f"Pelimpahan {ended.title} dari {ended.official} kepada "
                f"Anda {ended.ended_early_text or f'berakhir pada {long_date(ended.ends_on)}'}, jadi {what}{again}.")
        who = " atau ".join(Role(role).label for role in roles)
        if left is not None:
            said += f" {left(who)}"
        elif dossier is not None:
            said += f" Dosier ini tetap di posisi “{dossier.state_label}” menunggu {who}."
        return said
    return None


def lapsed_standing_in(user, roles):
    """A delegation to `user` of one of `roles`, running by its dates but void (naming why), or None."""
    running = user.delegations_received.active_on(timezone.localdate()).filter(role__in=list(roles))
    return next((d for d in running.select_related("official", "delegate") if d.void), None)


def ended_standing_in(user, roles, since):
    """The latest delegation to `user` of one of `roles` whose last day passed, or that was ended early,
    on or after `since` (a date: when the dossier came to where it stands now), or None."""
    ended = Q(ends_on__lt=timezone.localdate()) | Q(ended_early_at__isnull=False)
    meanwhile = Q(ends_on__gte=since) | Q(ended_early_at__date__gte=since)
    return (user.delegations_received.filter(ended, meanwhile, role__in=list(roles))
            .select_related("official").order_by("-ends_on", "-pk").first())


def revision_seen(request, dossier, *, additive: bool) -> int | None:
    """The dossier revision a posted form was made from, for `services.perform`; None if unreadable.

    An action that only adds to the current step (an upload, a meeting, a document made) is not
    made stale by another user's addition meanwhile, only by a change of position.
    """
    if additive and request.POST.get("state") == dossier.state:
        return dossier.revision
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


def posted_is_stale(request, dossier, *, additive: bool) -> bool:
    """Whether a posted form was made from a dossier that has moved on (for an additive action: from
    another step). Read with the policy (`require_now_or_as_seen`) and before the form's own
    validation, so a user who lost a race reads the news, not another step's validation text."""
    if additive and "state" in request.POST:
        return request.POST["state"] != dossier.state
    try:
        return int(request.POST.get("revision", "")) != dossier.revision
    except ValueError:
        return True


def _stale_news(dossier, seen_revision: int | None = None, action: str | None = None) -> ValidationError:
    """The news for a form opened at `seen_revision` to take `action`: what was saved meanwhile where
    the dossier still stands (a new version of its minutes), else where it went."""
    said = changed_since.renewed_text(dossier, seen_revision, action) or StaleDossier(dossier).messages[0]
    # A file chosen in the refused form is asked for again at its field (workflow/_field.html).
    return ValidationError(said, code="stale")


def posted_revision(request, dossier) -> int | None:
    """The revision a posted form was opened at, when it was opened where the dossier stands now."""
    if request is None or request.POST.get("state") != dossier.state:
        return None
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return None


CLOSED = ("Pada posisi sekarang tindakan ini bukan lagi bagian Anda, jadi tombolnya dimatikan. Salin isian "
          "Anda di bawah bila masih diperlukan.")


def keep_typed_with_news(form, dossier, *, may_now: bool = True, news=None, request=None,
                         action: str | None = None) -> None:
    """Put the "dossier changed" news on a bound form without validating it against the new step:
    its fields keep what was typed and show no error of a step the user never saw. `news`, a str,
    says instead why the sender may act no more where the dossier stands (`require_now_or_as_seen`'s
    answer, passed as it came: True or False is no news of its own). With the `request` that posted
    it to take `action`, a dossier still where it was says what changed. When the user may not take
    the action where the dossier stands now (`may_now`), the form is `closed`: it offers no button
    and keeps the position it was made at, so that sending it anyway brings this news again, never a
    refusal page without what was typed."""
    form._errors = ErrorDict()
    form.cleaned_data = {}
    form.add_error(None, ValidationError(news, code="lapsed") if isinstance(news, str)
                   else _stale_news(dossier, posted_revision(request, dossier), action))
    if not may_now:
        form.closed = True
        form.add_error(None, ValidationError(CLOSED, code="closed"))


def closed(form) -> bool:
    """Whether `keep_typed_with_news` closed the form (the pages read it as `closed`)."""
    return getattr(form, "closed", False)


def kept_when_busy(form, write):
    """Run `write()`; a database too busy to take it (a lock not granted in time) is said on the
    form, which keeps what was typed, and None is returned. A database gone in the middle (a
    failover) is not busy, and the write may have landed: that goes on to the 503 page, which gives
    the form back to send again, once (sop_iku.errors.database_away)."""
    try:
        return write()
    except OperationalError as error:
        if database_away(error):
            raise
        logger.warning("Isian ditolak: basis data sibuk", exc_info=True)
        form.add_error(None, ValidationError(BUSY, code="busy"))
    return None


def write_through_form(request, dossier, form, write, *, additive: bool):
    """Run `write(revision)` for a valid posted `form`; a gate, a stale page, a busy database or any
    other refusal the user must read goes onto the form (which keeps what was typed) and None is
    returned."""
    revision = revision_seen(request, dossier, additive=additive)
    try:
        if revision is None:
            raise StaleDossier(dossier)
        return kept_when_busy(form, lambda: write(revision))
    except ValidationError as error:
        if isinstance(error, StaleDossier):
            dossier.refresh_from_db()
            error = _stale_news(dossier, error.seen_revision, error.action)
        form.add_error(None, error)
    return None
