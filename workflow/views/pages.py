"""Lists: the inbox (what waits on me) and the archive (everything I may see).

Each list reads its page in one query of plain values: the columns the page shows, each row's open
stay joined for its clock (`sla.OPEN_STAY`, its stored moments, allowed time and number), and the
list's total alongside (`_page`), where the paginator counted in a query of its own and the clocks
searched the stays in a third."""

import datetime as dt
import re
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db import router
from django.db.models import F, IntegerField, Q, Subquery
from django.shortcuts import render
from django.utils import timezone

from iku.table import decrees_revising_each
from lib.dates import TZ
from workflow import inbox as my_work
from workflow import policy, sla
from workflow.forms import SPACED_SLASH, ArchiveFilterForm
from workflow.models import Document, Dossier, Invitation, Skpd
from workflow.steps import SELESAI, STATE_LABELS
from worktime.models import load_calendar

PAGE_SIZE = 25
# A search shorter than this looks in titles, numbers and documents only: one or two letters are in
# nearly every name, and the name indexes (migration 0032's trigrams) need three to narrow anything.
NAME_SEARCH_MIN = 3
# Far past the pages of any list a bureau keeps; a higher number asked is read as "the last page".
MAX_PAGE = 1_000_000

# What the inbox shows of a dossier and its tasks ask (`state`; an agency reads the step's due moment,
# `due_at`, as its deadline): its rows become Dossier objects for
# the policy (`Dossier.from_db`, which takes them in the model's order), without the columns no one reads.
INBOX_COLUMNS = tuple(f.attname for f in Dossier._meta.concrete_fields
                      if f.attname in {"id", "judul", "tahun", "state", "state_entered_at", "due_at"})
# What the archive shows of a dossier: plain values (`Listed`), no model object.
# The decree's date beside its number: a round is looked up a year later by either, as cited.
ARCHIVE_COLUMNS = ("pk", "judul", "tahun", "state", "created_at", "nomor_kepgub", "tanggal_kepgub")


class Listed(NamedTuple):
    """An archive row."""

    pk: int
    judul: str
    tahun: int
    state: str
    created_at: dt.datetime
    nomor_kepgub: str
    tanggal_kepgub: dt.date | None
    clock: sla.StepClock | None
    # The numbers of the decrees later rounds of its year made, amending it (`_amended`).
    amended_by: tuple[str, ...] = ()

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def inbox(request):
    user = request.user
    internal = policy.is_internal(user)
    # A deactivated agency's officer reads the rounds it was taken out of, in the same query.
    taken_out = policy.taken_out_invitations(user)
    page = _waiting(user, internal, request.GET.get("hal"), taken_out)
    return render(request, "workflow/inbox.html", {
        "page": page, "nav": "inbox", "internal": internal,
        "left": user.skpd if taken_out is not None else None})


def _waiting(user, internal: bool, asked, taken_out=None):
    """The page of dossiers waiting on the user, its rows with their tasks; or, given `taken_out`
    (`policy.taken_out_invitations`), of the rounds the user's agency was taken out of."""
    invitations = policy.waiting_invitations(user) if taken_out is None else taken_out
    if invitations is None:
        waiting = counted = Dossier.objects.visible_to(user).filter(policy.inbox_scope(user))
    else:
        # An agency's inbox is its waiting invitations, counted from their index alone. Its page walks
        # the dossiers in due order and looks each up among the invitations: those at a position where
        # no agency is waited on (six of the nine steps) are passed over in the walk, not looked up.
        waiting = Dossier.objects.filter(pk__in=invitations.values("dossier_id"),
                                         state__in=policy.agency_waiting_states())
        counted = invitations
    # What is due first comes first (an untimed position, the Governor's desk, after the timed
    # ones), then the longest waiting: the dossier's copy of its open stay's due moment, so a page
    # is a walk of one index, not a sort of every waiting dossier joined to its stay.
    order = (F("due_at").asc(nulls_last=True), "state_entered_at", "pk")
    # An agency works to its own round, not to the bureau's internal clock, so its rows carry none.
    stay = sla.OPEN_STAY if internal else ()
    page = _page(waiting, order, (*INBOX_COLUMNS, *stay), asked, counted)
    db, width, context = router.db_for_read(Dossier), len(INBOX_COLUMNS), _clock_context()
    rows = []
    for values in page.object_list:
        dossier = Dossier.from_db(db, INBOX_COLUMNS, values[:width])
        if internal:
            dossier.clock = sla.open_clock(dossier.pk, values[width:-1], **context)
        rows.append(dossier)
    rows = policy.remember_preparers(rows)
    if internal:
        my_work.remember_returns(rows)
    else:
        rows = policy.remember_invitation(user, rows)
    page.object_list = my_work.attach(user, rows)
    return page


