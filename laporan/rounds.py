"""The bureau head's view of the round: the current round's agencies against its IKU stages, this
year's round beside last year's, and the round's documents at a glance."""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from iku.models import IkuSubmission
from iku.round import round_table
from workflow import policy, sla
from workflow.models import Dossier, Invitation, StepVisit
from workflow.steps import ACTIVE_STATES, DIBATALKAN, IkuStage


def _compared(dossiers, now):
    """`dossiers` carrying what their comparison column counts (`column`): the agencies invited, each
    IKU stage's tables sent and the stays past their Waktu, as subqueries the database answers for
    the one row read, not queries of their own."""

    def count(rows):
        return Coalesce(Subquery(rows.filter(dossier=OuterRef("pk")).order_by().values("dossier")
                                 .annotate(n=Count("pk")).values("n")), 0)

    late = StepVisit.objects.filter(Q(left_at__gt=F("due_at")) | Q(left_at__isnull=True, due_at__lt=now),
                                    due_at__isnull=False)
    sent = {f"sent_{stage.value}": count(IkuSubmission.objects.filter(stage=stage, submitted_at__isnull=False))
            for stage in IkuStage}
    return dossiers.annotate(invited_count=count(Invitation.objects.all()), late_count=count(late), **sent)


def current_round(user, now):
    """The running round of the latest year, else the latest round; None before the first. Its open
    stay comes with it, for the round's clock."""
    visible = _compared(Dossier.objects.visible_to(user).exclude(state=DIBATALKAN).select_related("open_stay"), now)
    return (visible.filter(state__in=ACTIVE_STATES).order_by("-tahun", "-created_at").first()
            or visible.order_by("-tahun", "-created_at").first())


def previous_round(user, dossier, now):
    """Last year's round."""
    return _compared(Dossier.objects.visible_to(user).rounds_of(dossier.tahun - 1), now).first()


def column(dossier, now) -> list[str]:
    """A round's column of the comparison (the rows of `COMPARED`), from what `_compared` counted."""
    invited = dossier.invited_count
    return ([dossier.state_label, str(invited)]
            + [f"{getattr(dossier, f'sent_{stage.value}')} dari {invited}" for stage in IkuStage]
            + [str(dossier.late_count), str(((dossier.closed_at or now) - dossier.created_at).days)])


COMPARED = (["Posisi", "SKPD diundang"] + [f"{stage.label} terkirim" for stage in IkuStage]
            + ["Langkah melewati Waktu baku", "Hari berjalan sejak dibuka"])


def documents(user, dossier) -> list:
    """The latest document of each kind in the round that the user may open, in the steps' order."""
    latest = {}
    for document in dossier.documents.select_related("naskah").order_by("step", "uploaded_at", "pk"):
        document.dossier = dossier
        if policy.can_view_document(user, document):
            latest[document.kind] = document
    return sorted(latest.values(), key=lambda d: (d.step, d.uploaded_at))


def overview(user, now) -> dict | None:
    """Everything the dashboard's round section shows, or None when there is no round yet."""
    dossier = current_round(user, now)
    if dossier is None:
        return None
    last = previous_round(user, dossier, now)
    # The round's running clock from its open stay, read with it: the table need not ask for it.
    stay = dossier.open_stay
    clock = stay and sla.measure(stay, now=now, attempt=stay.attempt, stored=True)
    # The invited agencies with their submissions' states, in one query of plain values.
    table = round_table(dossier, now=now, timeline=[clock] if clock else [])
    columns = [column(d, now) for d in [dossier] + ([last] if last else [])]
    return {
        "dossier": dossier,
        "last": last,
        "matrix": table,
        "comparison": [(label, [column[i] for column in columns]) for i, label in enumerate(COMPARED)],
        "documents": documents(user, dossier),
    }
