"""The Kabiro's signature through a slow BSrE holds up nobody: the signed bytes are fetched before the
transaction that stores them, so on the embedded SQLite another user's write goes through while BSrE
is still answering; and a dossier that moved meanwhile refuses the signature made for its old state.

Two threads, each on its own connection, started by a barrier; the stand-in holds the sign call until
the test lets it go, and what was still held when the other write finished is recorded: the overlap
is seen, not slept for.
"""

import threading

import pytest
from django.db import connection

from naskah import record, signers
from tests.naskah.conftest import NIK, PASSPHRASE
from workflow import services
from workflow.actions import Action
from workflow.models import AuditEvent, Dossier
from workflow.services import StaleDossier
from workflow.steps import STEP_BY_NUMBER, DocKind

# serialized_rollback puts back the rows the migrations seeded (agencies, numbering rules).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def while_bsre_signs(standin, sign, write) -> dict:
    """Run `sign` and, once the stand-in holds its sign call, `write`, each in its own thread; the
    stand-in answers only after `write` finished. Returns each one's result (or the exception it
    raised) and, as `held`, whether BSrE had not yet answered when `write` finished."""
    standin.hold_signing = True
    barrier = threading.Barrier(2)
    results = {}

    def run(name, call):
        try:
            barrier.wait(timeout=30)
            if name == "write":
                assert standin.signing_held.wait(timeout=60), "the signature never reached BSrE"
            results[name] = call()
        except Exception as error:  # noqa: BLE001 - the refusal is the result under test
            results[name] = error
        finally:
            if name == "write":
                results["held"] = standin.signed == 0 and signing.is_alive()
                standin.release()
            connection.close()

    signing = threading.Thread(target=run, args=("sign", sign))
    writing = threading.Thread(target=run, args=("write", write))
    signing.start()
    writing.start()
    for thread in (writing, signing):
        thread.join(timeout=120)
    return results


def signing_through_bsre(people, dossier):
    dossier.refresh_from_db()
    revision = dossier.revision

    def sign():
        plan = signers.Plan(signers.BSRE, nik=NIK, passphrase=PASSPHRASE)
        return services.perform(dossier, people["kabiro"], Action.SELESAIKAN, revision=revision,
                                catatan="Setuju", tanda_tangan=plan)
    return sign


def test_another_users_write_goes_through_while_bsre_is_still_signing(people, at_signing, standin):
    def write():
        # The Kasubag opens next year's round: a write on the same SQLite database.
        return services.create_dossier(people["kasubag"], tahun=2028, judul="Penetapan IKU 2028",
                                       invited=list(Dossier.objects.get(pk=at_signing.pk).invited.all()))

    results = while_bsre_signs(standin, signing_through_bsre(people, at_signing), write)

    assert isinstance(results["write"], Dossier), results["write"]
    assert results["held"], "the write waited for BSrE"
    assert isinstance(results["sign"], AuditEvent), results["sign"]
    nota = record.latest(at_signing, DocKind.NOTA_DINAS)
    assert nota.is_final and nota.signed_through == signers.LABELS[signers.BSRE]
    assert Dossier.objects.get(pk=at_signing.pk).state == STEP_BY_NUMBER[9].state


def test_a_dossier_that_moved_while_bsre_signed_refuses_the_stale_signature(people, at_signing, standin):
    def write():
        # The admin corrects the round's title meanwhile: the dossier is no longer the one signed for.
        current = Dossier.objects.get(pk=at_signing.pk)
        return services.perform(current, people["admin"], Action.KOREKSI_DOSIER, revision=current.revision,
                                judul="Penetapan IKU Provinsi 2027", tahun=2027, alasan="Judul kurang lengkap")

    results = while_bsre_signs(standin, signing_through_bsre(people, at_signing), write)

    assert isinstance(results["write"], AuditEvent), results["write"]
    assert results["held"]
    refused = results["sign"]
    assert isinstance(refused, StaleDossier), refused
    assert "sudah berubah sejak halaman Anda dibuka" in str(refused)
    # BSrE signed, and its bytes were thrown away: the Nota is still the draft awaiting the Kabiro.
    assert standin.signed == 1
    nota = record.latest(at_signing, DocKind.NOTA_DINAS)
    assert not nota.is_final and not nota.final_file and not nota.final_token
    assert Dossier.objects.get(pk=at_signing.pk).state == STEP_BY_NUMBER[8].state
    assert not AuditEvent.objects.filter(dossier=at_signing, action=Action.SELESAIKAN, from_state=STEP_BY_NUMBER[8].state)
