"""The archive finds a round by who acted on it from the names the round keeps on its own row
(workflow.audit.actors): each person once, as the log wrote them, whatever else saves the round, and
after an upgrade or a restore of an archive made before the round kept them."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import client_for
from workflow import services
from workflow.actions import RENEW_TIMESTAMP, Action
from workflow.audit import actors
from workflow.models import AuditEvent, Delegation, Dossier
from workflow.steps import STEP_BY_NUMBER


def finds(people, q) -> str:
    page = client_for(people, "kasubag").get("/arsip/", {"q": q})
    assert page.status_code == 200
    return page.content.decode()


def test_each_actor_is_named_once_in_the_order_they_first_acted(people, walk):
    dossier = walk(STEP_BY_NUMBER[8].state, judul="Ronde diparaf")
    labels = list(dict.fromkeys(dossier.events.order_by("pk").values_list("actor_label", flat=True)))
    assert len(labels) > 2
    dossier.refresh_from_db()
    assert dossier.pelaku == "\n" + "\n".join(labels) + "\n"


def test_a_plh_is_found_by_their_name_and_by_the_officials(people, walk):
    today = timezone.localdate()
    Delegation.objects.create(official=people["kabag"], delegate=people["tim"], role="kabag", kind="plh",
                              starts_on=today, ends_on=today + datetime.timedelta(days=3))
    initialled = walk(STEP_BY_NUMBER[7].state, judul="Diparaf Plh")
    other = walk(STEP_BY_NUMBER[7].state, judul="Menunggu paraf")
    services.perform(initialled, people["tim"], Action.SELESAIKAN, revision=initialled.revision)
    for name in (people["tim"].nama, "Plh. Kabag", "atas nama Drs. Hendra Gunawan"):
        page = finds(people, name)
        assert "Diparaf Plh" in page and "Menunggu paraf" not in page, name
    assert other.judul not in finds(people, "Plh. Kabag")


def test_a_round_saved_from_a_copy_read_before_someone_acted_keeps_their_name(people, walk):
    dossier = walk(STEP_BY_NUMBER[9].state, judul="Ronde disimpan")
    read_before = Dossier.objects.get(pk=dossier.pk)
    # What does not move the round (the nightly timestamp renewal, a SRIKANDI number) leaves its
    # position as the older copy read it, so nothing refuses that copy's save.
    AuditEvent.objects.record_by_system(dossier, RENEW_TIMESTAMP, "pembaruan stempel waktu",
                                        {"note": "Nota: stempel waktu ditambahkan"}, timezone.now())
    assert "Ronde disimpan" in finds(people, "stempel waktu")
    read_before.judul = "Ronde disimpan ulang"
    read_before.save()
    assert "Ronde disimpan ulang" in finds(people, "stempel waktu")


def test_the_names_are_filled_from_the_log_where_the_round_has_none(people, walk):
    # An install upgraded to the column, or restored from an archive made before it, has the log alone.
    kept = walk(STEP_BY_NUMBER[8].state, judul="Ronde lama sekali")
    name = people["kabag"].display_name.split(",")[0]
    named = Dossier.objects.get(pk=kept.pk).pelaku
    Dossier.objects.update(pelaku="")
    assert "Ronde lama sekali" not in finds(people, name)
    assert actors.fill(Dossier.objects, AuditEvent.objects) == Dossier.objects.count()
    assert Dossier.objects.get(pk=kept.pk).pelaku == named
    assert "Ronde lama sekali" in finds(people, name)
    assert actors.fill(Dossier.objects, AuditEvent.objects) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_restored_archive_from_before_finds_rounds_by_who_acted(people, walk, tmp_path):
    walk(STEP_BY_NUMBER[8].state, judul="Ronde dipulihkan")
    name = people["kabag"].display_name.split(",")[0]
    # The archive of an install before the column: its dossiers carry no names.
    Dossier.objects.update(pelaku="")
    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(archive))
    from workflow.models import User

    kasubag = client_for({"kasubag": User.objects.get(username="kasubag")}, "kasubag")
    assert "Ronde dipulihkan" in kasubag.get("/arsip/", {"q": name}).content.decode()


def test_an_actor_already_named_is_not_named_again_and_a_name_inside_another_is_its_own(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    named = Dossier.objects.get(pk=dossier.pk).pelaku
    first = named.split("\n")[1]
    actors.add(Dossier.objects, dossier.pk, first)
    assert Dossier.objects.get(pk=dossier.pk).pelaku == named
    # "Rina (Kasubag)" inside "Marina (Kasubag)" is another person.
    actors.add(Dossier.objects, dossier.pk, "Ma" + first)
    assert Dossier.objects.get(pk=dossier.pk).pelaku == named + "Ma" + first + "\n"


def test_only_a_persons_first_action_on_a_round_writes_their_name(people, walk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = walk(STEP_BY_NUMBER[9].state)

    def renewal_writes() -> list[str]:
        locked = Dossier.objects.get(pk=dossier.pk)
        with CaptureQueriesContext(connection) as seen:
            AuditEvent.objects.record_by_system(locked, RENEW_TIMESTAMP, "pembaruan stempel waktu", {}, timezone.now())
        return [q["sql"] for q in seen if '"pelaku"' in q["sql"]]

    assert len(renewal_writes()) == 1
    assert renewal_writes() == []


def test_the_nightly_check_names_who_acted_where_the_previous_release_wrote_the_events(people, walk, capsys):
    # During an upgrade the previous release, still serving, writes events without naming anyone.
    dossier = walk(STEP_BY_NUMBER[8].state, judul="Ronde saat pemutakhiran")
    Dossier.objects.filter(pk=dossier.pk).update(pelaku="")
    name = people["kabag"].display_name.split(",")[0]
    assert "Ronde saat pemutakhiran" not in finds(people, name)
    call_command("verify_audit")
    assert "Nama yang bertindak pada 1 dosier dilengkapi dari riwayat" in capsys.readouterr().out
    assert "Ronde saat pemutakhiran" in finds(people, name)
    call_command("verify_audit")
    assert "dilengkapi" not in capsys.readouterr().out
