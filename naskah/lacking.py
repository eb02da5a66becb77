"""What a document about to be made would print without, said on its form before it is made: the
kop's emblem, the decree's Garuda, rules of the decree's Mengingat the bureau has not checked. Each
is the admin's to complete; the document can still be made (a draft to read), and the Kabag and
the legal bureau would return it."""

from naskah.models import LegalBasis, OfficeProfile
from workflow.steps import DocKind

SHOWN_RULES = 3


def lacking(kind: str) -> list[str]:
    profile = OfficeProfile.current()
    said = []
    if kind == DocKind.DRAFT_KEPGUB:
        if not profile.garuda:
            said.append("Draft keputusan akan tercetak tanpa lambang Garuda: unggah gambarnya di Admin › Profil kantor.")
        unchecked = list(LegalBasis.objects.filter(aktif=True, diperiksa=False).order_by("urutan", "pk"))
        if unchecked:
            named = "; ".join(f"“{rule.teks[:80]}{'…' if len(rule.teks) > 80 else ''}”" for rule in unchecked[:SHOWN_RULES])
            more = f" dan {len(unchecked) - SHOWN_RULES} lagi" if len(unchecked) > SHOWN_RULES else ""
            said.append(f"{len(unchecked)} dasar hukum pada Mengingat belum diperiksa Biro (nomor Lembaran/Berita "
                        f"Daerah, perubahannya): {named}{more}. Periksa di Admin › Dasar hukum.")
    elif not profile.lambang:
        said.append("Kop akan tercetak tanpa lambang daerah: unggah gambarnya di Admin › Profil kantor.")
    return said
