"""The API's refusals as JSON with the same Indonesian text a page shows: the policy's own reason
(not DRF's generic one), each gate's missing item, the stale-revision news as 412 (and an If-Match
that names no version of ours), a body past the upload limit as 413, and a database too busy to
take a write as 503 to send again (never a 500). DRF's own refusals that its Indonesian catalogue
leaves in English (a method, a CSRF token, a throttle) are said here in Indonesian."""

import logging
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import OperationalError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve, reverse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from lib.fingerprint import fingerprint
from sop_iku.errors import database_away, refused_connection, report_refusal, told_admins
from workflow import changed_since, gates, sla
from workflow.services import StaleDossier
from workflow.steps import STATE_LABELS

logger = logging.getLogger("sop_iku.busy")
# Seconds a program is asked to wait before sending again: the lock it waited for is held by one
# write (SOP_LOCK_TIMEOUT_MS already passed), which ends within seconds.
BUSY_RETRY = 5
BUSY = ("Basis data sedang sibuk menyimpan perubahan lain, jadi perubahan Anda belum disimpan. Kirim lagi permintaan "
        "yang sama persis (If-Match dan Idempotency-Key, bila ada, tetap sama) sesudah Retry-After "
        f"({BUSY_RETRY} detik).")
# The primary gone in the middle of the write (a failover): it may have landed before the connection
# dropped, so the program sends it again with the same Idempotency-Key (api.idempotency).
AWAY = ("Basis data sedang tidak terjangkau, jadi perubahan Anda mungkin belum disimpan. Kirim lagi sebentar lagi "
        "dengan Idempotency-Key yang sama: yang sudah tercatat tidak dicatat dua kali.")
# Sent without a key, sending it again could make it twice: the program reads first.
AWAY_UNKEYED = ("Basis data sedang tidak terjangkau, jadi perubahan Anda mungkin belum disimpan, mungkin juga sudah. "
                "Permintaan ini tanpa Idempotency-Key: sesudah Retry-After baca lagi {what} untuk melihat apakah "
                "sudah tercatat, dan kirim lagi hanya bila belum. Sertakan Idempotency-Key pada setiap penulisan: "
                "dengan kunci yang sama, kiriman ulang tercatat sekali.")
# A read changes nothing, whatever stopped it (its token's last use and its quota are written down
# on every request, so a read too can wait on a busy database): it is asked again, no more.
READ_BUSY = ("Basis data sedang sibuk, jadi permintaan ini belum dapat dijawab; tidak ada yang berubah. Minta lagi "
             f"sesudah Retry-After ({BUSY_RETRY} detik).")
READ_AWAY = ("Basis data sedang tidak terjangkau (biasanya hanya beberapa detik, saat server basis data berganti), "
             f"jadi permintaan ini belum dapat dijawab; tidak ada yang berubah. Minta lagi sesudah Retry-After "
             f"({BUSY_RETRY} detik).")


# "pk-revision-state", a dossier page's tag with what it shows besides ("-<last event>", "t" when
# late, then "-<due moment>" and "-n<names' checksum>" only after a position: content_tag below),
# or the bare revision.
TAG = re.compile(r'^(?:W/)?"?(?:(\d+)-)?(\d+)(?:-([a-z][a-z0-9_]*))?(?:-\d+t?)?(?(3)(?:-\d+)?(?:-n[0-9a-f]+)?)"?$')
STALE = ("{what} Perubahan tidak disimpan. Baca dosier lagi (GET {address}) untuk melihat yang berubah, lalu kirim "
         "lagi dengan ETag barunya di If-Match (ETag dosier sekarang ada di header jawaban ini).")
UNKNOWN_ETAG = ("Header If-Match tidak berisi ETag yang diberikan API ini{what}: kirim ETag dosier dari header ETag "
                "jawaban GET dosier ini (atau nomor revisinya). ETag dosier sekarang ada di header jawaban ini.")
DJANGOS_404 = re.compile(r"No \w+ matches the given query\.$")
CSRF = ("Penulisan dengan sesi masuk (cookie) memerlukan token CSRF di header X-CSRFToken. Program sebaiknya "
        "memakai token API di header Authorization: Bearer <token>.")


class UnknownETag(Exception):
    """An If-Match sent but naming no version this API gives (not a dossier's moved version)."""

    def __init__(self, dossier, sent: str):
        super().__init__(sent)
        self.dossier, self.sent = dossier, sent


