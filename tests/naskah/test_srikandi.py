"""The hand-off of a signed document to SRIKANDI: its particulars as JSON and CSV, with the PDF, for
whoever may open it; the number SRIKANDI gave it, recorded by the bureau's clerks."""

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from naskah import record
from tests import factories
from tests.factories import client_for
from tests.naskah.helpers import initialled
from tests.once import ids_of, kept_for_the_module, read_afresh
from workflow import demo
from workflow.models import Delegation, Dossier
from workflow.roles import Role
from workflow.steps import DocKind


@pytest.fixture(scope="module")
def made_once(django_db_setup, django_db_blocker):
    """The people's ids, a dossier whose Nota was initialled and not yet signed, and one whose Nota
    the Kabiro signed: made once for the module (tests/once.py), only read or added to by its tests."""
    with kept_for_the_module(django_db_blocker) as build:
        with build():
            people = factories.make_people()
            draft = initialled(people, lambda state: factories.dossier_at(people, state))
            signed = initialled(people, lambda state: factories.dossier_at(people, state))
            demo.finish(signed, people["kabiro"])
        yield ids_of(people), draft.pk, signed.pk


@pytest.fixture
def people(made_once, db):
    return read_afresh(made_once[0])


@pytest.fixture
def initialled_nota(made_once, people):
    """(dossier, its Nota's record) at step 8, initialled, not signed."""
    dossier = Dossier.objects.get(pk=made_once[1])
    return dossier, record.latest(dossier, DocKind.NOTA_DINAS)


@pytest.fixture
def signed_nota(made_once, people):
    dossier = Dossier.objects.get(pk=made_once[2])
    return dossier, record.latest(dossier, DocKind.NOTA_DINAS)


