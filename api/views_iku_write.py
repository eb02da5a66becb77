"""An agency's IKU through the API: its table as JSON rows (`baris`, each with the grid's fields),
saved as the draft or sent, by the same form the grid posts to, so the same rows, warnings and
errors come out; any error saves nothing and names its row (counted from 1 as sent) and field."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response

from api.audit import logged_if_token
from api.idempotency import once_per_key
from api.views_actions import IDEMPOTENCY_KEY, IF_MATCH, answered
from api.views_base import ApiView
from api.writes import may_do, revision_to_write
from iku.forms import SEEN_AGENCY, SEEN_DRAFT, SEEN_ROWS, SEEN_VERSION, IkuSubmissionForm
from iku.rows import FIELDS, LABELS, MAX_ROWS
from workflow import policy, services
from workflow.actions import ACTIONS, DRAFT_IKU, Action
from workflow.gates import TableChangedMeanwhile
from workflow.views.access import refusal, visible_dossier

SEND = Action.AJUKAN_IKU
# The table as it was read (its last version and its draft's moment): posted back, a write over a
# table another page or program changed meanwhile is refused (409), as the grid page refuses it.
MARKS = "tanda_tabel"
# Of those, the sent rows as read: the bureau's corrections since are not undone by a send.
ROWS_MARK = "baris_terkirim"


def problem(p) -> dict:
    return {"baris": p.row, "kolom": p.field, "label": LABELS.get(p.field, "") if p.field else "", "pesan": p.message}


def posted(body) -> tuple[dict, list[dict]]:
    """The body as the grid's POST (`r-<n>-<field>`), and what in it is no row at all."""
    rows = body.get("baris") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        return {}, [{"baris": None, "kolom": "baris", "label": "", "pesan": "Kirim baris IKU sebagai daftar “baris”."}]
    if len(rows) > MAX_ROWS:
        return {}, [{"baris": None, "kolom": "baris", "label": "",
                     "pesan": f"Satu tabel paling banyak {MAX_ROWS} baris; tabel ini {len(rows)} baris."}]
    note, wrong = body.get("catatan"), []
    if note is not None and not isinstance(note, str):
        wrong.append({"baris": None, "kolom": "catatan", "label": "", "pesan": "catatan harus teks."})
    # No note posted: the draft's note stays as it was (IkuSubmissionForm.save_as_draft).
    data = {"catatan": note} if isinstance(note, str) else {}
    marks = body.get(MARKS)
    if marks is not None:
        if not (isinstance(marks, dict) and all(isinstance(marks.get(k), str) for k in ("versi", "draf"))
                and all(isinstance(marks.get(k, ""), str) for k in ("skpd", ROWS_MARK))):
            wrong.append({"baris": None, "kolom": MARKS, "label": "",
                          "pesan": f"{MARKS} harus objek {{\"versi\": teks, \"draf\": teks, \"skpd\": teks}} "
                                   "seperti yang dibaca dari tabel."})
        else:
            data |= {SEEN_VERSION: marks["versi"], SEEN_DRAFT: marks["draf"]}
            if "skpd" in marks:
                data[SEEN_AGENCY] = marks["skpd"]
            if ROWS_MARK in marks:
                data[SEEN_ROWS] = marks[ROWS_MARK]
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            wrong.append({"baris": number, "kolom": None, "label": "", "pesan": "Baris harus berupa objek kolom."})
            continue
        # Every row posted, an empty one too: the rows are numbered as sent, as the errors name them.
        data[f"r-{number}-indikator"] = ""
        for name, value in row.items():
            if name not in FIELDS:
                wrong.append({"baris": number, "kolom": name, "label": "",
                              "pesan": f"Kolom tidak dikenal; kolom IKU: {', '.join(FIELDS)}."})
            elif value is not None and not isinstance(value, str):
                # A number too: the grid keeps the text as typed, and a number's text here (100.0 for
                # 1e2) need not be what the program showed.
                wrong.append({"baris": number, "kolom": name, "label": LABELS[name], "pesan": "Isi kolom harus teks."})
            else:
                data[f"r-{number}-{name}"] = value
    return data, wrong


class MyIku(ApiView):
    @extend_schema(summary="Tabel IKU SKPD Anda pada tahap yang berjalan (draf, terkirim, atau awalnya)",
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, pk):
        dossier = visible_dossier(request.user, pk)
        require_sender(request.user, dossier)
        form = IkuSubmissionForm(dossier=dossier, user=request.user)
        return Response({"tahap": form.stage.value, "asal": form.origin, "baris": form.rows, "catatan": form.kept_note(),
                         MARKS: marks_of(form), "peringatan": [problem(p) for p in form.warnings()]})


def marks_of(form) -> dict:
    """The table's marks as the API gives them and takes them back (`tanda_tabel`)."""
    marks = form.table_marks()
    return {"versi": marks.version, "draf": marks.draft, "skpd": form.agency_mark(), ROWS_MARK: form.rows_mark()}


def require_sender(user, dossier):
    """Reading the grid needs no If-Match, only the policy's yes, as its page does; refused in the
    words a write is (a deactivated agency read "tidak berwenang ... pada posisi Langkah 3" of the
    very step that asked it for its table, and not that it was taken out of the round)."""
    if not may_do(user, SEND)(dossier):
        raise PermissionDenied(refusal(user, SEND, dossier, program=True))


