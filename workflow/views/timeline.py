"""The nine steps of one dossier as a timeline: done, current or waiting, and who acted when."""

from dataclasses import dataclass, field

from django.db.models import F, Q

from workflow.actions import Action
from workflow.models import AuditEvent
from workflow.steps import DIBATALKAN, STEPS, Step


class Event:
    """An audit event as the dossier page shows it (the timeline, the history table, the return
    note), read as plain values: 20 model objects, with the actor's user row the page never shows
    joined to each, took 1.3 ms to read, these 0.6 ms. Its wording is the model's own."""

    __slots__ = ("pk", "at", "actor_label", "action", "from_state", "to_state", "note", "data")

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values, strict=True):
            setattr(self, name, value)

    action_label = AuditEvent.action_label
    from_label = AuditEvent.from_label
    to_label = AuditEvent.to_label
    agencies_not_sent = AuditEvent.agencies_not_sent
    signed_through = AuditEvent.signed_through


# What the timeline, the return note and the diagram read of the history: the events that moved the
# dossier, and the returns and the cancelling. A round's drafts, uploads and reminders (thousands in a
# province's round) move nothing, and none of them is read for these.
# (Filtered in the database by MOVES, and among rows already read by `moved`: the same test.)
MOVING_ACTIONS = (Action.KEMBALIKAN, Action.BATALKAN)
MOVES = ~Q(from_state=F("to_state")) | Q(action__in=MOVING_ACTIONS)
# How many of the latest events the dossier page lists; the rest are on the history page.
LATEST = 20


def moves_of(dossier) -> list[Event]:
    """The dossier's events that `MOVES` keeps, oldest first."""
    return [Event(*values) for values in AuditEvent.objects.filter(MOVES, dossier=dossier).values_list(*Event.__slots__)]


def moves_and_latest(dossier, latest=LATEST) -> tuple[list[Event], list[Event]]:
    """(`moves_of`, the `latest` newest events), both oldest first, in one query: the page read every
    event of a round with 5,000 (1.4 s on SQLite, 2.4 s on PostgreSQL, 2 MB of HTML) to show them all."""
    newest = AuditEvent.objects.filter(dossier=dossier).order_by("-at", "-pk").values("pk")[:latest]
    rows = [Event(*values) for values in
            AuditEvent.objects.filter(MOVES | Q(pk__in=newest), dossier=dossier).values_list(*Event.__slots__)]
    # The newest events are the last rows of any set holding them, in the model's order.
    return [e for e in rows if moved(e)], rows[-latest:]


def moved(event: Event) -> bool:
    """Whether `MOVES` keeps `event`."""
    return event.from_state != event.to_state or event.action in MOVING_ACTIONS


@dataclass
class TimelineRow:
    step: Step
    status: str  # "done", "current", "cancelled" (where a cancelled round stopped) or "waiting"
    finished: object = None  # the AuditEvent that finished the step, latest stay
    returns: list = field(default_factory=list)  # the step 7 returns, oldest first
    # The current version of each document the step produces, and any other file it holds.
    documents: list = field(default_factory=list)
    # Earlier versions of what the step produces (a Nota made again after a return), newest first.
    earlier: list = field(default_factory=list)
    # The working-time clock of each stay in the step (more than one after a return).
    clocks: list = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return {"done": "Selesai", "current": "Posisi sekarang", "cancelled": "Dibatalkan di langkah ini",
                "waiting": "Belum"}[self.status]


def build(dossier, events, documents, clocks=()) -> list[TimelineRow]:
    """Rows for STEPS from lists already fetched, so the page's query count does not grow."""
    finished, returns, cancelled_at = {}, {}, None
    for event in events:
        if event.action == Action.SELESAIKAN and event.from_state != event.to_state:
            finished[event.from_state] = event
        elif event.action == Action.KEMBALIKAN:
            returns.setdefault(event.from_state, []).append(event)
        elif event.action == Action.BATALKAN:
            cancelled_at = event.from_state
    current_number = dossier.step.number if dossier.step else None
    rows = []
    for step in STEPS:
        if current_number is not None:
            status = "current" if step.number == current_number else "done" if step.number < current_number else "waiting"
        elif dossier.state == DIBATALKAN:
            # The step the round stood at when it was cancelled read "Belum", as if still to come.
            status = ("cancelled" if step.state == cancelled_at and step.state not in finished
                      else "done" if step.state in finished else "waiting")
        else:
            status = "done"
        rows.append(
            TimelineRow(
                step=step,
                status=status,
                finished=finished.get(step.state),
                returns=returns.get(step.state, []),
                **versions(step, [d for d in documents if d.step == step.number]),
                clocks=[c for c in clocks if c.step.number == step.number],
            )
        )
    return rows


def versions(step, documents) -> dict:
    """Split a step's documents: of each kind it produces, the newest is current and the others
    earlier versions; each gets `version` (1 for the first of its kind) for its label."""
    current, earlier, seen = [], [], {}
    for document in sorted(documents, key=lambda d: (d.uploaded_at, d.pk)):
        seen[document.kind] = seen.get(document.kind, 0) + 1
        made = getattr(document, "naskah", None)
        document.version = made.versi if made is not None else seen[document.kind]
    for document in sorted(documents, key=lambda d: (d.uploaded_at, d.pk), reverse=True):
        produced = document.kind in step.produces
        if produced and any(d.kind == document.kind for d in current):
            earlier.append(document)
        else:
            current.append(document)
    return {"documents": current[::-1], "earlier": earlier}


def last_return(dossier, events):
    """The Kabag's latest return note, while the dossier is back with the Kasubag because of it."""
    moves = [e for e in events if e.from_state != e.to_state]
    if moves and moves[-1].action == Action.KEMBALIKAN and moves[-1].to_state == dossier.state:
        return moves[-1]
    return None


def corrected_draft(dossier, events):
    """(the Kabag's return, the Kasubag's finish answering it) while the draft under review is the
    corrected one: the Kabag reads it as such, with both notes, as the hand-off told her; else None."""
    step = dossier.step
    moves = [e for e in events if e.from_state != e.to_state]
    if step is None or not step.returns_to or not moves or moves[-1].action != Action.SELESAIKAN:
        return None
    fixed = moves[-1]
    arrival = next((m for m in reversed(moves[:-1]) if m.to_state == fixed.from_state), None)
    if arrival is None or arrival.action != Action.KEMBALIKAN:
        return None
    return {"returned": arrival, "fixed": fixed}
