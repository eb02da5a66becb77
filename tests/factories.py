"""People and dossiers for the tests, made through the same services a user goes through.

Every dossier is built by `workflow.demo` (the same code `manage.py demo_data` runs); `at` passes a
moment in, so a test that needs history in the past asks for it instead of patching the clock.
"""

from django.test import Client

from naskah import demo_ca
from naskah.models import SigningCertificate, TrustedRoot
from workflow import demo
from workflow.models import Skpd, User, UserRole
from workflow.roles import Role

# The demo CA's rows as the first test of this process made them (`install_demo_ca`).
_demo_ca_rows: dict | None = None

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
    install_demo_ca(found["kabiro"])
    return found


def install_demo_ca(kabiro) -> None:
    """The demo CA, trusted, with the institution's and the Kabiro's certificates, installed by
    `demo.ensure_certificates` once per process: each later test gets the same
    rows copied into its database (the Kabiro's certificate made theirs), not new keys and PKCS#12
    files, which were half of what making the people cost."""
    global _demo_ca_rows
    if _demo_ca_rows is None:
        models = (TrustedRoot, SigningCertificate)
        before = {model: list(model.objects.values_list("pk", flat=True)) for model in models}
        if demo.ensure_certificates({"kabiro": kabiro}):
            _demo_ca_rows = {model: [{f.attname: _plain(getattr(row, f.attname)) for f in model._meta.concrete_fields
                                      if not f.primary_key} for row in model.objects.exclude(pk__in=before[model])]
                             for model in models}
        return
    if demo_ca.installed():
        return
    for model, rows in _demo_ca_rows.items():
        model.objects.bulk_create([model(**(row | {"pemilik_id": kabiro.pk} if row.get("pemilik_id") else row))
                                   for row in rows])


def _plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


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


def staff(codenames, username="operator") -> Client:
    """A client signed in as a staff account granted only the permissions `codenames`."""
    from django.contrib.auth.models import Permission

    person = User.objects.create(username=username, nama="Operator Admin", is_staff=True, is_active=True)
    person.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(person)
    return client


def loaded_version(obj) -> dict:
    """The hidden field of `obj`'s admin change page as it would load now
    (workflow.admin.mixins.OptimisticChange): a post without it is refused as from an older page."""
    from django.contrib import admin

    from workflow.admin.mixins import LOADED

    obj = type(obj)._default_manager.get(pk=obj.pk)
    return {LOADED: admin.site._registry[type(obj)].version_of(obj)}


def admin_user_form(user, **changes) -> dict:
    """The admin's change form of `user` as posted unchanged (its roles in the inline), with `changes`;
    as the page loaded `user` (the version its save checks, workflow.admin.mixins.OptimisticChange)."""
    from django.contrib import admin

    from workflow.admin.mixins import LOADED

    roles = list(user.role_set.all())
    data = {
        LOADED: admin.site._registry[User].version_of(User.objects.get(pk=user.pk)),
        "username": user.username, "nama": user.nama, "nip": user.nip, "skpd": user.skpd_id or "", "email": user.email,
        "jabatan": user.jabatan, "pangkat_golongan": user.pangkat_golongan,
        "is_active": "on" if user.is_active else "", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
        "role_set-TOTAL_FORMS": str(len(roles) + 1), "role_set-INITIAL_FORMS": str(len(roles)),
    }
    for number, role in enumerate(roles):
        data |= {f"role_set-{number}-id": role.pk, f"role_set-{number}-user": user.pk, f"role_set-{number}-role": role.role}
    return data | changes
