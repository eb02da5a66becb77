"""Pages whose rows grow with use read them in a fixed number of queries: the notices list, the
delegations page, an agency's versions compared."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from iku.models import IkuSubmission
from notices.models import Notice
from tests.factories import client_for
from tests.iku.test_round import send
from workflow.models import Delegation, User, UserRole
from workflow.roles import Role
from workflow.steps import STEP_BY_NUMBER


def queries(client, url) -> int:
    """The queries of a second look at `url` (the first reads the session and the user's roles)."""
    client.get(url)
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return len(seen)


def notices_for(user, dossier, count, start):
    now = timezone.now()
    Notice.objects.bulk_create([Notice(recipient=user, dossier=dossier if i % 2 else None, key=f"uji:{start + i}",
                                       judul=f"Pemberitahuan {start + i}", isi="Isi", created_at=now)
                                for i in range(count)])


def test_the_notices_list_reads_a_page_in_the_same_queries_for_3_or_60_notices(people, walk):
    dossier = walk(STEP_BY_NUMBER[2].state)
    client = client_for(people, "kasubag")
    notices_for(people["kasubag"], dossier, 3, 0)
    few = queries(client, "/pemberitahuan/")
    notices_for(people["kasubag"], dossier, 57, 3)
    assert queries(client, "/pemberitahuan/") == few
    assert queries(client, "/pemberitahuan/?hal=3") == few
    assert few <= 7


def test_the_delegations_page_reads_its_rows_in_the_same_queries_for_1_or_15(people):
    stand_ins = []
    for i in range(15):
        person = User.objects.create(username=f"kasubag{i}", nama=f"Pejabat Pengganti {i}", is_active=True)
        UserRole.objects.create(user=person, role=Role.KASUBAG)
        stand_ins.append(person)
    start = timezone.localdate() - datetime.timedelta(days=400)

    def delegate(people_given):
        Delegation.objects.bulk_create([
            Delegation(official=people["kabag"], delegate=person, role=Role.KABAG, kind="plh",
                       starts_on=start + datetime.timedelta(days=20 * i), ends_on=start + datetime.timedelta(days=20 * i + 3),
                       created_by=people["kabag"]) for i, person in people_given])

    delegate([(0, stand_ins[0])])
    kabag, stand_in = client_for(people, "kabag"), client_for(people | {"kasubag0": stand_ins[0]}, "kasubag0")
    few = queries(kabag, "/pelimpahan/"), queries(stand_in, "/pelimpahan/")
    delegate(list(enumerate(stand_ins))[1:])
    User.objects.filter(pk=stand_ins[3].pk).update(is_active=False)  # a row saying "tidak berlaku"
    page = kabag.get("/pelimpahan/").content.decode()
    assert "Pejabat Pengganti 14" in page and "tidak berlaku" in page
    assert (queries(kabag, "/pelimpahan/"), queries(stand_in, "/pelimpahan/")) == few


def test_the_versions_page_reads_the_same_queries_for_2_or_12_versions(people, walk):
    dossier = walk(STEP_BY_NUMBER[3].state)
    rows = [{"sasaran_strategis": "Meningkatnya mutu layanan", "indikator": f"Indikator {n}", "target": str(n)}
            for n in range(1, 41)]
    for _ in range(2):
        send(people, dossier, "dinkes", rows)
    skpd = people["dinkes"].skpd_id
    url = f"/dosier/{dossier.pk}/iku/konsep/versi/{skpd}/"
    bureau, agency = client_for(people, "kasubag"), client_for(people, "dinkes")
    few = {who: queries(client, url + "?a=lalu") for who, client in (("biro", bureau), ("skpd", agency))}
    for n in range(10):
        send(people, dossier, "dinkes", rows[: 30 + n])
    submission = IkuSubmission.objects.get(dossier=dossier, skpd_id=skpd, stage="konsep")
    assert submission.versions.count() == 12
    assert {who: queries(client, url + "?a=lalu") for who, client in (("biro", bureau), ("skpd", agency))} == few
    # The decree in force is looked up to name it among the choices (a revision's is this year's),
    # and with no decree to compare, nothing more is read either way.
    assert queries(bureau, url + "?a=1&b=12") == few["biro"]

