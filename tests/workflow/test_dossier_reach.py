"""What is worked out from the dossiers a user sees is kept under `policy.dossier_reach` (the
report's year figures: laporan.figures): two users who share it see the same dossiers, or one
would be shown figures counted over rounds they may not see."""

import itertools

from workflow import policy
from workflow.models import Dossier, Skpd, User, UserRole
from workflow.roles import Role


def test_users_sharing_a_reach_see_the_same_dossiers(people, walk):
    from workflow.steps import STEP_BY_NUMBER

    walk(STEP_BY_NUMBER[3].state)
    # Dinas Perhubungan's officer is invited to one round of their own; a second officer of Dinas
    # Kesehatan sees what the first does; an account with no role sees nothing.
    Dossier.objects.create(tahun=2028, judul="Ronde Dishub", created_by=people["kasubag"]).invited.set(
        [people["dishub"].skpd])
    second = User.objects.create_user("dinkes2", skpd=people["dinkes"].skpd)
    UserRole.objects.create(user=second, role=Role.SKPD)
    users = [*people.values(), second, User.objects.create_user("tanpa.peran"),
             User.objects.create_user("tanpa.skpd", skpd=Skpd.objects.get(nama_pendek="Dinas Sosial"))]
    seen = {user.pk: set(Dossier.objects.visible_to(user).values_list("pk", flat=True)) for user in users}
    assert len({frozenset(found) for found in seen.values()}) >= 4
    shared = 0
    for one, other in itertools.combinations(users, 2):
        if policy.dossier_reach(one) == policy.dossier_reach(other):
            shared += 1
            assert seen[one.pk] == seen[other.pk], (one.username, other.username)
    # The bureau's five and the admin; the two officers of one agency; the two who see nothing.
    assert shared == 15 + 1 + 1
