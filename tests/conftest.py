"""Shared fixtures: one user per role (what each may reach is in tests/test_permissions_matrix.py)."""

import os

import pytest
from django.db import connection
from django.test import Client

from workflow import demo
from workflow.models import Skpd, User, UserRole
from workflow.roles import Role
from workflow.steps import SELESAI


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The real hasher costs a third of a second per demo user; tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    """kasubag (also Tim), staf, kabag, kabiro, tim; dinkes and dinsos, SKPD users of invited
    agencies; dishub, an SKPD user of an agency the demo dossiers do not invite; admin, a superuser
    with no workflow role."""
    found = demo.ensure_people()
    dishub = User.objects.create_user(
        "dishub", password=demo.DEMO_PASSWORD, nama="Petugas Dishub", skpd=Skpd.objects.get(nama_pendek="Dinas Perhubungan")
    )
    UserRole.objects.create(user=dishub, role=Role.SKPD)
    found["dishub"] = dishub
    found["admin"] = User.objects.get(username="admin")
    return found


@pytest.fixture
def dossier(people):
    return demo.open_dossier(people, 2027, "Penetapan IKU 2027")


@pytest.fixture
def walk(people):
    """walk(state, returns=0): a new dossier standing at `state`."""

    def make(state, returns=0, judul="Dosier uji"):
        d = demo.open_dossier(people, 2027, judul)
        return demo.walk_to(d, people, state, returns=returns)

    return make


def client_for(people, username) -> Client:
    """A test client logged in as one of the `people`, or anonymous."""
    client = Client()
    if username != "anonymous":
        client.force_login(people[username])
    return client


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def require_postgres():
    if not is_postgres():
        if os.environ.get("SOP_REQUIRE_POSTGRES"):
            pytest.fail("SOP_REQUIRE_POSTGRES is set but the tests run on " + connection.vendor)
        pytest.skip("needs PostgreSQL: two real connections and row locks (set DATABASE_URL)")


__all__ = ["SELESAI", "is_postgres", "require_postgres"]
