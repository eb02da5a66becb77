"""`manage.py seed_volume` fills a database with a province's volume in bulk, idempotently, with
every state present, a whole audit chain, and pages that still render."""

from django.core.management import call_command

from iku.models import IkuRow
from tests.factories import client_for
from workflow.models import AuditEvent, Dossier, Skpd, StepVisit, User
from workflow.steps import STATE_CHOICES


def test_seed_volume_is_bulk_idempotent_and_leaves_every_page_working(people, capsys):
    call_command("seed_volume", "--dossiers", "120")
    assert "120 dosier baru" in capsys.readouterr().out
    volume = Dossier.objects.filter(judul__startswith="Volume #")
    counts = (volume.count(), IkuRow.objects.count(), AuditEvent.objects.count(), Skpd.objects.count())
    assert counts[0] == 120 and counts[1] > 120 * 10 and counts[2] >= 120 * 20 and counts[3] == 60
    assert set(volume.values_list("state", flat=True)) == {state for state, _ in STATE_CHOICES}
    assert User.objects.filter(username__startswith="vol-").count() >= 50
    assert all(d.invited.count() == 40 for d in volume[:5])
    # Each running dossier carries its open stay's due moment, as the app writes it (the inbox's order).
    for dossier in volume.exclude(due_at=None)[:20]:
        assert dossier.due_at == dossier.visits.get(left_at=None).due_at
    assert volume.exclude(due_at=None).count() == StepVisit.objects.filter(
        dossier__in=volume, left_at=None, due_at__isnull=False).count() > 0

    call_command("seed_volume", "--dossiers", "120")
    assert "0 dosier baru" in capsys.readouterr().out
    assert (volume.count(), IkuRow.objects.count(), AuditEvent.objects.count(), Skpd.objects.count()) == counts

    call_command("verify_audit")
    assert "Rantai riwayat utuh" in capsys.readouterr().out
    biggest = max(volume, key=lambda d: IkuRow.objects.filter(submission__dossier=d).count())
    for username, url in [("kasubag", "/"), ("kasubag", "/arsip/"), ("kabag", "/dasbor/"), ("kabiro", "/laporan/"),
                          ("kasubag", f"/dosier/{biggest.pk}/"), ("kasubag", f"/dosier/{biggest.pk}/iku/bahan/")]:
        assert client_for(people, username).get(url).status_code == 200, url


def test_seed_volume_fills_a_database_with_no_users_and_gives_the_bureau_every_role(db, capsys):
    # The bureau's users all took one role (their ids ten apart), so on a database left empty there
    # was no Kasubag for the notices it writes: "'NoneType' object has no attribute 'pk'".
    from workflow.roles import Role

    call_command("seed_volume", "--dossiers", "30")
    assert "30 dosier baru" in capsys.readouterr().out
    bureau = User.objects.filter(username__startswith="vol-", skpd__isnull=True)
    assert set(bureau.values_list("role_set__role", flat=True)) == {
        Role.KASUBAG, Role.STAF, Role.KABAG, Role.KABIRO, Role.TIM}