def unknown_etag_response(exc: UnknownETag) -> Response:
    what = " (* tidak diterima: perubahan harus menyebut versi yang Anda baca)" if exc.sent == "*" else ""
    return Response({"detail": UNKNOWN_ETAG.format(what=what), "revisi": exc.dossier.revision},
                    status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag(exc.dossier)})


def stale_response(dossier, sent: str, action: str | None = None) -> Response:
    # The page's news spoke of "the page you opened" and the form below it, which a program has none
    # of: it is told what moved since the version its If-Match names, and what to send again.
    detail = STALE.format(what=what_moved(dossier, sent, action), address=reverse("api_dossier", args=[dossier.pk]))
    return Response({"detail": detail, "revisi": dossier.revision}, status=status.HTTP_412_PRECONDITION_FAILED,
                    headers={"ETag": etag(dossier)})


def what_moved(dossier, sent: str, action: str | None = None) -> str:
    """What changed between the version `sent` (an If-Match the write read) names and `dossier` now,
    about to take `action`: where it still stands, what was done since (a new version of its step's
    document, a meeting recorded, an agency's IKU sent or reopened) is named as the pages name it, not
    only the revisions."""
    now = f"sekarang revisi {dossier.revision}, di {dossier.state_label}"
    match = TAG.match(sent.strip())
    if match is None:
        return f"Dosier ini sudah berubah sejak versi yang Anda baca: {now}."
    pk, revision, state = match.groups()
    if pk is not None and int(pk) != dossier.pk:
        return f"If-Match Anda berisi ETag dosier {pk}, bukan dosier ini ({dossier.pk}): {now}."
    if state and state != dossier.state:
        then = STATE_LABELS.get(state, state)
        return f"Dosier ini sudah berubah sejak revisi {revision} yang Anda baca (di {then}): {now}."
    if news := changed_since.renewed_news(dossier, int(revision), action):
        return f"{news} Anda membaca revisi {revision}; sekarang revisi {dossier.revision}."
    if state:
        now = f"sekarang revisi {dossier.revision}, masih di {dossier.state_label}"
    return f"Dosier ini sudah berubah sejak revisi {revision} yang Anda baca: {now}."


def etag(dossier) -> str:
    """The dossier's version as an ETag: its revision, and its position (which an addition, such as
    an agency's IKU, is checked against, as the page checks it)."""
    return f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'


def content_tag(dossier, now, *, history: bool = True, own_skpd: int | None = None, taken_out=None) -> str:
    """The ETag of the dossier as read (`GET dosier/N/`): its version, its history's last event,
    whether it is late, its step's due moment and, while it runs, its invited agencies' names. An
    event that moves nothing (an agency's draft, a reminder), the step's time running out, a
    calendar edit moving its due moment and the admin renaming an invited agency change what the
    page holds without a new revision: with the version alone, a conditional GET was answered 304
    over them. An If-Match of this tag reads its version only.

    The tag tells only what the reader's answer holds: without `history` (an agency's officer, who
    reads no riwayat) the last event is 0, and with `own_skpd` (skpd_diundang names only that agency)
    the names are that agency's. An agency read another agency's draft or reminder in the tag's
    event number turning, and could test a guess of who else a round invites against the names'
    checksum, which its answer leaves out.

    `taken_out`: the reader's agency, deactivated while the dossier runs (api.serializers.taken_out):
    its answer holds no deadline and says since when, so the tag marks that in place of both; the
    admin's deactivation makes no event, and a program asking with the tag it had was answered 304."""
    last = (dossier.events.order_by("-pk").values_list("pk", flat=True).first() or 0) if history else 0
    if taken_out is not None:
        since = int(taken_out.nonaktif_sejak.timestamp()) if taken_out.nonaktif_sejak else 0
        mark = f"-n{fingerprint([_names_mark(dossier, own_skpd), 'dikeluarkan', since], 8)}"
        return f'"{dossier.pk}-{dossier.revision}-{dossier.state}-{last}{mark}"'
    late = "t" if sla.is_overdue(dossier, now) else ""
    due = f"-{int(dossier.due_at.timestamp())}" if dossier.due_at else ""
    return f'"{dossier.pk}-{dossier.revision}-{dossier.state}-{last}{late}{due}{_names_mark(dossier, own_skpd)}"'


