"""Each person's inbox says what they themselves can do now, in their words, derived from the
step data and the action table; an agency sees its own status and never the bureau's clock."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lib.dates import local, weekday_date
from tests.factories import client_for
from workflow import demo, policy, services
from workflow.actions import Action
from workflow.inbox import tasks_for
from workflow.models import Delegation
from workflow.roles import DelegationKind, Role
from workflow.steps import STEP_BY_NUMBER, STEPS, DocKind, IkuStage


def expected_texts(username, step, people):
    """What the step data says this user does at `step`: finish it, send the agency's IKU, or
    prepare what it produces."""
    roles = people[username].own_roles
    if set(roles) & set(step.actors):
        return [step.action_label]
    if Role.SKPD in roles:
        return [f"Kirim {IkuStage(step.iku_stage).label} {people[username].skpd.nama_pendek}"] if step.iku_stage else []
    if set(roles) & set(step.helpers):
        kinds = step.requires + step.produces
        texts = [f"Siapkan {DocKind(kind).label}" for kind in kinds] or [
            f"Unggah dokumen {step.ringkas}: Kelengkapan {step.kelengkapan}; Output {step.output}"]
        return texts + (["Catat rapat"] if step.min_meetings else [])
    return []


@pytest.mark.parametrize("number", [s.number for s in STEPS])
def test_each_role_reads_its_own_work_at_each_step(people, walk, number):
    step = STEP_BY_NUMBER[number]
    dossier = walk(step.state)
    for username in ("kasubag", "staf", "kabag", "kabiro", "dinkes"):
        texts = [t.text for t in tasks_for(people[username], dossier)]
        assert texts == expected_texts(username, step, people), (username, number)


def test_an_agency_reads_send_your_iku_and_its_own_status_not_the_clock(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    page = client_for(people, "dinkes").get("/").content.decode()
    assert "Kirim Konsep IKU Dinas Kesehatan" in page
    assert "belum mulai" in page
    # Its deadline, the step's due moment (what "tenggatnya paling dekat lebih dahulu" orders by),
    # but not the bureau's clock of the step.
    due = dossier.visits.get(left_at=None).due_at
    assert f'<td data-label="Tenggat">{weekday_date(local(due).date())} pukul {local(due):%H.%M}</td>' in page
    assert "Waktu baku" not in page and "Menunggu sejak" not in page
    assert STEP_BY_NUMBER[3].action_label not in page  # the Kasubag's act, not the agency's
    demo.submit_iku(dossier, people["dinkes"], "Konsep")
    assert "terkirim" in client_for(people, "dinkes").get("/").content.decode()


def test_a_plh_kabag_reads_that_they_act_as_plh(people, walk):
    today = timezone.localdate()
    # A Tim member (the Kasubag who prepared the draft may not paraf it: test_separation_of_duties).
    Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role=Role.KABAG,
                              kind=DelegationKind.PLH, starts_on=today, ends_on=today)
    walk(STEP_BY_NUMBER[7].state)
    page = client_for(people, "tim").get("/").content.decode()
    assert f"{STEP_BY_NUMBER[7].action_label}</a> <strong>sebagai Plh. Kabag</strong>" in page
    # The Kabag in their own right is not marked.
    assert "sebagai Plh." not in client_for(people, "kabag").get("/").content.decode()


@pytest.mark.parametrize("username", ["staf", "dinkes"])
def test_the_inbox_costs_the_same_queries_for_few_and_many_dossiers(people, walk, username):
    client = client_for(people, username)
    walk(STEP_BY_NUMBER[3].state)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for _ in range(3):
        walk(STEP_BY_NUMBER[3].state)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(many) == len(few), [q["sql"] for q in many]


def test_an_agency_inbox_reads_neither_its_invitations_nor_its_agency_on_their_own(people, walk):
    # Its rows are read under its invitations, and the signed-in user comes with the agency.
    walk(STEP_BY_NUMBER[3].state)
    client = client_for(people, "dinkes")
    client.get("/")
    with CaptureQueriesContext(connection) as seen:
        page = client.get("/").content.decode()
    assert "Kirim Konsep IKU Dinas Kesehatan" in page
    tables = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in seen if q["sql"].startswith("SELECT")]
    assert '"workflow_dossier_invited"' not in tables and '"workflow_skpd"' not in tables, tables


def test_the_inbox_lists_what_is_due_first_first(people, walk):
    # The Kabiro holds a letter to sign (2 working days) since before a Nota arrived (30 minutes):
    # the Nota is due first, so it comes first although it waited less.
    letter = walk(STEP_BY_NUMBER[4].state, judul="Surat yang lama menunggu")
    nota = walk(STEP_BY_NUMBER[8].state, judul="Nota yang baru tiba")
    assert nota.state_entered_at > letter.state_entered_at
    assert nota.visits.get(left_at=None).due_at < letter.visits.get(left_at=None).due_at
    page = client_for(people, "kabiro").get("/").content.decode()
    assert page.index("Nota yang baru tiba") < page.index("Surat yang lama menunggu")
    assert "tenggatnya paling dekat lebih dahulu" in page


def test_an_agency_reads_its_reopened_table_with_no_query_per_row(people, walk):
    # Past its stage, an agency works on a dossier only where the bureau reopened its table: the
    # page knows that for all its rows at once, not by asking each reopened dossier.
    def reopen(dossier):
        services.perform(dossier, people["kasubag"], "buka_kembali_iku", revision=dossier.revision,
                         skpd=people["dinkes"].skpd, catatan="Perbaiki target.")

    reopen(walk(STEP_BY_NUMBER[6].state))
    client = client_for(people, "dinkes")
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        page = client.get("/").content.decode()
    assert f"Kirim {IkuStage.BAHAN.label} Dinas Kesehatan" in page and "dibuka kembali" in page
    for _ in range(2):
        reopen(walk(STEP_BY_NUMBER[6].state))
    with CaptureQueriesContext(connection) as three:
        page = client.get("/").content.decode()
    assert page.count("dibuka kembali") == 3 and "3 dosier menunggu Anda" in page
    assert len(three) == len(one), [q["sql"] for q in three]


def test_the_staf_at_step_1_reads_every_paper_the_step_needs_and_is_told_which_are_missing(people, walk):
    dossier = walk(STEP_BY_NUMBER[1].state)
    inbox = client_for(people, "staf").get("/").content.decode()
    for kind in (DocKind.DPA, DocKind.KEPGUB_WORKSHOP, DocKind.UNDANGAN):
        assert f"Siapkan {DocKind(kind).label}" in inbox
    demo.upload(dossier, people["staf"], DocKind.DPA)
    staf = client_for(people, "staf")
    for page in (staf.get(f"/dosier/{dossier.pk}/"), staf.get(f"/dosier/{dossier.pk}/aksi/unggah_dokumen/")):
        text = page.content.decode()
        assert "Kelengkapan langkah 1 belum ada: Kepgub tentang workshop penetapan IKU." in text
        assert "Output langkah 1 belum ada: Undangan workshop." in text
        assert "belum ada: DPA SKPD" not in text  # uploaded: no longer missing


def test_the_staf_and_the_tim_at_the_workshop_read_what_its_papers_are_for(people, walk):
    walk(STEP_BY_NUMBER[3].state)
    for username in ("staf", "tim"):
        page = client_for(people, username).get("/").content.decode()
        assert ("Unggah dokumen Workshop penetapan IKU: Kelengkapan Notulen rapat; "
                "Output Konsep IKU dari masing-masing SKPD") in page, username


def test_an_agencys_inbox_follows_the_round_through_the_steps(people, walk):
    # Whether a round waits on an agency is stored on its invitation as the round moves: at the
    # steps where agencies send (3 and 5) every invited agency has it, before and after none does.
    from workflow.models import Invitation

    dossier = walk(STEP_BY_NUMBER[2].state, judul="Putaran berjalan")
    agency = client_for(people, "dinkes")
    seen = {}
    for number in (2, 3, 4, 5, 6):
        demo.walk_to(dossier, people, STEP_BY_NUMBER[number].state)
        seen[number] = "Putaran berjalan" in agency.get("/").content.decode()
    assert seen == {2: False, 3: True, 4: False, 5: True, 6: False}
    waiting = Invitation.objects.filter(dossier=dossier, waiting=True).values_list("skpd", flat=True)
    assert not waiting.exists()
    services.perform(dossier, people["kasubag"], "buka_kembali_iku", revision=dossier.revision,
                     skpd=people["dinkes"].skpd, catatan="Perbaiki target.")
    assert list(waiting) == [people["dinkes"].skpd_id]
    assert "Putaran berjalan" in agency.get("/").content.decode()
    assert "Putaran berjalan" not in client_for(people, "dinsos").get("/").content.decode()
    # Sending the reopened table again closes it: the round no longer waits on the agency.
    demo.submit_iku(dossier, people["dinkes"], "Bahan")
    assert not waiting.all().exists()
    assert "Putaran berjalan" not in agency.get("/").content.decode()


def test_an_agency_invited_later_finds_the_round_in_its_inbox(people, walk):
    # However an agency is invited (here after the round reached the agencies' step), its
    # invitation stores at once that the round waits on it.
    from workflow.models import Skpd

    dossier = walk(STEP_BY_NUMBER[3].state, judul="Putaran diperluas")
    late = Skpd.objects.exclude(pk__in=dossier.invited.values("pk")).first()
    officer = people["dinkes"]
    officer.skpd = late
    officer.save()
    assert "Putaran diperluas" not in client_for(people, "dinkes").get("/").content.decode()
    dossier.invited.add(late)
    assert "Putaran diperluas" in client_for(people, "dinkes").get("/").content.decode()


def test_one_dossiers_waiting_flags_follow_the_same_rule_as_every_invitations(people, walk):
    # policy.mark_waiting_on (each action, one dossier) and policy.mark_waiting (invitations made
    # anyhow, migrations) write the same rule two ways: at every position, from either starting
    # flags, with one agency's table reopened, both leave the same agencies waiting.
    from workflow.models import Dossier, Invitation
    from workflow.steps import STATE_CHOICES

    dossier = walk(STEP_BY_NUMBER[6].state)
    services.perform(dossier, people["kasubag"], "buka_kembali_iku", revision=dossier.revision,
                     skpd=people["dinkes"].skpd, catatan="Perbaiki target.")
    invitations = Invitation.objects.filter(dossier=dossier)
    assert invitations.count() > 1
    for state, _ in STATE_CHOICES:
        Dossier.objects.filter(pk=dossier.pk).update(state=state)
        dossier.refresh_from_db()
        found = []
        for mark in (lambda: policy.mark_waiting_on(dossier), lambda: policy.mark_waiting(invitations.all())):
            for start in (True, False):
                invitations.update(waiting=start)
                mark()
                found.append(sorted(invitations.filter(waiting=True).values_list("skpd_id", flat=True)))
        assert all(waiting == found[0] for waiting in found), (state, found)
    assert found[0] == []  # the last position, cancelled, waits on nobody


RETURN_NOTE = ("Target indikator Dinas Sosial belum terukur dan formula persentase layanan rehabilitasi sosial "
               "tidak sesuai Permensos;\nmohon perbaiki lampiran sebelum diteruskan.")


def returned(people, walk, judul="Dosier uji", note=RETURN_NOTE):
    dossier = walk(STEP_BY_NUMBER[7].state, judul=judul)
    services.perform(dossier, people["kabag"], Action.KEMBALIKAN, revision=dossier.revision, catatan=note)
    return dossier


def test_the_kasubags_row_says_the_kabag_returned_the_draft_and_how_the_note_begins(people, walk):
    """After a return the row said only "Paraf dan serahkan ke Kabag · putaran ke-2", as if the
    draft came for the first time; the notice and the dossier page said why it was back."""
    dossier = returned(people, walk)
    said = ("<strong>Dikembalikan oleh Kabag</strong>: “Target indikator Dinas Sosial belum terukur dan "
            "formula persentase layanan rehabilitasi sosial …”")
    for username in ("kasubag", "staf"):  # the Staf prepares the corrected draft
        page = client_for(people, username).get("/").content.decode()
        assert said in page, username
    assert STEP_BY_NUMBER[6].action_label in client_for(people, "kasubag").get("/").content.decode()
    # Sent again to the Kabag, it is no longer a returned draft where it waits now.
    demo.walk_to(dossier, people, STEP_BY_NUMBER[7].state)
    assert "Dikembalikan oleh" not in client_for(people, "kabag").get("/").content.decode()


def test_a_first_draft_and_an_agencys_row_say_nothing_of_a_return(people, walk):
    walk(STEP_BY_NUMBER[6].state, judul="Draft pertama")
    dossier = returned(people, walk, judul="Draft kembali")
    page = client_for(people, "kasubag").get("/").content.decode()
    assert page.count("Dikembalikan oleh") == 1
    assert page.index("Dikembalikan oleh") > page.index("Draft kembali") > page.index("Draft pertama")
    # The return note is the bureau's: an agency whose table was reopened there does not read it.
    dossier.refresh_from_db()
    services.perform(dossier, people["kasubag"], "buka_kembali_iku", revision=dossier.revision,
                     skpd=people["dinkes"].skpd, catatan="Perbaiki target.")
    agency = client_for(people, "dinkes").get("/").content.decode()
    assert "Draft kembali" in agency and "Dikembalikan" not in agency and "Permensos" not in agency


def test_a_return_by_a_plh_kabag_says_so(people, walk):
    today = timezone.localdate()
    Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role=Role.KABAG,
                              kind=DelegationKind.PLH, starts_on=today, ends_on=today)
    dossier = walk(STEP_BY_NUMBER[7].state)
    services.perform(dossier, people["tim"], Action.KEMBALIKAN, revision=dossier.revision, catatan="Perbaiki.")
    assert "<strong>Dikembalikan oleh Plh. Kabag</strong>: “Perbaiki.”" in client_for(people, "kasubag").get("/").content.decode()


def test_the_returned_rows_notes_are_read_in_one_query_for_the_page(people, walk):
    """No query at all for a page without a returned row (told by the open stay's number, read
    with the row's clock), one for the page's return notes however many rows were returned."""
    walk(STEP_BY_NUMBER[6].state)
    client = client_for(people, "kasubag")
    client.get("/")
    with CaptureQueriesContext(connection) as none_returned:
        client.get("/")
    returned(people, walk)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/").content.decode().count("Dikembalikan oleh Kabag") == 1
    for _ in range(3):
        returned(people, walk)
    with CaptureQueriesContext(connection) as four:
        assert client.get("/").content.decode().count("Dikembalikan oleh Kabag") == 4
    assert len(one) == len(none_returned) + 1 and len(four) == len(one), [q["sql"] for q in four]


def test_the_kasubags_row_at_step_6_says_which_reopened_tables_it_waits_for(people, walk):
    """The row said only "Paraf dan serahkan ke Kabag" while the step could not finish past two
    tables reopened for fixes and not sent again; the dossier page's round said so, the inbox not."""
    from iku.round import awaited, reopened_awaited

    def reopen(dossier, *usernames):
        for username in usernames:
            dossier.refresh_from_db()
            services.perform(dossier, people["kasubag"], "buka_kembali_iku", revision=dossier.revision,
                             skpd=people[username].skpd, catatan="Perbaiki target.")

    dossier = returned(people, walk)
    reopen(dossier, "dinkes", "dinsos")
    client = client_for(people, "kasubag")
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        page = client.get("/").content.decode()
    assert STEP_BY_NUMBER[6].action_label in page
    assert ("Tunggu perbaikan Bahan penyusunan IKU 2 SKPD yang dibuka kembali dan belum dikirim lagi: "
            "Dinas Kesehatan, Dinas Sosial") in page
    assert reopened_awaited([dossier]) == {dossier.pk: [a.nama_pendek for a in awaited(dossier)]}
    demo.submit_iku(dossier, people["dinsos"], "Bahan diperbaiki")
    page = client.get("/").content.decode()
    assert "Tunggu perbaikan Bahan penyusunan IKU 1 SKPD yang dibuka kembali dan belum dikirim lagi: Dinas Kesehatan<" in page
    # The page's rows are asked at once, however many wait on reopened tables.
    for _ in range(2):
        reopen(returned(people, walk), "dinkes")
    with CaptureQueriesContext(connection) as three:
        assert client.get("/").content.decode().count("Tunggu perbaikan") == 3
    assert len(three) == len(one), [q["sql"] for q in three]
    demo.submit_iku(dossier, people["dinkes"], "Bahan diperbaiki")
    assert client.get("/").content.decode().count("Tunggu perbaikan") == 2
