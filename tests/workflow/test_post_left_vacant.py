"""The admin deactivates the only Kabag (or takes his role away) while a Nota waits for his paraf:
the step now waits on nobody, and no inbox lists it. The admin hears it as he saves, as he does when
an agency's last officer leaves, not the Kasubag days later from the late digest."""

from tests.factories import admin_user_form, client_for
from workflow.models import User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER

SAID = "Tidak ada lagi pengguna aktif yang memegang peran Kabag atau menjadi Plh./Plt.-nya"


def saved(people, user, **changes) -> str:
    admin = client_for(people, "admin")
    answer = admin.post(f"/admin/workflow/user/{user.pk}/change/", admin_user_form(user, **changes), follow=True)
    assert answer.redirect_chain, answer.content.decode()[:3000]
    return " ".join(answer.content.decode().split())


def test_deactivating_the_only_kabag_while_a_nota_waits_tells_the_admin(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state, judul="Penetapan IKU 2027")
    kabag = people["kabag"]

    page = saved(people, kabag, is_active="")

    assert SAID in page
    assert "1 dosier menunggu peran itu" in page and "Penetapan IKU 2027" in page
    assert "catat Plt." in page
    # Switched on again: the post is held, nothing to say.
    kabag.refresh_from_db()
    assert SAID not in saved(people, kabag, is_active="on")
    assert dossier.state == STEP_BY_NUMBER[7].state


def test_taking_the_kabag_role_back_tells_the_admin_unless_another_holds_it(people, walk):
    walk(STEP_BY_NUMBER[7].state, judul="Penetapan IKU 2027")
    kabag = people["kabag"]
    other = User.objects.create_user("kabag2", nama="Ir. Sri Wahyuni")
    UserRole.objects.create(user=other, role=Role.KABAG)

    # Another Kabag still holds the post: nothing waits on nobody.
    assert SAID not in saved(people, kabag, **{"role_set-0-DELETE": "on"})
    assert not kabag.role_set.exists()

    page = saved(people, other, **{"role_set-0-DELETE": "on"})
    assert SAID in page and "Penetapan IKU 2027" in page


def test_a_role_no_dossier_waits_on_says_nothing(people, walk):
    walk(STEP_BY_NUMBER[3].state)
    assert SAID not in saved(people, people["kabag"], is_active="")