def archive(request):
    user = request.user
    form = ArchiveFilterForm(request.GET or None, user=user)
    # A filter refused (a year past the range, a search too long) lists nothing, not the whole
    # archive under its error, which read as what had been asked for.
    page = None if form.is_bound and not form.is_valid() else _listed(
        user, form.cleaned_data if form.is_bound else None, request.GET.get("hal"))
    years = Dossier.objects.visible_to(user).years()
    # Asked only when the year found nothing: a list that has rows reads no more than it did.
    asked_year = (form.cleaned_data["tahun"] if page is not None and form.is_bound and not page.paginator.count
                  else None)
    query = request.GET.copy()
    query.pop("hal", None)
    # The year links change the year of what was asked, not the rest: a search typed, then a year
    # picked, kept the year alone and listed every round of it.
    other_than_year = query.copy()
    other_than_year.pop("tahun", None)
    return render(
        request,
        "workflow/archive.html",
        {"form": form, "page": page, "years": years, "query": query.urlencode(),
         "year_query": other_than_year.urlencode(), "nav": "archive",
         "opened_then": _opened_in(user, asked_year) if asked_year else []},
    )


def _opened_in(user, year: int) -> list[int]:
    """The IKU years other than `year` of the rounds the user may see that were opened in the
    calendar year `year`: in January, the round worked on in December for this year's IKU was
    looked for under last year and not found, with nothing to say where it was."""
    start = dt.datetime(year, 1, 1, tzinfo=TZ)
    return list(Dossier.objects.visible_to(user).filter(created_at__gte=start, created_at__lt=start.replace(year=year + 1))
                .exclude(tahun=year).order_by("tahun").values_list("tahun", flat=True).distinct())


def _listed(user, data: dict | None, asked):
    """The page of dossiers matching the filters, its rows with their clocks."""
    dossiers = Dossier.objects.visible_to(user)
    order = "-created_at"
    if data is not None:
        if data["q"]:
            dossiers = dossiers.filter(_matching(user, data["q"]))
        if data["tahun"]:
            dossiers = dossiers.filter(tahun=data["tahun"])
        if data["state"]:
            dossiers = dossiers.filter(state=data["state"])
        if data.get("skpd"):
            dossiers = dossiers.filter(invited=data["skpd"])
        order = data["urut"] or order
    tiebreak = "-pk" if order.startswith("-") else "pk"
    page = _page(dossiers, (order, tiebreak), (*ARCHIVE_COLUMNS, *sla.OPEN_STAY), asked)
    width, context = len(ARCHIVE_COLUMNS), _clock_context()
    rows = [Listed(*values[:width], sla.open_clock(values[0], values[width:-1], **context))
            for values in page.object_list]
    page.object_list = _amended(user, rows)
    return page


def _amended(user, rows: list[Listed]) -> list[Listed]:
    """`rows`, each decreed one with the numbers of the decrees that later rounds of its year made
    (`iku.table.decrees_revising`, among those the user may open), in one query and only when the
    page lists a decree: the year's first decree, listed beside its revision, read as in force."""
    decreed = [row for row in rows if row.state == SELESAI and row.nomor_kepgub]
    if not decreed:
        return rows
    later = decrees_revising_each(decreed, Dossier.objects.visible_to(user))
    return [row._replace(amended_by=tuple(decree.nomor_kepgub for decree in later[row.pk])) if row.pk in later else row
            for row in rows]


# A phrase in double quotes, straight or as a word processor curls them, is one term; a quote left
# unclosed is dropped. Anything else between spaces is a word.
_TERM = re.compile(r'["“”„]([^"“”„]+)["“”„]|([^\s"“”„]+)')


def _terms(q: str) -> list[str]:
    """The words and quoted phrases of a search, in order (a phrase's spaces collapsed)."""
    terms = (" ".join(quoted.split()) if quoted else word for quoted, word in _TERM.findall(q))
    return [term for term in terms if term]


def _matching(user, typed: str) -> Q:
    """A filter for the dossiers a search finds: the text as a phrase (quotes, extra spaces and the
    spaces around a number's slashes left out) anywhere `_phrase_matching` looks, or each of its words
    (a quoted phrase one word) in the title or the decree number: a title is remembered by its words,
    not always in their order or all of them ("penetapan 2027" for "Penetapan IKU 2027")."""
    terms = _terms(typed)
    if not terms:
        # Quotes alone: looked for as typed, which finds what has them.
        return _phrase_matching(user, typed.strip())
    found = _phrase_matching(user, SPACED_SLASH.sub("/", " ".join(terms)))
    words = {term.casefold(): term for term in terms}
    if len(words) > 1:
        each = Q()
        for word in words.values():
            each &= Q(judul__icontains=word) | Q(nomor_kepgub__icontains=word)
        found |= each
    return found


