"""People and dossiers for the tests, made through the same services a user goes through.

Every dossier is built by `workflow.demo` (the same code `manage.py demo_data` runs); `at` passes a
moment in, so a test that needs history in the past asks for it instead of patching the clock.
"""

from django.test import Client

from workflow import demo
from workflow.models import Skpd, User, UserRole
from workflow.roles import Role

prepare_step = demo.prepare_step
sample_row = demo.sample_row
walk_to = demo.walk_to


def make_people() -> dict:
    """kasubag (also Tim), staf, kabag, kabiro, tim; dinkes and dinsos, SKPD users of invited
    agencies; dishub, an SKPD user of an agency the demo dossiers do not invite; admin, a superuser
    with no workflow role."""
    found = demo.ensure_people()
    dishub = User.objects.create_user(
        "dishub", password=demo.DEMO_PASSWORD, nama="Petugas Dishub",
        skpd=Skpd.objects.get(nama_pendek="Dinas Perhubungan"),
    )
    UserRole.objects.create(user=dishub, role=Role.SKPD)
    found["dishub"] = dishub
    found["admin"] = User.objects.get(username="admin")
    demo.ensure_certificates(found)
    return found


def open_dossier(people, judul="Dosier uji", tahun=2027, at=None):
    """A new dossier at step 1, inviting the demo agencies (Dinkes, Dinsos, Disdikbud)."""
    return demo.open_dossier(people, tahun, judul, at=at)


def dossier_at(people, state, returns=0, judul="Dosier uji", at=None):
    """A new dossier standing at `state`, returned at step 7 `returns` times on the way."""
    dossier = open_dossier(people, judul, at=at)
    return demo.walk_to(dossier, people, state, returns=returns)


def client_for(people, username) -> Client:
    """A test client logged in as one of the `people`, or anonymous."""
    client = Client()
    if username != "anonymous":
        client.force_login(people[username])
    return client
