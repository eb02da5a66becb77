"""Schemathesis against the API as its schema describes it (in-process, through the WSGI app), a
bounded number of examples per operation, with a read-write token of the Kasubag and of an agency:
never a server error, and every answer the schema documents is of the documented shape."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from schemathesis.checks import not_a_server_error, response_schema_conformance

from api import tokens

EXAMPLES = 10


@pytest.fixture
def wsgi_app():
    """The real WSGI app, its requests inside the test's transaction: a request's end would close
    the database connection the test runs in (Django's test client holds this back likewise)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_operation_fails_or_answers_off_its_schema(people, walk, settings, wsgi_app):
    settings.SOP_API_REQUESTS = 100_000
    walk("langkah_3")
    callers = [tokens.issue(people[name], "Schemathesis", "tulis", 1)[1] for name in ("kasubag", "dinkes")]
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 16

    for operation in operations:
        @given(case=operation.as_strategy())
        @examples(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def calls(case):
            for token in callers:
                # Uncompressed: schemathesis asks for gzip as its HTTP client would, and here, over
                # WSGI with no HTTP client between, nothing would undo it before the schema is checked.
                case.call_and_validate(headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
                                       checks=[not_a_server_error, response_schema_conformance])

        calls()
