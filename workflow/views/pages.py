"""Lists: the inbox (what waits on me), the archive (everything I may see), the dashboard."""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render

from workflow import policy, sla
from workflow.forms import ArchiveFilterForm
from workflow.models import Document, Dossier
from workflow.steps import ACTIVE_STATES, STATE_CHOICES

PAGE_SIZE = 25
LATE_SHOWN = 50


def _with_related(queryset):
    return queryset.select_related("created_by").prefetch_related("invited")


def inbox(request):
    waiting = Dossier.objects.visible_to(request.user).filter(state__in=policy.inbox_states(request.user))
    page = Paginator(_with_related(waiting.order_by("state_entered_at", "pk")), PAGE_SIZE).get_page(request.GET.get("hal"))
    page.object_list = sla.attach(page.object_list)
    return render(request, "workflow/inbox.html", {"page": page, "nav": "inbox"})


def archive(request):
    form = ArchiveFilterForm(request.GET or None)
    dossiers = Dossier.objects.visible_to(request.user)
    order = "-created_at"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            documents = Document.objects.filter(dossier=OuterRef("pk")).filter(
                Q(keterangan__icontains=q) | Q(original_name__icontains=q)
            )
            dossiers = dossiers.filter(Q(judul__icontains=q) | Q(nomor_kepgub__icontains=q) | Exists(documents))
        if data["tahun"]:
            dossiers = dossiers.filter(tahun=data["tahun"])
        if data["state"]:
            dossiers = dossiers.filter(state=data["state"])
        if data["skpd"]:
            dossiers = dossiers.filter(invited=data["skpd"])
        order = data["urut"] or order
    tiebreak = "-pk" if order.startswith("-") else "pk"
    page = Paginator(_with_related(dossiers.order_by(order, tiebreak)), PAGE_SIZE).get_page(request.GET.get("hal"))
    page.object_list = sla.attach(page.object_list)
    years = Dossier.objects.visible_to(request.user).order_by("-tahun").values_list("tahun", flat=True).distinct()
    query = request.GET.copy()
    query.pop("hal", None)
    return render(
        request,
        "workflow/archive.html",
        {"form": form, "page": page, "years": list(years), "query": query.urlencode(), "nav": "archive"},
    )


def dashboard(request):
    if not policy.can_view_dashboard(request.user):
        raise PermissionDenied("Dasbor hanya untuk Kasubag, Kabag dan Kabiro.")
    active = Dossier.objects.visible_to(request.user).filter(state__in=ACTIVE_STATES)
    per_state = Counter(active.values_list("state", flat=True))
    counts = [(state, label, per_state.get(state, 0)) for state, label in STATE_CHOICES if state in ACTIVE_STATES]
    # The clocks of every running dossier are needed for the tallies, but only the late ones and the
    # longest waiting are shown, so only those are fetched whole.
    clocks = sla.current_clocks(active)
    late_clocks = sorted((c for c in clocks.values() if c.status == sla.LATE), key=lambda c: c.due)[:LATE_SHOWN]
    late = _in_order(active, [c.dossier_id for c in late_clocks], clocks)
    oldest = list(_with_related(active.order_by("state_entered_at", "pk"))[:20])
    for dossier in oldest:
        dossier.clock = clocks.get(dossier.pk)
    return render(
        request,
        "workflow/dashboard.html",
        {
            "counts": counts,
            "total": sum(per_state.values()),
            "status_counts": sla.counts(clocks.values()),
            "late": late,
            "late_total": sum(1 for c in clocks.values() if c.status == sla.LATE),
            "oldest": oldest,
            "nav": "dashboard",
        },
    )


def _in_order(queryset, ids, clocks):
    found = {d.pk: d for d in _with_related(queryset.filter(pk__in=ids))}
    for dossier in found.values():
        dossier.clock = clocks.get(dossier.pk)
    return [found[i] for i in ids if i in found]
