"""The permission matrix: every user against every action in every state, written out by hand from
docs/domain.md ("Who acts"), so a change to the step data or the policy that moves a permission
shows in the tests that read it (the policy, the action pages, the document pages, the URLconf).

Codes: L see, U upload, S finish the step, K return, R record a meeting, I send IKU, O reopen an
agency's IKU, T arrange the provincial IKU table, P record the decree, C correct the decree's record, J correct the title and year, B cancel. Users are the `people` fixture's.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from iku.consolidation import COMMENT, Change
from iku.models import IkuRow
from tests import factories
from tests.naskah.helpers import generate
from workflow import services
from workflow.actions import Action
from workflow.models import Document, Meeting
from workflow.steps import DI_GUBERNUR, DIBATALKAN, SELESAI, STEPS, DocKind, IkuStage

CODES = {
    "L": Action.LIHAT,
    "U": Action.UNGGAH,
    "S": Action.SELESAIKAN,
    "K": Action.KEMBALIKAN,
    "R": Action.CATAT_RAPAT,
    "I": Action.AJUKAN_IKU,
    "O": Action.BUKA_KEMBALI_IKU,
    "T": Action.ATUR_TABEL_IKU,
    "P": Action.CATAT_PENETAPAN,
    "C": Action.KOREKSI_PENETAPAN,
    "J": Action.KOREKSI_DOSIER,
    "B": Action.BATALKAN,
}
USERS = ("kasubag", "staf", "kabag", "kabiro", "tim", "dinkes", "dishub", "anonymous", "admin")
# Everyone inside the bureau, the invited agency's officer and the admin see a dossier; the
# officer of an agency that was not invited and an anonymous visitor see nothing.
SEE = {"kasubag": "L", "staf": "L", "kabag": "L", "kabiro": "L", "tim": "L", "dinkes": "L", "admin": "L"}
# The admin corrects a round's title and year at any position but a cancelled one.
ADMIN = {"admin": "LJ"}
EXPECTED = {
    "langkah_1": SEE | ADMIN | {"kasubag": "LUSJ", "staf": "LU", "kabiro": "LB"},
    "langkah_2": SEE | ADMIN | {"kasubag": "LUS", "staf": "LU", "kabiro": "LB"},
    "langkah_3": SEE | ADMIN | {"kasubag": "LUS", "staf": "LU", "kabiro": "LB", "tim": "LU", "dinkes": "LI"},
    "langkah_4": SEE | ADMIN | {"kasubag": "LU", "staf": "LU", "kabiro": "LUSB"},
    "langkah_5": SEE | ADMIN | {"kasubag": "LUSRT", "staf": "LUR", "kabiro": "LB", "dinkes": "LI"},
    "langkah_6": SEE | ADMIN | {"kasubag": "LUSOT", "staf": "LU", "kabiro": "LB"},
    "langkah_7": SEE | ADMIN | {"kabag": "LUSK", "kabiro": "LB"},
    "langkah_8": SEE | ADMIN | {"kabiro": "LUSB"},
    "langkah_9": SEE | ADMIN | {"kasubag": "LUS", "staf": "LUS", "kabiro": "LB"},
    DI_GUBERNUR: SEE | ADMIN | {"kasubag": "LP", "staf": "LP", "kabiro": "LB"},
    SELESAI: SEE | ADMIN | {"kasubag": "LC", "staf": "LC"},
    DIBATALKAN: SEE,
}
# The Kasubag, who prepared the draft at step 6, made Plh. Kabag and Plh. Kabiro as well: at the steps
# that review that draft they may do what the post allows except paraf, return or sign it.
OWN_DRAFT = {
    "langkah_7": EXPECTED["langkah_7"] | {"kasubag": "LUB"},
    "langkah_8": EXPECTED["langkah_8"] | {"kasubag": "LUB"},
}
# The minutes of step 2 made naming as their Pencatat an officer who may not upload there (a Tim
# member, the Kabag, the Kabiro): whoever takes the minutes revises them (`policy.recording_minutes_as`),
# as a new version made in the app, and gains no action of the table's. Each name: the kinds they
# may make there, beside the kinds of whoever may upload (U).
MINUTES_TAKEN = {pencatat: {DocKind.NOTULEN_PERSIAPAN} for pencatat in ("tim", "kabag", "kabiro")}
# Once the Kasubag reopened Dinas Kesehatan's Bahan at step 6, its officer may send it again there
# (and nobody else gains anything).
REOPENED = {"langkah_6": EXPECTED["langkah_6"] | {"dinkes": "LI"}}


def at_state(people, state):
    dossier = factories.open_dossier(people, f"Matriks {state}")
    if state == DIBATALKAN:
        factories.walk_to(dossier, people, STEPS[3].state)
        services.perform(dossier, people["kabiro"], Action.BATALKAN, revision=dossier.revision, alasan="Uji")
    else:
        factories.walk_to(dossier, people, state)
    dossier.refresh_from_db()
    if dossier.step:
        # Gather what the step needs, so that an allowed "finish" can really succeed below.
        factories.prepare_step(dossier, people)
        dossier.refresh_from_db()
    return dossier


def minutes_taken_by(people, pencatat):
    """A dossier at step 2 whose minutes the Kasubag made naming `pencatat` as Pencatat."""
    dossier = at_state(people, STEPS[1].state)
    response = generate(factories.client_for(people, "kasubag"), dossier, DocKind.NOTULEN_PERSIAPAN,
                        pimpinan=people["kasubag"].pk, pencatat=people[pencatat].pk)
    assert response.status_code == 302, response.content.decode()
    dossier.refresh_from_db()
    return dossier


def fields_for(action, dossier, people):
    pdf = b"%PDF-1.4\n%%EOF\n"
    if action == Action.UNGGAH:
        document = Document(kind=DocKind.LAINNYA, original_name="x.pdf", size=len(pdf))
        document.file.save("x.pdf", ContentFile(pdf), save=False)
        return {"document": document}
    if action == Action.SELESAIKAN:
        step = dossier.step
        return {"skpd_belum_mengirim": list(dossier.invited.all())} if step and step.iku_stage else {}
    if action == Action.KEMBALIKAN:
        return {"catatan": "Perbaiki"}
    if action == Action.CATAT_RAPAT:
        return {"meeting": Meeting(held_at=timezone.now(), tempat="R", pimpinan="K", ringkasan="r")}
    if action == Action.AJUKAN_IKU:
        return {"rows": [factories.sample_row(people["dinkes"].skpd)]}
    if action == Action.BUKA_KEMBALI_IKU:
        return {"skpd": people["dinkes"].skpd, "catatan": "Target belum terukur"}
    if action == Action.ATUR_TABEL_IKU:
        row = IkuRow.objects.filter(submission__dossier=dossier, submission__stage=IkuStage.BAHAN).first()
        return {"change": Change(COMMENT, row, {}, "Periksa target")}
    if action == Action.CATAT_PENETAPAN:
        return {"nomor_kepgub": "1/2027", "tanggal_kepgub": datetime.date(2027, 1, 5)}
    if action == Action.KOREKSI_PENETAPAN:
        return {"nomor_kepgub": "2/2027", "tanggal_kepgub": datetime.date(2027, 1, 6), "alasan": "Salah ketik"}
    if action == Action.KOREKSI_DOSIER:
        return {"judul": "Penetapan Indikator Kinerja Utama Tahun 2028", "tahun": 2028, "alasan": "Salah tahun"}
    if action == Action.BATALKAN:
        return {"alasan": "Uji"}
    raise AssertionError(action)
