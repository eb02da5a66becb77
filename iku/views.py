"""The agencies' IKU of one dossier as the decree's Lampiran table: all of them for the bureau,
its own for an agency."""

from django.http import Http404
from django.shortcuts import render

from iku.columns import COLUMNS
from iku.models import IkuRow
from lib.csv_export import csv_response
from workflow import policy
from workflow.steps import IkuStage
from workflow.views.access import visible_dossier


def _rows(user, dossier, stage):
    rows = (
        IkuRow.objects.filter(submission__dossier=dossier, submission__stage=stage, submission__submitted_at__isnull=False)
        .select_related("submission__skpd")
        .order_by("submission__skpd__nama_pendek", "urutan", "pk")
    )
    visible = []
    for row in rows:
        # The dossier already loaded (with its invited agencies) answers for every row.
        row.submission.dossier = dossier
        if policy.can_view_submission(user, row.submission):
            visible.append(row)
    return visible


def _stage(value):
    try:
        return IkuStage(value)
    except ValueError:
        raise Http404("Tahap IKU tidak dikenal.") from None


def iku_table(request, pk, stage):
    dossier = visible_dossier(request.user, pk)
    stage = _stage(stage)
    rows = _rows(request.user, dossier, stage)
    return render(
        request, "iku/table.html",
        {"dossier": dossier, "stage": stage, "rows": rows, "columns": COLUMNS, "stages": list(IkuStage), "nav": "archive"},
    )


def iku_csv(request, pk, stage):
    dossier = visible_dossier(request.user, pk)
    stage = _stage(stage)
    response, writer = csv_response(f"iku-{stage.value}-{dossier.tahun}-{dossier.pk}.csv")
    writer.writerow(["No", "SKPD"] + [label for _, label in COLUMNS])
    for number, row in enumerate(_rows(request.user, dossier, stage), start=1):
        writer.writerow([number, row.submission.skpd.nama_pendek] + [getattr(row, name) for name, _ in COLUMNS])
    return response
