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
    user = request.user
    internal = policy.is_internal(user)
    page = _waiting(user, internal, request.GET.get("hal"))
    return render(request, "workflow/inbox.html", {"page": page, "nav": "inbox", "internal": internal})


def _waiting(user, internal: bool, asked):
    """The page of dossiers waiting on the user, its rows with their tasks."""
    waiting = Dossier.objects.visible_to(user).filter(policy.inbox_scope(user))
    # What is due first comes first (an untimed position, the Governor's desk, after the timed
    # ones), then the longest waiting: the dossier's copy of its open stay's due moment, so a page
    # is a walk of one index, not a sort of every waiting dossier joined to its stay.
    ordered = waiting.order_by(F("due_at").asc(nulls_last=True), "state_entered_at", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(asked)
    rows = policy.remember_preparers(page.object_list)
    # An agency's work depends on its invitation, the bureau's does not; and an agency works to its
    # own round, not to the bureau's internal clock, so its rows carry none.
    rows = sla.attach(rows) if internal else policy.remember_invitation(user, rows)
    page.object_list = my_work.attach(user, rows)
    return page


def archive(request):
    user = request.user
    form = ArchiveFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else None
    page = _listed(user, data, request.GET.get("hal"))
    years = Dossier.objects.visible_to(user).years()
    query = request.GET.copy()
    query.pop("hal", None)
    return render(
        request,
        "workflow/archive.html",
        {"form": form, "page": page, "years": years, "query": query.urlencode(), "nav": "archive"},
    )


def _listed(user, data: dict | None, asked):
    """The page of dossiers matching the filters, its rows with their clocks."""
    dossiers = Dossier.objects.visible_to(user)
    order = "-created_at"
    if data is not None:
        if data["q"]:
            q = data["q"].strip()
            documents = Document.objects.filter(dossier=OuterRef("pk")).filter(
                Q(keterangan__icontains=q) | Q(original_name__icontains=q)
            ).filter(policy.document_scope(user))
            dossiers = dossiers.filter(Q(judul__icontains=q) | Q(nomor_kepgub__icontains=q) | Exists(documents))
        if data["tahun"]:
            dossiers = dossiers.filter(tahun=data["tahun"])
        if data["state"]:
            dossiers = dossiers.filter(state=data["state"])
        if data["skpd"]:
            dossiers = dossiers.filter(invited=data["skpd"])
        order = data["urut"] or order
    tiebreak = "-pk" if order.startswith("-") else "pk"
    page = Paginator(dossiers.order_by(order, tiebreak), PAGE_SIZE).get_page(asked)
    page.object_list = sla.attach(page.object_list)
    return page
