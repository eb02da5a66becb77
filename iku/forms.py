"""An agency's IKU table as one form: every row of the grid, checked together, kept as typed.

Rows arrive as `r-<n>-<field>`; the page's script renumbers them in the order shown, and without
script the page offers a number of empty rows. A refused form comes back with every row as typed
and each problem at its row and column.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from iku import xlsx
from iku.bureau_changes import changed_news, rows_mark, since_last_send
from iku.columns import COLUMNS
from iku.consolidation import (
    AGENCY_DOWN,
    AGENCY_UP,
    EDIT,
    EXCLUDE,
    OPERATIONS,
    SEEN_ROW,
    WHOLE_TABLE_ROWS,
    Change,
    check_unchanged,
)
from iku.models import IkuRow
from iku.rows import (
    FIELDS,
    LABELS,
    LIMITS,
    NOTE_LENGTH,
    OPTIONAL_EMPTY,
    WARNING_KINDS,
    check_table,
    clean_text,
    is_blank,
    max_per_objective,
)
from iku.table import (
    TableChanged,
    cancelled_round,
    decree_before,
    numbered,
    save_draft,
    sending_stage,
    starting_rows,
    submission_for,
    table_rows,
    to_rows,
)
from lib.choices import IdChoiceField, plausible_id
from lib.dates import clock_time, local, long_date
from lib.numbers import grouped
from workflow.models import Dossier, Skpd

SPARE_ROWS = 5
OPTIONAL_COLUMNS = ("formula", "sumber_data", "penanggung_jawab")
_ROW_KEY = re.compile(r"^r-(\d{1,4})-([a-z_]+)$")
# Hidden marks of the agency's table as the grid page was made from it: the number of its last
# version, the moment its draft was saved, and whose table it was (a user the admin moved to another
# agency still has the old one's page open). A program through the API may post none of them.
SEEN_VERSION, SEEN_DRAFT, SEEN_AGENCY = "tabel_versi", "tabel_draf", "tabel_skpd"
# The sent rows as the page showed them (iku.bureau_changes.rows_mark): changed by the bureau since.
SEEN_ROWS = "tabel_baris"


def posted_rows(data) -> list[dict]:
    """The grid's rows from a POST, in the order of their numbers; blank rows kept, so a refused
    form shows them where they were."""
    rows: dict[int, dict] = {}
    for key in data:
        match = _ROW_KEY.match(key)
        if match and match.group(2) in FIELDS:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = data.get(key, "")
    # Cleaned as a spreadsheet's cells are: a control character (a NUL pasted from another program)
    # never prints, and the database refuses one inside the stored draft.
    return [{name: clean_text(row.get(name, "")) for name in FIELDS} for _, row in sorted(rows.items())]


def cell_id(row: int, name: str) -> str:
    """The grid cell's element id, which the error summary links to."""
    return f"r-{row}-{name}"


class GridRow:
    """One row of the grid as the template shows it: its cells with their errors and warnings.
    An optional column left empty is said only in the folded summary, not in the cell."""

    def __init__(self, number: int, values: dict, check):
        self.number = number
        self.cells = [
            (name, LABELS[name], values.get(name, ""), self._said(check, number, name, "errors"),
             self._said(check, number, name, "warnings"), name in OPTIONAL_COLUMNS)
            for name in FIELDS
        ]

    @staticmethod
    def _said(check, number, name, kind) -> list[str]:
        if check is None:
            return []
        return [p.message for p in getattr(check, kind)
                if p.row == number and p.field == name and p.code != OPTIONAL_EMPTY]


@dataclass
class WarningKind:
    """Rows sharing one kind of warning, as the summary folds them: "12 baris tanpa sumber data"."""

    text: str
    optional: bool
    cells: list = field(default_factory=list)

    @property
    def heading(self) -> str:
        # Grouped as the table's own row count above it: "1.040 baris tanpa sumber data".
        return f"{grouped(len(self.cells))} baris {self.text}"


