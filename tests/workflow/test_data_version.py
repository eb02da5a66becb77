"""Pages kept under the data version (workflow.data_version): a second look at a list reads no
dossier, and whatever changes the data (an action, an agency's IKU, the admin, a bulk update)
shows on everyone's next page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.factories import client_for
from workflow import data_version, demo
from workflow.models import Dossier, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER

# Each page, and what it shows of a dossier at step 3: its title in a list, its step in the report.
KEPT_PAGES = [("kasubag", "/", "Penetapan IKU Kalbar"), ("dinkes", "/", "Penetapan IKU Kalbar"),
              ("kabag", "/dasbor/", "Penetapan IKU Kalbar"),
              ("kabiro", "/laporan/?tahun=2027", STEP_BY_NUMBER[3].ringkas)]


def dossier_queries(client, url) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries if "workflow_dossier" in q["sql"]]


@pytest.mark.parametrize("username, url, shown", KEPT_PAGES)
def test_a_second_look_reads_no_dossier_and_shows_the_same(people, walk, username, url, shown):
    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU Kalbar")
    client = client_for(people, username)
    first, read = dossier_queries(client, url)
    again, read_again = dossier_queries(client, url)
    assert read and not read_again
    assert shown in first and shown in again


def test_a_look_by_someone_else_is_theirs_not_the_first_readers(people, walk):
    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU Kalbar")
    assert "Kirim Konsep IKU Dinas Kesehatan" in client_for(people, "dinkes").get("/").content.decode()
    page = client_for(people, "dinsos").get("/").content.decode()
    assert "Kirim Konsep IKU Dinas Sosial" in page and "Dinas Kesehatan" not in page
    assert "Penetapan IKU Kalbar" not in client_for(people, "dishub").get("/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_action_shows_on_everyones_next_page():
    # Committed as in production: PostgreSQL moves the version when the action's transaction commits.
    people = factories.make_people()
    dossier = factories.dossier_at(people, STEP_BY_NUMBER[2].state, judul="Penetapan IKU Kalbar")
    agency, kasubag, kabag = (client_for(people, name) for name in ("dinkes", "kasubag", "kabag"))
    assert "Kirim Konsep IKU" not in agency.get("/").content.decode()
    assert STEP_BY_NUMBER[2].action_label in kasubag.get("/").content.decode()
    before = kabag.get("/dasbor/").content.decode()
    demo.walk_to(dossier, people, STEP_BY_NUMBER[3].state)
    assert "Kirim Konsep IKU Dinas Kesehatan" in agency.get("/").content.decode()
    assert STEP_BY_NUMBER[3].action_label in kasubag.get("/").content.decode()
    assert kabag.get("/dasbor/").content.decode() != before
    demo.submit_iku(dossier, people["dinkes"], "Konsep")
    assert "terkirim" in agency.get("/").content.decode()


def test_a_bulk_update_and_a_role_taken_away_show_at_once(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state, judul="Penetapan IKU Kalbar")
    kasubag = client_for(people, "kasubag")
    assert "Penetapan IKU Kalbar" in kasubag.get("/").content.decode()
    # What the admin's bulk actions and the console do: no model's save() is called.
    Dossier.objects.filter(pk=dossier.pk).update(judul="Penetapan IKU Provinsi")
    assert "Penetapan IKU Provinsi" in kasubag.get("/").content.decode()
    UserRole.objects.filter(user=people["kasubag"]).exclude(role=Role.KASUBAG).delete()
    UserRole.objects.filter(user=people["kasubag"], role=Role.KASUBAG).delete()
    assert "Penetapan IKU Provinsi" not in kasubag.get("/").content.decode()


def test_signing_in_leaves_the_version_and_a_profile_change_moves_it(people):
    before = data_version.current()
    signed_in = client_for(people, "anonymous").post("/masuk/", {"username": "dinkes", "password": demo.DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert data_version.current() == before
    people["dinkes"].nama = "Petugas Dinkes Baru"
    people["dinkes"].save()
    assert data_version.current() > before


def test_every_table_a_kept_page_reads_moves_the_version(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s",
                           [data_version.TRIGGER])
            installed = {row[0].strip('"') for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           [data_version.TRIGGER + "_%"])
            installed = {row[0] for row in cursor.fetchall()}
    assert installed == set(data_version.tables())
    read_by_pages = {"workflow_dossier", "workflow_dossier_invited", "workflow_dossier_prepared_by",
                     "workflow_stepvisit", "workflow_disposition", "workflow_delegation", "workflow_userrole",
                     "workflow_user", "workflow_skpd", "workflow_document", "workflow_ikusubmission",
                     "workflow_ikurow", "workflow_harikhusus", "workflow_jamkerja", "workflow_jadwal",
                     "workflow_naskahdibuat"}
    assert read_by_pages <= installed


def test_with_keeping_off_every_look_works_the_page_out(people, walk, pages_worked_out):
    walk(STEP_BY_NUMBER[3].state, judul="Penetapan IKU Kalbar")
    client = client_for(people, "kasubag")
    _, read = dossier_queries(client, "/")
    _, read_again = dossier_queries(client, "/")
    assert read and read_again == read
