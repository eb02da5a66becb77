"""One dossier: its page, its documents; and opening a new one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, Exists, IntegerField, OuterRef
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from iku.round import reach, reachable, round_table, unstaffed, without_officer
from iku.table import decrees_revising
from lib import locks
from workflow import gates, policy, services, sla
from workflow.actions import Action
from workflow.forms import DossierCreateForm
from workflow.forms.sent_once import sent_once
from workflow.forms.uploads import document_response
from workflow.models import AuditEvent, Disposition, Document, Dossier, Meeting, Skpd, StepVisit, User, UserRole, titles
from workflow.roles import Role
from workflow.steps import DIBATALKAN, SELESAI
from workflow.views import stand_in, timeline
from workflow.views.access import (
    closed,
    delegation_news,
    keep_typed_with_news,
    kept_when_busy,
    lapsed_news,
    require_or_lapsed,
    visible_dossier,
)
from workflow.views.diagram import dossier_svg


def detail(request, pk):
    context = _page(request.user, pk)
    # On paper the link to the rest of the history is no link: the page prints its address.
    context["history_address"] = request.build_absolute_uri(reverse("dossier_history", args=[pk]))
    return render(request, "workflow/dossier_detail.html", context)


# Events a page of the history page lists.
HISTORY_PAGE = 100
# Events the page to print (`?hal=semua`) lists at most. A province's round writes tens of thousands,
# and the whole of them was one page of tens of megabytes that a browser could hardly open, let
# alone print; a longer history prints in parts of this many (`&bagian=2`...), each saying which.
PRINT_PART = 1000


@require_GET
def history(request, pk):
    """The dossier's whole history, a page at a time, oldest first; `?hal=semua` all of it at once,
    to print, up to PRINT_PART events (then a part at a time). The bureau's, as on the dossier page:
    an agency reads none of it."""
    dossier = _visible(request.user, pk)
    if not policy.can_view_history(request.user, dossier):
        raise PermissionDenied("Riwayat dosier hanya dapat dilihat oleh Biro Kesra.")
    listed = AuditEvent.objects.filter(dossier=dossier).values_list(*timeline.Event.__slots__)
    whole = request.GET.get("hal") == "semua"
    # Counted in the dossier's own query: the paginator would count in one more.
    paginator = Paginator(listed, PRINT_PART if whole else HISTORY_PAGE)
    paginator.count = dossier.events_total
    page = paginator.get_page(request.GET.get("bagian") if whole else request.GET.get("hal"))
    page.object_list = [timeline.Event(*values) for values in page.object_list]
    return render(request, "workflow/dossier_history.html", {
        "dossier": dossier, "page": page, "whole": whole, "print_part": PRINT_PART})


def _count_of(model) -> RawSQL:
    """How many `model` rows the dossier has, asked in the dossier's own query (as `_any_of`)."""
    table, dossier = model._meta.db_table, Dossier._meta.db_table
    column, key = model._meta.get_field("dossier").column, Dossier._meta.pk.column
    return RawSQL(f'(SELECT COUNT(*) FROM "{table}" WHERE "{table}"."{column}" = "{dossier}"."{key}")', (),
                  output_field=IntegerField())


def _any_of(model) -> RawSQL:
    """Whether the dossier has any `model` row, asked in the dossier's own query. Written out: the
    ORM's Exists(...) cost 0.15 ms to build and compile each, this 0.03 ms (the index on the
    foreign key answers either)."""
    table, dossier = model._meta.db_table, Dossier._meta.db_table
    column, key = model._meta.get_field("dossier").column, Dossier._meta.pk.column
    return RawSQL(f'EXISTS (SELECT 1 FROM "{table}" WHERE "{table}"."{column}" = "{dossier}"."{key}")', (),
                  output_field=BooleanField())


# Most dossiers have no meeting and no disposisi: asking for their empty lists cost the page a
# query each (0.4 ms), asking whether there are any costs it nothing more than a column.
HAS_MEETINGS, HAS_DISPOSITIONS = _any_of(Meeting), _any_of(Disposition)
# The page lists the latest events and says how many there are in all.
EVENTS_TOTAL = _count_of(AuditEvent)