@dataclass
class RowWarnings:
    """One row's warnings, as the summary folds them per row: its real doubts, then the optional
    columns it leaves empty, linked to the row's first warned cell."""

    number: int
    target: str
    doubts: list = field(default_factory=list)
    optional: list = field(default_factory=list)


def fold_per_row(problems) -> list[RowWarnings]:
    rows: dict[int, RowWarnings] = {}
    for problem in problems:
        if problem.row is None:
            continue
        row = rows.setdefault(problem.row, RowWarnings(problem.row, cell_id(problem.row, problem.field)))
        text = WARNING_KINDS.get((problem.code, problem.field), problem.message)
        if problem.code == OPTIONAL_EMPTY:
            row.optional.append(text)
            continue
        if not row.doubts:  # the link goes to the first real doubt, not an empty optional column
            row.target = cell_id(problem.row, problem.field)
        row.doubts.append(text)
    return [rows[number] for number in sorted(rows)]


def fold_warnings(problems) -> list[WarningKind]:
    """Warnings grouped by kind, real doubts before optional columns left empty, each with the
    rows (number, cell id) it names."""
    kinds: dict[tuple, WarningKind] = {}
    for problem in problems:
        key = (problem.code, problem.field)
        text = WARNING_KINDS.get(key, problem.message)
        kind = kinds.setdefault(key, WarningKind(text, problem.code == OPTIONAL_EMPTY))
        kind.cells.append((problem.row, cell_id(problem.row, problem.field)))
    return sorted(kinds.values(), key=lambda kind: kind.optional)


class TableMarks(NamedTuple):
    """What an agency's table stood at when its page was made: its last version's number and its
    draft's saving moment, as the page carries them."""

    version: str
    draft: str


