"""A Plh. Kasubag with the new round's form, a disposisi's report or a SRIKANDI number open while her
delegation is ended early by the Kasubag or deleted by the admin. Sent, each was refused with a 403
page: she gets the form back, closed, with what she typed, what became of her delegation and who may
do it now, as the disposisi and the letters already did; nothing is made, reported or recorded."""

import datetime as dt
import re

from django.utils import timezone

from naskah import record
from tests.factories import client_for
from tests.naskah.helpers import initialled
from tests.workflow.test_plh_ended_with_disposisi_or_letter_open import opened_from
from tests.workflow.test_plh_ended_with_form_open import ended_early_by, folded, given_back, opened, unchanged
from workflow import demo, dispositions
from workflow.models import AuditEvent, Delegation, Disposition, Dossier
from workflow.steps import STEP_BY_NUMBER, DocKind

TITLE = "Penetapan IKU Perubahan Provinsi"
REPORT = "Lampiran Nota sudah dirapikan sesuai catatan Kabag"
NUMBER = "B-123/Kesra/2027"


def standing_in(people, delegate) -> Delegation:
    """`delegate` Plh. Kasubag since yesterday, for the Kasubag's leave this week."""
    today = timezone.localdate()
    return Delegation.objects.create(official=people["kasubag"], delegate=delegate, role="kasubag",
                                     starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=4))


def ended_by_the_kasubag(people, delegation) -> str:
    """The Kasubag back early ends it on /pelimpahan/; what her Plh. then reads of it."""
    return ended_early_by(client_for(people, "kasubag"), delegation, "Plh. Kasubag", people["kasubag"])


def test_the_kasubag_ends_it_early_and_her_plh_gets_the_new_round_back_with_why(people):
    plh = client_for(people, "staf")
    delegation = standing_in(people, people["staf"])
    hidden = opened(plh, "/dosier/baru/")
    assert hidden["pelimpahan"]

    said = ended_by_the_kasubag(people, delegation)
    typed = {"judul": TITLE, "tahun": timezone.localdate().year + 1, "invited": [people["dinkes"].skpd_id]}
    answer = plh.post("/dosier/baru/", hidden | typed, HTTP_ORIGIN="http://testserver")

    text = given_back(answer)
    assert said in text and "jadi dosier baru tidak dapat Anda buat lagi." in text
    assert f"Tidak ada dosier yang dibuat; dosier baru dapat dibuat oleh {people['kasubag']} (Kasubag)." in text
    assert re.search(rf'name="judul" value="{TITLE}"', text)
    assert "tombolnya dimatikan" in text and " disabled>Buat dosier</button>" in text
    # The closed form, sent anyway, says the same again: never the refusal page.
    again = plh.post("/dosier/baru/", opened_from(answer) | typed, HTTP_ORIGIN="http://testserver")
    assert again.status_code == 200 and said in folded(again)
    assert not Dossier.objects.exists()


def test_the_kasubag_ends_it_early_and_her_plh_gets_the_disposisi_report_back_with_why(people, walk):
    dossier = walk(STEP_BY_NUMBER[6].state)
    given = dispositions.give(dossier, people["kasubag"], assigned_to=people["staf"],
                              instruksi="Rapikan lampiran Nota sesuai catatan Kabag", waktu_amount=2, waktu_unit="jam")
    dossier.refresh_from_db()
    dossier.events_before = AuditEvent.objects.filter(dossier=dossier).count()
    # A Tim member, not the Staf the disposisi was given to: she closes it as Plh. Kasubag only.
    plh = client_for(people, "tim")
    delegation = standing_in(people, people["tim"])
    url = f"/dosier/{dossier.pk}/disposisi/{given.pk}/selesai/"
    hidden = opened(plh, url)
    assert hidden["pelimpahan"]

    said = ended_by_the_kasubag(people, delegation)
    answer = plh.post(url, hidden | {"hasil": REPORT}, HTTP_ORIGIN="http://testserver")

    text = given_back(answer)
    assert said in text and "jadi disposisi ini tidak dapat Anda laporkan selesai lagi." in text
    assert (f"Disposisi ini belum dilaporkan selesai; dapat dilaporkan oleh {people['kasubag']} (Kasubag) atau oleh "
            f"{people['staf']} yang menerimanya.") in text
    assert re.search(rf'id="id_hasil"> ?{REPORT}</textarea>', text)
    assert "tombolnya dimatikan" in text and " disabled>Laporkan disposisi selesai</button>" in text
    assert Disposition.objects.get(pk=given.pk).done_at is None
    unchanged(dossier)


def test_the_admin_deletes_it_and_the_plh_gets_the_srikandi_number_back_with_why(people, walk):
    dossier = initialled(people, walk)
    demo.finish(dossier, people["kabiro"])
    made = record.latest(dossier, DocKind.NOTA_DINAS)
    plh = client_for(people, "tim")
    delegation = standing_in(people, people["tim"])
    # The number's form sits on the dossier's page, beside the signed Nota.
    hidden = {"pelimpahan": opened(plh, f"/dosier/{dossier.pk}/")["pelimpahan"]}

    client_for(people, "admin").post(f"/admin/workflow/delegation/{delegation.pk}/delete/", {"post": "yes"})
    assert not Delegation.objects.exists()
    url = f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/nomor/"
    answer = plh.post(url, hidden | {"nomor_srikandi": NUMBER}, HTTP_ORIGIN="http://testserver")

    text = given_back(answer)
    assert (f"Pelimpahan Anda sebagai Plh. Kasubag atas nama {people['kasubag']} dihapus admin sejak halaman ini "
            "dibuka, jadi nomor SRIKANDI tidak dapat Anda catat lagi. Nomor SRIKANDI naskah ini belum dicatat; dapat "
            f"dicatat oleh {people['kasubag']} (Kasubag) atau Staf.") in text
    assert f'value="{NUMBER}"' in text and "tombolnya dimatikan" in text and " disabled>Catat</button>" in text
    made.refresh_from_db()
    assert made.nomor_srikandi == ""
