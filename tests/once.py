"""Data made once for a module's tests: built in a transaction that each of the module's tests
runs inside (pytest-django's own transaction per test becomes a savepoint, rolled back after the
test as always), and rolled back itself once the module is done. For what is slow to make and only
read by the tests, such as a document rendered and signed: each test still starts from the same
rows, and changes nothing another test sees.

Tests receive ids and bytes, never the objects built: a model instance one test changed in memory
would otherwise reach the next."""

from contextlib import contextmanager

from django.db import transaction
from django.test import override_settings

from tests.conftest import IMMEDIATE_TASKS
from workflow.models import User

# What the function-scoped fixtures of tests/conftest.py set for every test, for the building too.
AS_IN_A_TEST = {"TASKS": IMMEDIATE_TASKS, "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


@contextmanager
def kept_for_the_module(django_db_blocker):
    """`with kept_for_the_module(django_db_blocker) as build:` then `with build(): ...make rows...`,
    and the module's tests run inside the with block (a fixture yields inside it)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()

    @contextmanager
    def build():
        with django_db_blocker.unblock(), override_settings(**AS_IN_A_TEST):
            yield

    try:
        yield build
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def ids_of(people: dict) -> dict:
    return {name: user.pk for name, user in people.items()}


def read_afresh(ids: dict) -> dict:
    """The people made once, read again for a test (tests/conftest.py's `people` would make them
    again): changed in one test's memory, they would reach the next."""
    found = User.objects.in_bulk(ids.values())
    return {name: found[pk] for name, pk in ids.items()}
