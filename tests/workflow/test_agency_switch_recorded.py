"""The admin deactivates an agency from the list (an action, not its page) in the middle of a round:
who did it and when is in the agency's history (Riwayat), as every change made on its page is, and
the message counts only the agencies it changed."""

import re

from tests.factories import client_for
from workflow.models import Skpd


def history(admin, agency) -> str:
    page = admin.get(f"/admin/workflow/skpd/{agency.pk}/history/").content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_deactivating_and_reactivating_from_the_list_is_in_the_agencys_history(people):
    admin = client_for(people, "admin")
    health, social = Skpd.objects.get(pk=people["dinkes"].skpd_id), Skpd.objects.get(pk=people["dinsos"].skpd_id)
    Skpd.objects.filter(pk=social.pk).update(aktif=False)

    answer = admin.post("/admin/workflow/skpd/", {"action": "nonaktifkan", "_selected_action": [health.pk, social.pk]},
                        follow=True)
    text = " ".join(answer.content.decode().split())
    assert "1 SKPD dinonaktifkan" in text  # Dinas Sosial already was
    said = history(admin, health)
    assert "Dinonaktifkan dengan aksi pada daftar SKPD" in said and "admin" in said
    assert "Dinonaktifkan" not in history(admin, social)

    admin.post("/admin/workflow/skpd/", {"action": "aktifkan", "_selected_action": [health.pk]})
    assert "Diaktifkan kembali dengan aksi pada daftar SKPD" in history(admin, health)
    assert Skpd.objects.get(pk=health.pk).aktif
