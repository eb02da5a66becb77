"""The Kasubag, the likeliest Plh. Kabag, prepares every Nota the Kabag initials, and may not initial
what she prepared, delegation or not: the Kabag naming her is told those dossiers still wait on him,
and she is told so in her notice, not that everything waiting on the Kabag now waits on her."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from notices.models import Notice
from tests.factories import client_for
from workflow import policy
from workflow.models import User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER


def named(delegate, starts_on):
    return {"role": "kabag", "delegate": delegate.pk, "kind": "plh", "dasar": "ST 800/45",
            "starts_on": starts_on.isoformat(), "ends_on": (starts_on + dt.timedelta(days=4)).isoformat()}


def test_the_kabag_naming_the_kasubag_plh_reads_that_her_own_notas_still_wait_on_him(
        people, django_capture_on_commit_callbacks):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        page = client_for(people, "kabag").post("/pelimpahan/", named(people["kasubag"], tomorrow),
                                                follow=True).content.decode()
    kasubag = people["kasubag"].display_name
    assert (f"{kasubag} tidak dapat memaraf, mengembalikan atau menandatangani draft yang disiapkannya sendiri, "
            "juga sebagai Plh. Kabag: dosier pada langkah 7") in page
    assert f"tetap menunggu {people['kabag'].display_name}" in page
    notice = Notice.objects.get(recipient=people["kasubag"])
    assert "juga menunggu Anda, kecuali yang draftnya Anda siapkan sendiri" in notice.isi
    assert [m for m in mail.outbox if m.to == [people["kasubag"].email]]


def test_a_stand_in_who_prepares_nothing_the_post_reviews_reads_no_such_warning(people):
    other = User.objects.create(username="kabag2", nama="Ir. Yohanes Siregar, M.T.", email="k2@example.go.id")
    UserRole.objects.create(user=other, role=Role.KABAG)
    page = client_for(people, "kabag").post("/pelimpahan/", named(other, timezone.localdate()),
                                            follow=True).content.decode()
    assert "Plh. Kabag: Ir. Yohanes Siregar, M.T. dari" in page
    assert "draft yang disiapkannya sendiri" not in page
    # The steps come from the step data: the Kabag reviews at step 7 what step 6 prepares.
    assert [step.number for step in policy.reviews_of_own_preparing(people["kasubag"], Role.KABAG)] == [
        step.number for step in STEP_BY_NUMBER.values() if step.independent_of and Role.KABAG in step.actors]


def test_the_warning_writes_the_step_and_the_officials_name_as_printed(people):
    """The Kabag read "... pada langkah 7 (kabag meneliti dan memaraf) ... tetap menunggu Drs. Hendra
    Gunawan, M.M..": his post in small letters, and a second full stop after his title; the Kasubag's
    notice ended on the same two stops."""
    page = " ".join(client_for(people, "kabag").post(
        "/pelimpahan/", named(people["kasubag"], timezone.localdate() + dt.timedelta(days=1)),
        follow=True).content.decode().split())
    kabag = people["kabag"].display_name
    assert kabag.endswith(".")
    assert "dosier pada langkah 7 (Kabag meneliti dan memaraf) yang draftnya" in page
    assert f"tetap menunggu {kabag}</" in page or f"tetap menunggu {kabag} <" in page
    # Her notice too.
    assert Notice.objects.get(recipient=people["kasubag"]).isi.endswith(f"tetap menunggu {kabag}")
