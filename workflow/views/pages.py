"""Lists: the inbox (what waits on me) and the archive (everything I may see)."""

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q
from django.shortcuts import render

from workflow import inbox as my_work
from workflow import policy, sla
from workflow.forms import ArchiveFilterForm
from workflow.models import Document, Dossier

PAGE_SIZE = 25


def inbox(request):
    waiting = Dossier.objects.visible_to(request.user).filter(policy.inbox_scope(request.user))
    # What is due first comes first (an untimed position, the Governor's desk, after the timed
    # ones), then the longest waiting: the dossier's copy of its open stay's due moment, so a page
    # is a walk of one index, not a sort of every waiting dossier joined to its stay.
    ordered = waiting.order_by(F("due_at").asc(nulls_last=True), "state_entered_at", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("hal"))
    rows = policy.remember_preparers(page.object_list)
    internal = policy.is_internal(request.user)
    # An agency's work depends on its invitation, the bureau's does not; and an agency works to its
    # own round, not to the bureau's internal clock, so its rows carry none.
    rows = sla.attach(rows) if internal else policy.remember_invitation(request.user, rows)
    page.object_list = my_work.attach(request.user, rows)
    return render(request, "workflow/inbox.html", {"page": page, "nav": "inbox", "internal": internal})


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
            ).filter(policy.document_scope(request.user))
            dossiers = dossiers.filter(Q(judul__icontains=q) | Q(nomor_kepgub__icontains=q) | Exists(documents))
        if data["tahun"]:
            dossiers = dossiers.filter(tahun=data["tahun"])
        if data["state"]:
            dossiers = dossiers.filter(state=data["state"])
        if data["skpd"]:
            dossiers = dossiers.filter(invited=data["skpd"])
        order = data["urut"] or order
    tiebreak = "-pk" if order.startswith("-") else "pk"
    page = Paginator(dossiers.order_by(order, tiebreak), PAGE_SIZE).get_page(request.GET.get("hal"))
    page.object_list = sla.attach(page.object_list)
    years = Dossier.objects.visible_to(request.user).years()
    query = request.GET.copy()
    query.pop("hal", None)
    return render(
        request,
        "workflow/archive.html",
        {"form": form, "page": page, "years": years, "query": query.urlencode(), "nav": "archive"},
    )
