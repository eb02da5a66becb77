"""The one answer to "may this user do this action on this dossier now?".

Transitions (`permission=`), views, templates and the admin all ask `can` / `allowed_actions` /
`dossier_scope`; none of them decides on its own. Roles come from the user's own roles plus any
delegation (Plh./Plt.) running today; an SKPD user acts only for its own agency, and only on
dossiers that invited it.
"""

import datetime
import time
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from workflow.actions import ACTIONS, TRANSITION_ACTIONS, Action
from workflow.roles import INTERNAL_ROLES, OFFICIAL_ROLES, Role
from workflow.steps import (
    ACTIVE_STATES,
    DI_GUBERNUR,
    DIBATALKAN,
    FIRST_STATE,
    SELESAI,
    STEP_BY_NUMBER,
    STEPS,
    DocKind,
    Signatory,
    signatories_of,
    step_for,
)

# Documents an invited agency may open: the letters addressed to it, and the scan of the signed
# Governor's decree that sets its IKU. Internal drafts (the Nota, the draft decree) stay inside the
# bureau.
SKPD_VISIBLE_DOCS = frozenset({DocKind.UNDANGAN, DocKind.SURAT_SKPD, DocKind.KEPGUB_PENETAPAN})


@dataclass(frozen=True)
class Capacity:
    """The role in which a user acts, and the delegation that gave it, if it is not their own."""

    role: str
    # The workflow.Delegation that gave the role, or None for the user's own role.
    delegation: object = None


