"""A new official appointed in the middle of a round (the Kabag replaced, an agency's only officer
replaced): the admin makes the account and gives the role while a step already waits on it. The
hand-off was told to the one who held the role then, who is gone; the new one's notices said
"Belum ada pemberitahuan" and no mail came, though the paraf waited, late, for them."""

from django.core import mail

from notices.models import Notice
from tests.factories import client_for
from workflow.models import Skpd, User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER


def add_account(admin, username, nama, role, skpd=None):
    return admin.post("/admin/workflow/user/add/", {
        "username": username, "usable_password": "false", "nama": nama, "email": f"{username}@example.go.id",
        "nip": "", "jabatan": "", "pangkat_golongan": "", "skpd": skpd.pk if skpd else "",
        "role_set-TOTAL_FORMS": "1", "role_set-INITIAL_FORMS": "0", "role_set-0-role": role,
    })


def test_the_new_kabag_is_told_of_the_paraf_waiting_for_him(people, walk, django_capture_on_commit_callbacks):
    dossier = walk(STEP_BY_NUMBER[7].state)
    walk(STEP_BY_NUMBER[3].state, judul="Dosier di langkah 3")  # waits on nobody's Kabag role
    admin = client_for(people, "admin")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        saved = add_account(admin, "kabag2", "Ir. Sri Wahyuni, M.T.", Role.KABAG)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    kabag2 = User.objects.get(username="kabag2")
    notice = Notice.objects.get(recipient=kabag2)
    assert notice.judul == "Anda kini memegang peran Kabag: 1 dosier menunggu Anda"
    assert f"{dossier.judul} (Langkah 7: {STEP_BY_NUMBER[7].ringkas}): Paraf dan teruskan ke Kabiro" in notice.isi
    assert "Dosier di langkah 3" not in notice.isi
    assert notice.path == f"/dosier/{dossier.pk}/"
    sent = [m for m in mail.outbox if m.to == ["kabag2@example.go.id"]]
    assert len(sent) == 1 and sent[0].subject == notice.judul


def test_the_agencys_new_officer_is_told_of_the_table_the_round_waits_for(people, walk,
                                                                          django_capture_on_commit_callbacks):
    walk(STEP_BY_NUMBER[3].state, judul="Putaran pertama")
    walk(STEP_BY_NUMBER[3].state, judul="Putaran kedua")
    dinkes = Skpd.objects.get(nama_pendek="Dinas Kesehatan")
    with django_capture_on_commit_callbacks(execute=True):
        add_account(client_for(people, "admin"), "dinkes2", "Siti Rahmah, S.K.M.", Role.SKPD, skpd=dinkes)
    notice = Notice.objects.get(recipient__username="dinkes2")
    assert notice.judul == "Anda kini memegang peran SKPD: 2 dosier menunggu Anda"
    assert "Putaran pertama" in notice.isi and "Putaran kedua" in notice.isi
    assert "Kirim Konsep IKU Dinas Kesehatan" in notice.isi
    assert notice.path == "/"  # several: the inbox


def test_a_role_nothing_waits_on_tells_nothing(people, walk, django_capture_on_commit_callbacks):
    walk(STEP_BY_NUMBER[3].state)
    with django_capture_on_commit_callbacks(execute=True):
        UserRole.objects.create(user=people["tim"], role=Role.KABIRO)
    assert not Notice.objects.filter(recipient=people["tim"]).exists()


def test_an_officer_brought_in_by_the_import_is_told_too(people, walk, admin_client,
                                                        django_capture_on_commit_callbacks):
    from tests.workflow.test_people_import import confirm, preview, xlsx

    walk(STEP_BY_NUMBER[3].state, judul="Putaran 2027")
    page = preview(admin_client, xlsx([("siti.dinkes", "Siti Rahmah, S.K.M.", "", "", "", "siti@example.go.id",
                                        "Dinas Kesehatan", "SKPD")]))
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(admin_client, page).status_code == 302
    notice = Notice.objects.get(recipient__username="siti.dinkes")
    assert "Putaran 2027" in notice.isi and "Kirim Konsep IKU Dinas Kesehatan" in notice.isi
