"""A Plh. with the disposisi form or a letter's form open while her delegation is ended early by its
official or deleted by the admin. Sent, either form was refused with a 403 page: she gets the form
back, closed, with what she typed, what became of her delegation and whom the dossier waits on, as
the step's own actions already did; nothing is given or made."""

import datetime as dt
import re

from django.utils import timezone

from tests.factories import client_for
from tests.naskah.helpers import form_data
from tests.workflow.test_plh_ended_with_form_open import (
    ended_early_by,
    folded,
    given_back,
    kabiro_plh_with_form_open,
    opened,
    unchanged,
)
from tests.workflow.test_vacant_post import kabag2  # noqa: F401 - the fixture
from workflow.models import AuditEvent, Delegation, Disposition, Document
from workflow.steps import STEP_BY_NUMBER, DocKind

INSTRUCTION = "Rapikan lampiran Nota sesuai catatan Kabag"


def test_the_kasubag_ends_it_early_and_her_plh_gets_the_disposisi_back_with_why(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    dossier.events_before = AuditEvent.objects.filter(dossier=dossier).count()
    today = timezone.localdate()
    kasubag, plh = people["kasubag"], client_for(people, "staf")
    Delegation.objects.create(official=kasubag, delegate=people["staf"], role="kasubag",
                              starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=4))
    url = f"/dosier/{dossier.pk}/disposisi/"
    hidden = opened(plh, url)
    assert hidden["pelimpahan"]

    news = ended_early_by(client_for(people, "kasubag"), Delegation.objects.get(), "Plh. Kasubag", kasubag)
    typed = {"kepada": people["staf"].pk, "instruksi": INSTRUCTION, "waktu_amount": 2, "waktu_unit": "jam"}
    text = given_back(plh.post(url, hidden | typed, HTTP_ORIGIN="http://testserver"))
    assert re.search(rf'id="id_instruksi"> ?{INSTRUCTION}</textarea>', text)
    assert news in text
    assert f"tetap di posisi “Langkah 6: Nota dan draft IKU Provinsi” menunggu {kasubag} (Kasubag)." in text
    assert "tombolnya dimatikan" in text and "Beri disposisi</button>" in text and " disabled>" in text
    assert not Disposition.objects.exists()
    unchanged(dossier)


def test_the_admin_deletes_it_and_the_plh_kabiro_gets_his_letter_back_twice(people, walk, kabag2):  # noqa: F811
    dossier, delegation, plh, url, hidden = kabiro_plh_with_form_open(people, walk, kabag2, 4, f"buat/{DocKind.SURAT_SKPD}")
    typed = form_data(dossier, DocKind.SURAT_SKPD) | hidden

    client_for(people, "admin").post(f"/admin/workflow/delegation/{delegation.pk}/delete/", {"post": "yes"})
    assert not Delegation.objects.exists()
    answer = plh.post(url, typed, HTTP_ORIGIN="http://testserver")

    text = given_back(answer)
    said = (f"Pelimpahan Anda sebagai Plh. Kabiro atas nama {people['kabiro']} dihapus admin sejak halaman ini "
            "dibuka, jadi Surat ke SKPD tidak dapat Anda buat lagi.")
    assert said in text and f"menunggu {people['kabiro']} (Kabiro) atau Kasubag atau Staf." in text
    assert typed["hal"] in text and "tombolnya dimatikan" in text
    # The closed form, sent anyway, says the same again: never the refusal page.
    again = plh.post(url, opened_from(answer) | {"hal": typed["hal"]}, HTTP_ORIGIN="http://testserver")
    assert again.status_code == 200 and said in folded(again)
    assert not Document.objects.filter(dossier=dossier, kind=DocKind.SURAT_SKPD).exists()
    unchanged(dossier)


def opened_from(answer) -> dict:
    """The hidden fields of the form a page gave back."""
    return dict(re.findall(r'<input type="hidden" name="(revision|state|pelimpahan)" value="([^"]*)"',
                           answer.content.decode()))
