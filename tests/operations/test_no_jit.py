"""On PostgreSQL the app's sessions run without JIT compilation (sop_iku/settings.py): the planner
compiled a page's count over 10,000 dossiers, which it guessed costly, in 30 ms to run it in 3 ms,
and the inbox took 50 ms instead of 15."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import client_for

pytestmark = [pytest.mark.postgres]


def test_the_inbox_query_is_planned_and_run_without_compiling_it(people, walk):
    walk("langkah_2")
    kasubag = client_for(people, "kasubag")
    with CaptureQueriesContext(connection) as asked:
        assert kasubag.get("/").status_code == 200
    listed = next(q["sql"] for q in asked.captured_queries if 'FROM "workflow_dossier"' in q["sql"])
    with connection.cursor() as cursor:
        # Every query past this cost is compiled where JIT is on: this one would be.
        cursor.execute("SET LOCAL jit_above_cost = 0")
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + listed)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "JIT:" not in plan