def _visible(user, pk) -> Dossier:
    """`visible_dossier`, with `has_meetings`, `has_dispositions` and `events_total`."""
    found = Dossier.objects.visible_to(user).filter(pk=pk).annotate(
        has_meetings=HAS_MEETINGS, has_dispositions=HAS_DISPOSITIONS, events_total=EVENTS_TOTAL).order_by()[:1]
    dossier = next(iter(found), None)
    if dossier is None:
        raise Http404("Dosier tidak ditemukan atau tidak dibagikan kepada Anda.")
    policy.remember_invitation(user, [dossier])
    return dossier


def _page(user, pk) -> dict:
    dossier = _visible(user, pk)
    # What moved the dossier (its timeline, return note, diagram) and the latest events (its history
    # table), not every draft and reminder of the round: the rest are on the history page.
    events, latest = timeline.moves_and_latest(dossier)
    # From the models' managers, not the dossier's: a related manager's queryset costs more to make.
    # With whom each signed document still waits for (NaskahRecord.awaited_text), in the same query.
    every_document = list(Document.objects.filter(dossier=dossier).select_related("naskah__awaiting"))
    for document in every_document:
        # The dossier already loaded (with the user's invitation noted) answers the policy for each.
        document.dossier = dossier
    documents = [d for d in every_document if policy.can_view_document(user, d)]
    visits = list(StepVisit.objects.filter(dossier=dossier).order_by("entered_at", "pk"))
    history = policy.can_view_history(user, dossier)
    allowed = [a for a in policy.allowed_actions(user, dossier) if a != Action.LIHAT]
    labels = dossier.action_labels()
    meetings = list(dossier.meetings.all()) if history and dossier.has_meetings else []
    clocks = sla.history(dossier, visits=visits)
    recording_srikandi = policy.recording_srikandi_as(user, dossier)
    missing = []
    if Action.SELESAIKAN in allowed or Action.UNGGAH in allowed:
        # What the step lacks, for whoever finishes it and whoever prepares it (the Staf at step 1
        # learns which of the DPA, the Kepgub and the Undangan are still to come), from what the
        # page has read already: not read a second time.
        missing = gates.missing_items(dossier, every_document, meetings if history else None)
    return {
        "dossier": dossier,
        "rows": timeline.build(dossier, events, documents, clocks),
        "events": latest if history else [],
        "show_history": history,
        "returned": timeline.last_return(dossier, events) if history else None,
        "corrected": timeline.corrected_draft(dossier, events) if history else None,
        "actions": [(action, labels[action]) for action in allowed],
        # A Pencatat with no action at the meeting's step still revises the minutes they took.
        "may_generate": any(policy.can_generate(user, kind, dossier) for kind in (dossier.step.produces if dossier.step else ())),
        "missing": missing,
        "diagram": dossier_svg(
            dossier.state,
            visited_states=frozenset(v.state for v in visits),
            returns=sum(1 for e in events if e.action == Action.KEMBALIKAN),
        ),
        "submissions": _submission_table(user, dossier, history, clocks),
        "meetings": meetings,
        "may_record_srikandi": recording_srikandi is not None,
        # The delegation its SRIKANDI number is recorded under, told back should it end before it is sent.
        "srikandi_stand_in": stand_in.opened_under(recording_srikandi),
        "may_bundle_srikandi": policy.can_bundle_srikandi(user, dossier),
        "own_draft": policy.reviews_own_draft(user, dossier),
        "waiting_on_nobody": policy.waiting_on_nobody(user, dossier),
        "may_dispose": policy.disposing_as(user, dossier) is not None,
        "dispositions": _dispositions(user, dossier) if history and dossier.has_dispositions else [],
        # A later round of the year that amended the decree: its IKU are no longer all in force. Only
        # the rounds the user may open (an agency the amendment did not invite keeps its IKU as decreed).
        "amended_by": decrees_revising(dossier, Dossier.objects.visible_to(user)) if dossier.nomor_kepgub else [],
    }


