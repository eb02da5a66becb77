"""The API's refusals as JSON with the same Indonesian text a page shows: the policy's own reason
(not DRF's generic one), each gate's missing item, the stale-revision news as 412, and a database
too busy to take a write as 503 to send again (never a 500)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from workflow.services import StaleDossier

logger = logging.getLogger("sop_iku.busy")
BUSY = ("Basis data sedang sibuk menyimpan isian lain, jadi perubahan Anda belum disimpan. "
        "Kirim lagi sebentar lagi.")
# Seconds a program is asked to wait before sending again: the lock it waited for is held by one
# write (SOP_LOCK_TIMEOUT_MS already passed), which ends within seconds.
BUSY_RETRY = 5


def stale_response(dossier) -> Response:
    # The page's news without its last sentence, which speaks of the form below it.
    return Response({"detail": StaleDossier(dossier).messages[0].split(" Tindakan")[0] + " Perubahan tidak disimpan.",
                     "revisi": dossier.revision}, status=status.HTTP_412_PRECONDITION_FAILED,
                    headers={"ETag": etag(dossier)})


def etag(dossier) -> str:
    """The dossier's version as an ETag: its revision, and its position (which an addition, such as
    an agency's IKU, is checked against, as the page checks it)."""
    return f'"{dossier.pk}-{dossier.revision}-{dossier.state}"'


def handler(exc, context):
    if isinstance(exc, StaleDossier):
        return stale_response(exc.dossier)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc) or "Anda tidak berwenang."}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Http404):
        return Response({"detail": str(exc) or "Tidak ditemukan."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, OperationalError):
        # A lock not granted in time (PostgreSQL's lock_timeout, SQLite's busy timeout): the write
        # was rolled back whole; the program is told to send it again, as a page keeps the form.
        logger.warning("Permintaan API ditolak: basis data sibuk", exc_info=exc)
        return Response({"detail": BUSY}, status=status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Retry-After": str(BUSY_RETRY)})
    if isinstance(exc, ValidationError):
        return Response({"detail": " ".join(exc.messages), "kesalahan": exc.messages},
                        status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)
