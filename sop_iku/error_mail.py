"""Server errors mailed to DJANGO_ADMINS: each kind once, then not again for a quiet period.

While PostgreSQL refused the app's password (DATABASE_URL changed on one side only) every request
mailed the admins the same error: hundreds of identical mails an hour, burying any other. A kind of
failure (the same error raised at the same place, or the same refusal) is now mailed once, then held
back for SOP_ERROR_MAIL_QUIET_MINUTES; the next mail after that says how many were held back. The
log still records every one (the console handler is not this one).

The mark is a small file per kind under SOP_ERROR_MAIL_STATE, locked while read and written, so the
web workers of one server mail once between them: the database is what may be down, and Django's
cache is each worker's own. A folder that cannot be written falls back to a mark per process.
"""

import fcntl
import hashlib
import logging
import os
import re
import threading
import time
import traceback
from copy import copy
from pathlib import Path

from django.conf import settings
from django.utils.log import AdminEmailHandler

logger = logging.getLogger("sop_iku.error_mail")
_APP = str(Path(__file__).resolve().parent.parent)


def now() -> float:
    return time.time()


def failure_kind(record: logging.LogRecord) -> str:
    """What makes two failures the same one: a kind the caller named (`extra={"failure_kind": ...}`),
    else the logger, the message before its values (not the path) and where the error was raised."""
    named = getattr(record, "failure_kind", None)
    if named:
        return f"{record.name}|{named}"
    parts = [record.name, str(record.msg), str(getattr(record, "status_code", ""))]
    error = record.exc_info[1] if record.exc_info else None
    if error is not None:
        parts.append(f"{type(error).__module__}.{type(error).__qualname__}")
        frames = traceback.extract_tb(error.__traceback__)
        # Where it was raised, and the app's own line that led there: two faults of ours raised from
        # the same line of a library (a template's missing key) are two kinds, not one held back.
        ours = [frame for frame in frames if frame.filename.startswith(_APP) and "site-packages" not in frame.filename]
        parts += [f"{frame.filename}:{frame.lineno}" for frame in (frames[-1:] + ours[-1:])]
    return "|".join(parts)


class _Marks:
    """When each kind was last mailed, and how many were held back since: in a file per kind, or in
    this process's memory when the folder cannot be written."""

    def __init__(self):
        self.lock = threading.Lock()
        self.in_memory: dict[str, tuple[float, int]] = {}
        self.warned = False

    def claim(self, kind: str, quiet: float) -> int | None:
        """None when `kind` was mailed less than `quiet` seconds ago (counted as held back); else
        the number held back since its last mail, and it is marked mailed now."""
        with self.lock:
            try:
                return self._claim_in_file(kind, quiet)
            except OSError as problem:
                if not self.warned:
                    self.warned = True
                    logger.warning("Folder penanda surel kesalahan %s tidak dapat ditulis (%s): tiap proses menahan "
                                   "surel kesalahan yang sama sendiri-sendiri.", settings.SOP_ERROR_MAIL_STATE, problem)
                return self._claim_in_memory(kind, quiet)

    def _claim_in_file(self, kind: str, quiet: float) -> int | None:
        folder = Path(settings.SOP_ERROR_MAIL_STATE)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / hashlib.sha256(kind.encode()).hexdigest()[:32]
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            mailed, held = _read_mark(os.read(fd, 100))
            answer, mark = _decide(mailed, held, quiet)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{mark[0]} {mark[1]}".encode(), 0)
            return answer
        finally:
            os.close(fd)

    def _claim_in_memory(self, kind: str, quiet: float) -> int | None:
        answer, self.in_memory[kind] = _decide(*self.in_memory.get(kind, (0.0, 0)), quiet)
        return answer


def _decide(mailed: float, held: int, quiet: float) -> tuple[int | None, tuple[float, int]]:
    """The claim's answer and the mark kept after it."""
    moment = now()
    if moment - mailed < quiet:
        return None, (mailed, held + 1)
    return held, (moment, 0)


def _read_mark(text: bytes) -> tuple[float, int]:
    try:
        mailed, held = text.decode().split()
        return float(mailed), int(held)
    except ValueError:
        # A new file (empty), or one cut short by a full disk: as if never mailed.
        return 0.0, 0


marks = _Marks()

_LEVEL = re.compile(r"^([A-Z]+) \((EXTERNAL|internal) IP\): ")
_LEVELS = {"ERROR": "Kesalahan", "CRITICAL": "Kesalahan berat", "WARNING": "Peringatan"}


class QuietAdminEmailHandler(AdminEmailHandler):
    def emit(self, record):
        if not settings.ADMINS:
            return
        quiet = max(settings.SOP_ERROR_MAIL_QUIET_MINUTES, 0) * 60
        held = marks.claim(failure_kind(record), quiet) if quiet else 0
        if held is None:
            return
        if held:
            record = copy(record)
            note = f"[{held} kali lagi sejak surel sebelumnya] "
            # The note is text, never a format: a % in it would be read as one when the record has values.
            record.msg = note + str(record.msg) if not record.args else note.replace("%", "%%") + str(record.msg)
        super().emit(record)

    def format_subject(self, subject):
        # Django opens the subject with "ERROR (EXTERNAL IP): ", English an admin reads first.
        said = _LEVEL.sub(lambda m: f"{_LEVELS.get(m[1], m[1])} ({'dari luar' if m[2] == 'EXTERNAL' else 'dari dalam'}): ",
                          subject, count=1)
        return super().format_subject(said)

    def send_mail(self, subject, message, *args, **kwargs):
        minutes = settings.SOP_ERROR_MAIL_QUIET_MINUTES
        if minutes > 0:
            message = (f"Kesalahan yang sama tidak disurelkan lagi selama {minutes} menit (SOP_ERROR_MAIL_QUIET_MINUTES); "
                       f"log server tetap mencatat tiap kejadiannya.\n\n{message}")
        super().send_mail(subject, message, *args, **kwargs)
