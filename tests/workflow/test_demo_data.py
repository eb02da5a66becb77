import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from iku.models import IkuRow, IkuSubmission, IkuVersion
from naskah import record, signers
from naskah.models import NaskahRecord, SigningMethod
from notices.models import Notice
from tests.api import curl_session
from tests.conftest import IMMEDIATE_TASKS
from tests.task_backends import DATABASE as QUEUE
from tests.task_backends import work_queue
from workflow import sla
from workflow.models import Dossier, User
from workflow.roles import Role
from workflow.steps import SELESAI, STEPS, DocKind


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_makes_a_user_per_role_and_a_dossier_at_each_step_mails_every_hand_off_and_answers_the_curl_session(
        live_server, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Through the real queue and worker: nothing failed, nobody left untold (a title or a name that
    # breaks a mail header once left three notices unsent). Committed as an install commits it, so
    # each hand-off is queued as its transaction commits, and the live server reads the demo below.
    settings.TASKS = QUEUE
    call_command("demo_data", stdout=io.StringIO())
    assert DBTaskResult.objects.filter(task_path="notices.tasks.deliver_handoff").count() > 50
    mail.outbox = []
    work_queue()
    failed = [(r.task_path, r.exception_class_path) for r in DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)]
    assert failed == []
    wanted = Notice.objects.filter(recipient__email__gt="")
    assert wanted.exists()
    assert not wanted.filter(emailed_at__isnull=True).exists()
    assert len(mail.outbox) == wanted.count()
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
    # A round's Nota signed B-LTA by the local signer, another's through the BSrE stand-in (stopped
    # since): both the record, and verifiable, as of 2040; the Kabiro still signs locally.
    signed = NaskahRecord.objects.filter(document__kind=DocKind.NOTA_DINAS).exclude(final_sha256="")
    assert sorted(signed.values_list("signed_through", flat=True)) == sorted(
        [signers.LABELS[signers.LOCAL], signers.LABELS[signers.BSRE]])
    for made in signed:
        path = tmp_path / f"nota-{made.pk}.pdf"
        path.write_bytes(record.served_bytes(made))
        out = io.StringIO()
        call_command("verify_document", str(path), "--pada", "2040-01-01", stdout=out)
        assert out.getvalue().startswith("Asli") and "Sah: utuh" in out.getvalue(), out.getvalue()
        assert "PAdES B-LTA" in out.getvalue(), out.getvalue()
    assert not SigningMethod.objects.exists()
    count = Dossier.objects.count()
    call_command("demo_data", stdout=io.StringIO())
    assert Dossier.objects.count() == count
    # docs/api.md's curl session, run as written against this demo (a webhook delivered at once, as a
    # running worker delivers it, for the receiver to print).
    settings.TASKS = IMMEDIATE_TASKS
    curl_session.assert_documented_session_works(live_server, tmp_path)