class IkuSubmissionForm(forms.Form):
    """An agency's IKU for the dossier's current stage: the note and the whole grid. Sending goes
    through the `ajukan_iku` transition; saving a draft (`save_as_draft`) does not move anything."""

    catatan = forms.CharField(
        label="Catatan untuk Biro Kesra", required=False, max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"Catatan paling banyak {grouped(NOTE_LENGTH)} karakter."},
    )

    columns = COLUMNS
    # A table pasted with its heading line is placed by its headings as an uploaded file is read
    # (static/js/iku_grid.js): the page is given the reader's own headings and patterns, not a copy.
    paste_headings = {"columns": xlsx.HEADINGS, "number": xlsx.NUMBER_HEADING.pattern, "year": xlsx.YEAR_CELL.pattern}

    # Set by the API (api.views_iku_write), whose caller opened no page and has nothing "below": the
    # news of a table changed since it was read names the tanda_tabel it sent, and what to read and
    # send again.
    for_program = False

    def __init__(self, data=None, files=None, *, dossier, user, rows=None, origin="", request=None, **kwargs):
        """`rows` (with `origin`, where they came from) replace the posted grid: a file or last
        year's table loaded for review, beside the note as typed."""
        self.request = request
        self.dossier = dossier
        self.user = user
        self.stage = sending_stage(dossier)
        self.submission = submission_for(dossier, user.skpd, self.stage)
        self.origin = origin
        if rows is not None:
            self.grid = rows
        elif data is not None:
            self.grid = posted_rows(data)
        else:
            self.grid, self.origin = starting_rows(self.submission, dossier, user.skpd, self.stage)
        kwargs.setdefault("initial", {"catatan": self.kept_note()})
        super().__init__(data, files, **kwargs)
        numbered = [(n, row) for n, row in enumerate(self.grid, start=1) if not is_blank(row)]
        self.rows = [row for _, row in numbered]
        # Checked at once, so even an untouched page shows its warnings before sending. An empty
        # table is said only when sent or kept (`_check_empty`): a refused upload says its own problem.
        self.check = check_table(self.rows, row_numbers=[n for n, _ in numbered]) if numbered else None
        self.table_changed = False

    def _check_empty(self) -> None:
        if self.check is None:
            self.check = check_table([])

    @cached_property
    def _table_now(self):
        """The agency's table as it stands: its last version (None before the first send) and the
        moment its draft was saved (None without a draft). Read once: `clean` and the page's marks
        both ask."""
        if self.submission is None:
            return None, None
        return self.submission.versions.last(), self.submission.draft_saved_at

    @cached_property
    def revised_year(self) -> int | None:
        """The year whose decree in force the copy button copies (iku.table.decree_before) when this
        round sets that year's IKU again; None when it copies last year's, as a round usually does."""
        previous = decree_before(self.dossier, self.user.skpd)
        return previous.tahun if previous is not None and previous.tahun == self.dossier.tahun else None

    @cached_property
    def cancelled(self) -> Dossier | None:
        """The cancelled round of the same year whose table of this agency the grid offers to copy
        (iku.table.cancelled_round), or None."""
        return cancelled_round(self.dossier, self.user.skpd, self.stage)

    @cached_property
    def bureau_changes(self):
        """While the table is reopened for the agency: what the bureau changed since its last send."""
        if self.submission is None or self.submission.reopened_at is None:
            return []
        return since_last_send(self.submission, self._table_now[0])

    @staticmethod
    def _marks(version, draft_at) -> "TableMarks":
        return TableMarks(str(version.nomor if version else 0), draft_at.isoformat() if draft_at else "")

    def table_marks(self) -> "TableMarks":
        """The hidden marks the page carries: the table as it stands now. A posted form is checked
        first, so a page carrying newer marks than it was made from has said why (`clean`)."""
        if self.is_bound and self._errors is None:
            self.full_clean()
        return self._marks(*self._table_now)

    def agency_mark(self) -> str:
        return str(self.user.skpd_id or "")

    @cached_property
    def _rows_now(self) -> str:
        return rows_mark(self.submission)

    def rows_mark(self) -> str:
        """The sent rows as they stand (`SEEN_ROWS`); like `table_marks`, after a posted form's check."""
        if self.is_bound and self._errors is None:
            self.full_clean()
        return self._rows_now

    def clean(self):
        data = super().clean()
        if not self._for_this_agency():
            return data
        if SEEN_VERSION not in self.data:
            return data
        version, draft_at = self._table_now
        now = self._marks(version, draft_at)
        if self._seen() != now and not self._same_draft(now):
            self._refuse_changed(version, draft_at, now)
        elif SEEN_ROWS in self.data and self.data[SEEN_ROWS] != self._rows_now:
            # The Kasubag corrected, commented on or left out a row since (the consolidated table).
            self.table_changed = True
            self.add_error(None, ValidationError(
                changed_news(self.submission, self._reread() if self.for_program else ""), code="table_changed"))
        return data

    def _for_this_agency(self) -> bool:
        """False, with the news, when the page was made for another agency's table: sent now, its
        rows would become this agency's."""
        seen = self.data.get(SEEN_AGENCY)
        if seen is None or seen == self.agency_mark():
            return True
        self.table_changed = True
        # isdigit() takes "²", which int() refuses: only a short run of ASCII digits names an agency.
        named = seen.isascii() and seen.isdigit() and len(seen) < 10
        opened_for = Skpd.objects.filter(pk=int(seen)).first() if named else None
        was = f"tabel {opened_for}" if opened_for else "tabel SKPD lain"
        said = (f"Baris ini dibaca dari {was} (tanda_tabel yang Anda kirim); akun Anda kini petugas {self.user.skpd}. Tidak ada "
                f"yang dikirim atau disimpan. Kirim hanya bila baris ini memang tabel {self.user.skpd}: baca tabelnya "
                f"({self.program_address()}) dan kirim lagi dengan tanda_tabel-nya (ada di jawaban ini)."
                if self.for_program else
                f"Halaman ini dibuka untuk {was}; akun Anda kini petugas {self.user.skpd}. Tidak ada yang dikirim atau "
                f"disimpan. Isian halaman itu masih di bawah: kirim hanya bila memang tabel {self.user.skpd}.")
        self.add_error(None, ValidationError(said, code="agency_changed"))
        return False

    def program_address(self) -> str:
        """Where a program reads the table again (the API's `GET iku-saya/`)."""
        return f"GET {reverse('api_my_iku', args=[self.dossier.pk])}"

    def _reread(self) -> str:
        """What a program whose table changed since it read it does next (`for_program`)."""
        return (f"Baca tabel lagi ({self.program_address()}), bandingkan, lalu kirim lagi dengan tanda_tabel barunya "
                "(ada di jawaban ini) bila baris Anda memang yang benar.")

    def _seen(self) -> "TableMarks":
        return TableMarks(self.data.get(SEEN_VERSION), self.data.get(SEEN_DRAFT, ""))

    def _same_draft(self, now) -> bool:
        """Whether the draft saved meanwhile is what this page holds: its own save, answered on a
        page that was lost, and sent again. No other page's work is undone by it."""
        note = self.cleaned_data.get("catatan") if "catatan" in self.data else None
        return (now.version == self._seen().version and self.submission is not None
                and self.submission.holds_draft(self.rows, note))

    def _refuse_changed(self, version, draft_at, now) -> None:
        self.table_changed = True
        self.add_error(None, ValidationError(self._changed_news(version, draft_at, now), code="table_changed"))

    def _changed_news(self, version, draft_at, now) -> str:
        where, since = (("dari halaman atau program lain", "sejak tanda_tabel yang Anda kirim dibaca") if self.for_program
                        else ("dari halaman lain", "sejak halaman ini dibuka"))
        if self.data.get(SEEN_VERSION) != now[0] and version is not None:
            again = " lagi" if version.nomor > 1 else ""
            what = f"dikirim{again} {where} {since} (versi {version.nomor}, {_when(version.sent_at)})"
        elif draft_at is not None:
            what = f"disimpan lagi sebagai draf {where} {since} ({_when(draft_at)})"
        else:
            what = f"diubah {where} {since}"
        if self.for_program:
            return f"Tabel ini sudah {what}. Tidak ada yang disimpan. {self._reread()}"
        return (f"Tabel ini sudah {what}. Isian Anda masih di bawah: bandingkan, lalu kirim lagi bila memang "
                "ini yang benar.")

    def kept_note(self) -> str:
        """The note beside the draft while there is one, else the note last sent."""
        if self.submission is None:
            return ""
        return self.submission.draft_catatan if self.submission.draft_saved_at else self.submission.catatan

    @property
    def table_errors(self):
        return [p for p in self.check.errors if p.row is None] if self.check else []

    def grid_rows(self) -> list[GridRow]:
        shown = self.grid + [{}] * SPARE_ROWS
        return [GridRow(n, values, self.check) for n, values in enumerate(shown, start=1)]

    def warnings(self):
        return self.check.warnings if self.check else []

    def folded_warnings(self) -> list[WarningKind]:
        return fold_warnings(self.warnings())

    def warnings_per_row(self) -> list[RowWarnings]:
        return fold_per_row(self.warnings())

    def error_summary(self) -> list[tuple[str, str]]:
        """Every error as (text, id of the field it is at), the grid's by row and column first:
        what the page lists at its top, each linked to its cell."""
        summary = [(str(p), cell_id(p.row, p.field)) for p in (self.check.errors if self.check else [])
                   if p.row is not None]
        if self.is_bound and "catatan" in self.errors:
            summary += [(f"Catatan untuk Biro Kesra: {e}", "id_catatan") for e in self.errors["catatan"]]
        return summary

    def is_valid(self):
        valid = super().is_valid()
        self._check_empty()
        return self.check.ok and valid

    def has_error_rows(self) -> bool:
        return bool(self.check and self.check.errors)

    def transition_kwargs(self) -> dict:
        # A send that posts no note (the API's) sends the note beside the draft.
        note = self.cleaned_data["catatan"] if "catatan" in self.data else self.kept_note()
        kwargs = {"catatan": note, "rows": to_rows(self.rows)}
        seen = self.data.get(SEEN_VERSION, "")
        if seen.isdigit():
            # Checked again under the dossier's row lock (Dossier.ajukan_iku): `clean` ran before it.
            kwargs["seen_version"] = int(seen)
            kwargs["seen_draft"] = self.data.get(SEEN_DRAFT, "")
        if SEEN_ROWS in self.data:
            kwargs["seen_rows"] = self.data[SEEN_ROWS]
        return kwargs

    def save_as_draft(self, at):
        """Keep the grid as the agency's draft unless it is too big to keep: a draft may lack an
        indicator, but never exceeds what a table holds."""
        super().is_valid()
        self._check_empty()
        if self.errors or not self.check.keepable:
            return None
        # A save that posts no note (the API's) leaves the draft's note as it was.
        note = self.cleaned_data["catatan"] if "catatan" in self.data else None
        seen = tuple(self._seen()) if SEEN_VERSION in self.data else None
        try:
            self.submission = save_draft(self.dossier, self.user.skpd, self.stage, self.rows, at, note=note, seen=seen,
                                         by=self.user)
        except TableChanged:
            # Another page saved or sent at the same moment: `clean` ran before either held the lock.
            self.submission = submission_for(self.dossier, self.user.skpd, self.stage)
            vars(self).pop("_table_now", None)
            version, draft_at = self._table_now
            self._refuse_changed(version, draft_at, self._marks(version, draft_at))
            return None
        return self.submission

    def max_per_objective(self) -> int:
        return max_per_objective()

    def origin_text(self) -> str:
        """Where the grid's first rows came from, naming whose they are: the table is the agency's,
        and an officer who took over from a colleague (or was moved here) must not read a
        predecessor's draft or send as "yours"."""
        if self.origin == "draf":
            saved_at, by = self.draft_saved_at(), self.submission.draft_saved_by
            when = f" ({long_date(saved_at.date())} pukul {clock_time(saved_at)})" if saved_at else ""
            if by is not None and by.pk == self.user.pk:
                return f"Dimulai dari draf Anda{when}."
            if by is not None:
                return f"Dimulai dari draf yang disimpan {by.display_name}{when}, bukan oleh Anda."
            return f"Dimulai dari draf yang tersimpan{when}."
        if self.origin == "terkirim":
            sent = self._table_now[0]
            if sent is None or sent.sent_by_id == self.user.pk:
                return "Dimulai dari IKU yang sudah Anda kirim; kirim lagi untuk menggantinya."
            return (f"Dimulai dari IKU yang dikirim {sent.sent_by_nama} ({long_date(local(sent.sent_at).date())}); "
                    "kirim lagi untuk menggantinya.")
        if self.origin == "konsep":
            return "Dimulai dari Konsep IKU Anda di langkah 3."
        return ""

    def draft_saved_at(self):
        return local(self.submission.draft_saved_at) if self.submission and self.submission.draft_saved_at else None


