"""On PostgreSQL the queries a page asks again on its kept connection are prepared once, not planned
on every view (sop_iku/settings.py, SOP_DB_PREPARED_STATEMENTS)."""

import pytest
from django.db import connection

from tests.factories import client_for

pytestmark = [pytest.mark.postgres]


def prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return {statement for (statement,) in cursor.fetchall()}


def test_the_inbox_asked_again_is_read_through_statements_prepared_once(people, walk):
    walk("langkah_2")
    kasubag = client_for(people, "kasubag")
    before = prepared()
    for _ in range(6):
        assert kasubag.get("/").status_code == 200
    found = prepared() - before
    # The session and the dossiers listed, each with its values apart ($1), as every view asks them.
    assert any("django_session" in statement and "$1" in statement for statement in found)
    assert any("workflow_dossier" in statement for statement in found)
    # Asked again, nothing more is prepared: the same statements are used, not made anew.
    pages = prepared()
    for _ in range(6):
        kasubag.get("/")
    assert prepared() == pages