def roles_of(user) -> dict:
    """Every role the user may act in today: own roles map to None, delegated ones to the delegation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_sop_roles", None)
    # Asked several times for each row of a list: the clock is compared with the end of the day
    # the roles were read on, not turned into a local date at every call.
    if cached and time.time() < cached[0]:
        return cached[1]
    today = timezone.localdate()
    held = {role: None for role in user.own_roles}
    # The signed-in user comes knowing whether anyone delegated to them today (`workflow.auth`):
    # nearly nobody is, and the query cost every page 2 ms.
    if getattr(user, "no_delegation_on", None) != today:
        delegations = user.delegations_received.giving_roles_on(today).order_by("pk")
        for delegation in delegations:
            held.setdefault(delegation.role, delegation)
    user._sop_roles = (_end_of(today), held)
    return held


def _end_of(day) -> float:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())).timestamp()


def holding(roles) -> Q:
    """A filter for the users who hold one of `roles` today, in their own right or by a running
    delegation: those worth asking `acting_as` about work for those roles (distinct() the result)."""
    return Q(role_set__role__in=roles) | Q(pk__in=_standing_in(roles))


def _standing_in(roles):
    """The ids of those a delegation running today gives one of `roles`, as a subquery: from an
    active official only, as `roles_of` reads a delegation (a deactivated official hands nothing on)."""
    return apps.get_model("workflow", "Delegation").objects.giving_roles_on(timezone.localdate()).filter(
        role__in=roles).values("delegate")


def vacant(roles) -> set[str]:
    """Of `roles`, those no active user holds today, in their own right or by a running delegation:
    a step waiting on only these waits on nobody (the Kabiro's account switched off, no Plt. yet).
    One query."""
    held = apps.get_model("workflow", "UserRole").objects.filter(role__in=roles, user__is_active=True)
    standing = apps.get_model("workflow", "Delegation").objects.giving_roles_on(timezone.localdate()).filter(
        role__in=roles, delegate__is_active=True)
    return set(roles) - set(held.order_by().values_list("role", flat=True).union(
        standing.order_by().values_list("role", flat=True)))


def waiting_on_nobody(user, dossier) -> list[str]:
    """The bureau roles the dossier's step waits on to move on, when no active user can take them
    now; [] when someone can, or `user` is an agency's (it is the bureau's to mend)."""
    if user.skpd_id or dossier.state not in ACTIVE_STATES or moving_on(dossier.state) & roles_of(user).keys():
        # An agency's (the bureau's to mend), a closed round, or the reader can move it on: no query.
        return []
    return vacant_states().get(dossier.state, [])


@cache
def moving_on(state: str) -> frozenset[str]:
    """The bureau roles that alone can move a dossier out of `state` (finish the step, return it,
    record the Governor's decree): with all of them vacant the dossier stays where it is, even where
    others may still prepare its papers (the Kasubag the step 4 letter the Kabiro alone signs)."""
    return frozenset(role for action in (Action.SELESAIKAN, Action.KEMBALIKAN, Action.CATAT_PENETAPAN)
                     for role in roles_for(action, state)) - {Role.SKPD}


def vacant_states() -> dict[str, list[str]]:
    """{position: the labels of the roles it waits on to move on} for each open position where no
    active user can take any of those roles today (`vacant`): a dossier standing there waits on
    nobody, and no inbox lists it for anyone who can move it. One query, whatever the number of
    dossiers."""
    needed = {state: moving_on(state) for state in ACTIVE_STATES}
    empty = vacant(set().union(*needed.values()))
    return {state: [Role(role).label for role in Role.values if role in roles]
            for state, roles in needed.items() if roles and roles <= empty}


def holders(roles, among) -> list:
    """The active users of `among` (a User queryset) holding one of `roles` today, in their own
    right or by a running delegation, in id order, with `roles_of` worked out for each: two queries
    (the users with all their roles, one row per role; today's delegations to them), not a
    distinct() of whole rows and two more."""
    own = apps.get_model("workflow", "UserRole").objects.filter(role__in=roles).values("user_id")
    users: dict[int, object] = {}
    roles_held: dict[int, set] = {}
    for user in (among.filter(Q(pk__in=own) | Q(pk__in=_standing_in(roles)), is_active=True)
                 .annotate(held_role=F("role_set__role")).order_by("pk")):
        users.setdefault(user.pk, user)
        roles_held.setdefault(user.pk, set()).update({user.held_role} - {None})
    people = list(users.values())
    for user in people:
        user._own_roles = frozenset(roles_held[user.pk])
    return _remember_delegations(people)


def remember_roles(users) -> list:
    """Work out `roles_of` for many users at once (their roles, then today's delegations to them:
    two queries), for a list that asks the policy about each; returns them."""
    users = [u for u in users if u.pk]
    if not users:
        return users
    own: dict[int, set] = {u.pk: set() for u in users}
    for user_id, role in type(users[0]).role_set.rel.related_model.objects.filter(
        user__in=users).values_list("user_id", "role"):
        own[user_id].add(role)
    for user in users:
        user._own_roles = frozenset(own[user.pk])
    return _remember_delegations(users)


def _remember_delegations(users) -> list:
    """`roles_of` for each of `users`, whose own roles are read: today's delegations to them in one
    query."""
    if not users:
        return users
    today = timezone.localdate()
    delegations = (
        type(users[0]).delegations_received.rel.related_model.objects.giving_roles_on(today)
        .filter(delegate__in=users).order_by("pk")
    )
    given: dict[int, list] = {}
    for delegation in delegations:
        given.setdefault(delegation.delegate_id, []).append(delegation)
    for user in users:
        held = {role: None for role in user._own_roles} if user.is_active else {}
        for delegation in given.get(user.pk, []) if user.is_active else []:
            held.setdefault(delegation.role, delegation)
        user._sop_roles = (_end_of(today), held)
    return users


@cache
def waited_on(state: str) -> frozenset[str]:
    """The roles whose holders a dossier in `state` waits for: those that may take an action that
    moves it on (what an inbox lists), from the step data."""
    return frozenset(role for action in INBOX_ACTIONS for role in roles_for(action, state))


def roles_for(action: str, state: str) -> tuple[str, ...]:
    """The roles that may take `action` on a dossier in `state`, whoever holds them."""
    step = step_for(state)
    if action == Action.LIHAT:
        return tuple(INTERNAL_ROLES) + (Role.SKPD,)
    if action == Action.BATALKAN:
        return (Role.KABIRO,) if state in ACTIVE_STATES else ()
    if action == Action.CATAT_PENETAPAN:
        return STEPS[-1].actors if state == DI_GUBERNUR else ()
    if action == Action.KOREKSI_PENETAPAN:
        # Whoever records the decree corrects its record (a mistyped number, the scan) afterwards.
        return STEPS[-1].actors if state == SELESAI else ()
    if action == Action.KOREKSI_DOSIER:
        # The Kasubag who opens rounds corrects a round's title and year while nothing has gone out
        # under them: the Undangan leaves when step 1 finishes. Later only the admin (`acting_as`).
        return (Role.KASUBAG,) if state == FIRST_STATE else ()
    if step is None:
        return ()
    if action == Action.UNGGAH:
        return step.may_upload
    if action == Action.SELESAIKAN:
        return step.actors
    if action == Action.KEMBALIKAN:
        return step.actors if step.returns_to else ()
    if action == Action.CATAT_RAPAT:
        return step.may_upload if step.min_meetings else ()
    if action == Action.AJUKAN_IKU:
        return (Role.SKPD,) if step.iku_awaited else ()
    if action == Action.BUKA_KEMBALI_IKU:
        return step.actors if step.reopens_iku else ()
    if action == Action.ATUR_TABEL_IKU:
        return step.actors if step.consolidates_iku else ()
    raise ValueError(f"Unknown action {action!r}")


def invited_ids(dossier) -> frozenset[int]:
    cached = getattr(dossier, "_invited_ids", None)
    if cached is None:
        prefetched = getattr(dossier, "_prefetched_objects_cache", {}).get("invited")
        if prefetched is not None:
            cached = frozenset(s.pk for s in prefetched)
        else:
            cached = frozenset(dossier.invited.values_list("pk", flat=True))
        dossier._invited_ids = cached
    return cached


def reopened_ids(dossier) -> frozenset[int]:
    """The agencies whose IKU the bureau reopened on this dossier and which have not sent it again."""
    cached = getattr(dossier, "_reopened_ids", None)
    if cached is None:
        cached = frozenset(
            dossier.submissions.filter(reopened_at__isnull=False).values_list("skpd_id", flat=True)
        )
        dossier._reopened_ids = cached
    return cached


def _agency_may(user, action: str, dossier) -> bool:
    if not is_invited(user.skpd_id, dossier):
        return False
    if action != Action.LIHAT and not agency_active(user):
        # A deactivated agency has left the rounds: its officers read what it sent, nothing more.
        return False
    step = step_for(dossier.state)
    # Past its own stage, an agency sends only what the bureau reopened for it.
    if action == Action.AJUKAN_IKU and not step.iku_stage:
        return user.skpd_id in reopened_ids(dossier)
    return True


def remember_invitation(user, dossiers) -> list:
    """Note on each of `dossiers`, read under `dossier_scope(user)`, whether the user's agency is
    invited to it (what `is_invited` reads), for a page of rows; returns them. An agency's scope is
    its invitations, so each is invited and nothing is read; anyone else's takes one query."""
    dossiers = list(dossiers)
    if dossiers and user.skpd_id:
        if scoped_to_invitations(user):
            found = {d.pk for d in dossiers}
        else:
            through = type(dossiers[0]).invited.through
            found = set(through.objects.filter(skpd_id=user.skpd_id, dossier_id__in=[d.pk for d in dossiers])
                        .values_list("dossier_id", flat=True))
        for dossier in dossiers:
            dossier._invitation = (user.skpd_id, dossier.pk in found)
    return dossiers


def is_invited(skpd_id: int, dossier) -> bool:
    remembered = getattr(dossier, "_invitation", None)
    if remembered is not None and remembered[0] == skpd_id:
        return remembered[1]
    return skpd_id in invited_ids(dossier)


def remember_preparers(dossiers) -> list:
    """Give those of `dossiers` under review their preparers' ids (what `preparer_ids` reads) in one
    query, for a page of rows; returns them."""
    dossiers = list(dossiers)
    reviewing = {d.pk: set() for d in dossiers if d.step and d.step.independent_of}
    if reviewing:
        through = type(dossiers[0]).prepared_by.through
        for dossier_id, user_id in through.objects.filter(dossier_id__in=reviewing).values_list("dossier_id", "user_id"):
            reviewing[dossier_id].add(user_id)
        for dossier in dossiers:
            if dossier.pk in reviewing:
                dossier._prepared_ids = frozenset(reviewing[dossier.pk])
    return dossiers


# What a reviewing step's own draft may not be given by whoever prepared it (`Step.independent_of`).
REVIEW_ACTIONS = frozenset({Action.SELESAIKAN, Action.KEMBALIKAN})


def reviews_own_draft(user, dossier) -> bool:
    """Whether `user` prepared the draft that the dossier's current step reviews: they may not
    initial, return or sign it, in their own right or as Plh./Plt. (separation of duties)."""
    step = step_for(dossier.state)
    return bool(step and step.independent_of and user.pk in preparer_ids(dossier))


def reviews_of_own_preparing(user, role) -> list:
    """The steps at which `role` reviews a draft prepared at a step `user` works at in their own
    right (a Kasubag named Plh. Kabag: the Kabag initials the Nota the Kasubag prepares). As that
    role's Plh./Plt., `user` may not review what they prepared (`reviews_own_draft`): those dossiers
    still wait on the official."""
    own = set(user.own_roles)
    return [step for step in STEPS if step.independent_of and role in step.actors
            and own & {*STEP_BY_NUMBER[step.independent_of].actors, *STEP_BY_NUMBER[step.independent_of].helpers}]


def preparer_ids(dossier) -> frozenset[int]:
    cached = getattr(dossier, "_prepared_ids", None)
    if cached is None:
        cached = frozenset(dossier.prepared_by.values_list("pk", flat=True))
        dossier._prepared_ids = cached
        # At which revision they were read (None for a row read without it: `carry_preparers`).
        dossier._prepared_at = vars(dossier).get("revision")
    return cached


def carry_preparers(seen, locked) -> None:
    """Give `locked` (the dossier read again under its lock) the preparers `seen` (as the page read
    it) already asked for, when both stand at the same revision: who prepared the draft changes only
    in a move, which moves the revision, so an action is not two reads of the same rows."""
    if getattr(seen, "_prepared_ids", None) is not None and getattr(seen, "_prepared_at", None) == locked.revision:
        locked._prepared_ids, locked._prepared_at = seen._prepared_ids, locked.revision


# What the admin may do on a dossier that has not been cancelled, whatever its position: correct a
# title or year mistyped when the round was opened, which heads every page and e-mail about it.
ADMIN_ACTIONS = frozenset({Action.KOREKSI_DOSIER})
ADMIN = Capacity("")


def acting_as(user, action: str, dossier, *, document=None) -> Capacity | None:
    """The capacity in which `user` may take `action` on `dossier` now, or None if they may not.
    `document`: what an upload adds, a new version made in the app asked as `generating_as`.

    A role the user holds in their own right wins over the same role held by delegation, so the
    audit log names a delegation only when one was needed.
    """
    if action == Action.UNGGAH and document is not None and document.generated:
        return generating_as(user, document.kind, dossier)
    if action in REVIEW_ACTIONS and reviews_own_draft(user, dossier):
        return None
    if action in ADMIN_ACTIONS and is_admin(user) and dossier.state != DIBATALKAN:
        # The admin keeps the records straight, in no role of the SOP's (the log says "Admin").
        return ADMIN
    held = roles_of(user)
    allowed = [r for r in roles_for(action, dossier.state) if r in held]
    allowed.sort(key=lambda role: held[role] is not None)
    for role in allowed:
        if role == Role.SKPD and not _agency_may(user, action, dossier):
            continue
        return Capacity(role, held[role])
    return None


def can(user, action: str, dossier) -> bool:
    if action == Action.LIHAT and is_admin(user):
        return True
    return acting_as(user, action, dossier) is not None


def allowed_actions(user, dossier) -> list[str]:
    return [action for action in Action if can(user, action, dossier)]


def is_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def can_change_account(user, account) -> bool:
    """Whether `user`, admin staff who may change users, may change `account` (its password too):
    an admin account only a superuser changes, or a staff member with a few permissions would set
    its password and sign in with all of its own."""
    return is_admin(user) or not (account.is_staff or account.is_superuser)


def may_receive_password_link(account, *, asked_by_self: bool) -> bool:
    """Whether `account` may be mailed a link that sets its password. An active account with an
    e-mail address: a deactivated one must not come back through its old mailbox. An agency made
    inactive does not matter: its officers still sign in and read what it sent (SkpdAdmin says so).
    An admin account (staff or superuser) never by its own request: a mailbox is a weaker lock than
    the admin's password, and the link would hand the admin site to whoever reads it; a superuser
    sets that password or sends the link (`can_send_password_link`)."""
    if not (account.is_active and account.email):
        return False
    return not (asked_by_self and (account.is_staff or account.is_superuser))


def _active_staff(user) -> bool:
    """Signed in, active, and let into the admin: what the rights over people below ask first."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_send_password_link(user, account) -> bool:
    """Whether `user` may mail `account` a link that sets its password: what setting that password
    on its admin page asks (staff who may change users, and `can_change_account`: an admin account
    only by a superuser), and an account that may receive one."""
    return bool(_active_staff(user) and user.has_perm("workflow.change_user") and can_change_account(user, account)
                and may_receive_password_link(account, asked_by_self=False))


def token_accounts(user, people):
    """Those of `people` (a queryset) `user` may make an API token for, which acts as its account:
    themselves, or anyone for a superuser (who may set anyone's password anyway). Staff allowed to
    add tokens made one for the Kabiro and acted as him."""
    return people if is_admin(user) else people.filter(pk=user.pk)


def can_grant_admin_rights(user) -> bool:
    """Staff status, superuser status, groups and permissions are given by a superuser alone: a
    staff member who may change users would otherwise make themselves superuser."""
    return is_admin(user)


def can_import_people(user) -> bool:
    """Whether `user` may bring in people from a spreadsheet (Admin › Pengguna › Impor): what adding
    each of them with their roles on the add page, and changing one already there, asks. Each row
    is still asked `can_change_account`, and the import gives no admin rights
    (`can_grant_admin_rights`): it has no column for them."""
    return bool(_active_staff(user) and user.has_perms(
        ["workflow.add_user", "workflow.change_user", "workflow.add_userrole"]))


def can_pick_agency_for_accounts(user) -> bool:
    """Whether `user` may look agencies up on a user's page (Admin › Pengguna, field SKPD) by name or
    abbreviation: who may add or change users, though not given the agency list itself. The search
    finds them only the agencies that page offers (SkpdAdmin), which its select listed whole before."""
    return bool(_active_staff(user) and (user.has_perm("workflow.add_user") or user.has_perm("workflow.change_user")))


def is_internal(user) -> bool:
    return bool(INTERNAL_ROLES.intersection(roles_of(user)))


def scoped_to_invitations(user) -> bool:
    """Whether `dossier_scope(user)` is the user's agency's invitations: an agency's officer, not
    the bureau's staff nor an admin."""
    return not (is_admin(user) or is_internal(user)) and Role.SKPD in roles_of(user) and bool(user.skpd_id)


def dossier_reach(user) -> str:
    """Which dossiers `user` may see, named: "semua" (the bureau's, an admin), "skpd:<id>" (the rounds
    inviting their agency) or "tidak ada". Users with the same reach see the same dossiers, so what is
    worked out from the dossiers seen is kept under it (laporan.figures), and `dossier_scope` reads it."""
    if is_admin(user) or is_internal(user):
        return "semua"
    if scoped_to_invitations(user):
        return f"skpd:{user.skpd_id}"
    return "tidak ada"


def dossier_scope(user) -> Q:
    """A filter for the dossiers `user` may see (`dossier_reach`): all for the bureau, invited ones for
    an SKPD."""
    reach = dossier_reach(user)
    if reach == "semua":
        return Q()
    if reach.startswith("skpd:"):
        # A subquery, not a join: a join would repeat rows and need DISTINCT over every list.
        invitations = apps.get_model("workflow", "Dossier").invited.through.objects.filter(
            dossier=OuterRef("pk"), skpd=user.skpd_id)
        return Q(Exists(invitations))
    return Q(pk__in=[])


# Who opens a new round.
ROUND_OPENERS = (Role.KASUBAG,)


def can_create_dossier(user) -> bool:
    return creating_dossier_as(user) is not None


def creating_dossier_as(user) -> Capacity | None:
    """The capacity in which `user` opens a new round: a Kasubag, or her Plh./Plt."""
    return holding_as(user, ROUND_OPENERS)


def holding_as(user, roles) -> Capacity | None:
    """The capacity in which `user` holds one of `roles`, None for none: a role held in their own
    right before one held by delegation (as `acting_as` chooses, so the log names a delegation only
    when one was needed), then in the order of `roles`."""
    held = roles_of(user)
    ours = sorted((role for role in roles if role in held), key=lambda role: held[role] is not None)
    return Capacity(ours[0], held[ours[0]]) if ours else None


def can_view_document(user, document) -> bool:
    dossier = document.dossier
    if not can(user, Action.LIHAT, dossier):
        return False
    if is_admin(user) or is_internal(user):
        return True
    # A letter the app makes reaches the agencies once signed: its KONSEP and the versions before
    # are the bureau's drafts. An uploaded one is the letter as it was sent.
    return document.kind in SKPD_VISIBLE_DOCS and (not document.generated or document.is_signed)


def document_scope(user) -> Q:
    """A filter for the documents `user` may open on dossiers they see (search reads it too, so
    a match never tells an agency what an internal document says); `can_view_document` as a query."""
    if is_admin(user) or is_internal(user):
        return Q()
    return Q(kind__in=SKPD_VISIBLE_DOCS) & (Q(generated=False) | Q(naskah__final_sha256__gt=""))


def reads_history(user) -> bool:
    """Whether `user` reads the audit history of the dossiers they see (`can_view_history`)."""
    return is_admin(user) or is_internal(user)


def invitation_scope(user) -> Q:
    """A filter for the invitations whose agency `user` may search a round by: an agency's officer
    only their own agency's (the rounds they see invite it), or a search for another agency would
    tell them which of their rounds invite that one, as the archive's agency filter would."""
    if scoped_to_invitations(user):
        return Q(skpd=user.skpd_id)
    return Q()


def can_generate(user, kind: str, dossier) -> bool:
    """Make a document in the app (`generating_as`)."""
    return generating_as(user, kind, dossier) is not None


def generating_as(user, kind: str, dossier) -> Capacity | None:
    """The capacity in which `user` makes a new version of `kind` in the app now: a kind the current
    step produces, by whoever may upload there, or by the person its latest version names to take
    the minutes (`recording_minutes_as`)."""
    step = step_for(dossier.state)
    if step is None or kind not in step.produces:
        return None
    return acting_as(user, Action.UNGGAH, dossier) or recording_minutes_as(user, kind, dossier)


def recording_minutes_as(user, kind: str, dossier) -> Capacity | None:
    """Revise minutes as the Pencatat their latest version names: whoever takes the minutes writes
    them, and the form lets any officer of the bureau take them (a Tim member, the Kabag), not only
    the Kasubag and the Staf who may upload at the meeting's step. In their own bureau role, as they
    sign them (`cosigning_as`): the name on the minutes is theirs, not a post's. Minutes uploaded
    after hers are the minutes now, and name no Pencatat: her right ends with them."""
    if Signatory.PENCATAT not in signatories_of(kind) or not getattr(user, "pk", None):
        return None
    if str(latest_isian(dossier, kind).get(Signatory.PENCATAT, "")) != str(user.pk):
        return None
    return _own_bureau_role(user, dossier)


def latest_isian(dossier, kind: str) -> dict:
    """What was typed for the latest document of `kind` of `dossier`, made in the app or uploaded: {}
    for none, and for an upload, which carries nothing typed. Read once for a page that asks of it
    for its links and its form alike."""
    cached = dossier.__dict__.setdefault("_latest_isian", {})
    if kind not in cached:
        # From the documents, uploads among them: an upload after the latest version made here is
        # the minutes now, and that version's Pencatat must not revise what is no longer the latest.
        cached[kind] = (dossier.documents.filter(kind=kind).order_by("-uploaded_at", "-pk")
                        .values_list("naskah__isian", flat=True).first()) or {}
    return cached[kind]


def _own_bureau_role(user, dossier) -> Capacity | None:
    """The first bureau role `user` holds in their own right, on a dossier they see; None for none."""
    held = roles_of(user)
    bureau = sorted(role for role in held if role in INTERNAL_ROLES and held[role] is None)
    if not bureau or not can(user, Action.LIHAT, dossier):
        return None
    return Capacity(bureau[0])


# Who records the number SRIKANDI gave a signed document: the bureau's records clerks, who carry the
# round to Asisten I (the last step's actors).
SRIKANDI_CLERKS = STEPS[-1].actors


def can_record_srikandi(user, dossier) -> bool:
    return can(user, Action.LIHAT, dossier) and any(role in roles_of(user) for role in SRIKANDI_CLERKS)


def recording_srikandi_as(user, dossier) -> Capacity | None:
    """The capacity in which `user` records a SRIKANDI number on `dossier` (`can_record_srikandi`)."""
    if not can_record_srikandi(user, dossier):
        return None
    return holding_as(user, SRIKANDI_CLERKS)


def can_bundle_srikandi(user, dossier) -> bool:
    """Download a signed document's SRIKANDI bundle (the PDF and its particulars, for filing it
    there): the bureau's own staff, on a dossier they see."""
    return is_internal(user) and can(user, Action.LIHAT, dossier)


def disposing_as(user, dossier) -> Capacity | None:
    """Give a disposisi: the Kasubag, at a step the Staf help prepare (`Step.helpers`)."""
    step = step_for(dossier.state)
    held = roles_of(user)
    if step is None or Role.STAF not in step.may_upload or Role.KASUBAG not in held:
        return None
    return Capacity(Role.KASUBAG, held[Role.KASUBAG])


def finishing_disposition_as(user, disposition, dossier) -> Capacity | None:
    """Report a disposisi done: the Staf it was given to, or a Kasubag who closes it, while the dossier
    is still in the stay it was given in."""
    if disposition.done_at is not None or not disposition.in_stay_of(dossier):
        return None
    held = roles_of(user)
    if user.pk == disposition.assigned_to_id and Role.STAF in held:
        return Capacity(Role.STAF, held[Role.STAF])
    return disposing_as(user, dossier)


def disposable_staff(users):
    """Who may receive a disposisi: active staff holding the Staf role in their own right."""
    return users.filter(is_active=True, role_set__role=Role.STAF).distinct()


def cosigning_as(user, dossier, named) -> Capacity | None:
    """Sign a document made here as one of the people it names to sign it beside the step's signer
    (the Notulen's Pencatat, naskah.cosign): `named`, the very user the document names there, and
    only while they hold a role of the bureau's, on a dossier they see that was not cancelled.
    Nobody signs for another, delegation or not: the signature is the named person's own."""
    if named is None or getattr(user, "pk", None) != named.pk or dossier.state == DIBATALKAN:
        return None
    return _own_bureau_role(user, dossier)


def can_print(user, dossier) -> bool:
    """Print the Nota and the draft decree as they stand (paraf, signature): the bureau's drafts."""
    return can(user, Action.LIHAT, dossier) and is_internal(user)


def can_remind_agencies(user, dossier) -> bool:
    """Remind the agencies that have not sent the IKU the dossier's step waits for (`iku.round.awaited`:
    at steps 3 and 5 their tables, at step 6 those reopened for fixes): the Kasubag and the Kabiro, who
    follow the round."""
    step = step_for(dossier.state)
    return bool(step and step.iku_awaited and {Role.KASUBAG, Role.KABIRO} & roles_of(user).keys())


def can_view_submission(user, submission) -> bool:
    if not can(user, Action.LIHAT, submission.dossier):
        return False
    if is_admin(user) or is_internal(user):
        return True
    return submission.skpd_id == user.skpd_id


# What puts a dossier in a user's inbox: an action that moves or feeds the current step. Viewing
# does not, nor the Kabiro's standing power to cancel (it would fill the Kabiro's inbox with all).
INBOX_ACTIONS = tuple(a for a in TRANSITION_ACTIONS if ACTIONS[a].waits)


def _waits_on(role, action: str, state: str) -> bool:
    if role not in roles_for(action, state):
        return False
    # An agency past its own stage waits only where the bureau reopened its IKU (`inbox_scope`).
    return not (role == Role.SKPD and action == Action.AJUKAN_IKU and not step_for(state).iku_stage)


def inbox_states(user) -> list[str]:
    """The states in which a dossier the user can see waits on them whatever else holds: only the
    user's roles and (for an agency) the invitation decide, which `dossier_scope` narrows to."""
    return list(_waiting_states(frozenset(roles_of(user))))


def waiting_states(roles) -> tuple[str, ...]:
    """The positions where a dossier waits on one of `roles` (whoever holds them)."""
    return _waiting_states(frozenset(roles))


@cache
def _waiting_states(roles: frozenset) -> tuple[str, ...]:
    # The step data's answer for a set of roles: worked out once per set, not on every inbox view.
    return tuple(
        state for state in ACTIVE_STATES
        if any(_waits_on(role, action, state) for role in roles for action in INBOX_ACTIONS)
    )


# Past its own stage, a dossier waits on an agency only where the bureau reopened its table.
REOPENING_STATES = tuple(step.state for step in STEPS if step.reopens_iku)


@cache
def _agency_states() -> frozenset[str]:
    return frozenset(_waiting_states(frozenset({Role.SKPD})))


def agency_waiting_states() -> tuple[str, ...]:
    """The positions where a dossier may wait on an agency, the only ones where its invitation's
    `waiting` is set (`mark_waiting`): the steps at which the invited agencies send, and those where
    the bureau reopens a table."""
    return tuple(sorted(_agency_states() | set(REOPENING_STATES)))


def mark_waiting(invitations, submissions=None) -> None:
    """Store on each of `invitations` (a queryset of `Invitation`) whether its dossier waits on its
    agency now (`Invitation.waiting`, what an agency's inbox reads): at a step where every invited
    agency sends, or at a reopening step with the agency's table reopened. Run after every action
    and when agencies are invited; `submissions` is the IkuSubmission model (a migration's own)."""
    model = invitations.model
    submissions = submissions or apps.get_model("iku", "IkuSubmission")
    dossiers = model._meta.get_field("dossier").related_model.objects
    everyone = Exists(dossiers.filter(pk=OuterRef("dossier_id"), state__in=_agency_states()))
    reopened = Exists(submissions.objects.filter(
        dossier_id=OuterRef("dossier_id"), skpd_id=OuterRef("skpd_id"), reopened_at__isnull=False,
        dossier__state__in=REOPENING_STATES))
    now = Case(When(everyone | reopened, then=True), default=False, output_field=BooleanField())
    # Only the invitations whose answer changed are written: most actions change none.
    model.objects.filter(pk__in=invitations.alias(now=now).exclude(waiting=F("now")).values("pk")).update(waiting=now)


def mark_waiting_on(dossier) -> None:
    """`mark_waiting` for the invitations of one dossier in its new state, as every action stores
    it under the dossier's row lock: the answer follows from the state and, at a reopening step,
    from which tables are reopened, in plain updates of the invitations whose answer changes (most
    actions change none). Composing `mark_waiting`'s correlated expression cost each action about
    15 ms of Python for a database's 1.5 ms."""
    invitations = apps.get_model("workflow", "Invitation").objects.filter(dossier=dossier)
    if dossier.state in _agency_states():
        invitations.filter(waiting=False).update(waiting=True)
    elif dossier.state in REOPENING_STATES:
        reopened = apps.get_model("iku", "IkuSubmission").objects.filter(
            dossier=dossier, reopened_at__isnull=False).values("skpd_id")
        # Those whose answer flips, flipped in one statement.
        changed = Q(waiting=False, skpd_id__in=reopened) | (Q(waiting=True) & ~Q(skpd_id__in=reopened))
        invitations.filter(changed).update(waiting=Case(When(waiting=True, then=Value(False)), default=Value(True)))
    else:
        invitations.filter(waiting=True).update(waiting=False)


def inbox_scope(user) -> Q:
    """A filter for the dossiers waiting on `user`: exact, so the inbox is one query however many
    dossiers there are (with, for the bureau, one by its index for the signatures awaited of them).
    For an agency, a dossier past its stage waits on it only if the bureau reopened the agency's
    table there (read in the same query)."""
    waiting_states = inbox_states(user)
    scope = Q(state__in=waiting_states)
    # A disposisi needs no clause of its own: it is given only to a Staf, at a step the Staf help
    # prepare, and counts only while the dossier stays there, where the Staf's upload already puts
    # the dossier in their inbox (tests/workflow/test_dispositions.py holds the step data to that).
    reviewing = [step.state for step in STEPS if step.independent_of]
    if user.pk and set(reviewing) & set(waiting_states):
        # Nobody is asked to review their own draft (`reviews_own_draft`).
        prepared = apps.get_model("workflow", "Dossier").prepared_by.through.objects.filter(
            dossier=OuterRef("pk"), user=user.pk)
        scope &= ~Q(Exists(prepared), state__in=reviewing)
    held = roles_of(user)
    if Role.SKPD in held and user.skpd_id and agency_active(user):
        # Where the agency's role waits, its stored invitations say (`Invitation.waiting`): a walk of
        # their partial index, where the states and the reopened tables were searched per dossier.
        waiting = apps.get_model("workflow", "Invitation").objects.filter(
            dossier=OuterRef("pk"), skpd=user.skpd_id, waiting=True)
        others = _waiting_states(frozenset(held) - {Role.SKPD})
        scope = (scope & Q(state__in=others) | Q(Exists(waiting))) if others else Q(Exists(waiting))
    if user.pk and any(role in INTERNAL_ROLES and held[role] is None for role in held):
        # A signature a signed document waits for from the user beside its first signer's (the
        # Notulen's Pencatat, `cosigning_as`) waits wherever the dossier has moved since, until given:
        # each document notes whom it waits for when signed (NaskahRecord.awaiting).
        # Read first, by its index, as the dossiers' ids (nearly always none): asked in the inbox's
        # query, its OR kept PostgreSQL from the states' index, a walk of every dossier to count them.
        awaiting = list(apps.get_model("naskah", "NaskahRecord").objects.filter(awaiting=user.pk)
                        .values_list("document__dossier_id", flat=True).distinct())
        if awaiting:
            scope |= Q(pk__in=awaiting) & ~Q(state=DIBATALKAN)
    return scope


def waiting_invitations(user):
    """An agency officer's invitations its inbox lists (`Invitation.waiting`), when that is all of
    their inbox and all they may see of it (no other role); else None."""
    if scoped_to_invitations(user) and roles_of(user).keys() == {Role.SKPD}:
        invitations = apps.get_model("workflow", "Invitation").objects
        return invitations.filter(skpd=user.skpd_id, waiting=True) if agency_active(user) else invitations.none()
    return None


def taken_out_invitations(user):
    """The invitations a deactivated agency's officer would find in their inbox were it active (the
    rounds standing where they would wait on it), read as `waiting_invitations` reads them: the
    inbox lists them as rounds the agency was taken out of, without a task or a deadline, where an
    empty inbox told its officers nothing while their mail still asked for the IKU by a date. None
    while the agency is active, or when `waiting_invitations` would be."""
    if agency_active(user) or waiting_invitations(user) is None:
        return None
    return apps.get_model("workflow", "Invitation").objects.filter(skpd=user.skpd_id, waiting=True)


def agency_active(user) -> bool:
    """Whether the user's agency takes part in rounds (`Skpd.aktif`; the user's query reads it)."""
    return bool(user.skpd_id and user.skpd.aktif)


def can_view_reports(user) -> bool:
    """The dashboard and the working-time report (who held which late step) are for the bureau's
    officials."""
    return bool(OFFICIAL_ROLES.intersection(roles_of(user)))


def can_view_history(user, dossier) -> bool:
    """The audit history and return notes are the bureau's; an agency sees where the dossier is."""
    return can(user, Action.LIHAT, dossier) and reads_history(user)


def delegable_roles(user) -> list[str]:
    """The roles an official may hand to a Plh./Plt. themselves: their own, never a delegated one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [role for role in Role if role in OFFICIAL_ROLES and role in user.own_roles]


def waited_on_actions(state: str) -> tuple[str, ...]:
    """What those a dossier in `state` waits on may do there: finish the step, and at a step with
    papers to prepare, prepare them (step 4's letter, which the Kasubag or Staf makes for the Kabiro
    to sign). The same people whose inbox lists the step."""
    step = step_for(state)
    return (Action.SELESAIKAN, Action.UNGGAH) if step and (step.requires or step.produces) else (Action.SELESAIKAN,)


def roles_waited_on(state: str) -> set[str]:
    return {role for action in waited_on_actions(state) for role in roles_for(action, state)}


def waiting_on(dossier, users) -> list:
    """Those of `users` the dossier's current step waits on (`waited_on_actions`)."""
    actions = waited_on_actions(dossier.state)
    return [user for user in users if any(acting_as(user, action, dossier) is not None for action in actions)]