def _when(moment) -> str:
    """'pukul 10.30' today, else with its date: when another page sent or saved the table."""
    moment = local(moment)
    day = "" if moment.date() == local(timezone.now()).date() else f"{long_date(moment.date())} "
    return f"{day}pukul {clock_time(moment)}"


class ReopenForm(forms.Form):
    """The Kasubag opens one agency's sent IKU again, saying what to correct."""

    skpd = IdChoiceField(
        label="SKPD", queryset=None, empty_label=None,
        error_messages={"required": "Pilih SKPD.", "invalid_choice": "Pilih SKPD aktif yang sudah mengirim."},
    )
    catatan = forms.CharField(
        label="Yang perlu diperbaiki", max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tulis untuk SKPD apa yang perlu diperbaiki."},
    )

    def __init__(self, data=None, files=None, *, dossier, user, request=None, **kwargs):
        self.request = request
        super().__init__(data, files, **kwargs)
        stage = sending_stage(dossier)
        # A deactivated agency is no longer waited on: reopened, its table would wait in no inbox,
        # nor be told of, until a reactivation put it there already late.
        self.fields["skpd"].queryset = Skpd.objects.active().filter(
            submissions__dossier=dossier, submissions__stage=stage, submissions__submitted_at__isnull=False,
            submissions__reopened_at__isnull=True,
        ).order_by("nama_pendek")
        # By the short name it is sorted by, as the round's table names it: not "Bappeda".
        self.fields["skpd"].label_from_instance = lambda agency: agency.nama_pendek

    def transition_kwargs(self) -> dict:
        return {"skpd": self.cleaned_data["skpd"], "catatan": self.cleaned_data["catatan"]}


