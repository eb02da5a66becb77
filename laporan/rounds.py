"""The bureau head's view of the round: the current round's agencies against its IKU stages, this
year's round beside last year's, and the round's documents at a glance."""

from django.db import connections
from django.db.models import Case, F, Q, Value, When

from iku.models import IkuSubmission
from iku.round import invites_agencies, reach, round_table, unstaffed, without_officer
from lib import written_sql as sql
from workflow import policy, sla
from workflow.models import Dossier, Invitation, Skpd, StepVisit
from workflow.steps import ACTIVE_STATES, DIBATALKAN, SELESAI, IkuStage
from worktime.models import load_calendar


def _compared(dossiers, now) -> dict[int, tuple]:
    """What each of `dossiers`' comparison column counts, by dossier id: the agencies invited, each
    IKU stage's tables sent and the stays past their Waktu, in one query; and, last, how many of its
    ended stays a calendar edit left to be worked out again (`sla.forget_worked`), whose stored due
    moment is the old calendar's and may not say whether they were late. Written out: built by the
    ORM as five correlated subqueries on each of the two rounds' reads, the counts cost the
    dashboard more to compose (about 3 ms a view) than the database took to answer them."""
    connection = connections[dossiers[0]._state.db or "default"]

    def table(model):
        return sql.table(connection, model)

    def column(model, name):
        return sql.column(connection, model, name)

    def count(model, alias, where=""):
        return f"(SELECT COUNT(*) FROM {table(model)} {alias} WHERE {alias}.{column(model, 'dossier')} = d.id{where})"

    due, left = column(StepVisit, "due_at"), column(StepVisit, "left_at")

    running = ", ".join(["%s"] * len(ACTIVE_STATES))

    def active(alias, model):
        # A deactivated agency has left the running rounds: their comparison counts those taking
        # part. A closed round stays as it closed: who it invited and who sent then.
        return (f" AND (d.{column(Dossier, 'state')} NOT IN ({running}) OR EXISTS (SELECT 1 FROM {table(Skpd)} a"
                f" WHERE a.{column(Skpd, 'id')} = {alias}.{column(model, 'skpd')} AND a.{column(Skpd, 'aktif')}))")

    sent = [count(IkuSubmission, "s", f" AND s.{column(IkuSubmission, 'stage')} = %s"
                  f" AND s.{column(IkuSubmission, 'submitted_at')} IS NOT NULL" + active("s", IkuSubmission))
            for _ in IkuStage]
    late = count(StepVisit, "v", f" AND v.{due} IS NOT NULL AND (v.{left} > v.{due} OR (v.{left} IS NULL AND v.{due} < %s))")
    voided = count(StepVisit, "w", f" AND w.{due} IS NOT NULL AND w.{left} IS NOT NULL"
                                   f" AND w.{column(StepVisit, 'used_seconds')} IS NULL")
    ids = [d.pk for d in dossiers]
    statement = (f"SELECT d.id, {count(Invitation, 'i', active('i', Invitation))}, {late}, {', '.join(sent)}, {voided}"
                 f" FROM {table(Dossier)} d WHERE d.id IN ({', '.join(['%s'] * len(ids))})")
    params = [*ACTIVE_STATES, connection.ops.adapt_datetimefield_value(now)]
    for stage in IkuStage:
        params += [stage.value, *ACTIVE_STATES]
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *ids])
        return {pk: figures for pk, *figures in cursor.fetchall()}


def current_round(user):
    """The running round of the latest year, else the latest round; None before the first. Its open
    stay comes with it, for the round's clock."""
    visible = Dossier.objects.visible_to(user).exclude(state=DIBATALKAN).select_related("open_stay")
    return (visible.filter(state__in=ACTIVE_STATES).order_by("-tahun", "-created_at").first()
            or visible.order_by("-tahun", "-created_at").first())


def previous_round(user, dossier):
    """What the round is compared with: the decree in force as the round starts from it
    (iku.table.decree_before: an earlier closed round of the same year, which a revision revises,
    else last year's latest closed one), in one query; else last year's newest round not cancelled
    (a year whose round has not closed). Not last year's newest round by date: a revision of it
    still running is not what is in force."""
    year = dossier.tahun
    rank = Case(When(tahun=year, then=Value(0)), When(state=SELESAI, then=Value(1)), default=Value(2))
    return (Dossier.objects.visible_to(user).exclude(pk=dossier.pk)
            .filter(Q(tahun=year, state=SELESAI, created_at__lt=dossier.created_at)
                    | Q(tahun=year - 1) & ~Q(state=DIBATALKAN))
            .order_by(rank, F("closed_at").desc(nulls_last=True), "-created_at", "-pk").first())


