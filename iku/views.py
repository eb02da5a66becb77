"""The agencies' IKU of one dossier: the Lampiran table (all of it for the bureau, its own for an
agency) in the page, CSV and XLSX; and an agency's grid around the `ajukan_iku` action: its draft,
its XLSX template and upload, last year's rows to start from. Sending is the action itself
(`workflow.views.actions`); these views never move the dossier.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from iku import xlsx
from iku.columns import COLUMNS
from iku.forms import IkuSubmissionForm
from iku.reading import EVERY_AGENCY, agency_page, lampiran_table, stage_named, visible_rows
from iku.round import remind_missing
from iku.table import cancelled_round, cancelled_rows, decree_before, decree_named, decree_rows, numbered, sending_stage
from lib.csv_export import csv_response
from workflow import policy
from workflow.actions import ACTIONS, Action
from workflow.views.access import closed, keep_typed_with_news, kept_when_busy, require_action, visible_dossier


def iku_table(request, pk, stage):
    context = lampiran_table(request.user, pk, stage_named(stage))
    whole = request.GET.get("lengkap") == "1"
    asked = request.GET.get("skpd", "").strip()
    page = agency_page(context["rows"], asked)
    # The part of the address the page's other links keep: the agency shown, or every one.
    kept = "" if not page["paged"] else (f"skpd={EVERY_AGENCY}" if page["every"]
                                         else f"skpd={page['shown_agency']['skpd_id']}")
    return render(request, "iku/table.html", {**context, **page, "whole": whole, "kept": kept,
                                              "every_agency": EVERY_AGENCY})


def iku_csv(request, pk, stage):
    dossier = visible_dossier(request.user, pk)
    stage = stage_named(stage)
    response, writer = csv_response(f"iku-{stage.value}-{dossier.tahun}-{dossier.pk}.csv")
    writer.writerow(["No", "SKPD"] + [label for _, label in COLUMNS])
    for number, skpd, row in numbered(visible_rows(request.user, dossier, stage)):
        writer.writerow([number, skpd] + [getattr(row, name) for name, _ in COLUMNS])
    return response


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def iku_xlsx(request, pk, stage):
    dossier = visible_dossier(request.user, pk)
    stage = stage_named(stage)
    content = xlsx.export_bytes(numbered(visible_rows(request.user, dossier, stage)))
    return _xlsx_response(content, f"iku-{stage.value}-{dossier.tahun}-{dossier.pk}.xlsx")


def iku_template(request, pk):
    visible_dossier(request.user, pk)
    return _xlsx_response(xlsx.template_bytes(), "templat-iku.xlsx")


def _grid(request, dossier, form, *, loaded="", upload_problems=()):
    spec = ACTIONS[Action.AJUKAN_IKU]
    return render(
        request, spec.page,
        {"dossier": dossier, "spec": spec, "label": dossier.action_labels().get(spec.action, spec.label),
         "step": dossier.step, "form": form, "loaded": loaded, "upload_problems": upload_problems,
         "multipart": True, "closed": closed(form)},
    )


def _posted_grid(request, pk):
    """The grid as posted, for a button that loads or keeps it; None with the page to answer when
    the form is stale (the news on the grid as typed)."""
    dossier = visible_dossier(request.user, pk)
    stale = require_action(request, Action.AJUKAN_IKU, dossier, additive=True)
    form = IkuSubmissionForm(request.POST, dossier=dossier, user=request.user)
    if stale:
        keep_typed_with_news(form, dossier, may_now=policy.can(request.user, Action.AJUKAN_IKU, dossier), news=stale)
    return dossier, form, stale


def _loaded(request, dossier, rows, origin, loaded):
    """The grid filled with `rows` for review beside the note as typed; nothing is kept yet."""
    filled = IkuSubmissionForm(request.POST, dossier=dossier, user=request.user, rows=rows, origin=origin)
    return _grid(request, dossier, filled, loaded=f"{loaded} Belum ada yang disimpan: periksa, lalu tekan "
                                                  f"Simpan draf atau {_grid_label(dossier)}.")


def _grid_label(dossier) -> str:
    return dossier.action_labels().get(Action.AJUKAN_IKU, ACTIONS[Action.AJUKAN_IKU].label)


@require_POST
def iku_draft(request, pk):
    """Keep the grid and the note as typed without sending: nothing the bureau received changes."""
    dossier, form, stale = _posted_grid(request, pk)
    if stale:
        return _grid(request, dossier, form)
    saved = kept_when_busy(form, lambda: form.save_as_draft(timezone.now()))
    if saved is None:
        # What stops a draft is said on the page (a table too long at its top); cells too long are
        # said at their cells, so the top says why nothing was kept.
        if not form.errors and any(p.code == "too_long" for p in form.check.errors):
            form.add_error(None, "Draf belum disimpan: perbaiki isian yang terlalu panjang di bawah ini.")
        return _grid(request, dossier, form)
    messages.success(request, f"Draf disimpan: {len(form.rows)} baris. Draf belum terkirim ke Biro Kesra.")
    return redirect("dossier_action", pk=dossier.pk, action=Action.AJUKAN_IKU)


@require_POST
def iku_upload(request, pk):
    """Read an XLSX table into the grid for review; a file with any bad cell changes nothing, and
    the grid and the note stay as typed either way."""
    dossier, form, stale = _posted_grid(request, pk)
    upload = request.FILES.get("berkas")
    if stale:
        again = ["Berkas belum dibaca karena dosier sudah berubah: pilih lagi berkasnya bila masih perlu."]
        return _grid(request, dossier, form, upload_problems=again if upload else [])
    if upload is None:
        return _grid(request, dossier, form, upload_problems=["Pilih berkas XLSX yang akan dimuat ke tabel."])
    read = xlsx.read_upload(upload, year=dossier.tahun)
    if not read.ok:
        return _grid(request, dossier, form, upload_problems=[str(p) for p in read.problems])
    return _loaded(request, dossier, read.rows, "berkas",
                   f"{len(read.rows)} baris dimuat dari {upload.name} ke tabel di bawah."
                   + "".join(f" {note}" for note in read.notes))


@require_POST
def iku_copy_last_year(request, pk):
    """Fill the grid from the agency's rows in last year's decree, for review."""
    dossier, form, stale = _posted_grid(request, pk)
    if stale:
        return _grid(request, dossier, form)
    skpd = request.user.skpd
    previous = decree_before(dossier, skpd)
    rows = decree_rows(previous, skpd)
    if not rows:
        form.add_error(None, f"Tidak ada IKU {skpd.nama_pendek} dalam keputusan {decree_named(dossier, previous)}; "
                             "tabel di bawah tetap seperti yang Anda ketik.")
        return _grid(request, dossier, form)
    return _loaded(request, dossier, rows, "tahun_lalu",
                   f"{len(rows)} baris IKU {decree_named(dossier, previous)} disalin ke tabel di bawah.")


@require_POST
def iku_copy_cancelled(request, pk):
    """Fill the grid from what the agency typed or sent in a cancelled round of the same year, for review."""
    dossier, form, stale = _posted_grid(request, pk)
    if stale:
        return _grid(request, dossier, form)
    stage = sending_stage(dossier)
    cancelled = cancelled_round(dossier, request.user.skpd, stage)
    rows = cancelled_rows(cancelled, request.user.skpd, stage)
    if not rows:
        form.add_error(None, "Tidak ada tabel Anda di dosier yang dibatalkan untuk tahun ini; tabel di bawah tetap "
                             "seperti yang Anda ketik.")
        return _grid(request, dossier, form)
    return _loaded(request, dossier, rows, "dibatalkan",
                   f"{len(rows)} baris dari tabel Anda di dosier “{cancelled.judul}” (dibatalkan) disalin ke tabel di bawah.")


@require_POST
def iku_remind(request, pk):
    """Mail the agencies that have not sent what the step waits for; each at most once a day."""
    dossier = visible_dossier(request.user, pk)
    if not policy.can_remind_agencies(request.user, dossier):
        raise PermissionDenied("Hanya Kasubag dan Kabiro yang mengingatkan SKPD, selama langkahnya menunggu IKU SKPD.")
    done = remind_missing(dossier, request.user)
    reminded, skipped = done.reminded, done.skipped
    if reminded:
        messages.success(request, f"{len(reminded)} SKPD diingatkan: {', '.join(a.nama_pendek for a in reminded)}.")
    if skipped:
        messages.info(request, f"Sudah diingatkan hari ini: {', '.join(a.nama_pendek for a in skipped)}.")
    # Apart, since the admin does something else for each: add an officer, or fill in an address.
    if done.unstaffed:
        messages.warning(request, "Tidak dapat diingatkan karena belum ada petugas (pengguna aktif berperan SKPD): "
                                  f"{', '.join(a.nama_pendek for a in done.unstaffed)}. Minta admin menambahkan "
                                  "petugasnya di Admin › Pengguna (peran SKPD, dengan SKPD-nya), atau hubungi SKPD "
                                  "tersebut langsung.")
    if done.unmailed:
        messages.warning(request, "Tidak dapat diingatkan lewat surel karena petugasnya belum punya alamat surel: "
                                  f"{', '.join(a.nama_pendek for a in done.unmailed)}. Minta admin mengisi alamat "
                                  "surel petugasnya di Admin › Pengguna, atau hubungi SKPD tersebut langsung.")
    if not (reminded or skipped or done.unreachable):
        # At step 6 the round waits only on tables reopened for fixes: "all have sent" read as the Bahan.
        messages.info(request, "Semua SKPD sudah mengirim." if dossier.step.iku_stage else
                      "Tidak ada IKU SKPD yang dibuka kembali dan belum dikirim lagi.")
    return redirect("dossier", pk=dossier.pk)
