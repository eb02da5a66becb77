"""A request that connects while the standby is being promoted waits for it (sop_iku/postgresql),
instead of failing as it did in the stack drill's failover."""

from unittest import mock

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql import base as django_postgresql

from sop_iku.postgresql import base


@pytest.fixture
def wrapper(settings):
    return base.DatabaseWrapper({**connection.settings_dict, "ENGINE": "sop_iku.postgresql"})


def test_a_connection_refused_while_no_host_takes_writes_is_tried_again_until_one_does(wrapper, settings):
    settings.SOP_DB_FAILOVER_WAIT = 15
    promoting = psycopg.OperationalError("connection failed: session is read-only")
    with mock.patch.object(django_postgresql.DatabaseWrapper, "get_new_connection",
                           side_effect=[promoting, promoting, promoting, "tersambung"]) as connect, \
         mock.patch.object(base.time, "sleep") as sleep:
        assert wrapper.get_new_connection({}) == "tersambung"
    assert connect.call_count == 4
    assert [call.args[0] for call in sleep.call_args_list] == [0.2, 0.4, 0.8]


def test_it_gives_up_after_the_configured_wait(wrapper, settings):
    settings.SOP_DB_FAILOVER_WAIT = 0
    with mock.patch.object(django_postgresql.DatabaseWrapper, "get_new_connection",
                           side_effect=psycopg.OperationalError("Connection refused")) as connect, \
         pytest.raises(psycopg.OperationalError):
        wrapper.get_new_connection({})
    assert connect.call_count == 1


def test_the_settings_use_it_for_postgresql_only():
    import importlib
    import os

    import sop_iku.settings as settings_module

    with mock.patch.dict(os.environ, {"DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db"}):
        assert importlib.reload(settings_module).DATABASES["default"]["ENGINE"] == "sop_iku.postgresql"
    with mock.patch.dict(os.environ, {"DATABASE_URL": "sqlite:////tmp/satu.sqlite3"}):
        assert importlib.reload(settings_module).DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    importlib.reload(settings_module)


def test_a_health_check_does_not_wait_for_the_promotion(wrapper, settings):
    from sop_iku.postgresql import without_waiting

    settings.SOP_DB_FAILOVER_WAIT = 15
    with mock.patch.object(django_postgresql.DatabaseWrapper, "get_new_connection",
                           side_effect=psycopg.OperationalError("connection failed: session is read-only")) as connect, \
         mock.patch.object(base.time, "sleep") as sleep, without_waiting(), pytest.raises(psycopg.OperationalError):
        wrapper.get_new_connection({})
    assert connect.call_count == 1 and not sleep.called


def test_a_wrong_password_is_not_waited_out_as_a_failover(wrapper, settings):
    # An operator who mistyped the password in the env file waited 15 s for a retry message.
    settings.SOP_DB_FAILOVER_WAIT = 15
    refused = psycopg.OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                                       'FATAL:  password authentication failed for user "sopiku_app"')
    with mock.patch.object(django_postgresql.DatabaseWrapper, "get_new_connection", side_effect=refused) as connect, \
         mock.patch.object(base.time, "sleep") as sleep, pytest.raises(psycopg.OperationalError):
        wrapper.get_new_connection({})
    assert connect.call_count == 1 and not sleep.called


def test_a_host_that_does_not_answer_is_still_tried_again(wrapper, settings):
    settings.SOP_DB_FAILOVER_WAIT = 15
    down = psycopg.OperationalError('connection failed: connection to server at "10.0.0.21", port 5432 failed: '
                                    "Connection refused")
    with mock.patch.object(django_postgresql.DatabaseWrapper, "get_new_connection",
                           side_effect=[down, "tersambung"]) as connect, mock.patch.object(base.time, "sleep"):
        assert wrapper.get_new_connection({}) == "tersambung"
    assert connect.call_count == 2