# Every column optional here: which are required, and how long each may be, are the grid's rules,
# answered row by row.
@extend_schema_serializer(description="Satu baris tabel IKU, dengan kolom-kolom isian tabel; setiap isi berupa teks. "
                                      "Kolom yang wajib dan panjang paling banyak mengikuti aturan tabel IKU: "
                                      "kesalahannya disebut per baris dan kolom.")
class IkuRowIn(serializers.Serializer):
    sasaran_strategis = serializers.CharField(required=False, allow_blank=True)
    indikator = serializers.CharField(required=False, allow_blank=True)
    penjelasan = serializers.CharField(required=False, allow_blank=True)
    formula = serializers.CharField(required=False, allow_blank=True)
    satuan = serializers.CharField(required=False, allow_blank=True)
    target = serializers.CharField(required=False, allow_blank=True)
    sumber_data = serializers.CharField(required=False, allow_blank=True)
    penanggung_jawab = serializers.CharField(required=False, allow_blank=True)


class TableMarksIn(serializers.Serializer):
    versi = serializers.CharField(allow_blank=True)
    draf = serializers.CharField(allow_blank=True)
    skpd = serializers.CharField(required=False, allow_blank=True,
                                 help_text="SKPD pemilik tabel yang dibaca; berbeda dari SKPD akun kini: ditolak (409).")
    baris_terkirim = serializers.CharField(required=False, allow_blank=True,
                                           help_text="Baris terkirim seperti dibaca; diubah Biro Kesra sejak itu: "
                                                     "ditolak (409).")


class IkuTableIn(serializers.Serializer):
    catatan = serializers.CharField(required=False, allow_blank=True,
                                    help_text="Tanpa catatan, catatan draf yang tersimpan tetap.")
    tanda_tabel = TableMarksIn(required=False, help_text="Seperti dibaca dari GET iku-saya/: tabel yang diubah "
                               "halaman atau program lain sejak dibaca ditolak (409), tidak ditimpa.")
    baris = IkuRowIn(many=True)


def _documented(summary):
    return extend_schema(summary=summary, parameters=[IF_MATCH, IDEMPOTENCY_KEY], request=IkuTableIn,
                         responses=OpenApiTypes.OBJECT)


class SaveOrSend(ApiView):
    send = False

    @once_per_key
    def post(self, request, pk):
        user = request.user
        dossier = visible_dossier(user, pk)
        revision = revision_to_write(request, dossier, may_do(user, SEND), SEND, additive=True)
        data, wrong = posted(request.data)
        if wrong:
            return Response({"detail": "Tabel tidak disimpan: perbaiki baris yang disebut.", "kesalahan": wrong},
                            status=400)
        form = IkuSubmissionForm(data, dossier=dossier, user=user)
        # A table changed since it was read is told in a program's words (tanda_tabel), not a page's.
        form.for_program = True
        warnings = [problem(p) for p in form.warnings()]
        if self.send:
            if not form.is_valid():
                return refused(form, warnings)
            try:
                event = services.perform(dossier, user, SEND, revision=revision, **form.transition_kwargs())
            except TableChangedMeanwhile:
                # Sent or saved elsewhere, or corrected by the bureau, between the form's check and the
                # dossier's lock: it was a 400 in the page's words, with no new tanda_tabel. Checked
                # again, the form says which, as it would have a moment later (409).
                again = IkuSubmissionForm(data, dossier=dossier, user=user)
                again.for_program = True
                if again.is_valid() or not again.table_changed:
                    raise
                return refused(again, warnings)
            return answered(dossier, ACTIONS[SEND].success.format(event=event), peringatan=warnings)
        with logged_if_token(request, dossier, DRAFT_IKU, policy.acting_as(user, SEND, dossier)) as said:
            saved = form.save_as_draft(timezone.now())
            if saved is not None:
                said["note"] = f"Draf IKU {user.skpd}: {len(form.rows)} baris"
        if saved is None:
            return refused(form, warnings)
        # Kept as the grid keeps it; what would still stop it being sent is said now.
        return answered(dossier, f"Draf disimpan: {len(form.rows)} baris. Draf belum terkirim ke Biro Kesra.",
                        peringatan=warnings, kesalahan=[problem(p) for p in form.check.errors] if form.check else [])


def refused(form, warnings) -> Response:
    if getattr(form, "table_changed", False):
        return Response({"detail": " ".join(form.non_field_errors()), MARKS: marks_of(form)}, status=409)
    errors = [problem(p) for p in form.check.errors] if form.check else []
    errors += [{"baris": None, "kolom": name, "label": "", "pesan": message}
               for name, messages in form.errors.items() for message in messages]
    return Response({"detail": "Tabel tidak disimpan: perbaiki baris yang disebut.", "kesalahan": errors,
                     "peringatan": warnings}, status=400)


class SaveDraft(SaveOrSend):
    @_documented("Simpan tabel IKU SKPD Anda sebagai draf (tidak terkirim)")
    def post(self, request, pk):
        return super().post(request, pk)


class Send(SaveOrSend):
    send = True

    @_documented("Kirim tabel IKU SKPD Anda ke Biro Kesra")
    def post(self, request, pk):
        return super().post(request, pk)
