"""The base of the commands an operator runs, by hand or from a timer: what goes wrong outside the
command is said in one Indonesian line with a non-zero exit, as Django says a CommandError, not as a
page of traceback in the journal: the database unreachable, and for a command that mails
(`mails = True`) the mail server refusing."""

import errno
import os
import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

# What libpq says when no host of DATABASE_URL takes writes (target_session_attrs=read-write): the
# primary is down and the standby not yet promoted.
READ_ONLY = "session is read-only"
NO_PRIMARY = ("Tidak ada basis data yang menerima tulisan (yang terjangkau hanya standby): promosikan standby "
              "(deploy/failover promote), lalu jalankan lagi perintah ini.")


class OperatorCommand(BaseCommand):
    mails = False

    def execute(self, *args, **options):
        mail_errors = (smtplib.SMTPException, ConnectionRefusedError, TimeoutError) if self.mails else ()
        try:
            return super().execute(*args, **options)
        except (OperationalError, InterfaceError) as problem:
            if READ_ONLY in str(problem):
                # libpq names only the last host it tried (the standby): the others did not take writes either.
                raise CommandError(NO_PRIMARY) from None
            raise CommandError(f"Basis data tidak dapat dipakai (DATABASE_URL, layanan PostgreSQL atau berkas "
                               f"SQLite): {_first_line(problem)}") from None
        except mail_errors as problem:
            raise CommandError(f"Server surel menolak atau tidak menjawab (DJANGO_EMAIL_HOST dan seterusnya); yang "
                               f"belum terkirim dicoba lagi pada jalan berikutnya: {_first_line(problem)}") from None


def _first_line(problem: Exception) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text.splitlines()[0][:300]


# What the system says of a file an operator named, in Indonesian: Python's strerror is English.
OS_ERROR_WORDS = {
    errno.ENOENT: "berkas atau foldernya tidak ada",
    errno.ENOTDIR: "salah satu bagian jalurnya bukan folder",
    errno.EISDIR: "itu sebuah folder, bukan berkas",
    # mkdir of a folder the path needs, where a file of that name stands.
    errno.EEXIST: "di jalurnya sudah ada berkas bernama sama dengan folder yang diperlukan",
    errno.EACCES: "pengguna yang menjalankan perintah ini tidak berhak atasnya",
    errno.EPERM: "pengguna yang menjalankan perintah ini tidak berhak atasnya",
    errno.ENOSPC: "disk penuh",
    errno.EDQUOT: "kuota disk habis",
    errno.EROFS: "disknya hanya dapat dibaca",
}


def os_error_words(problem: OSError) -> str:
    """Why `problem` happened, in words for the operator: the system's English replaced, a text the
    app gave the error itself kept (operations.backup's full temporary folder), Python's own words
    for a rarer one."""
    if problem.errno in OS_ERROR_WORDS and problem.strerror in (None, os.strerror(problem.errno)):
        return OS_ERROR_WORDS[problem.errno]
    return problem.strerror or str(problem)