def _names_mark(dossier, own_skpd: int | None) -> str:
    """"-n<checksum>" of the invited agencies' short names while the round runs (skpd_diundang names
    them as they are now: api.serializers.kept_short_names), of `own_skpd`'s alone when given; "" once
    forwarded, named as it kept them. A rename makes no event: one small query on the invitations,
    not a field to keep in step."""
    if dossier.forwarded_at is not None:
        return ""
    names = dossier.invited.order_by("pk").values_list("pk", "nama_pendek")
    if own_skpd is not None:
        names = names.filter(pk=own_skpd)
    return f"-n{fingerprint(list(names), 8)}"


def handler(exc, context):
    if isinstance(exc, StaleDossier):
        action = exc.action or context.get("kwargs", {}).get("action")
        return stale_response(exc.dossier, context["request"].headers.get("If-Match", ""), action)
    if isinstance(exc, UnknownETag):
        return unknown_etag_response(exc)
    if isinstance(exc, RequestDataTooBig):
        # Raised as DRF reads request.body; left alone it became the site's HTML 400 page.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return Response({"detail": f"Isi permintaan terlalu besar: paling banyak {limit:g} MB."},
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc) or "Anda tidak berwenang."}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        # get_object_or_404 says "No Skpd matches the given query.": English, naming a model.
        said = "" if DJANGOS_404.match(str(exc)) else str(exc)
        return Response({"detail": said or "Tidak ditemukan."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, OperationalError) and (advice := refused_connection(exc)):
        return misconfigured_answer(context["request"]._request, exc, advice)
    if isinstance(exc, OperationalError):
        # A lock not granted in time (PostgreSQL's lock_timeout, SQLite's busy timeout): the write
        # was rolled back whole; the program is told to send it again, as a page keeps the form.
        away = database_away(exc)
        logger.warning("Permintaan API ditolak: basis data %s", "tidak terjangkau" if away else "sibuk", exc_info=exc)
        return Response({"detail": unavailable(context, away)}, status=status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Retry-After": str(BUSY_RETRY)})
    if isinstance(exc, ValidationError):
        said = gate_for_program(exc.messages, context) if isinstance(exc, gates.GateError) else exc.messages
        return Response({"detail": " ".join(said), "kesalahan": said}, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    said = in_indonesian(exc, context)
    if response is not None and said:
        response.data = {"detail": said}
    elif response is not None and isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        # A filter's refusal ({"tahun": [...]}) in the shape of a form's: a detail to show, and each
        # parameter's messages under kesalahan.
        wrong = {name: [str(m) for m in (messages if isinstance(messages, list) else [messages])]
                 for name, messages in response.data.items()}
        response.data = {"detail": "Periksa parameter: " + "; ".join(f"{name}: {' '.join(messages)}"
                                                                    for name, messages in wrong.items()),
                         "kesalahan": wrong}
    return response


# What nobody foresaw (a bug, a disk), answered by the site's 500 handler (sop_iku.errors.server_error),
# which sends /api/ here: a read changed nothing; a write's transaction was rolled back, unless what
# failed came after its commit, so it is sent again as one cut off midway is.
FAILED_READ = ("Terjadi kesalahan pada server, jadi permintaan ini belum dapat dijawab; tidak ada yang berubah. Minta "
               "lagi sebentar lagi; bila terulang, hubungi admin Biro dengan nomor permintaan {id} (header X-Request-ID).")
FAILED_WRITE = ("Terjadi kesalahan pada server, jadi perubahan Anda mungkin belum disimpan. {again} Bila terulang, "
                "hubungi admin Biro dengan nomor permintaan {id} (header X-Request-ID).")
AGAIN_KEYED = "Kirim lagi sebentar lagi dengan Idempotency-Key yang sama: yang sudah tercatat tidak dicatat dua kali."
AGAIN_UNKEYED = ("Permintaan ini tanpa Idempotency-Key: baca lagi {what} untuk melihat apakah sudah tercatat, dan kirim "
                 "lagi hanya bila belum.")


def failure_answer(request, *, away: bool, error=None) -> JsonResponse:
    """The API's answer to an exception nothing handled: 503 with Retry-After when the database went
    away (a failover), else 500; in JSON, saying what to send again."""
    if advice := refused_connection(error):
        return misconfigured_answer(request, error, advice)
    try:
        kwargs = resolve(request.path_info).kwargs
    except Resolver404:
        kwargs = {}
    context = {"request": request, "kwargs": kwargs}
    if away:
        response = JsonResponse({"detail": unavailable(context, True)}, status=503,
                                json_dumps_params={"ensure_ascii": False})
        response["Retry-After"] = str(BUSY_RETRY)
        return response
    said = getattr(request, "request_id", "") or "-"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        detail = FAILED_READ.format(id=said)
    else:
        again = AGAIN_KEYED if request.headers.get("Idempotency-Key", "").strip() else AGAIN_UNKEYED.format(
            what=what_to_read(kwargs))
        detail = FAILED_WRITE.format(again=again, id=said)
    return JsonResponse({"detail": detail}, status=500, json_dumps_params={"ensure_ascii": False})


# PostgreSQL refusing the app's connection string (sop_iku.errors.refused_connection): no failover
# mends it, so a program is not told to send again after Retry-After, which it did for good.
MISCONFIGURED = ("Aplikasi tidak dapat tersambung ke basis datanya karena pengaturan sambungannya keliru, jadi "
                 "permintaan ini belum dapat dijawab dan tidak ada yang berubah. Mengirim lagi tidak akan menolong "
                 "sampai admin memperbaikinya. {told}")


def misconfigured_answer(request, error, advice: str) -> JsonResponse:
    response = JsonResponse({"detail": MISCONFIGURED.format(told=told_admins())}, status=503,
                            json_dumps_params={"ensure_ascii": False})
    return report_refusal(request, error, advice, response)


def what_to_read(kwargs) -> str:
    pk = kwargs.get("pk")
    return f"dosiernya (GET {reverse('api_dossier', args=[pk])})" if pk is not None else "yang hendak Anda ubah"


def unavailable(context, away: bool) -> str:
    """What a request the database could not take is told to do: a read to ask again; a write that
    nothing kept to send the same again; one the database dropped in the middle, which may have
    landed, to send again with its Idempotency-Key, or, sent without one, to read before sending."""
    request = context["request"]
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return READ_AWAY if away else READ_BUSY
    if not away:
        return BUSY
    if request.headers.get("Idempotency-Key", "").strip():
        return AWAY
    return AWAY_UNKEYED.format(what=what_to_read(context.get("kwargs", {})))


def gate_for_program(messages: list[str], context) -> list[str]:
    """A step's missing items as a program reads them: a document is uploaded or made on the dossier's
    page, which the gate's "Unggah dokumen ini terlebih dahulu" left a program looking for in the API."""
    pk = context.get("kwargs", {}).get("pk")
    if pk is None:
        return messages
    page = context["request"].build_absolute_uri(reverse("dossier", args=[pk]))
    where = {
        gates.UPLOAD_FIRST: f"Unggah dokumen ini terlebih dahulu di halaman dosier ({page}): API tidak menerima berkas.",
        gates.MAKE_FIRST: (f"Unggah atau buat dokumen ini terlebih dahulu di halaman dosier ({page}): API tidak "
                           "menerima atau membuat berkas."),
        gates.MAKE_AGAIN: (f"Buat atau unggah lagi versi yang sudah diperbaiki (boleh sama isinya) di halaman dosier "
                           f"({page}): API tidak menerima atau membuat berkas."),
    }
    said = []
    for message in messages:
        for page_words, program_words in where.items():
            message = message.replace(page_words, program_words)
        said.append(message)
    return said


def in_indonesian(exc, context) -> str | None:
    """What DRF says in English (its Indonesian catalogue lacks these), said in Indonesian."""
    if isinstance(exc, exceptions.MethodNotAllowed):
        return f"Alamat ini tidak melayani metode {context['request'].method}."
    if isinstance(exc, exceptions.Throttled):
        wait = f"dalam {exc.wait:.0f} detik" if exc.wait is not None else "sebentar lagi"
        return (f"Terlalu banyak permintaan: paling banyak {settings.SOP_API_REQUESTS} permintaan per menit. "
                f"Coba lagi {wait}.")
    # SessionAuthentication's refusal is a plain PermissionDenied, told apart only by its text.
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        return CSRF
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return (f"Jenis isi “{context['request'].content_type[:100]}” tidak diterima: kirim JSON dengan "
                "Content-Type: application/json.")
    if isinstance(exc, exceptions.ParseError) and str(exc.detail) == str(exceptions.ParseError.default_detail):
        return "Isi permintaan tidak dapat dibaca."
    return None
