"""Documents made by the app: a form that generates one as the step's output, and the print of the
Nota and the draft decree as they stand. Not visible is 404, visible but not allowed is 403."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from lib.dates import long_date
from naskah import cosign, jobs, pages, prints, record
from naskah.forms import CosignForm
from naskah.generate import DraftChanged, check_unchanged, current_version, generate, seen_version
from naskah.generators import GENERATORS, PRINTABLE
from naskah.lacking import lacking
from naskah.models import NaskahRecord, NumberingRule, RenderJob
from naskah.signature import signer_for
from naskah.templatetags.naskah import being_made, review_item
from workflow import policy, services
from workflow.actions import Action
from workflow.forms.sent_once import sent_once
from workflow.roles import Role
from workflow.steps import DocKind, Signatory
from workflow.views import stand_in
from workflow.views.access import (
    closed,
    delegation_news,
    keep_typed_with_news,
    lapsed_news,
    require_now_or_as_seen,
    revision_seen,
    visible_dossier,
)


def _generator(kind):
    if kind not in GENERATORS:
        raise Http404("Jenis naskah tidak dikenal.")
    return GENERATORS[kind]


def _cannot_make(user, kind, dossier) -> str:
    """Why `user` may not make `kind` now. A Plh./Plt. whose delegation ended (or became void) while
    the form was open reads that, not "not at this position": the dossier has not moved."""
    label = DocKind(kind).label
    if dossier.step is not None and kind in dossier.step.produces:
        news = delegation_news(user, policy.roles_for(Action.UNGGAH, dossier.state), dossier,
                               f"{label} tidak dapat Anda buat")
        if news:
            return news
    return f"{label} tidak dapat Anda buat pada posisi “{dossier.state_label}”."


def _lapsed(request, kind, dossier) -> str | None:
    """Why the Plh./Plt. who opened the form may make `kind` no more: her delegation ended meanwhile."""
    if dossier.step is None or kind not in dossier.step.produces:
        return None
    return lapsed_news(request, policy.roles_for(Action.UNGGAH, dossier.state), dossier,
                       f"{DocKind(kind).label} tidak dapat Anda buat")


@sent_once(lambda kind, **_: f"{DocKind(kind).label} ini" if kind in DocKind.values else "Isian ini")
def buat(request, pk, kind):
    user = request.user
    dossier = visible_dossier(user, pk)
    generator = _generator(kind)
    stale = require_now_or_as_seen(request, dossier, lambda d: policy.can_generate(user, kind, d),
                                   lambda: _cannot_make(user, kind, dossier), additive=True,
                                   lapsed=lambda: _lapsed(request, kind, dossier))
    making_as = policy.generating_as(user, kind, dossier)
    starting = _starting_text(dossier, kind) if request.method != "POST" else None
    starting, redated = _dated_this_year(starting)
    form = generator.form(request.POST if request.method == "POST" else None, dossier=dossier,
                          **({"initial": starting} if starting is not None else {}))
    if redated is not None:
        # The draft decree is not numbered here (the Governor's office gives its number).
        numbered = (f" dan naskah ini diberi nomor urut tahun {timezone.localdate().year}"
                    if NumberingRule.objects.filter(kind=kind).exists() else "")
        form.fields[DATE_FIELD].help_text = (
            f"Versi sebelumnya bertanggal {long_date(redated)}; tahun itu sudah berakhir, maka tanggal diisi "
            f"hari ini{numbered}. Ubah bila memang harus bertanggal tahun lalu.")
    seen = seen_version(request.POST) if request.method == "POST" else None
    if stale and making_as is None:
        # Her delegation ended, or the dossier moved on, since the form was opened: it comes back
        # closed with what was typed and why. One she may still send meets the write's own check.
        keep_typed_with_news(form, dossier, may_now=False, news=stale, request=request)
    elif request.method == "POST" and _unchanged(dossier, kind, seen, form) and form.is_valid():
        revision = revision_seen(request, dossier, additive=True)
        try:
            if revision is None:
                raise services.StaleDossier(dossier)
            if generator.background:
                done = _made_by_worker(request, dossier, kind, form)
                if done is not None:
                    return done
            else:
                event, document = generate(dossier, user, kind, form, revision=revision, seen=seen)
                messages.success(request, f"{DocKind(kind).label} dibuat dan disimpan: {document.keterangan}.")
                return redirect("dossier", pk=dossier.pk)
        except (services.StaleDossier, jobs.Busy) as error:
            form.add_error(None, str(error))
            dossier.refresh_from_db()
        except ValidationError as error:
            # A gate's refusal, or a number that cannot be given (naskah.models.SerialSpent).
            for text in error.messages:
                form.add_error(None, text)
    return render(request, "naskah/form.html", {
        "dossier": dossier, "step": dossier.step, "form": form, "judul": generator.judul, "kind": kind,
        "penandatangan": _who_signs(generator, user), "kekurangan": lacking(kind, generator.penandatangan, user),
        # The version as it stands: a form refused for another one made meanwhile has said so, and
        # sent again after reading it replaces that one knowingly.
        "versi_naskah": current_version(dossier, kind),
        "closed": closed(form), "stand_in": stand_in.carried(request, closed(form), making_as),
    })


def _unchanged(dossier, kind, seen, form) -> bool:
    """Whether the form was opened on the latest version of the document; if not, it keeps what was
    typed and says who made the newer one (checked again under the lock by `generate`, and here for a
    long document queued for the worker)."""
    try:
        check_unchanged(kind, seen, record.latest(dossier, kind))
    except DraftChanged as news:
        form.add_error(None, news)
        return False
    return True


def _starting_text(dossier, kind) -> dict | None:
    """A new version starts from what the last one said, or from what was typed for one the worker
    could not make since; None: the form's own defaults."""
    previous = record.latest(dossier, kind)
    typed = jobs.failed_input(dossier, kind, previous.document.uploaded_at if previous else None)
    return typed if typed is not None else previous.isian if previous is not None else None