def _dispositions(user, dossier) -> list:
    """Every disposisi of the dossier, each marked whether this user may report it done now. The
    list names the people (to whom, from whom) as it was given, kept on it; their accounts (whether
    the Staf is still active) are read in one more query."""
    given = list(dossier.dispositions.order_by("-given_at", "-pk"))
    # Whether each still holds the Staf role: one moved to another unit keeps an active account.
    people = User.objects.annotate(is_staf=Exists(UserRole.objects.filter(user=OuterRef("pk"), role=Role.STAF))).in_bulk(
        {pk for d in given for pk in (d.assigned_to_id, d.given_by_id)}) if given else {}
    for disposition in given:
        disposition.assigned_to = people[disposition.assigned_to_id]
        disposition.given_by = people[disposition.given_by_id]
        disposition.may_finish = policy.finishing_disposition_as(user, disposition, dossier) is not None
        disposition.lapsed = not disposition.in_stay_of(dossier)
    return given


def _submission_table(user, dossier, internal, clocks):
    """Per invited agency, where its Konsep and its Bahan stand (sent, draft only, not started,
    late, reopened); an agency sees only its own row. `clocks`: the page's timeline."""
    table = round_table(dossier, user.skpd_id, agency_only=not internal, timeline=clocks)
    table["may_remind"] = policy.can_remind_agencies(user, dossier) and table["missing_now"]
    agencies = [agency for agency, _ in table["rows"]]
    reached = None
    if table["may_remind"]:
        # The button says whom a reminder reaches: an agency with nobody to e-mail gets none. Their
        # officers, read once for the button and for the agencies nobody acts for below.
        reached = reach(agencies)
        table["remind_now"] = len(reachable(table["missing"], reached))
        # Those it does not reach, apart: the admin adds an officer for the one, an address for the other.
        table["unstaffed_now"] = unstaffed(table["missing"], reached)
        table["unmailed_now"] = [agency for agency in table["missing"] if reached.get(agency.pk) is False]
    table["without_officer"] = without_officer(dossier, agencies, reached) if internal else []
    return table


@require_GET
def download(request, pk):
    return served_document(request.user, pk)


def served_document(user, pk):
    """The document's file for `user` (the page's download and the API's): the signed bytes once
    signed; 404 for a dossier they may not see, 403 for a document not shared with them."""
    document = get_object_or_404(Document.objects.select_related("dossier"), pk=pk)
    if not policy.can_view_document(user, document):
        # Same answer as for a document that does not exist: no hint that it does.
        visible_dossier(user, document.dossier_id)
        raise PermissionDenied("Dokumen ini tidak dibagikan kepada Anda.")
    made = getattr(document, "naskah", None)
    if made is not None and made.is_final:
        # Signed: the bytes frozen at signing, never the draft it was made from.
        return document_response(document, file=made.final_file, name=made.final_name)
    if made is not None:
        # Made here, not signed yet: its pages say KONSEP, and so does the name it is saved under.
        return document_response(document, name=made.konsep_name)
    return document_response(document)


# What the year's advisory lock locks (lib.locks.hold_key): the opening of a dossier for it.
NEW_DOSSIER_LOCK = 2904


def _create_unless_same_year(user, form) -> Dossier | None:
    """The new dossier; None when the form refuses it (its error on the tick). The form's
    'a dossier for this year already exists' is asked again under the year's lock: asked only
    before it, twenty Kasubag clicks at once each saw none and made twenty."""
    fields = {k: v for k, v in form.cleaned_data.items() if k != "tetap_buat"}
    with transaction.atomic():
        locks.hold_key(NEW_DOSSIER_LOCK, fields["tahun"], model=Dossier)
        if not form.cleaned_data["tetap_buat"]:
            # Worked out before the lock, and kept: forgotten, the form reads the year again.
            form.__dict__.pop("same_year", None)
            form.clean()
            if not form.is_valid():
                return None
        return services.create_dossier(user, **fields)


def _asked_year(asked) -> int | None:
    field = DossierCreateForm.base_fields["tahun"]
    try:
        return field.clean(asked)
    except ValidationError:
        return None