class ConsolidationForm(forms.Form):
    """One change to the provincial table: a row corrected, left out, commented or moved, or an
    agency moved. The page shows the whole table (`groups`) with a small form of this kind per act."""

    op = forms.ChoiceField(choices=list(OPERATIONS.items()), widget=forms.HiddenInput)
    baris = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "Pilih baris."})
    teks = forms.CharField(
        required=False, max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"Paling banyak {grouped(NOTE_LENGTH)} karakter."},
    )

    def __init__(self, data=None, files=None, *, dossier, user, request=None, **kwargs):
        self.request = request
        super().__init__(data, files, **kwargs)
        self.dossier = dossier
        self.stage = dossier.step.consolidates_iku if dossier.step else ""
        for name in FIELDS:
            # Required only when editing a row (see clean); other changes post no row fields.
            self.fields[name] = forms.CharField(
                required=False, max_length=LIMITS[name], label=LABELS[name],
                error_messages={"max_length": f"{LABELS[name]} paling banyak {grouped(LIMITS[name])} karakter."},
            )

    @cached_property
    def _table(self) -> list[dict]:
        """The whole table, per agency in its order, every row with its number."""
        groups = []
        for number, _, row in numbered(table_rows(self.dossier, self.stage, with_excluded=True)):
            if not groups or groups[-1]["submission"].pk != row.submission_id:
                groups.append({"submission": row.submission, "rows": []})
            groups[-1]["rows"].append((number, row))
        return groups

    @cached_property
    def paged(self) -> bool:
        """Whether the page shows one agency's rows at a time: a province's table (55 agencies, 2,000
        rows, each with its edit form) made a 14 MB page that a phone took minutes to open."""
        return IkuRow.objects.filter(submission__dossier=self.dossier, submission__stage=self.stage,
                                     submission__submitted_at__isnull=False).count() > WHOLE_TABLE_ROWS

    @cached_property
    def shown_skpd(self) -> int | None:
        """The agency whose rows a paged page shows: the one of a row whose change came back refused,
        else the one the address asks for (?skpd=), else the first."""
        groups = self._table
        if not self.paged or not groups:
            return None
        ids = [group["submission"].skpd_id for group in groups]
        if self.is_bound and self.errors:
            posted = self.posted_row()
            for group in groups:
                if any(row.pk == posted for _, row in group["rows"]):
                    return group["submission"].skpd_id
        asked = plausible_id(self._asked_skpd())
        return asked if asked in ids else ids[0]

    def _asked_skpd(self) -> str:
        return self.request.GET.get("skpd", "").strip() if self.request is not None else ""

    @cached_property
    def unknown_skpd(self) -> bool:
        """Whether the address asks for an agency the paged table has no rows of (a stale bookmark, an
        agency whose rows all left): said on the page, or the first agency's rows read as the ones
        asked for (iku.reading.agency_page says the same on the reading table)."""
        asked = self._asked_skpd()
        if not asked or not self.paged or (self.is_bound and self.errors):
            return False
        ids = {group["submission"].skpd_id for group in self._table}
        return plausible_id(asked) not in ids

    def groups(self):
        """The table as the page lists it: per agency in its order, every row with its number; of a
        paged table, the shown agency's only."""
        if not self.paged:
            return self._table
        return [group for group in self._table if group["submission"].skpd_id == self.shown_skpd]

    def agency_index(self) -> list[dict]:
        """A paged table's agencies in order, each with its rows counted and numbered, and the shown
        one, its neighbours marked for the links to the agency before and after."""
        index = []
        for group in self._table:
            numbers = [number for number, _ in group["rows"] if number]
            index.append({
                "skpd_id": group["submission"].skpd_id, "nama": group["submission"].skpd.nama_pendek,
                "rows": len(group["rows"]), "first": numbers[0] if numbers else None,
                "last": numbers[-1] if numbers else None, "excluded": len(group["rows"]) - len(numbers),
                "commented": sum(1 for _, row in group["rows"] if row.komentar),
                "shown": group["submission"].skpd_id == self.shown_skpd,
            })
        return index

    def neighbours(self) -> tuple[dict | None, dict | None]:
        """The agencies before and after the shown one in a paged table."""
        index = self.agency_index()
        at = next((n for n, entry in enumerate(index) if entry["shown"]), None)
        if at is None:
            return None, None
        return (index[at - 1] if at > 0 else None), (index[at + 1] if at + 1 < len(index) else None)

    def groups_with_cells(self):
        """`groups`, each row with its edit cells: (name, label, value, errors), showing what was
        typed where a refused edit of that row came back."""
        refused = self.posted_row() if self.is_bound and self.errors and self.data.get("op") == EDIT else None
        # New dicts: the table's own (`_table`) still serve the list of agencies.
        return [
            group | {"rows": [
                (number, row, [
                    (name, LABELS[name], self.data.get(name, "") if row.pk == refused else getattr(row, name),
                     self.errors.get(name, []) if row.pk == refused else [])
                    for name in FIELDS
                ])
                for number, row in group["rows"]
            ]}
            for group in self.groups()
        ]

    def posted_row(self) -> int | None:
        try:
            return int(self.data.get("baris", ""))
        except (TypeError, ValueError):
            return None

    def anchor(self) -> str:
        """Where on the page the change just made is: its row, or its agency when the agency moved."""
        row = self.cleaned_data["row"]
        # A paged table opens again at the agency of the row just changed.
        page = f"?skpd={row.submission.skpd_id}" if self.paged else ""
        if self.cleaned_data["op"] in (AGENCY_UP, AGENCY_DOWN):
            return f"{page}#skpd-{row.submission_id}"
        return f"{page}#baris-{row.pk}"

    def clean(self):
        data = super().clean()
        op = data.get("op")
        row = IkuRow.objects.select_related("submission__skpd").filter(
            pk=data.get("baris"), submission__dossier=self.dossier, submission__stage=self.stage,
            submission__submitted_at__isnull=False,
        ).first()
        if row is None:
            raise forms.ValidationError("Baris tidak ditemukan dalam tabel IKU Provinsi dosier ini.")
        data["row"] = row
        # A value refused already (too long) is no missing one.
        if op == EDIT and not data.get("indikator") and "indikator" not in self.errors:
            self.add_error("indikator", "Indikator kinerja utama wajib diisi.")
        if op == EXCLUDE and not data.get("teks", "").strip():
            self.add_error("teks", "Tulis alasan baris ini dikeluarkan dari tabel IKU Provinsi.")
        if op == EDIT:
            check_unchanged(row, self.data.get(SEEN_ROW))
        return data

    def transition_kwargs(self) -> dict:
        data = self.cleaned_data
        values = {name: clean_text(data.get(name)) for name in FIELDS} if data["op"] == EDIT else {}
        seen = self.data.get(SEEN_ROW) if data["op"] == EDIT else None
        return {"change": Change(data["op"], data["row"], values, data.get("teks", "").strip(), seen)}