def headings(dossier, last) -> dict:
    """The comparison's heading and its columns' names: a revision of this year's decree is compared
    with that decree, named by its number (two columns reading "IKU 2027" told nothing apart)."""
    same_year = last is not None and last.tahun == dossier.tahun
    named = f"IKU {last.tahun}{' yang berlaku' if same_year else ''}" if last is not None else ""
    if last is not None and last.state == SELESAI and last.nomor_kepgub:
        named += f" (Keputusan Gubernur Nomor {last.nomor_kepgub})"
    return {"heading": f"Dibanding keputusan IKU {dossier.tahun} yang berlaku" if same_year else "Dibanding tahun lalu",
            "this": f"IKU {dossier.tahun}{' (putaran ini)' if same_year else ''}", "last": named}


def working_days(calendar, start, end) -> int:
    """The working days from `start` to `end` with some of their office hours between them."""
    return len({piece.date() for piece, _ in calendar.explain(start, end).pieces})


def column(dossier, figures, now, calendar) -> list[str]:
    """A round's column of the comparison (the rows of `COMPARED`), from what `_compared` counted."""
    invited, late, *sent = figures
    # Working days, as every "hari" of the SOP: counted by the calendar, a round over Lebaran's week
    # of days off read a week slower than one that ran as long in the office.
    return ([dossier.state_label, str(invited)] + [f"{n} dari {invited}" for n in sent]
            + [str(late), str(working_days(calendar, dossier.created_at, dossier.closed_at or now))])


COMPARED = (["Posisi", "SKPD diundang"] + [f"{stage.label} terkirim" for stage in IkuStage]
            + ["Langkah melewati Waktu baku", "Hari kerja sejak dibuka"])


def documents(user, dossier) -> list:
    """The latest document of each kind in the round that the user may open, in the steps' order."""
    latest = {}
    for document in dossier.documents.select_related("naskah").order_by("step", "uploaded_at", "pk"):
        document.dossier = dossier
        if policy.can_view_document(user, document):
            latest[document.kind] = document
    return sorted(latest.values(), key=lambda d: (d.step, d.uploaded_at))


def unheard(dossier, table) -> dict:
    """The agencies the round cannot hear from while it waits on them, as the dossier page tells them
    apart (workflow.views.dossier): those invited, still taking part, that no active officer acts for
    (`without_officer` at steps 1 to 5; at step 6, those awaited), for whom the admin adds an officer;
    and those awaited whose officers have no e-mail address, whom no reminder reaches, for whom the
    admin fills one in. In the table's order. Their officers are read in one query, and none when
    the round waits on nobody: the Kabag read "Belum mulai" and could not tell an agency that is
    late from one nobody there was told of."""
    agencies = [agency for agency, _ in table["rows"]]
    # Whose officers to read: at steps 1 to 5 every agency still taking part (those awaited among
    # them); after, those awaited (step 6's reopened tables), or none.
    asked = [agency for agency in agencies if agency.aktif] if invites_agencies(dossier) else table["missing"]
    if not asked:
        return {"unstaffed": [], "unmailed": []}
    reached = reach(asked)
    return {"unstaffed": without_officer(dossier, agencies, reached) or unstaffed(table["missing"], reached),
            "unmailed": [agency for agency in table["missing"] if reached.get(agency.pk) is False]}


def overview(user, now) -> dict | None:
    """Everything the dashboard's round section shows, or None when there is no round yet."""
    dossier = current_round(user)
    if dossier is None:
        return None
    last = previous_round(user, dossier)
    # The round's running clock from its open stay, read with it: the table need not ask for it.
    stay = dossier.open_stay
    clock = stay and sla.measure(stay, now=now, attempt=stay.attempt, stored=True)
    # The invited agencies with their submissions' states, in one query of plain values.
    table = round_table(dossier, now=now, timeline=[clock] if clock else [])
    compared = [dossier] + ([last] if last else [])
    figures = _compared(compared, now)
    if any(counted[-1] for counted in figures.values()):
        # A cuti bersama entered late (or hours changed) voided ended stays' figures: counted by
        # their old due moments, a stay the new calendar finds on time stayed "late" here while
        # the dossier's page and the report said on time. Worked out again as the report does.
        sla.fill_worked(StepVisit.objects.filter(dossier__in=[d.pk for d in compared]))
        figures = _compared(compared, now)
    figures = {pk: counted[:-1] for pk, counted in figures.items()}
    calendar = load_calendar()
    columns = [column(d, figures[d.pk], now, calendar) for d in compared]
    return {
        "dossier": dossier,
        "last": last,
        "named": headings(dossier, last),
        "matrix": table,
        "unheard": unheard(dossier, table),
        "comparison": [(label, [column[i] for column in columns]) for i, label in enumerate(COMPARED)],
        "documents": documents(user, dossier),
    }