# The letter's own date, which gives its number's year. A meeting's date is not changed: the minutes
# record when it was held.
DATE_FIELD = "tanggal_surat"


def _dated_this_year(starting: dict | None) -> tuple[dict | None, dt.date | None]:
    """The starting text, its letter's date made today's when it lies in a year already ended, and
    that old date (None when kept). Made in January from December's text, a new version kept the
    December date unless someone noticed the field, and with it last year's number."""
    try:
        day = dt.date.fromisoformat(starting[DATE_FIELD])
    except (TypeError, KeyError, ValueError):
        return starting, None
    today = timezone.localdate()
    if day.year >= today.year:
        return starting, None
    return starting | {DATE_FIELD: today.isoformat()}, day


def _made_by_worker(request, dossier, kind, form):
    """Queue a long document (jobs.ask_generation) and go back to the dossier page, which shows its
    progress. Where tasks run at once it is done already, or refused: None, the reason added to the
    form, which comes back as typed."""
    job = jobs.ask_generation(dossier, request.user, kind, form)
    label = DocKind(kind).label
    if job.status == RenderJob.Status.GAGAL:
        form.add_error(None, job.pesan)
        return None
    if job.status == RenderJob.Status.SELESAI:
        messages.success(request, f"{label} dibuat dan disimpan.")
    else:
        messages.info(request, f"{label} sedang disiapkan; kemajuannya tampil di halaman ini.")
    return redirect("dossier", pk=dossier.pk)


def _who_signs(generator, user) -> str:
    role = generator.penandatangan
    if not role:
        return ""
    signer, delegation = signer_for(role, user)
    if signer is None:
        return f"Belum ada pengguna dengan peran {Role(role).label}: nama penandatangan dikosongkan."
    prefix = f"{delegation.get_kind_display()} " if delegation else ""
    return f"{prefix}{Role(role).label}: {signer.display_name}"


