"""The base of the commands an operator runs, by hand or from a timer: what goes wrong outside the
command is said in one Indonesian line with a non-zero exit, as Django says a CommandError, not as a
page of traceback in the journal: the database unreachable, and for a command that mails
(`mails = True`) the mail server refusing."""

import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError


class OperatorCommand(BaseCommand):
    mails = False

    def execute(self, *args, **options):
        mail_errors = (smtplib.SMTPException, ConnectionRefusedError, TimeoutError) if self.mails else ()
        try:
            return super().execute(*args, **options)
        except (OperationalError, InterfaceError) as problem:
            raise CommandError(f"Basis data tidak dapat dipakai (DATABASE_URL, layanan PostgreSQL atau berkas "
                               f"SQLite): {_first_line(problem)}") from None
        except mail_errors as problem:
            raise CommandError(f"Server surel menolak atau tidak menjawab (DJANGO_EMAIL_HOST dan seterusnya); yang "
                               f"belum terkirim dicoba lagi pada jalan berikutnya: {_first_line(problem)}") from None


def _first_line(problem: Exception) -> str:
    text = str(problem).strip() or type(problem).__name__
    return text.splitlines()[0][:300]
