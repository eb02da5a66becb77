"""A dossier's title names its year ("Penetapan Indikator Kinerja Utama Tahun 2027"), and that title
heads inboxes, e-mails, the archive and the public verification page.

The title the page prefills follows the year until it is edited by hand (the page's script does it
as the year changes; the server does it too, for a browser without the script). A title written by
hand that names another year ("Tahun 2026", "IKU 2026", a period "2023-2025" not holding the year)
is refused at the title, with both kept as typed: either
may be the slip, and the server must not guess which goes onto the letters."""

import re

from django.core.exceptions import ValidationError

PATTERN = "Penetapan Indikator Kinerja Utama Tahun {tahun}"
_PREFILLED = re.compile(re.escape(PATTERN).replace(r"\{tahun\}", r"\d{4}"))
# A year the title names, alone ("Penetapan IKU 2027", "Tahun 2027") or as a period ("RPJMD
# 2025-2029", which names each year in it); not a longer number that merely holds four digits.
_NAMED_YEAR = re.compile(r"(?<![\d./-])((?:19|20)\d\d)(?:\s*[-–—]\s*((?:19|20)\d\d))?(?![\d./-])")


def prefilled(tahun: int) -> str:
    return PATTERN.format(tahun=tahun)


def other_years(text: str, tahun: int) -> str:
    """The years `text` names, as written ("2026", "2023-2025 dan 2030"), when none of them holds
    `tahun`; "" when it names `tahun` or no year at all."""
    found = _NAMED_YEAR.findall(text)
    named = {year for start, end in found for year in range(int(start), int(end or start) + 1)}
    if not named or tahun in named:
        return ""
    return " dan ".join(f"{start}-{end}" if end else start for start, end in found)


def fit(judul: str, tahun: int) -> str:
    """The title to keep for `tahun`: the prefilled one of any year becomes the year's own; a title
    naming only other years raises ValidationError in the title's words."""
    judul = judul.strip()
    if _PREFILLED.fullmatch(judul):
        return prefilled(tahun)
    if said := other_years(judul, tahun):
        raise ValidationError(
            f"Judul menyebut Tahun {said}, tetapi Tahun IKU {tahun}. Samakan keduanya: ubah judul atau tahunnya.",
            code="tahun_judul",
        )
    return judul
