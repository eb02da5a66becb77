"""A Plh. Kasubag with the new round's form, a disposisi's report or a SRIKANDI number open while her
delegation is ended early by the Kasubag or deleted by the admin. Sent, each was refused with a 403
page: she gets the form back, closed, with what she typed, what became of her delegation and who may
do it now, as the disposisi and the letters already did; nothing is made, reported or recorded."""

import datetime as dt
import re

from django.utils import timezone

from lib.dates import weekday_date
from tests.factories import client_for
from tests.workflow.test_plh_ended_with_disposisi_or_letter_open import opened_from
from tests.workflow.test_plh_ended_with_form_open import folded, opened
from workflow.models import Delegation, Dossier

TITLE = "Penetapan IKU Perubahan Provinsi"


def standing_in(people, delegate) -> Delegation:
    """`delegate` Plh. Kasubag since yesterday, for the Kasubag's leave this week."""
    today = timezone.localdate()
    return Delegation.objects.create(official=people["kasubag"], delegate=delegate, role="kasubag",
                                     starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=4))


def ended_by_the_kasubag(people, delegation) -> str:
    """The Kasubag back early ends it on /pelimpahan/; what her Plh. then reads of it."""
    assert client_for(people, "kasubag").post(f"/pelimpahan/{delegation.pk}/akhiri/").status_code == 302
    return (f"Pelimpahan Anda sebagai Plh. Kasubag atas nama {people['kasubag']} diakhiri lebih awal pada "
            f"{weekday_date(timezone.localdate())} pukul ")


def test_the_kasubag_ends_it_early_and_her_plh_gets_the_new_round_back_with_why(people):
    plh = client_for(people, "staf")
    delegation = standing_in(people, people["staf"])
    hidden = opened(plh, "/dosier/baru/")
    assert hidden["pelimpahan"]

    said = ended_by_the_kasubag(people, delegation)
    typed = {"judul": TITLE, "tahun": timezone.localdate().year + 1, "invited": [people["dinkes"].skpd_id]}
    answer = plh.post("/dosier/baru/", hidden | typed, HTTP_ORIGIN="http://testserver")

    assert answer.status_code == 200
    text = folded(answer)
    assert said in text and "jadi dosier baru tidak dapat Anda buat lagi." in text
    assert f"Tidak ada dosier yang dibuat; dosier baru dapat dibuat oleh {people['kasubag']} (Kasubag)." in text
    assert re.search(rf'name="judul" value="{TITLE}"', text)
    assert "tombolnya dimatikan" in text and " disabled>Buat dosier</button>" in text
    # The closed form, sent anyway, says the same again: never the refusal page.
    again = plh.post("/dosier/baru/", opened_from(answer) | typed, HTTP_ORIGIN="http://testserver")
    assert again.status_code == 200 and said in folded(again)
    assert not Dossier.objects.exists()

