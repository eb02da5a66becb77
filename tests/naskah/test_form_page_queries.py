"""A document's form page (/dosier/N/buat/<jenis>/) asks the same queries whether the round invites
three agencies or all of them, and whether the letter is at its first version or its third: what it lists
(the addressees, what the Tembusan would repeat, the notes of what the print would lack) is read
in bulk."""

from django.db import reset_queries

from tests.factories import client_for
from tests.naskah.helpers import generate
from workflow.models import Skpd
from workflow.steps import STEP_BY_NUMBER, DocKind


def asked(client, url, django_assert_max_num_queries) -> int:
    client.get(url)  # what a first look keeps (the calendar) kept
    reset_queries()
    with django_assert_max_num_queries(40) as seen:
        assert client.get(url).status_code == 200
    return len(seen.captured_queries)


def test_the_letters_form_asks_the_same_queries_for_three_agencies_or_all_and_any_version(
        people, walk, django_assert_max_num_queries):
    dossier = walk(STEP_BY_NUMBER[4].state)
    kasubag = client_for(people, "kasubag")
    url = f"/dosier/{dossier.pk}/buat/{DocKind.SURAT_SKPD}/"
    few = asked(kasubag, url, django_assert_max_num_queries)

    dossier.invited.add(*Skpd.objects.filter(aktif=True).exclude(pk__in=dossier.invited.all()))
    invited = list(dossier.invited.in_order())
    assert len(invited) > 30
    for _ in range(3):
        assert generate(kasubag, dossier, DocKind.SURAT_SKPD).status_code == 302
    many = asked(kasubag, url, django_assert_max_num_queries)
    assert many == few
    # Read from the addressees all along: inviting every agency addresses the Sekda, whom the
    # Tembusan's default then does not print twice.
    assert "Tidak dicetak sebagai Tembusan, karena surat ini sudah ditujukan kepadanya" in kasubag.get(url).content.decode()
