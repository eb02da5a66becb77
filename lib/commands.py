"""The base of the commands an operator runs, by hand or from a timer: what goes wrong outside the
command is said in one Indonesian line with a non-zero exit, as Django says a CommandError, not as a
page of traceback in the journal: the database unreachable, and for a command that mails
(`mails = True`) the mail server refusing."""

import argparse
import errno
import os
import re
import smtplib
import sys
from functools import partial

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter, SystemCheckError
from django.db import InterfaceError, OperationalError

from sop_iku.postgresql import lasting_refusal

# What libpq says when no host of DATABASE_URL takes writes (target_session_attrs=read-write): the
# primary is down and the standby not yet promoted.
READ_ONLY = "session is read-only"
NO_PRIMARY = ("Tidak ada basis data yang menerima tulisan (yang terjangkau hanya standby): promosikan standby "
              "(deploy/failover promote), lalu jalankan lagi perintah ini.")


BAD_INPUT = 2

# argparse says what is wrong with the arguments in English; a clerk or an operator runs these commands,
# so each of its sentences is put in Indonesian (one not known here is left as argparse wrote it).
ARGUMENT_MESSAGES = [
    (r"the following arguments are required: (?P<names>.+)", "argumen wajib belum diisi: {names}"),
    (r"unrecognized arguments: (?P<args>.+)", "argumen tidak dikenal: {args}"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "opsi {option} bermakna ganda; bisa {matches}"),
    (r"one of the arguments (?P<names>.+) is required", "salah satu argumen ini wajib diisi: {names}"),
    (r"invalid (?P<type>\w+) value: (?P<value>.+)", "{value} bukan {type}"),
    (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)",
     "pilihan {value} tidak dikenal; pilih salah satu: {choices}"),
    (r"expected one argument", "perlu satu nilai"),
    (r"expected at most one argument", "paling banyak satu nilai"),
    (r"expected at least one argument", "perlu paling sedikit satu nilai"),
    (r"expected (?P<count>\d+) arguments?", "perlu {count} nilai"),
    (r"ignored explicit argument (?P<value>.+)", "tidak menerima nilai {value}"),
    (r"not allowed with argument (?P<other>.+)", "tidak boleh dipakai bersama {other}"),
]
TYPE_WORDS = {"int": "bilangan bulat", "float": "bilangan"}
BASE_OPTION_HELP = {
    "help": "tampilkan bantuan ini lalu keluar",
    "version": "tampilkan versi program lalu keluar",
    "verbosity": "banyaknya keluaran: 0 sedikit, 1 biasa, 2 rinci, 3 sangat rinci",
    "settings": "modul pengaturan Python, misalnya \"sop_iku.settings\" (bawaan: DJANGO_SETTINGS_MODULE)",
    "pythonpath": "folder yang ditambahkan ke jalur Python",
    "traceback": "tampilkan jejak lengkap bila terjadi CommandError",
    "no_color": "tanpa warna pada keluaran",
    "force_color": "selalu berwarna pada keluaran",
    "skip_checks": "lewati pemeriksaan sistem",
}


def argument_message(message: str) -> str:
    """argparse's `message` in Indonesian (as it is when no sentence matches)."""
    argument, detail = None, message
    if found := re.fullmatch(r"argument (?P<argument>.+?): (?P<detail>.+)", message, re.DOTALL):
        argument, detail = found["argument"], found["detail"]
    for english, indonesian in ARGUMENT_MESSAGES:
        if found := re.fullmatch(english, detail, re.DOTALL):
            words = found.groupdict()
            if "type" in words:
                words["type"] = TYPE_WORDS.get(words["type"], f"nilai {words['type']} yang sah")
            detail = indonesian.format(**words)
            break
    return f"argumen {argument}: {detail}" if argument else detail


def zero_or_more(text: str) -> int:
    """An option's count that cannot be below zero (an age in minutes, a number of days): argparse's
    int takes "-5", and a negative age would reach files younger than now."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} bukan bilangan bulat") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat 0 atau lebih, bukan {text!r}")
    return number


class IndonesianHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Penggunaan: " if prefix is None else prefix)


def refuse_arguments(parser, message):
    """The parser's error(): the usage and what is wrong, in Indonesian, exit status 2 on the command
    line; a CommandError with the same status from call_command."""
    text = argument_message(message)
    if parser.called_from_command_line:
        parser.print_usage(sys.stderr)
        parser.exit(BAD_INPUT, f"{parser.prog}: kesalahan: {text}\n")
    raise CommandError(f"Kesalahan: {text}", returncode=BAD_INPUT)


def in_indonesian(parser):
    """`parser` (a management command's) speaking Indonesian: its errors, usage and help."""
    parser.error = partial(refuse_arguments, parser)
    parser._positionals.title = "argumen"
    parser._optionals.title = "opsi"
    for action in parser._actions:
        action.help = BASE_OPTION_HELP.get(action.dest, action.help)
    return parser


# Before a refusal the command says on the command line: Django writes the class's name, "CommandError:",
# which an operator reading the journal took for a crash of the program rather than its answer.
REFUSED = "Kesalahan: "


class IndonesianArguments:
    """A management command whose wrong arguments, usage, --help and refusals are said in Indonesian."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", IndonesianHelpFormatter)
        return in_indonesian(super().create_parser(prog_name, subcommand, **kwargs))

    def run_from_argv(self, argv):
        # Django's run_from_argv prints a CommandError as "CommandError: ..."; the refusal is said here
        # first, with the same exit status. --traceback and the system checks' own text are left to it.
        execute = self.execute

        def said_in_indonesian(*args, **options):
            try:
                return execute(*args, **options)
            except CommandError as refusal:
                if options.get("traceback") or isinstance(refusal, SystemCheckError):
                    raise
                self.stderr.write(f"{REFUSED}{refusal}")
                sys.exit(refusal.returncode)

        self.execute = said_in_indonesian
        return super().run_from_argv(argv)


class OperatorCommand(IndonesianArguments, BaseCommand):
    mails = False

    def execute(self, *args, **options):
        mail_errors = (smtplib.SMTPException, ConnectionRefusedError, TimeoutError) if self.mails else ()
        try:
            return super().execute(*args, **options)
        except (OperationalError, InterfaceError) as problem:
            if READ_ONLY in str(problem):
                # libpq names only the last host it tried (the standby): the others did not take writes either.
                raise CommandError(NO_PRIMARY) from None
            if words := lasting_refusal(problem):
                raise CommandError(f"{words} ({_first_line(problem)})") from None
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
