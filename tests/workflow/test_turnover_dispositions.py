"""Turnover in the middle of a round: the Staf holding an open disposisi is moved to another unit
(mutasi) or made Kasubag, and the admin takes the Staf role off their still active account. They can
no longer report it (only a Staf reports their own), and it left their inbox without a word: the
admin and the Kasubag must read that it waits on nobody, as they read it for a deactivated account."""

from tests.factories import admin_user_form, client_for
from tests.workflow.test_dispositions import admin_saves, give
from workflow.models import UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER


def without_staf_role(user, *, becomes=None) -> dict:
    """The admin's change form of `user` with the Staf role ticked for deletion, and `becomes` chosen
    in the empty row."""
    roles = list(user.role_set.all())
    form = admin_user_form(user)
    for number, role in enumerate(roles):
        if role.role == Role.STAF:
            form[f"role_set-{number}-DELETE"] = "on"
    if becomes:
        form[f"role_set-{len(roles)}-role"] = becomes
        form[f"role_set-{len(roles)}-user"] = user.pk
    return form


def test_the_staf_moved_to_another_unit_is_named_to_the_admin_and_on_the_dossier_page(people, dossier):
    give(people, dossier)
    staf = people["staf"]
    told = admin_saves(people, staf, without_staf_role(staf))
    assert not UserRole.objects.filter(user=staf, role=Role.STAF).exists()
    assert (f"{staf} tidak lagi berperan Staf, tetapi masih memegang 1 disposisi yang belum dilaporkan selesai "
            f"({dossier.judul}, Langkah 1: {STEP_BY_NUMBER[1].ringkas}), yang kini tidak dapat dilaporkannya.") in told
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    listed = page.split('id="disposisi"')[1].split("</section>")[0]
    assert (f"{staf.display_name} tidak lagi berperan Staf: laporkan selesai atau beri disposisi baru kepada staf "
            "lain") in listed
    assert "Laporkan disposisi selesai" in listed


def test_a_staf_made_kasubag_is_told_of_too_and_closes_it_himself(people, dossier):
    give(people, dossier)
    staf = people["staf"]
    told = admin_saves(people, staf, without_staf_role(staf, becomes=Role.KASUBAG))
    assert f"{staf} tidak lagi berperan Staf, tetapi masih memegang 1 disposisi" in told
    page = client_for(people, "staf").get(f"/dosier/{dossier.pk}/").content.decode()
    listed = page.split('id="disposisi"')[1].split("</section>")[0]
    assert f"{staf.display_name} tidak lagi berperan Staf" in listed
    assert "Laporkan disposisi selesai" in listed


def test_a_save_that_keeps_the_staf_role_says_nothing_of_the_disposisi(people, dossier):
    give(people, dossier)
    staf = people["staf"]
    told = admin_saves(people, staf, admin_user_form(staf, jabatan="Analis Kebijakan"))
    assert "disposisi" not in told
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/").content.decode()
    assert "tidak lagi berperan Staf" not in page


def test_with_no_active_staf_left_the_disposisi_form_says_so_before_anything_is_typed(people, dossier):
    # The only Staf moved out: the form offered an empty list, and after the instruction was typed
    # said only "Pilih staf yang menerima disposisi." of a list holding nobody to pick.
    UserRole.objects.filter(user=people["staf"], role=Role.STAF).delete()
    kasubag = client_for(people, "kasubag")
    page = kasubag.get(f"/dosier/{dossier.pk}/disposisi/").content.decode()
    said = ("Belum ada pengguna aktif dengan peran Staf (yang lama dipindahkan atau dinonaktifkan): minta admin "
            "memberi peran Staf kepada penggantinya di Admin › Pengguna.")
    assert said in page
    answer = give(people, dossier, kepada="", instruksi="Siapkan daftar hadir workshop")
    text = answer.content.decode()
    assert said in text and "Siapkan daftar hadir workshop" in text
    assert "Pilih staf yang menerima disposisi." not in text


def test_with_a_staf_at_hand_the_form_says_nothing_of_it(people, dossier):
    page = client_for(people, "kasubag").get(f"/dosier/{dossier.pk}/disposisi/").content.decode()
    assert "Belum ada pengguna aktif dengan peran Staf" not in page
    assert people["staf"].display_name in page
