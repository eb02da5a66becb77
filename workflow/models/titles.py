"""A dossier's title names its year ("Penetapan Indikator Kinerja Utama Tahun 2027"), and that title
heads inboxes, e-mails, the archive and the public verification page.

The title the page prefills follows the year until it is edited by hand (the page's script does it
as the year changes; the server does it too, for a browser without the script). A title written by
hand whose "Tahun NNNN" is another year is refused at the title, with both kept as typed: either
may be the slip, and the server must not guess which goes onto the letters."""

import re

from django.core.exceptions import ValidationError

PATTERN = "Penetapan Indikator Kinerja Utama Tahun {tahun}"
_PREFILLED = re.compile(re.escape(PATTERN).replace(r"\{tahun\}", r"\d{4}"))
_NAMED_YEAR = re.compile(r"\btahun\s+(\d{4})\b", re.IGNORECASE)


def prefilled(tahun: int) -> str:
    return PATTERN.format(tahun=tahun)


def fit(judul: str, tahun: int) -> str:
    """The title to keep for `tahun`: the prefilled one of any year becomes the year's own; a title
    naming only other years raises ValidationError in the title's words."""
    judul = judul.strip()
    if _PREFILLED.fullmatch(judul):
        return prefilled(tahun)
    named = sorted({int(year) for year in _NAMED_YEAR.findall(judul)})
    if named and tahun not in named:
        said = " dan ".join(str(year) for year in named)
        raise ValidationError(
            f"Judul menyebut Tahun {said}, tetapi Tahun IKU {tahun}. Samakan keduanya: ubah judul atau tahunnya.",
            code="tahun_judul",
        )
    return judul
