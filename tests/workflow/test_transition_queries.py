"""A transition asks a fixed number of queries, and the audit chain's head, which every write in the
install waits on, is taken last: after it only the event's insert and the head's move, then the
commit. The hand-off's notices are the task worker's, after the commit (tests/notices)."""

import re

from django.db import connection
from django.dispatch import receiver
from django.test.utils import CaptureQueriesContext

from tests.factories import client_for
from workflow import services
from workflow.actions import Action
from workflow.models import Dossier
from workflow.services import transition_recorded
from workflow.steps import STEP_BY_NUMBER

# Read before the lock (the session, the Kabag with their roles, the dossier and who prepared it: 4),
# then in the transaction: the dossier locked with its open stay (who prepared it carried from the
# reading before the lock, at the same revision: policy.carry_preparers), the stay ended, its
# successor counted and begun, the dossier saved, which agencies it waits on now stored on their
# invitations (one UPDATE), the active webhooks read, the Kabag named on the dossier's row as one who
# acted on it (their first action on it: workflow.audit.actors), the chain's head locked, the event,
# the head moved.
RETURN_QUERIES = 15


def _statements(queries) -> list[str]:
    # Savepoints are the test's own transaction around the request's.
    return [q["sql"] for q in queries if not re.match(r"(RELEASE )?SAVEPOINT|ROLLBACK TO", q["sql"])]


def _after_chain_lock(statements) -> list[str]:
    taken = next(n for n, sql in enumerate(statements) if "auditchainhead" in sql)
    assert "FOR UPDATE" in statements[taken] or connection.vendor == "sqlite"
    return statements[taken + 1:]


def test_a_return_through_its_form_asks_a_fixed_number_of_queries_and_takes_the_chain_last(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    kabag = client_for(people, "kabag")
    # Signed in a while ago, as at work: the session's idle clock was renewed by an earlier page.
    kabag.get(f"/dosier/{dossier.pk}/aksi/kembalikan/")
    with CaptureQueriesContext(connection) as seen:
        response = kabag.post(f"/dosier/{dossier.pk}/aksi/kembalikan/",
                              {"revision": dossier.revision, "catatan": "Target belum terukur."})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == STEP_BY_NUMBER[6].state
    statements = _statements(seen.captured_queries)
    assert len(statements) == RETURN_QUERIES, "\n".join(statements)
    after = _after_chain_lock(statements)
    assert [sql.split()[0] for sql in after] == ["INSERT", "UPDATE"]
    assert "auditevent" in after[0] and "auditchainhead" in after[1]


def test_a_return_sent_with_its_one_time_key_asks_two_queries_more_and_the_chain_still_last(people, walk):
    from tests.workflow.test_sent_once import key_of
    from workflow.forms.sent_once import FIELD

    dossier = walk(STEP_BY_NUMBER[7].state)
    kabag = client_for(people, "kabag")
    key = key_of(kabag.get(f"/dosier/{dossier.pk}/aksi/kembalikan/"))
    with CaptureQueriesContext(connection) as seen:
        response = kabag.post(f"/dosier/{dossier.pk}/aksi/kembalikan/",
                              {"revision": dossier.revision, "catatan": "Target belum terukur.", FIELD: key})
    assert response.status_code == 302
    statements = _statements(seen.captured_queries)
    # Whether the key was sent before (one read), and the key recorded in the transaction (one insert).
    assert len(statements) == RETURN_QUERIES + 2, "\n".join(statements)
    assert [sql.split()[0] for sql in _after_chain_lock(statements)] == ["INSERT", "UPDATE"]


def test_what_listens_to_a_transition_runs_before_the_chain_is_taken(people, walk):
    """A signature freezes its document (a PDF rendered and signed) while every other dossier's write
    could be waiting on the chain: so the listeners run first, and the chain waits on none of them."""
    dossier = walk(STEP_BY_NUMBER[7].state)
    heard = []

    @receiver(transition_recorded, dispatch_uid="test.heard")
    def listen(sender, dossier, event, **kwargs):
        # What a listener reads (as the freeze reads the document): marked so its place is seen.
        heard.append((event.action, event.pk, Dossier.objects.filter(pk=dossier.pk, judul="listening").exists()))

    try:
        with CaptureQueriesContext(connection) as seen:
            event = services.perform(dossier, people["kabag"], Action.SELESAIKAN, revision=dossier.revision)
    finally:
        transition_recorded.disconnect(dispatch_uid="test.heard")
    # The listener saw the event before it was written, with all it says.
    assert heard == [(Action.SELESAIKAN, None, False)]
    assert event.pk is not None and event.hash
    statements = _statements(seen.captured_queries)
    listened = next(n for n, sql in enumerate(statements) if "'listening'" in sql)
    assert next(n for n, sql in enumerate(statements) if "auditchainhead" in sql) > listened
    assert len(_after_chain_lock(statements)) == 2
