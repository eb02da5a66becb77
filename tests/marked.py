"""Dossiers carrying markers that only some readers may see: a page or an API answer that shows a
marker its reader may not see is a leak."""

from django.core.files.base import ContentFile

from iku.table import to_rows
from workflow import services
from workflow.actions import Action
from workflow.models import Document
from workflow.steps import STEP_BY_NUMBER, DocKind

DINSOS_MARK = "PENANDA-DINSOS-77"
INTERNAL_MARK = "PENANDA-INTERNAL-55"


def marked_dossiers(people, walk):
    """A dossier at step 5 where Dinas Sosial sent a marked table and the bureau holds a marked
    internal document; a second dossier whose only invitee is Dinas Sosial. Returns (dossier,
    other, document)."""
    dossier = walk(STEP_BY_NUMBER[5].state)
    services.perform(dossier, people["dinsos"], Action.AJUKAN_IKU, revision=dossier.revision,
                     rows=to_rows([{"indikator": f"Indikator {DINSOS_MARK}", "target": "1"}]), catatan=DINSOS_MARK)
    document = Document(kind=DocKind.LAINNYA, original_name=f"{INTERNAL_MARK}.pdf", size=4, keterangan=INTERNAL_MARK)
    document.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
    dossier.refresh_from_db()
    services.perform(dossier, people["staf"], Action.UNGGAH, revision=dossier.revision, document=document)
    other = services.create_dossier(people["kasubag"], tahun=2027, judul=f"Hanya Dinsos {DINSOS_MARK}",
                                    invited=[people["dinsos"].skpd])
    dossier.refresh_from_db()
    return dossier, other, document
