"""A Plh. Kabiro (a Kabag) writing the step 4 letter to the agencies while the Kabiro is away: the
delegation's last day passes with the form open. Sending it was refused with "Surat ke SKPD tidak
dapat Anda buat pada posisi Langkah 4", though the dossier stood at step 4: the right had ended, not
the step. He reads that on the form he sent, which comes back with what he typed, its button off."""

import datetime as dt
import re

from django.utils import timezone

from lib.dates import long_date
from tests.factories import client_for
from tests.naskah.helpers import form_data
from tests.workflow.test_vacant_post import kabag2  # noqa: F401 - the fixture
from workflow.models import Delegation, Document, Dossier
from workflow.steps import STEP_BY_NUMBER, DocKind


def ended_with_the_form_open(client, url, official, delegate, role) -> dt.date:
    """A Plh. of `role` from `official` to `delegate` whose last day is today opens the form at
    `url` (it may); the next morning, as it were, that day has passed. Its last day is returned."""
    today = timezone.localdate()
    plh = Delegation.objects.create(official=official, delegate=delegate, role=role, kind="plh",
                                    starts_on=today - dt.timedelta(days=5), ends_on=today)
    assert client.get(url).status_code == 200
    yesterday = today - dt.timedelta(days=1)
    Delegation.objects.filter(pk=plh.pk).update(ends_on=yesterday)
    return yesterday


def refused(client, url, data, status=403) -> str:
    """The form sent: refused (a 403, or the form given back closed), the page's text with its spaces folded."""
    answer = client.post(url, data, HTTP_ORIGIN="http://testserver")
    assert answer.status_code == status
    text = re.sub(r"\s+", " ", answer.content.decode())
    if status == 200:
        assert "tombolnya dimatikan" in text
    return text



def test_a_plh_whose_days_ran_out_while_writing_the_letter_reads_why(people, walk, kabag2):  # noqa: F811
    dossier = walk(STEP_BY_NUMBER[4].state)
    Dossier.objects.filter(pk=dossier.pk).update(state_entered_at=timezone.now() - dt.timedelta(days=3))
    client = client_for(people, "anonymous")
    client.force_login(kabag2)
    url = f"/dosier/{dossier.pk}/buat/{DocKind.SURAT_SKPD}/"
    posted = form_data(dossier, DocKind.SURAT_SKPD)
    yesterday = ended_with_the_form_open(client, url, people["kabiro"], kabag2, "kabiro")

    text = refused(client, url, posted, status=200)
    assert "tidak dapat Anda buat pada posisi" not in text
    assert (f"Pelimpahan Plh. Kabiro dari {people['kabiro']} kepada Anda berakhir pada {long_date(yesterday)}, jadi "
            "Surat ke SKPD tidak dapat Anda buat lagi. Dosier ini tetap di posisi “Langkah 4: ") in text
    assert not Document.objects.filter(dossier=dossier, kind=DocKind.SURAT_SKPD).exists()


def test_a_plh_kasubag_whose_days_ran_out_while_writing_a_disposisi_reads_why(people, walk):
    """The same at the disposisi form, which said "Hanya Kasubag yang dapat memberi disposisi"."""
    dossier = walk(STEP_BY_NUMBER[6].state)
    Dossier.objects.filter(pk=dossier.pk).update(state_entered_at=timezone.now() - dt.timedelta(days=3))
    client = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/disposisi/"
    yesterday = ended_with_the_form_open(client, url, people["kasubag"], people["staf"], "kasubag")

    text = refused(client, url, {"kepada": people["staf"].pk, "instruksi": "Rapikan lampiran Nota", "waktu_amount": 2,
                                 "waktu_unit": "jam", "revision": dossier.revision, "state": dossier.state},
                   status=200)
    assert "Hanya Kasubag yang dapat memberi disposisi" not in text
    assert (f"Pelimpahan Plh. Kasubag dari {people['kasubag']} kepada Anda berakhir pada {long_date(yesterday)}, jadi "
            "disposisi tidak dapat Anda berikan lagi. Dosier ini tetap di posisi “Langkah 6: ") in text
    assert re.search(r"> ?Rapikan lampiran Nota</textarea>", text)


def test_a_plh_kasubag_whose_days_ran_out_with_the_new_round_form_open_reads_why(people):
    """The same at the new round's form, which has no dossier and said "Hanya Kasubag yang dapat
    membuat dosier baru"; the form comes back closed with the title she typed."""
    client = client_for(people, "staf")
    yesterday = ended_with_the_form_open(client, "/dosier/baru/", people["kasubag"], people["staf"], "kasubag")

    text = refused(client, "/dosier/baru/", {"judul": "Penetapan IKU Perubahan", "tahun": timezone.localdate().year + 1},
                   status=200)
    assert "Hanya Kasubag yang dapat membuat dosier baru" not in text
    assert (f"Pelimpahan Plh. Kasubag dari {people['kasubag']} kepada Anda berakhir pada {long_date(yesterday)}, jadi "
            "dosier baru tidak dapat Anda buat lagi. Tidak ada dosier yang dibuat; dosier baru dapat dibuat oleh "
            "Kasubag.") in text
    assert re.search(r'name="judul" value="Penetapan IKU Perubahan"', text)
    assert not Dossier.objects.exists()
    # Long after, the plain refusal again: nothing she could have had open.
    Delegation.objects.filter(delegate=people["staf"], role="kasubag").update(
        ends_on=timezone.localdate() - dt.timedelta(days=30))
    assert "Hanya Kasubag yang dapat membuat dosier baru" in client.get("/dosier/baru/").content.decode()
