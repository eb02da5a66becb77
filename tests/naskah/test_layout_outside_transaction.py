"""A letter or Nota being laid out holds up nobody: it is laid out before the transaction that stores
it, so on the embedded SQLite another user's write goes through meanwhile (a writer there locks the
whole file), and on PostgreSQL an action on the same dossier does not wait for its row. Laid out
with the number it is expected to get, it is laid out again only when another officer took that
number meanwhile, and then carries the one it got.

The layout is held (an event the test sets) until the other write finished: the overlap is seen,
not slept for.
"""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from naskah import generate as generate_module
from naskah import record
from naskah.models import NumberingRule, SerialCounter
from tests.factories import client_for
from tests.naskah.helpers import form_data, pages, stored_pdf
from workflow import services
from workflow.actions import Action
from workflow.models import AuditEvent, Dossier
from workflow.steps import STEP_BY_NUMBER, DocKind

NOTA = DocKind.NOTA_DINAS


def holding_layout(monkeypatch):
    """Hold every layout until `release` is set; `laying_out` is set once one has begun."""
    laying_out, release = threading.Event(), threading.Event()
    real = generate_module.render_pdf

    def held(*args, **kwargs):
        laying_out.set()
        assert release.wait(timeout=60), "the layout was never let go"
        return real(*args, **kwargs)

    monkeypatch.setattr(generate_module, "render_pdf", held)
    return laying_out, release


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_action_on_the_dossier_goes_through_while_its_nota_is_laid_out(people, walk, monkeypatch):
    dossier = walk(STEP_BY_NUMBER[6].state)
    data = form_data(dossier, NOTA)
    laying_out, release = holding_layout(monkeypatch)
    results = {}

    def make_nota():
        try:
            results["nota"] = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/buat/{NOTA}/", data)
        finally:
            connection.close()

    def correct_title():
        try:
            assert laying_out.wait(timeout=60), "the Nota was never laid out"
            current = Dossier.objects.get(pk=dossier.pk)
            results["write"] = services.perform(
                current, people["admin"], Action.KOREKSI_DOSIER, revision=current.revision,
                judul="Penetapan IKU Provinsi 2027", tahun=2027, alasan="Judul kurang lengkap")
        except Exception as error:  # noqa: BLE001 - a write kept waiting is the failure under test
            results["write"] = error
        finally:
            results["held"] = not release.is_set() and making.is_alive()
            release.set()
            connection.close()

    making = threading.Thread(target=make_nota)
    writing = threading.Thread(target=correct_title)
    making.start()
    writing.start()
    for thread in (writing, making):
        thread.join(timeout=120)

    assert isinstance(results["write"], AuditEvent), results["write"]
    assert results["held"], "the correction waited for the Nota's layout"
    # Making a document adds to the dossier: a title corrected meanwhile does not refuse it.
    assert results["nota"].status_code == 302
    assert record.latest(dossier, NOTA).versi == 1
    assert Dossier.objects.get(pk=dossier.pk).judul == "Penetapan IKU Provinsi 2027"


@pytest.mark.django_db
def test_a_nota_whose_number_was_taken_while_it_was_laid_out_carries_the_next(people, walk, monkeypatch):
    dossier = walk(STEP_BY_NUMBER[6].state)
    year = timezone.localdate().year
    real = generate_module.render_pdf
    numbers_printed = []

    def another_officer_takes_a_number_meanwhile(template, context, *args, **kwargs):
        numbers_printed.append(context["nomor"])
        if len(numbers_printed) == 1:
            with transaction.atomic():
                SerialCounter.next(NOTA, year)
        return real(template, context, *args, **kwargs)

    monkeypatch.setattr(generate_module, "render_pdf", another_officer_takes_a_number_meanwhile)
    rule = NumberingRule.objects.get(kind=NOTA)

    answer = client_for(people, "kasubag").post(f"/dosier/{dossier.pk}/buat/{NOTA}/", form_data(dossier, NOTA))

    assert answer.status_code == 302
    first, second = rule.format(1, year), rule.format(2, year)
    assert numbers_printed == [first, second]
    assert record.latest(dossier, NOTA).nomor == second
    text = " ".join(pages(stored_pdf(dossier, NOTA)))
    assert second in text and first not in text
    assert SerialCounter.objects.get(kind=NOTA, tahun=year).terakhir == 2


@pytest.mark.django_db
def test_a_nota_made_again_is_laid_out_once_with_the_number_it_keeps(people, walk, monkeypatch):
    dossier = walk(STEP_BY_NUMBER[6].state)
    kasubag = client_for(people, "kasubag")
    assert kasubag.post(f"/dosier/{dossier.pk}/buat/{NOTA}/", form_data(dossier, NOTA)).status_code == 302
    kept = record.latest(dossier, NOTA).nomor
    real = generate_module.render_pdf
    numbers_printed = []

    def counted(template, context, *args, **kwargs):
        numbers_printed.append(context["nomor"])
        return real(template, context, *args, **kwargs)

    monkeypatch.setattr(generate_module, "render_pdf", counted)
    answer = kasubag.post(f"/dosier/{dossier.pk}/buat/{NOTA}/",
                          form_data(dossier, NOTA, hal="Penyampaian IKU (perbaikan)", versi_naskah=1))

    assert answer.status_code == 302
    assert numbers_printed == [kept]
    assert record.latest(dossier, NOTA).versi == 2
