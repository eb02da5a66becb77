"""Shared fixtures: one user per role (what each may reach is tests/permission_matrix.py) and
dossiers at a given step (tests/factories.py)."""

import os
import sqlite3
from itertools import groupby

import pytest
from django.db import connection
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations

from tests import factories, task_backends
from tests.browser import browser, server_errors, sign_in  # noqa: F401 - fixtures of the browser tests


@pytest.fixture(autouse=True)
def calendar_per_test():
    """Each test reads the calendar its own database holds: the process keeps one otherwise."""
    from worktime.models import forget_calendar

    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture(autouse=True)
def cache_per_test():
    """The process's cache (the report's figures) holds nothing of another test's database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SOP_AUDIT_CHECKPOINTS = str(tmp_path / "audit-checkpoints.jsonl")
    # Each test's errors are mailed as if none came before (sop_iku/error_mail.py).
    settings.SOP_ERROR_MAIL_STATE = str(tmp_path / "error-mail")
    # The real hasher costs a third of a second per demo user; tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


IMMEDIATE_TASKS = task_backends.IMMEDIATE


@pytest.fixture(autouse=True)
def tasks_at_once(settings):
    """Work a worker would take (a long document, mail) runs at once, as SOP_TASKS_IMMEDIATE runs it
    without a worker; tests/naskah/test_jobs.py puts it through the real queue and worker."""
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture
def people(db):
    return factories.make_people()


@pytest.fixture
def racing_database(people, tmp_path):
    """The database two connections write to at once (a race of two requests, or the task worker's
    two threads), with `people` in it. PostgreSQL's test database as it is. SQLite's test database
    lives in memory with one cache shared by its connections, where a second writer is
    refused at once ("database table is locked") instead of waiting for its turn as it waits in the
    file every install runs on: the test runs on a file copy of it, and puts the memory one back."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    # Every thread's connection is made from this same settings dict; the memory database lives as
    # long as its last connection, kept here, not closed.
    kept_name, kept = connection.settings_dict["NAME"], connection.connection
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = kept_name
        connection.connection = kept


@pytest.fixture
def admin_client(people):
    """The demo's admin signed in (in place of pytest-django's, which makes an admin of its own)."""
    from django.test import Client

    client = Client()
    client.force_login(people["admin"])
    return client


@pytest.fixture
def dossier(people):
    return factories.open_dossier(people, "Penetapan IKU 2027")


@pytest.fixture
def walk(people):
    """walk(state, returns=0): a new dossier standing at `state`."""

    def make(state, returns=0, judul="Dosier uji"):
        return factories.dossier_at(people, state, returns=returns, judul=judul)

    return make


