"""The admin's numbering pattern: only the four bare placeholders, so no pattern can crash or leak."""

import pytest
from django.core.exceptions import ValidationError

from naskah.models import NumberingRule
from workflow.steps import DocKind


def rule(pola):
    # The invitation's rule is seeded by a migration; the admin edits it in place.
    existing = NumberingRule.objects.get(kind=DocKind.UNDANGAN)
    existing.kode_klasifikasi, existing.pola = "000.1.5", pola
    return existing


@pytest.mark.parametrize("pola", [
    "{nomor.x}", "{nomor:>99999999999}", "{kode.__class__.__mro__}/{nomor}", "{nomor!r}", "{kode[0]}/{nomor}",
    "{0}/{nomor}", "{}/{nomor}", "{nomor", "{tahun}/{nomor:05d}", "{{nomor}}",
])
@pytest.mark.django_db
def test_a_pattern_beyond_the_four_placeholders_is_refused_in_indonesian(pola):
    with pytest.raises(ValidationError) as refused:
        rule(pola).full_clean()
    assert "Pola" in str(refused.value)


@pytest.mark.django_db
def test_a_plain_pattern_is_kept_and_formats_the_number():
    plain = rule("{kode}/{nomor}/{unit}/{tahun}")
    plain.full_clean()
    assert plain.format(7, 2027) == "000.1.5/7/Kesra/2027"


@pytest.mark.django_db
def test_a_bad_pattern_already_stored_is_refused_when_numbering_not_evaluated():
    with pytest.raises(ValidationError):
        rule("{kode.__class__.__mro__}/{nomor}").format(1, 2027)
