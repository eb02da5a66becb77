import re

from django.conf import settings
from django.db import models
from django.utils import timezone

from lib.dates import moment_text
from workflow.actions import ACTION_LABELS
from workflow.audit import actors, through
from workflow.audit import chain as audit_chain
from workflow.models.sent_form import record_pending
from workflow.roles import ACTOR_LABEL_LENGTH, DelegationKind, Role
from workflow.steps import STATE_LABELS, now_at


class AuditImmutable(Exception):
    pass


def actor_label(user, capacity) -> str:
    """How the log writes who acted: "Plh. Kabag Andi atas nama Hendra" or "Rina (Kasubag)"."""
    role = Role(capacity.role).label if capacity.role else "Admin"
    if capacity.delegation is not None:
        d = capacity.delegation
        return f"{d.get_kind_display()} {role} {user.display_name} atas nama {d.official.display_name}"
    return f"{user.display_name} ({role})"


def name_in_label(label: str) -> str:
    """Who acted, by name, in a label `actor_label` wrote ("Andi" of "Plh. Kabag Andi atas nama
    Hendra", "Rina" of "Rina (Kasubag)"); "" for a label of another form (the site's own)."""
    for form in (_STANDING_IN, _OWN):
        if found := form.match(label):
            return found["name"]
    return ""


# actor_label's two forms; a role's label is one word.
_STANDING_IN = re.compile(r"^Pl[ht]\. \S+ (?P<name>.+?) atas nama ")
_OWN = re.compile(r"^(?P<name>.+) \([^()]*\)$")


def system_label(task: str) -> str:
    """How the log writes the site acting by itself: "Sistem (pembaruan stempel waktu)"."""
    return f"Sistem ({task})"


class AuditQuerySet(models.QuerySet):
    # The log is append-only: bulk edits through the ORM are refused like single ones.
    def update(self, **kwargs):
        raise AuditImmutable("Catatan riwayat tidak dapat diubah.")

    def delete(self):
        raise AuditImmutable("Catatan riwayat tidak dapat dihapus.")

    def record(self, dossier, user, capacity, action: str, from_state: str, details, at) -> "AuditEvent":
        """Append what `user`, acting in `capacity` (a policy.Capacity), did to `dossier`. Called in
        the transaction that made the change, so the two stand or fall together. `details` may
        carry a "note"; the rest is kept as data."""
        return self.append(self.describe(dossier, user, capacity, action, from_state, details, at))

    def describe(self, dossier, user, capacity, action: str, from_state: str, details, at) -> "AuditEvent":
        """The event `record` appends, not yet written: all it says, without its place in the chain."""
        details = dict(details or {}) | through.details()
        note = details.pop("note", "") or ""
        delegation = capacity.delegation
        return self.model(
            dossier=dossier,
            at=at,
            actor=user,
            actor_label=actor_label(user, capacity),
            role=capacity.role,
            on_behalf_of=delegation.official if delegation else None,
            delegation_kind=delegation.kind if delegation else "",
            action=action,
            from_state=from_state,
            to_state=dossier.state,
            note=note,
            data=details,
        )

    def record_by_system(self, dossier, action: str, task: str, details, at) -> "AuditEvent":
        """Append what the site did to `dossier` by itself, no person acting (`task`, what it did: the
        log names the actor "Sistem (task)"). Moves nothing; the caller holds `dossier`'s row locked,
        so the event names the position it is in when written."""
        details = dict(details or {})
        note = details.pop("note", "") or ""
        return self.append(self.model(
            dossier=dossier, at=at, actor=None, actor_label=system_label(task), role="", action=action,
            from_state=dossier.state, to_state=dossier.state, note=note, data=details,
        ))

    def append(self, event) -> "AuditEvent":
        """Seal `event` to the chain and write it. The chain's head stays locked until the
        transaction ends, so events written at once by different dossiers' transactions still form
        one line; every write in the install waits on it, so a caller appends last, with nothing
        slow left before its commit."""
        # The sent form's one-time key, if any, before the chain is taken: the chain waits on no more.
        record_pending(event)
        actors.name(event.dossier, event.actor_label)
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event.prev_hash = head.last_hash
        event.hash = audit_chain.event_hash(event, event.prev_hash)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash, last_event=event.pk)
        return event


class AuditEvent(models.Model):
    """One thing that happened to a dossier, written in the same transaction as the change itself."""

    dossier = models.ForeignKey("workflow.Dossier", on_delete=models.PROTECT, related_name="events", verbose_name="dosier")
    at = models.DateTimeField("waktu", default=timezone.now, db_index=True)
    # None for what the site does by itself (a timer's command): the label then names the task.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="pelaku"
    )
    # How the actor is written at the time ("Plh. Kabag Budi atas nama Ani"): names and delegations
    # change later, the record must not.
    actor_label = models.CharField("pelaku (saat itu)", max_length=ACTOR_LABEL_LENGTH)
    role = models.CharField("peran", max_length=20, choices=Role.choices, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="atas nama",
    )
    delegation_kind = models.CharField("sebagai Plh./Plt.", max_length=3, choices=DelegationKind.choices, blank=True)
    action = models.CharField("tindakan", max_length=30)
    from_state = models.CharField("dari", max_length=50, blank=True)
    to_state = models.CharField("ke", max_length=50)
    note = models.TextField("catatan", blank=True, max_length=5000)
    data = models.JSONField("rincian", default=dict, blank=True)
    # workflow.audit_chain: the SHA-256 of the event before and of this one with it.
    prev_hash = models.CharField("hash sebelumnya", max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "riwayat"
        verbose_name_plural = "riwayat"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{moment_text(self.at)} {self.actor_label}: {self.action_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("Catatan riwayat tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("Catatan riwayat tidak dapat dihapus.")

    @property
    def agencies_not_sent(self) -> list:
        """The agencies the Kasubag listed as not having sent when moving on from step 3 or 5."""
        return self.data.get("skpd_belum_mengirim", [])

    @property
    def role_title(self) -> str:
        """The capacity the actor acted in: "Kabag", or "Plh. Kabag" for a stand-in."""
        role = Role(self.role).label if self.role else ""
        return f"{DelegationKind(self.delegation_kind).label} {role}" if self.delegation_kind else role

    @property
    def signed_through(self) -> str:
        """Which signer signed the documents this event signed (naskah.signers), when a form planned it."""
        return self.data.get("tanda_tangan", "")

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def from_label(self) -> str:
        return STATE_LABELS.get(self.from_state, "")

    @property
    def to_label(self) -> str:
        return STATE_LABELS.get(self.to_state, "")

    @property
    def now_at(self) -> str:
        """Where the event left the dossier, to follow "Dosier kini" (steps.now_at)."""
        return now_at(self.to_state) if self.to_state in STATE_LABELS else ""


class AuditChainHead(models.Model):
    """The last event's hash: one row, locked by each writer of the log."""

    last_hash = models.CharField(max_length=64, default=audit_chain.GENESIS)
    last_event = models.BigIntegerField(null=True)

    class Meta:
        verbose_name = "ujung rantai riwayat"