@pytest.fixture
def reopened(people, walk):
    """Back at step 6 after the Kabag's return, the Nota and the draft made again, Dinkes's Bahan
    reopened with a note: the round waits on Dinkes alone."""
    from workflow import demo
    from workflow.steps import STEP_BY_NUMBER

    dossier = walk(STEP_BY_NUMBER[6].state, returns=1)
    demo.prepare_step(dossier, people)
    dossier.refresh_from_db()
    factories.client_for(people, "kasubag").post(
        f"/dosier/{dossier.pk}/aksi/buka_kembali_iku/",
        {"revision": dossier.revision, "state": dossier.state, "skpd": people["dinkes"].skpd_id,
         "catatan": "Target AKI belum memuat angka tahun 2027"})
    dossier.refresh_from_db()
    return dossier


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def flushes(item) -> bool:
    """Whether the test runs outside a transaction, so that its database is emptied after it: as
    pytest-django's `_django_db_helper` decides it, from the marker (read by its own parser) and the
    fixtures asked for."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker else (False, False)
    asked = {"transactional_db", "live_server", "django_db_reset_sequences"}
    return transaction or reset_sequences or not asked.isdisjoint(item.fixturenames)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that empties the database, the rows the migrations seeded (agencies, calendar,
    groups) are put back, as Django puts them back before a test that asks `serialized_rollback`:
    any test may then follow it, not only the transactional ones Django would order after it.
    Not after a process's last test: its teardown has dropped the test database by then and pointed
    the connection back at the configured one, which the rows would be written into."""
    yield
    if nextitem is not None and flushes(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            seeded = getattr(connection, "_test_serialized_contents", None)
            if seeded:
                connection.creation.deserialize_db_from_string(seeded)
                _sequences_past_their_rows()


def _deleting_flush(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
    """How a test that runs outside a transaction empties PostgreSQL's database after it: a DELETE a
    table, not Django's one TRUNCATE of them all, which makes every table a new file and took 1 to 2 s
    a test (against 0.2 s) while the tables hold a test's few rows. The audit log refuses a DELETE
    even here (workflow 0009) and is truncated first, with what refers to it; the rest wait for no
    order, their foreign keys checked at the commit. A test that asks for its ids to start again is
    emptied as Django empties it."""
    audit = "workflow_auditevent"
    if reset_sequences or audit not in tables:
        return _truncating_flush(ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    return ([f"TRUNCATE {ops.quote_name(audit)} CASCADE;", "SET CONSTRAINTS ALL DEFERRED;"]
            + [f"DELETE FROM {ops.quote_name(table)};" for table in tables if table != audit])


_truncating_flush = PostgreSQLOperations.sql_flush
PostgreSQLOperations.sql_flush = _deleting_flush


def _put_back_in_bulk(creation, data):
    """`deserialize_db_from_string` (the seeded rows put back after a test that emptied the database,
    and before one that asks `serialized_rollback`) with one INSERT a table: row by row, each an UPDATE
    that finds nothing and then an INSERT, it took 1.3 to 2 s a test on PostgreSQL. The rows are the
    migrations' own, written as they were read, with no signal sent (as Django writes them, `raw`)."""
    from django.core import serializers
    from django.db import transaction

    rows = list(serializers.deserialize("json", data, using=creation.connection.alias))
    with transaction.atomic(using=creation.connection.alias):
        with creation.connection.constraint_checks_disabled():
            for model, same in groupby(rows, key=lambda row: type(row.object)):
                same = list(same)
                # Written over where a row is there still (before the first test, nothing emptied it).
                fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
                model._base_manager.using(creation.connection.alias).bulk_create(
                    [row.object for row in same], update_conflicts=bool(fields), ignore_conflicts=not fields,
                    unique_fields=[model._meta.pk.name] if fields else None, update_fields=fields or None)
                for row in same:
                    for name, values in (row.m2m_data or {}).items():
                        getattr(row.object, name).set(values)
        creation.connection.check_constraints(table_names={type(row.object)._meta.db_table for row in rows})


BaseDatabaseCreation.deserialize_db_from_string = _put_back_in_bulk


def _sequences_past_their_rows():
    """On PostgreSQL the seeded rows come back with their ids, while the flush before set every
    sequence to 1: the next row made without an id (a migration's, a test's) would take an id
    already there."""
    if connection.vendor != "postgresql":
        return
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The order the two workers take the tests in: those marked `slow` first, so that none is left
    to run alone at the end, then the rest with the browser tests spread among them, so that while
    one worker waits on Chromium the other has the processor (all of them together at the end left
    the processors idle a third of the last two minutes). After pytest-django's own sort, which
    keeps the tests that empty the database last: they no longer need to be (pytest_runtest_teardown)."""
    slow, in_browser, rest = [], [], []
    for item in items:
        (slow if item.get_closest_marker("slow") else in_browser if item.get_closest_marker("browser") else rest).append(item)
    every = max(1, len(rest) // (len(in_browser) + 1))
    spread = []
    for number, item in enumerate(rest, start=1):
        spread.append(item)
        if number % every == 0 and in_browser:
            spread.append(in_browser.pop(0))
    items[:] = slow + spread + in_browser


def pytest_runtest_setup(item):
    """A test marked `postgres` is skipped before its fixtures are made where the database is not."""
    if item.get_closest_marker("postgres"):
        require_postgres()


def require_postgres():
    if not is_postgres():
        if os.environ.get("SOP_REQUIRE_POSTGRES"):
            pytest.fail("SOP_REQUIRE_POSTGRES is set but the tests run on " + connection.vendor)
        pytest.skip("needs PostgreSQL: two real connections and row locks (set DATABASE_URL)")
