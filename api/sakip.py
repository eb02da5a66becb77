"""A closed round's IKU in the shapes the province's SAKIP tools take (docs/api.md, "Ekspor SAKIP"):
e-SAKIP's IKU table and SIPD's Renstra sasaran/indikator, over a five-year span.

Each indicator keeps one `id_unik_indikator` across years, made from its agency and its indicator
as the year-over-year comparison matches rows (`iku.versions.row_key`), so a re-export, or next
year's, updates the same rows in the receiving tool instead of adding new ones. The decree being
exported gives the rows and their texts; the decrees of the span's other years (for each agency the
latest closed round of the year that invited it, read the same way) fill in their years' targets."""

import hashlib
from dataclasses import dataclass, field

from iku.rows import objectives_spanned
from iku.versions import row_key
from workflow.models import Dossier
from workflow.steps import SELESAI

SPAN = 5
TARGETS = tuple(f"target_{n}" for n in range(1, SPAN + 1))
# Exported empty on purpose. This SOP sets the IKU and their targets; what an agency achieved is
# measured a year later and reported in e-SAKIP itself (its Laporan Kinerja), and nothing in this app
# holds it: an IkuRow has its target (text, value, period) and no achievement. The columns stay so a
# file has e-SAKIP's own shape and imports there unchanged; e-SAKIP fills them.
REALISATIONS = tuple(f"realisasi_{n}" for n in range(1, SPAN + 1))
REALISATIONS_NOTE = ("Kolom realisasi_1 sampai realisasi_5 sengaja kosong: SOP Penetapan IKU menetapkan indikator "
                     "dan targetnya, tidak mengukur realisasinya. Realisasi diisi di e-SAKIP oleh SKPD saat "
                     "pengukuran kinerja; kolomnya tetap ada agar berkas ini sesuai bentuk impor e-SAKIP.")
ESAKIP = ("kode_sasaran", "label_sasaran", "id_unik_indikator", "label_indikator", "formulasi", "sumber_data",
          "penanggung_jawab", "satuan", *TARGETS, *REALISATIONS)
SIPD = ("id_unik", "id_unik_indikator", "sasaran_teks", "indikator_teks", "satuan", "target_awal", *TARGETS,
        "target_akhir")
SHAPES = {"esakip": ESAKIP, "sipd": SIPD}


class OutOfSpan(ValueError):
    pass


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def indicator_id(skpd_id: int, indikator: str, sasaran: str | None = None) -> str:
    found = f"IKU-{skpd_id}-{_short_hash(row_key({'indikator': indikator}))}"
    return found if sasaran is None else f"{found}-{_short_hash(_words(sasaran))[:6]}"


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def objective_id(skpd_id: int, sasaran: str) -> str:
    return f"SS-{skpd_id}-{_short_hash(_words(sasaran))}"


@dataclass
class Indicator:
    id: str
    skpd_id: int
    sasaran: str
    row: object
    targets: dict = field(default_factory=dict)


def _identified(pairs) -> list[tuple[str, str, object]]:
    """(id, objective, row) for a decree's (objective, row) pairs. An indicator's id is its agency's
    and its text's, the same across years whatever its Sasaran is renamed to; where one agency lists
    the same indicator under two Sasaran (a satisfaction index for its hospital and for its health
    centres) each is told apart by its Sasaran, and the same one again under the same Sasaran is
    numbered: one row must never take another's place and target."""
    keyed = [((row.submission.skpd_id, row_key({"indikator": row.indikator})), objective, row) for objective, row in pairs]
    objectives: dict[tuple, set] = {}
    for key, objective, _ in keyed:
        objectives.setdefault(key, set()).add(_words(objective))
    seen: dict[str, int] = {}
    identified = []
    for key, objective, row in keyed:
        found = indicator_id(key[0], row.indikator, objective if len(objectives[key]) > 1 else None)
        seen[found] = seen.get(found, 0) + 1
        identified.append((found if seen[found] == 1 else f"{found}-{seen[found]}", objective, row))
    return identified


def decreed_rows(year: int, rows_of) -> list:
    """The year's decree in force, agency by agency: each agency's rows from the latest closed round
    of `year` that invited it. A revision the Governor asked of some agencies is a second closed
    round inviting only them; the others' IKU for that year stay as the first round decreed them."""
    rows, decided = [], set()
    rounds = Dossier.objects.filter(tahun=year, state=SELESAI).order_by("-closed_at", "-pk").prefetch_related("invited")
    for dossier in rounds:
        invited = {skpd.pk for skpd in dossier.invited.all()} - decided
        if invited:
            rows += [row for row in rows_of(dossier) if row.submission.skpd_id in invited]
            decided |= invited
    return rows


def _spanned(rows) -> list[tuple[str, object]]:
    """(objective, row), a blank Sasaran continuing the one above within its own agency's table."""
    by_agency: dict[int, list] = {}
    for row in rows:
        by_agency.setdefault(row.submission.skpd_id, []).append(row)
    return [pair for agency_rows in by_agency.values() for pair in objectives_spanned(agency_rows)]


def indicators(dossier, start: int, rows_of) -> list[Indicator]:
    """The indicators of `dossier`'s decree with their targets for each year of the span starting
    at `start` (and the year before it, SIPD's target_awal). `rows_of(dossier)` gives a decree's
    rows as its reader may see them."""
    if not start <= dossier.tahun < start + SPAN:
        raise OutOfSpan(f"Tahun keputusan {dossier.tahun} di luar rentang {start}–{start + SPAN - 1}.")
    found: dict[str, Indicator] = {}
    for id_, objective, row in _identified(_spanned(rows_of(dossier))):
        found[id_] = Indicator(id_, row.submission.skpd_id, objective, row, {dossier.tahun: row.target})
    for year in range(start - 1, start + SPAN):
        other = decreed_rows(year, rows_of) if year != dossier.tahun else []
        for id_, _, row in _identified(_spanned(other)):
            match = found.get(id_)
            if match is not None:
                match.targets.setdefault(year, row.target)
    return list(found.values())


def esakip_row(indicator: Indicator, start: int) -> dict:
    row = indicator.row
    targets = {name: indicator.targets.get(start + n, "") for n, name in enumerate(TARGETS)}
    return {"kode_sasaran": objective_id(indicator.skpd_id, indicator.sasaran), "label_sasaran": indicator.sasaran,
            "id_unik_indikator": indicator.id, "label_indikator": row.indikator, "formulasi": row.formula,
            "sumber_data": row.sumber_data, "penanggung_jawab": row.penanggung_jawab, "satuan": row.satuan,
            **targets, **dict.fromkeys(REALISATIONS, "")}


def sipd_row(indicator: Indicator, start: int) -> dict:
    targets = {name: indicator.targets.get(start + n, "") for n, name in enumerate(TARGETS)}
    known = [value for value in targets.values() if value]
    return {"id_unik": objective_id(indicator.skpd_id, indicator.sasaran), "id_unik_indikator": indicator.id,
            "sasaran_teks": indicator.sasaran, "indikator_teks": indicator.row.indikator,
            "satuan": indicator.row.satuan, "target_awal": indicator.targets.get(start - 1, ""), **targets,
            "target_akhir": known[-1] if known else ""}


def table(shape: str, dossier, start: int, rows_of) -> list[dict]:
    make = esakip_row if shape == "esakip" else sipd_row
    return [make(indicator, start) for indicator in indicators(dossier, start, rows_of)]
