"""The bureau head's view of the round: the current round's agencies against its IKU stages, this
year's round beside last year's, and the round's documents at a glance."""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from iku.models import IkuSubmission
from iku.round import round_table
from workflow import policy, sla
from workflow.models import Dossier, StepVisit
from workflow.steps import ACTIVE_STATES, DIBATALKAN, IkuStage


def current_round(user):
    """The running round of the latest year, else the latest round; None before the first. Its open
    stay comes with it, for the round's clock."""
    visible = Dossier.objects.visible_to(user).exclude(state=DIBATALKAN).select_related("open_stay")
    return (visible.filter(state__in=ACTIVE_STATES).order_by("-tahun", "-created_at").first()
            or visible.order_by("-tahun", "-created_at").first())


def previous_round(user, dossier):
    """Last year's round, carrying how many agencies it invited (its comparison column needs no more)."""
    invited = (Dossier.invited.through.objects.filter(dossier=OuterRef("pk")).order_by().values("dossier")
               .annotate(n=Count("pk")).values("n"))
    return (Dossier.objects.visible_to(user).rounds_of(dossier.tahun - 1)
            .annotate(invited_count=Coalesce(Subquery(invited), 0)).first())


def figures(rounds: list, now) -> list[list[str]]:
    """Each round's column of the comparison (the rows of `COMPARED`): two queries for all of them.
    A round's invited agencies are counted from `invited_count` or its `_invited_ids`."""
    ids = [dossier.pk for dossier in rounds]
    sent = {(dossier_id, stage): n for dossier_id, stage, n in IkuSubmission.objects.filter(
        dossier_id__in=ids, submitted_at__isnull=False).order_by().values_list("dossier", "stage")
        .annotate(n=Count("pk"))}
    late = dict(StepVisit.objects.filter(
        Q(left_at__gt=F("due_at")) | Q(left_at__isnull=True, due_at__lt=now), dossier_id__in=ids,
        due_at__isnull=False,
    ).order_by().values_list("dossier").annotate(n=Count("pk")))
    columns = []
    for dossier in rounds:
        invited = getattr(dossier, "invited_count", None)
        if invited is None:
            invited = len(policy.invited_ids(dossier))
        columns.append([dossier.state_label, str(invited)]
                       + [f"{sent.get((dossier.pk, stage), 0)} dari {invited}" for stage in IkuStage]
                       + [str(late.get(dossier.pk, 0)), str(((dossier.closed_at or now) - dossier.created_at).days)])
    return columns


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
    dossier = current_round(user)
    if dossier is None:
        return None
    last = previous_round(user, dossier)
    # The round's running clock from its open stay, read with it: the table need not ask for it.
    stay = dossier.open_stay
    clock = stay and sla.measure(stay, now=now, attempt=stay.attempt, stored=True)
    # The invited agencies with their submissions' states, in one query of plain values.
    table = round_table(dossier, now=now, timeline=[clock] if clock else [])
    dossier.invited_count = len(table["rows"])
    columns = figures([dossier] + ([last] if last else []), now)
    return {
        "dossier": dossier,
        "last": last,
        "matrix": table,
        "comparison": [(label, [column[i] for column in columns]) for i, label in enumerate(COMPARED)],
        "documents": documents(user, dossier),
    }
