"""A new version of a letter starts from the last one's text. Made in January from December's, it
kept the December date without anyone typing it, and with it the closed year's number: a Nota
redone on 5 January 2027 after the Kabag's return read "Tanggal: 29 Desember 2026" and
000.7/1/Kesra-TU/2026, which the Kabiro then signed in 2027."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock

from lib.dates import TZ
from naskah import record
from tests.factories import client_for, open_dossier
from tests.naskah.helpers import generate, pages, stored_pdf
from workflow import demo, services
from workflow.actions import Action
from workflow.steps import STEP_BY_NUMBER, DocKind


@contextmanager
def on(day: dt.date, hour=9):
    """The whole app at `day`, `hour` o'clock in Pontianak: its forms' today and its actions' now."""
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)):
        yield


def as_the_page_offers(response) -> dict:
    """The form's fields as the page fills them in, sent unchanged, with its hidden fields."""
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return data | {"revision": response.context["dossier"].revision, "state": response.context["dossier"].state,
                   "versi_naskah": response.context["versi_naskah"]}


def test_a_nota_redone_in_january_from_decembers_text_bears_this_years_date_and_number(people):
    with on(dt.date(2026, 12, 1)):
        dossier = open_dossier(people, "Penetapan IKU 2027", tahun=2027)
        demo.walk_to(dossier, people, STEP_BY_NUMBER[6].state)
    with on(dt.date(2026, 12, 29)):
        kasubag = client_for(people, "kasubag")
        assert generate(kasubag, dossier, DocKind.NOTA_DINAS).status_code == 302
        assert generate(kasubag, dossier, DocKind.DRAFT_KEPGUB).status_code == 302
        demo.finish(dossier, people["kasubag"])
    assert record.latest(dossier, DocKind.NOTA_DINAS).nomor.endswith("/2026")
    with on(dt.date(2027, 1, 4)):
        dossier.refresh_from_db()
        services.perform(dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision,
                         catatan="Target Dinas Sosial belum memuat satuan.")
    with on(dt.date(2027, 1, 5)):
        kasubag = client_for(people, "kasubag")
        page = kasubag.get(f"/dosier/{dossier.pk}/buat/{DocKind.NOTA_DINAS}/")
        html = page.content.decode()
        assert 'value="2027-01-05"' in html
        # Said beside the date, so whoever meant last year's date can type it back.
        assert ("Versi sebelumnya bertanggal 29 Desember 2026; tahun itu sudah berakhir, maka tanggal diisi hari ini "
                "dan naskah ini diberi nomor urut tahun 2027.") in html
        assert kasubag.post(f"/dosier/{dossier.pk}/buat/{DocKind.NOTA_DINAS}/",
                            as_the_page_offers(page)).status_code == 302
    redone = record.latest(dossier, DocKind.NOTA_DINAS)
    assert redone.versi == 2 and redone.nomor == "000.7/1/Kesra-TU/2027"
    printed = pages(stored_pdf(dossier, DocKind.NOTA_DINAS))[0]
    assert "Tanggal : 5 Januari 2027" in printed and "Nomor : 000.7/1/Kesra-TU/2027" in printed


def test_a_version_redone_within_the_year_keeps_its_date_and_number(people):
    with on(dt.date(2027, 3, 1)):
        dossier = open_dossier(people, "Penetapan IKU 2028", tahun=2028)
        demo.walk_to(dossier, people, STEP_BY_NUMBER[6].state)
    with on(dt.date(2027, 3, 2)):
        assert generate(client_for(people, "kasubag"), dossier, DocKind.NOTA_DINAS).status_code == 302
    first = record.latest(dossier, DocKind.NOTA_DINAS)
    with on(dt.date(2027, 3, 9)):
        kasubag = client_for(people, "kasubag")
        page = kasubag.get(f"/dosier/{dossier.pk}/buat/{DocKind.NOTA_DINAS}/")
        assert 'value="2027-03-02"' in page.content.decode()
        assert "Versi sebelumnya bertanggal" not in page.content.decode()
        assert kasubag.post(f"/dosier/{dossier.pk}/buat/{DocKind.NOTA_DINAS}/",
                            as_the_page_offers(page)).status_code == 302
    redone = record.latest(dossier, DocKind.NOTA_DINAS)
    assert redone.versi == 2 and redone.nomor == first.nomor
