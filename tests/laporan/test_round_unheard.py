"""The dashboard's round names the agencies the round cannot hear from while it waits on them: those
no active officer acts for (the admin adds one) and those whose officers have no e-mail address,
whom no reminder reaches (the admin fills one in). The Kabag read "Belum mulai" beside an agency
that is late and beside one nobody there was told of, and could not tell them apart."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import client_for
from tests.laporan.test_round_overview import DASHBOARD_QUERIES
from workflow.models import Skpd, User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER

UNSTAFFED = "SKPD yang diundang belum punya petugas"
UNMAILED = "punya petugas, tetapi petugasnya belum punya alamat surel"


def section(client) -> str:
    page = re.sub(r"\s+", " ", client.get("/dasbor/").content.decode())
    start = page.index('id="putaran"')
    return page[start:page.index("</section>", start)]


def note(page, marker) -> str:
    found = re.search(rf'<p class="card kurang" role="note" id="{marker}">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_the_kabag_reads_which_agencies_nobody_acts_for_and_which_no_reminder_reaches(people, walk):
    # The demo invites Dinkes and Dinsos, each with its officer, and Disdikbud, which has none.
    walk(STEP_BY_NUMBER[3].state)
    people["dinsos"].email = ""
    people["dinsos"].save()
    page = section(client_for(people, "kabag"))
    nobody = note(page, "tanpa-petugas")
    assert nobody.startswith(f"1 {UNSTAFFED}") and "tidak diberi tahu tentang putaran ini" in nobody
    assert ": Dinas Pendidikan dan Kebudayaan. Minta admin menambahkan petugasnya di Admin › Pengguna" in nobody
    unmailed = note(page, "tanpa-surel")
    assert unmailed == ("1 SKPD yang belum mengirim Konsep IKU punya petugas, tetapi petugasnya belum punya alamat surel,"
                        " sehingga pengingat tidak sampai kepada mereka: Dinas Sosial. Minta admin mengisi alamat"
                        " surel petugasnya di Admin › Pengguna.")
    # Dinkes, whose officer has an address, is in neither: it is just late, or not yet.
    assert "Dinas Kesehatan" not in nobody + unmailed

    # The admin adds Disdikbud's officer and Dinsos's address: the Kabag reads nothing more to do.
    officer = User.objects.create_user("disdik", nama="Petugas Disdikbud", email="disdik@example.go.id",
                                       skpd=Skpd.objects.get(nama_pendek="Dinas Pendidikan dan Kebudayaan"))
    UserRole.objects.create(user=officer, role=Role.SKPD)
    people["dinsos"].email = "dinsos@example.go.id"
    people["dinsos"].save()
    page = section(client_for(people, "kabag"))
    assert UNSTAFFED not in page and UNMAILED not in page


def test_an_agency_that_sent_or_left_the_rounds_is_not_among_those_no_reminder_reaches(people, walk):
    dossier = walk(STEP_BY_NUMBER[4].state)
    # At step 4 the Konsep is past: nobody is reminded, and who sent is read in the table; the agency
    # nobody acts for is still one nobody tells of the round's next step.
    people["dinsos"].email = ""
    people["dinsos"].save()
    page = section(client_for(people, "kabag"))
    assert UNMAILED not in page
    assert ": Dinas Pendidikan dan Kebudayaan." in note(page, "tanpa-petugas")
    # A deactivated agency has left the rounds: not awaited, no officer to add.
    Skpd.objects.filter(nama_pendek="Dinas Pendidikan dan Kebudayaan").update(aktif=False)
    assert UNSTAFFED not in section(client_for(people, "kabag"))
    assert dossier.invited.count() == 3


def test_once_the_round_no_longer_waits_on_the_agencies_it_names_none(people, walk):
    walk(STEP_BY_NUMBER[7].state)
    people["dinsos"].email = ""
    people["dinsos"].save()
    page = section(client_for(people, "kabag"))
    assert "Dinas Pendidikan dan Kebudayaan" in page  # its row in the table
    assert UNSTAFFED not in page and UNMAILED not in page


def test_the_agencies_officers_are_read_in_one_query_however_many_are_invited(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "kabag")
    client.get("/dasbor/")
    with CaptureQueriesContext(connection) as few:
        client.get("/dasbor/")
    # Twenty more invited: ten with an officer without an address, ten with nobody.
    for n in range(20):
        agency = Skpd.objects.create(nama=f"Badan Uji {n:02}", nama_pendek=f"Badan Uji {n:02}")
        dossier.invited.add(agency)
        if n % 2:
            officer = User.objects.create_user(f"uji{n}", nama=f"Petugas {n}", email="", skpd=agency)
            UserRole.objects.create(user=officer, role=Role.SKPD)
    with CaptureQueriesContext(connection) as many:
        page = re.sub(r"\s+", " ", client.get("/dasbor/").content.decode())
    assert note(page, "tanpa-petugas").startswith(f"11 {UNSTAFFED}")
    assert note(page, "tanpa-surel").startswith("10 SKPD yang belum mengirim Konsep IKU")
    assert len(many) == len(few) == DASHBOARD_QUERIES
    officers = [q["sql"] for q in many if "workflow_userrole" in q["sql"] and '"workflow_user"."skpd_id" IN' in q["sql"]]
    assert len(officers) == 1, officers


def test_the_round_that_waits_on_nobody_asks_no_more_than_before(people, walk):
    # Past the agencies' steps the officers are not read: the dashboard asks one query less.
    walk(STEP_BY_NUMBER[7].state)
    client = client_for(people, "kabag")
    client.get("/dasbor/")
    with CaptureQueriesContext(connection) as seen:
        client.get("/dasbor/")
    assert len(seen) == DASHBOARD_QUERIES - 1


def test_at_step_six_it_names_those_whose_reopened_table_no_reminder_reaches(people, reopened):
    # Back at step 6, Dinkes's Bahan reopened for fixes: the round waits on Dinkes alone now.
    people["dinkes"].email = ""
    people["dinkes"].save()
    people["dinsos"].email = ""
    people["dinsos"].save()
    page = section(client_for(people, "kabag"))
    # Dinsos, whose table is not reopened, is awaited no more; Disdikbud neither (nobody asks it now).
    assert note(page, "tanpa-surel").startswith(
        "1 SKPD yang belum mengirim Bahan penyusunan IKU lagi punya petugas, tetapi petugasnya belum punya"
        " alamat surel, sehingga pengingat tidak sampai kepada mereka: Dinas Kesehatan.")
    assert UNSTAFFED not in page

    # Its only officer leaves: the reopened table waits on an agency nobody acts for.
    people["dinkes"].is_active = False
    people["dinkes"].save()
    page = section(client_for(people, "kabag"))
    assert note(page, "tanpa-petugas").startswith(f"1 {UNSTAFFED}")
    assert ": Dinas Kesehatan." in note(page, "tanpa-petugas") and UNMAILED not in page