@require_GET
def cetak(request, pk, kind):
    user = request.user
    dossier = visible_dossier(user, pk)
    if kind not in PRINTABLE:
        raise Http404("Naskah ini tidak dicetak dari sini.")
    if not policy.can_print(user, dossier):
        raise PermissionDenied("Cetakan Nota Dinas dan draft keputusan hanya untuk pegawai Biro.")
    pdf, name, konsep = prints.reprint(dossier, kind, user)
    if pdf is None:
        # Being rendered by the worker: a page that shows how far, and loads the PDF once ready.
        job = jobs.printing(konsep)
        return render(request, "naskah/disiapkan.html", {
            "dossier": dossier, "p": jobs.progress(job),
            "muat": reverse("naskah_proses", args=[dossier.pk, job.pk]), "muat_ulang": True,
        }, status=202)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def page_image(request, pk, kind, number):
    """One page of the current version of a reviewed document, as PNG."""
    user = request.user
    dossier = visible_dossier(user, pk)
    found = pages.current(dossier, kind, user) if kind in DocKind.values else None
    if found is None:
        raise Http404("Naskah ini belum ada.")
    if not (policy.can_print(user, dossier) and policy.can_view_document(user, found.document)):
        raise PermissionDenied("Naskah ini hanya untuk pegawai Biro.")
    png = prints.page_png(found, dossier, user, number)
    if png is None:
        raise Http404("Halaman ini tidak ada.")
    return HttpResponse(png, content_type="image/png")


@require_GET
def review_part(request, pk, kind):
    """One reviewed document's block on a review page (naskah/_tinjau_item.html): fetched when the
    worker has rendered it and swapped in place, so nothing typed in the page's form is lost."""
    user = request.user
    dossier = visible_dossier(user, pk)
    if kind not in DocKind.values or not policy.can_print(user, dossier):
        raise PermissionDenied("Naskah ini hanya untuk pegawai Biro.")
    item = review_item(dossier, kind, user)
    if item is None:
        raise Http404("Naskah ini belum ada.")
    return _part("naskah/_tinjau_item.html", {"item": item, "dossier": dossier})


@require_GET
def jobs_part(request, pk):
    """The dossier page's block of documents being made (naskah/_disiapkan.html), polled."""
    user = request.user
    dossier = visible_dossier(user, pk)
    if not policy.can_print(user, dossier):
        raise PermissionDenied("Naskah ini hanya untuk pegawai Biro.")
    return _part("naskah/_disiapkan.html", being_made(dossier, user))


@require_GET
def job_part(request, pk, job):
    """How far one job has come (naskah/_proses.html), polled by a block waiting for it; once the
    job is over the block loads what it waited for."""
    user = request.user
    dossier = visible_dossier(user, pk)
    if not policy.can_print(user, dossier):
        raise PermissionDenied("Naskah ini hanya untuk pegawai Biro.")
    found = RenderJob.objects.filter(pk=job, dossier=dossier).first()
    if found is None:
        raise Http404("Penyiapan naskah ini tidak ada.")
    return _part("naskah/_proses.html", {"p": jobs.progress(found), "muat": request.path})


def _part(template, context):
    # A block of a page, polled every two seconds: without the page's menu and its queries.
    return HttpResponse(render_to_string(template, context))


# An error report never carries a signer's password, BSrE passphrase or NIK.
@sensitive_post_parameters("kata_sandi", "passphrase", "nik")
def tandatangani(request, pk, document):
    """The page on which a person a signed document names signs it beside its first signer (the
    Notulen's Pencatat: naskah.cosign), with what they see of it above the button."""
    user = request.user
    dossier = visible_dossier(user, pk)
    made = NaskahRecord.objects.filter(document__pk=document, document__dossier=dossier).select_related(
        "document__dossier").first()
    if made is None:
        raise Http404("Naskah tidak ditemukan.")
    allowed = cosign.signing_as(user, made)
    if allowed is None:
        raise PermissionDenied(f"{DocKind(made.document.kind).label} ini tidak menunggu tanda tangan Anda.")
    form = CosignForm(request.POST if request.method == "POST" else None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            event = cosign.sign(made, user, form.plan)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, f"{event.note}.")
            return redirect("dossier", pk=dossier.pk)
    return render(request, "naskah/tandatangani.html", {
        "dossier": dossier, "made": made, "form": form, "sebagai": Signatory(allowed[0]).label,
        "kind": DocKind(made.document.kind).label, "item": _pages_of(made, dossier, user),
    })


def _pages_of(made, dossier, user) -> dict | None:
    """What the signer reads above the button, page by page, as on the step's own signing pages; None
    when `made` is not its kind's current version, the one whose pages are served by kind."""
    item = review_item(dossier, made.document.kind, user)
    return item if item is not None and item["found"].document.pk == made.document_id else None
