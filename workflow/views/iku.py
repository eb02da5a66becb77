"""The agencies' IKU of one dossier as the decree's Lampiran table: all of them for the bureau,
its own for an agency."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render

from workflow import policy
from workflow.models import IkuRow
from workflow.steps import IkuStage
from workflow.views.access import visible_dossier

COLUMNS = [
    ("sasaran_strategis", "Sasaran Strategis"), ("indikator", "Indikator Kinerja Utama"),
    ("penjelasan", "Penjelasan/Alasan"), ("formula", "Formula/Cara Pengukuran"), ("satuan", "Satuan"),
    ("target", "Target"), ("sumber_data", "Sumber Data"), ("penanggung_jawab", "Penanggung Jawab"),
]


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
        request, "workflow/iku_table.html",
        {"dossier": dossier, "stage": stage, "rows": rows, "columns": COLUMNS, "stages": list(IkuStage), "nav": "archive"},
    )


def iku_csv(request, pk, stage):
    dossier = visible_dossier(request.user, pk)
    stage = _stage(stage)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iku-{stage.value}-{dossier.tahun}-{dossier.pk}.csv"'
    # A byte-order mark, so a spreadsheet on an office PC opens the Indonesian text as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["No", "SKPD"] + [label for _, label in COLUMNS])
    for number, row in enumerate(_rows(request.user, dossier, stage), start=1):
        writer.writerow([number, row.submission.skpd.nama_pendek] + [getattr(row, name) for name, _ in COLUMNS])
    return response
