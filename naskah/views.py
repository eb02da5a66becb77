"""Documents made by the app: a form that generates one as the step's output, and the print of the
Nota and the draft decree as they stand. Not visible is 404, visible but not allowed is 403."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from naskah import pages, record
from naskah.generate import generate, reprint
from naskah.generators import GENERATORS, PRINTABLE
from naskah.signature import signer_for
from workflow import gates, policy, services
from workflow.roles import Role
from workflow.steps import DocKind
from workflow.views.access import revision_seen, visible_dossier


def _generator(kind):
    if kind not in GENERATORS:
        raise Http404("Jenis naskah tidak dikenal.")
    return GENERATORS[kind]


def buat(request, pk, kind):
    user = request.user
    dossier = visible_dossier(user, pk)
    generator = _generator(kind)
    if not policy.can_generate(user, kind, dossier):
        raise PermissionDenied(
            f"{DocKind(kind).label} tidak dapat Anda buat pada posisi “{dossier.state_label}”."
        )
    # A new version starts from what the last one said.
    previous = record.latest(dossier, kind) if request.method != "POST" else None
    extra = {"initial": previous.isian} if previous is not None else {}
    form = generator.form(request.POST if request.method == "POST" else None, dossier=dossier, **extra)
    if request.method == "POST" and form.is_valid():
        revision = revision_seen(request, dossier, additive=True)
        try:
            if revision is None:
                raise services.StaleDossier(dossier)
            event, document = generate(dossier, user, kind, form, revision=revision)
        except services.StaleDossier as error:
            form.add_error(None, str(error))
            dossier.refresh_from_db()
        except gates.GateError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, f"{DocKind(kind).label} dibuat dan disimpan: {document.keterangan}.")
            return redirect("dossier", pk=dossier.pk)
    return render(request, "naskah/form.html", {
        "dossier": dossier, "step": dossier.step, "form": form, "judul": generator.judul, "kind": kind,
        "penandatangan": _who_signs(generator, user), "nav": "archive",
    })


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
    pdf, name = reprint(dossier, kind, user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def page_image(request, pk, kind, number):
    """One page of the current version of a reviewed document, as PNG."""
    user = request.user
    dossier = visible_dossier(user, pk)
    found = pages.current(dossier, kind) if kind in DocKind.values else None
    if found is None:
        raise Http404("Naskah ini belum ada.")
    if not (policy.can_print(user, dossier) and policy.can_view_document(user, found.document)):
        raise PermissionDenied("Naskah ini hanya untuk pegawai Biro.")
    png = pages.page_png(found, dossier, user, number)
    if png is None:
        raise Http404("Halaman ini tidak ada.")
    return HttpResponse(png, content_type="image/png")