def _phrase_matching(user, q: str) -> Q:
    """A filter for the dossiers a search for `q` finds: by title, decree number, the notes and file
    names of the documents the user may open, the agencies invited (by their names now or as the
    round kept them, `Invitation.nama_tercatat`) and the people who acted on it as the log wrote
    them (`Dossier.pelaku`), each only as far as the user may read it (`policy`).

    The dossiers found elsewhere than in their own columns are gathered in one list (a UNION), read
    once: a test of its own for each way made the database's estimate of a page several times
    larger, past the point where PostgreSQL compiles the plan (JIT, 70 ms of a page's 110)."""
    found = [
        Document.objects.filter(Q(keterangan__icontains=q) | Q(original_name__icontains=q))
        .filter(policy.document_scope(user)).values("dossier_id"),
    ]
    if len(q) >= NAME_SEARCH_MIN:
        invited = Invitation.objects.filter(policy.invitation_scope(user))
        # The agencies first (a few of sixty), then their invitations by the agency's index: not the
        # agency's name joined to every invitation.
        agencies = Skpd.objects.filter(Q(nama__icontains=q) | Q(nama_pendek__icontains=q) | Q(singkatan__icontains=q))
        found.append(invited.filter(skpd__in=agencies.values("pk")).values("dossier_id"))
        # Only a forwarded round's invitations keep names (`keep_names`), which their index holds alone.
        found.append(invited.exclude(nama_pendek_tercatat="").filter(
            Q(nama_tercatat__icontains=q) | Q(nama_pendek_tercatat__icontains=q)).values("dossier_id"))
    # Unordered: the models' own orders would sort each part before the union.
    found = [part.order_by() for part in found]
    # The dossier's own columns first: a dossier its title matches is not looked for elsewhere.
    own = Q(judul__icontains=q) | Q(nomor_kepgub__icontains=q)
    if len(q) >= NAME_SEARCH_MIN and policy.reads_history(user):
        # Who acted, as the log names them, kept on the dossier's row (workflow.audit.actors): tested
        # on the row itself, not gathered into the list above, which for the Kasubag's own name (on
        # every round) became every dossier's id, hashed once for the count and once for the page.
        # Only for those who read the log: a name found there would tell an agency who in the
        # bureau acted on its round.
        own |= Q(pelaku__icontains=q)
    return own | Q(pk__in=found[0].union(*found[1:]))


class _Count(Subquery):
    """How many rows a queryset has, as a column of another query. It refers to no row of the outer
    query, so the database counts once for the whole query (PostgreSQL: an InitPlan), not per row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


def _page(listed, order: tuple, columns: tuple, asked, counted=None):
    """`Paginator(listed.order_by(*order), PAGE_SIZE).get_page(asked)`, its rows the tuples of
    `columns` read with the list's total (their last value) in one query: the paginator would count
    in a query of its own first. Only a page number below 1 or past the last page is counted first,
    as the paginator does, to find the last page. `counted`, if given, has as many rows as `listed`
    and is cheaper to count."""
    ordered = listed.order_by(*order)
    total = _Count((listed if counted is None else counted).order_by().values("pk"))

    def read(number):
        start = (number - 1) * PAGE_SIZE
        if start:
            # Past the first page the page's dossiers are picked first, then their columns are read:
            # read in the same walk, the stay would be joined to every row the database skips.
            picked = ordered.values("pk")[start:start + PAGE_SIZE]
            return list(Dossier.objects.filter(pk__in=picked).order_by(*order).values_list(*columns)
                        .annotate(listed_count=total))
        return list(ordered.values_list(*columns).annotate(listed_count=total)[:PAGE_SIZE])

    paginator = Paginator(ordered, PAGE_SIZE)
    number = _number(asked)
    rows = read(number) if number is not None else []
    if rows or number == 1:
        paginator.count = rows[0][-1] if rows else 0
    else:
        number = paginator.get_page(asked).number
        rows = read(number)
    page = paginator.page(number)
    page.object_list = rows
    return page


def _number(asked) -> int | None:
    """The page number `Paginator.get_page` shows for `asked`, if known without the count: not a
    whole number is the first page; below 1, or past any list there can be, is the last page (None)
    (an offset past 64 bits is refused by the database)."""
    try:
        number = int(asked)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else None


def _clock_context() -> dict:
    """One moment and one calendar for all the clocks of a page."""
    return {"now": timezone.now(), "calendar": load_calendar()}
