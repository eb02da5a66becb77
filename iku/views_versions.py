"""An agency's sends compared: any two versions, or the current table against last year's decree,
each change with the reason the agency gives for it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from iku.models import IkuSubmission
from iku.reading import visible_submission
from iku.table import decree_before, decree_named, decree_rows
from iku.versions import SAME, compare, row_key, summary
from workflow import policy
from workflow.actions import Action
from workflow.models import Invitation
from workflow.views.access import visible_dossier

LAST_YEAR = "lalu"
REASON_LENGTH = 1000


def _source(value, versions, submission, dossier, previous):
    """`value`'s name and rows: a version's, or (LAST_YEAR) those of `previous`, the decree the round
    starts from (iku.table.decree_before)."""
    if value == LAST_YEAR:
        return f"Keputusan {decree_named(dossier, previous)}", decree_rows(previous, submission.skpd)
    for version in versions:
        if str(version.nomor) == value:
            return f"Versi {version.nomor}", version.rows
    return None


def _agency(dossier, submission) -> str:
    """The agency's short name as the round names it: a forwarded round as its decree did
    (Invitation.keep_names), not as the agency was renamed since."""
    named = Invitation.objects.names_of_record(dossier)
    return named.get(submission.skpd_id, (None, submission.skpd.nama_pendek))[1]


def _may_give_reasons(user, submission, dossier) -> bool:
    return submission.skpd_id == user.skpd_id and policy.can(user, Action.AJUKAN_IKU, dossier)


def compare_versions(request, pk, stage, skpd):
    dossier = visible_dossier(request.user, pk)
    submission = visible_submission(request.user, dossier, stage, skpd)
    versions = list(submission.versions.all())
    latest = str(versions[-1].nomor) if versions else None
    default_old = str(versions[-2].nomor) if len(versions) > 1 else LAST_YEAR
    old_key, new_key = request.GET.get("a", default_old), request.GET.get("b", latest)
    previous = decree_before(dossier, submission.skpd)
    old, new = (_source(old_key, versions, submission, dossier, previous),
                _source(new_key, versions, submission, dossier, previous))
    diffs = compare(old[1], new[1]) if old and new else []
    owner_may = _may_give_reasons(request.user, submission, dossier)
    may_explain = old_key == LAST_YEAR and new_key == latest and owner_may
    typed = {}
    if request.method == "POST":
        if not (owner_may and old_key == LAST_YEAR):
            raise PermissionDenied("Alasan perubahan hanya diisi SKPD pemilik tabel selama IKU-nya dapat dikirim.")
        if request.POST.get("versi", new_key) != latest or new_key != latest:
            # Another send since the page was opened: its rows are what the reasons must explain now.
            # Nothing is kept; every reason typed comes back beside the row it was typed for, if that
            # row is still there, or listed to copy.
            typed = {name.removeprefix("alasan-"): text.strip()[:REASON_LENGTH]
                     for name, text in request.POST.items() if name.startswith("alasan-") and text.strip()}
            return _stale(request, dossier, submission, versions, latest, typed, previous)
        reasons = {}
        for diff in diffs:
            text = request.POST.get(f"alasan-{diff.key}", "").strip()[:REASON_LENGTH]
            if diff.kind != SAME and text:
                reasons[diff.key] = text
        IkuSubmission.objects.filter(pk=submission.pk).update(change_reasons=reasons)
        messages.success(request, f"{len(reasons)} alasan perubahan disimpan.")
        return redirect(request.get_full_path())
    reasons = submission.change_reasons
    for diff in diffs:
        # A reason kept before rows sharing an indicator had keys of their own was under the indicator.
        diff.reason = reasons.get(diff.key) or reasons.get(row_key(diff.new or diff.old), "")
    return render(request, "iku/versions.html", {
        "dossier": dossier, "submission": submission, "versions": versions, "old": old, "new": new,
        "old_key": old_key, "new_key": new_key, "last_year": LAST_YEAR, "diffs": diffs,
        "last_year_label": f"Keputusan {decree_named(dossier, previous)}",
        "summary": summary(diffs), "may_explain": may_explain, "reason_length": REASON_LENGTH,
        "agency": _agency(dossier, submission),
    })


def _stale(request, dossier, submission, versions, latest, typed, previous):
    old, new = (_source(LAST_YEAR, versions, submission, dossier, previous),
                _source(latest, versions, submission, dossier, previous))
    diffs = compare(old[1], new[1])
    stored = submission.change_reasons
    for diff in diffs:
        diff.reason = typed.pop(diff.key, None) or stored.get(diff.key) or stored.get(row_key(diff.new or diff.old), "")
    messages.error(request, f"Versi {latest} dikirim sejak halaman ini dibuka, jadi alasan perubahan belum disimpan. "
                            "Yang Anda ketik ada di bawah, di baris yang masih ada; periksa lalu simpan lagi.")
    return render(request, "iku/versions.html", {
        "dossier": dossier, "submission": submission, "versions": versions, "old": old, "new": new,
        "old_key": LAST_YEAR, "new_key": latest, "last_year": LAST_YEAR, "diffs": diffs,
        "last_year_label": old[0],
        "summary": summary(diffs), "may_explain": True, "reason_length": REASON_LENGTH,
        "unplaced": list(typed.values()), "agency": _agency(dossier, submission),
    })