def test_a_signed_nota_comes_with_its_particulars_as_json_and_csv(people, signed_nota):
    dossier, made = signed_nota
    kabag = client_for(people, "kabag")
    page = kabag.get(f"/dosier/{dossier.pk}/").content.decode()
    assert f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/json/" in page
    data = json.loads(kabag.get(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/json/").content)
    assert data["jenis_naskah"] == "Nota Dinas" and data["nomor"] == made.nomor and data["klasifikasi"] == "000.7"
    assert data["tingkat_urgensi"] == "Biasa" and data["hal"].startswith("Penyampaian Draft Keputusan Gubernur")
    assert data["tujuan"] == ["Asisten Pemerintahan dan Kesejahteraan Rakyat"]
    assert data["penandatangan"].startswith("Dr. H. Syarif Abdullah") and data["sha256"] == made.final_sha256
    response = kabag.get(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/csv/")
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert dict(zip(header, row))["nomor"] == made.nomor and response["Content-Disposition"].endswith('-srikandi.csv"')


def test_a_draft_is_not_handed_off_and_an_uninvited_agency_sees_nothing(people, initialled_nota, signed_nota):
    dossier, made = initialled_nota
    assert client_for(people, "kabag").get(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/json/").status_code == 404
    dossier, made = signed_nota
    assert client_for(people, "dishub").get(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/json/").status_code == 404
    # An invited agency does not receive the bureau's internal Nota.
    assert client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/csv/").status_code == 403


def test_the_clerk_records_the_srikandi_number_and_the_kabag_may_not(people, signed_nota):
    dossier, made = signed_nota
    url = f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/nomor/"
    assert client_for(people, "kabag").post(url, {"nomor_srikandi": "ND/1/2027"}).status_code == 403
    staf = client_for(people, "staf")
    for typed, says in [("9" * 101, "paling panjang 100 karakter"), ("", "Isi nomor yang diberikan SRIKANDI."),
                        ("\ufeffnomor\x00", "Karakter null tidak diizinkan.")]:
        refused = staf.post(url, {"nomor_srikandi": typed})
        # Refused beside the field, with what was typed.
        assert refused.status_code == 200 and says in refused.content.decode(), typed
        assert f'value="{typed}"' in refused.content.decode() or not typed
    made.refresh_from_db()
    assert made.nomor_srikandi == ""
    staf.post(url, {"nomor_srikandi": " B-123/Kesra/2027 "})
    made.refresh_from_db()
    assert made.nomor_srikandi == "B-123/Kesra/2027" and "Andi Saputra" in made.srikandi_dicatat
    assert "B-123/Kesra/2027" in staf.get(f"/dosier/{dossier.pk}/").content.decode()
    data = json.loads(staf.get(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/json/").content)
    assert data["nomor_srikandi"] == "B-123/Kesra/2027"
    # In the history, once: the same number sent again (a second click) records nothing more.
    staf.post(url, {"nomor_srikandi": "B-123/Kesra/2027"})
    assert dossier.events.filter(action="catat_nomor_srikandi").count() == 1
    assert "Mencatat nomor SRIKANDI" in client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    # Another number does not replace the recorded one from the page: refused beside the field, kept as typed.
    refused = client_for(people, "kasubag").post(url, {"nomor_srikandi": "B-999/Kesra/2027"})
    page = refused.content.decode()
    assert refused.status_code == 200 and "sudah dicatat: B-123/Kesra/2027" in page and 'value="B-999/Kesra/2027"' in page
    made.refresh_from_db()
    assert made.nomor_srikandi == "B-123/Kesra/2027"


def test_the_bureau_downloads_one_zip_with_the_signed_pdf_and_its_particulars(people, signed_nota):
    import zipfile

    dossier, made = signed_nota
    url = f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/zip/"
    staf = client_for(people, "staf")
    assert url in staf.get(f"/dosier/{dossier.pk}/").content.decode()
    response = staf.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('-srikandi.zip"')
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    pdf_name = made.final_name
    assert sorted(archive.namelist()) == sorted([pdf_name, pdf_name.removesuffix(".pdf") + "-metadata.json"])
    assert archive.read(pdf_name) == record.served_bytes(made)
    data = json.loads(archive.read(pdf_name.removesuffix(".pdf") + "-metadata.json"))
    assert data["nomor"] == made.nomor and data["klasifikasi"] == "000.7" and data["sifat"] == "Biasa"
    assert data["hal"].startswith("Penyampaian Draft Keputusan Gubernur") and data["ringkasan"].startswith(data["hal"])
    assert data["penandatangan"].startswith("Dr. H. Syarif Abdullah")
    # Who initialled it before the Kabiro signed: the Kasubag's and the Kabag's paraf.
    [kasubag, kabag] = data["verifikator"]
    assert people["kasubag"].display_name in kasubag and people["kabag"].display_name in kabag
    assert data["tujuan"] == ["Asisten Pemerintahan dan Kesejahteraan Rakyat"] and data["berkas"] == pdf_name


def test_the_zip_is_the_bureaus_and_only_for_a_signed_document(people, initialled_nota, signed_nota):
    dossier, draft = initialled_nota
    assert client_for(people, "staf").get(f"/dosier/{dossier.pk}/srikandi/{draft.document.pk}/zip/").status_code == 404
    dossier, made = signed_nota
    url = f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/zip/"
    assert client_for(people, "dishub").get(url).status_code == 404  # not invited: the dossier is not there
    assert client_for(people, "dinkes").get(url).status_code == 403  # invited: the Nota is internal
    assert url not in client_for(people, "dinkes").get(f"/dosier/{dossier.pk}/").content.decode()


def test_a_staf_who_is_also_plh_kasubag_records_the_number_as_staf(people, signed_nota):
    """Her own role first, as every action chooses it: the log named her Plh. Kasubag on behalf of the
    Kasubag, a delegation she did not need to record the number."""
    dossier, made = signed_nota
    today = timezone.localdate()
    Delegation.objects.create(official=people["kasubag"], delegate=people["staf"], role=Role.KASUBAG,
                              starts_on=today, ends_on=today + dt.timedelta(days=2))
    client_for(people, "staf").post(f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/nomor/",
                                    {"nomor_srikandi": "B-7/Kesra/2027"})
    event = dossier.events.get(action="catat_nomor_srikandi")
    assert (event.role, event.on_behalf_of) == (Role.STAF, None)


def test_the_number_form_given_back_reads_a_fixed_few_queries(people, signed_nota):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier, made = signed_nota
    staf = client_for(people, "staf")
    url = f"/dosier/{dossier.pk}/srikandi/{made.document.pk}/nomor/"
    staf.get(f"/dosier/{dossier.pk}/")
    with CaptureQueriesContext(connection) as seen:
        refused = staf.post(url, {"nomor_srikandi": "9" * 101})
    assert refused.status_code == 200 and "paling panjang 100 karakter" in refused.content.decode()
    assert len(seen) <= 8, [q["sql"][:120] for q in seen]


def test_a_document_number_past_any_key_is_not_found(people, signed_nota):
    dossier, _made = signed_nota
    staf = client_for(people, "staf")
    for ending in ("json/", "csv/", "zip/"):
        assert staf.get(f"/dosier/{dossier.pk}/srikandi/99999999999999999999/{ending}").status_code == 404
    assert staf.post(f"/dosier/{dossier.pk}/srikandi/99999999999999999999/nomor/", {"nomor_srikandi": "x"}).status_code == 404


def test_each_documents_srikandi_links_name_it_for_a_screen_reader(people, signed_nota):
    import re

    dossier, made = signed_nota
    page = client_for(people, "staf").get(f"/dosier/{dossier.pk}/").content.decode()
    json_link = re.search(rf'<a href="/dosier/{dossier.pk}/srikandi/{made.document.pk}/json/">(.*?)</a>', page).group(1)
    assert json_link == 'data JSON<span class="visually-hidden"> Nota Dinas</span>'
    assert re.search(r'<label>Nomor SRIKANDI<span class="visually-hidden"> Nota Dinas</span>', page)