def suggested_year(today) -> int:
    """The year a new round is most likely for: next year's IKU, set in the year before; but in the
    first half of a year that has no round yet, this year's (on 4 January 2027 without a 2027 round,
    2028 offered was how a round came to be opened for the wrong year)."""
    if today.month <= 6 and not Dossier.objects.rounds_of(today.year).exists():
        return today.year
    return today.year + 1


ROUNDS_READ = 10


def rounds_followed(year: int) -> list:
    """The rounds whose agencies a new round for `year` invites by default: a second round of a year
    (the Governor's revision) revises that year's decree, else it follows last year's. Of that year,
    every closed round (a revision decreed for some agencies leaves the first round's decree of the
    others in force), else its newest round not cancelled. Oldest first, as the help names them."""
    # Both years' rounds in one query, chosen here: a year has one or two, and the newest ROUNDS_READ
    # bound an install whose years hold thousands (a test of scale) to what the help can name.
    rounds = list(Dossier.objects.filter(tahun__in=(year, year - 1)).exclude(state=DIBATALKAN)
                  .only("pk", "judul", "tahun", "state", "created_at", "closed_at")
                  .order_by("-created_at", "-pk")[:ROUNDS_READ])
    for tahun in (year, year - 1):
        of_year = [dossier for dossier in rounds if dossier.tahun == tahun]
        closed = sorted((d for d in of_year if d.state == SELESAI), key=lambda d: (d.closed_at or d.created_at, d.pk))
        if closed:
            return closed
        if of_year:
            return of_year[:1]
    return []


# What a Plh. Kasubag whose delegation ended reads she may do no more, and what was not done.
NO_NEW_ROUND = "dosier baru tidak dapat Anda buat"


def _none_made(who: str) -> str:
    return f"Tidak ada dosier yang dibuat; dosier baru dapat dibuat oleh {who}."


@sent_once("Dosier ini")
def create(request):
    opening_as = policy.creating_dossier_as(request.user)
    lapsed = require_or_lapsed(
        request, opening_as is not None,
        # A Plh. Kasubag whose days ended with the form open reads that, not that only a Kasubag may.
        lambda: delegation_news(request.user, policy.ROUND_OPENERS, None, NO_NEW_ROUND)
        or "Hanya Kasubag yang dapat membuat dosier baru.",
        # And sent, the form comes back closed with what she typed and why, not a 403 page.
        lapsed=lambda: lapsed_news(request, policy.ROUND_OPENERS, None, NO_NEW_ROUND, left=_none_made))
    if lapsed:
        form = DossierCreateForm(request.POST)
        keep_typed_with_news(form, None, may_now=False, news=lapsed)
    elif request.method == "POST":
        form = DossierCreateForm(request.POST)
        if form.is_valid():
            try:
                # A database too busy to take it: the form comes back whole, saying so.
                dossier = kept_when_busy(form, lambda: _create_unless_same_year(request.user, form))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if dossier is not None:
                    messages.success(request, f"Dosier “{dossier.judul}” dibuat dan berada di langkah 1.")
                    return redirect("dossier", pk=dossier.pk)
    else:
        # The usual round (suggested_year), inviting whom the rounds it follows invited (still
        # active: rounds_followed), or every active agency when there was none; the Kasubag adds or
        # unticks. The page's script asks for another year's page (`?tahun=`) to show its same-year warning.
        year = _asked_year(request.GET.get("tahun")) or suggested_year(timezone.localdate())
        followed = rounds_followed(year)
        form = DossierCreateForm(initial={"tahun": year, "judul": titles.prefilled(year)})
        # Every active agency is what the form offers: its list, not a second read of the same agencies.
        form.initial["invited"] = (list(Skpd.objects.active().filter(dossiers__in=followed).distinct()) if followed
                                   else form.offered)
        form.last_rounds = followed
    return render(request, "workflow/dossier_new.html", {
        "form": form, "nav": "new", "closed": closed(form), "stand_in": stand_in.carried(request, closed(form), opening_as)})
