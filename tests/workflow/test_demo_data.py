import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from iku.models import IkuRow, IkuSubmission, IkuVersion
from workflow import sla
from workflow.models import Dossier, User
from workflow.roles import Role
from workflow.steps import SELESAI, STEPS


def test_it_makes_a_user_per_role_and_a_dossier_at_each_step(db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo_data")
    for role in Role:
        assert User.objects.filter(role_set__role=role).exists(), role
    assert User.objects.filter(role_set__role=Role.SKPD).values("skpd").distinct().count() == 2
    assert User.objects.get(username="admin").is_superuser
    states = list(Dossier.objects.values_list("state", flat=True))
    for step in STEPS:
        assert step.state in states
    assert SELESAI in states
    assert Dossier.objects.filter(events__action="kembalikan").count() == 2
    # The round's corrections are there to try: a draft not sent, Bahan reopened and sent again as a
    # real-shaped table with its warnings, a row corrected by the Kasubag.
    assert IkuSubmission.objects.filter(submitted_at__isnull=True).exclude(draft=[]).count() == 1
    assert IkuVersion.objects.filter(submission__stage="bahan", nomor=2).count() == 2
    corrected = IkuRow.objects.get(submission__stage="bahan", target="72 (2027)")
    assert corrected.submission.dossier.events.filter(action="atur_tabel_iku").count() == 2
    assert IkuRow.objects.filter(submission__stage="bahan", sasaran_strategis="").exists()
    assert User.objects.get(username="kabag").check_password("sopiku-demo")
    # The history spreads over past days: the dashboard has both late and on-time work to show.
    counts = sla.counts(sla.current_clocks(Dossier.objects.all()).values())
    assert counts["late"] >= 1 and counts["ok"] >= 1
    assert Dossier.objects.order_by("created_at").first().created_at < timezone.now() - dt.timedelta(days=3)
    count = Dossier.objects.count()
    call_command("demo_data")
    assert Dossier.objects.count() == count
