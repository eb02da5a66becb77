"""Every text has a maximum length, and input past it is refused in Indonesian beside its field,
with everything typed kept and nothing written."""

from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models

from tests.factories import client_for
from workflow.models import AuditEvent
from workflow.steps import STEP_BY_NUMBER

OURS = ("workflow", "worktime", "iku", "naskah", "laporan", "notices")
# Structured values written by the app itself, never typed: bounded by what writes them.
WRITTEN_BY_THE_APP = {
    ("workflow", "AuditEvent", "data"), ("iku", "IkuVersion", "rows"), ("naskah", "NaskahRecord", "isian"),
    # The same form values, kept while the worker makes the document from them.
    ("naskah", "RenderJob", "isian"),
    # Bounded before they are kept: iku.rows limits each cell and the row count.
    ("iku", "IkuSubmission", "draft"), ("iku", "IkuSubmission", "change_reasons"),
}


def test_every_text_field_of_the_app_has_a_maximum_length():
    unbounded = []
    for label in OURS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                where = (label, model.__name__, field.name)
                if isinstance(field, models.JSONField) and where not in WRITTEN_BY_THE_APP:
                    unbounded.append(where)
                elif isinstance(field, models.TextField) and not (
                    field.max_length or any(isinstance(v, MaxLengthValidator) for v in field.validators)
                ):
                    unbounded.append(where)
    assert unbounded == []


def test_a_return_note_past_its_length_is_refused_and_kept(people, walk):
    dossier = walk(STEP_BY_NUMBER[7].state)
    events = AuditEvent.objects.count()
    note = "Perbaiki. " * 300
    page = client_for(people, "kabag").post(
        f"/dosier/{dossier.pk}/aksi/kembalikan/", {"revision": dossier.revision, "state": dossier.state, "catatan": note}
    ).content.decode()
    assert "paling banyak 2000 karakter" in page
    assert note.strip()[:200] in page
    assert AuditEvent.objects.count() == events
