"""Read an agency's IKU table from an XLSX file, for the bureau's clerks and for scripts.

Without --as the rows become the agency's draft, which its officers see in the grid and send
themselves. With --as the named user sends them, as that user would in the grid: through the
dossier's `ajukan_iku` action, asked of the policy, logged and kept as a version.
"""

import re
import sys
from functools import partial

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.utils import timezone

from iku import xlsx
from iku.table import save_draft, to_rows
from lib.commands import os_error_words
from workflow import policy, services
from workflow.actions import Action
from workflow.models import Dossier, Skpd, User
from workflow.steps import IkuStage

BAD_INPUT = 2

# argparse says what is wrong with the arguments in English; a clerk runs this command, so each of
# its sentences is put in Indonesian (one not known here is left as argparse wrote it).
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


def find_skpd(value: str) -> Skpd:
    found = Skpd.objects.filter(pk=int(value)) if value.isascii() and value.isdigit() else Skpd.objects.none()
    found = found or Skpd.objects.filter(nama_pendek__iexact=value.strip()) or Skpd.objects.filter(singkatan__iexact=value.strip())
    if len(found) != 1:
        raise CommandError(f"SKPD {value!r} tidak ditemukan (pakai id atau nama pendek).", returncode=BAD_INPUT)
    return found[0]


def find_dossier(value) -> Dossier:
    dossier = Dossier.objects.filter(pk=value).first()
    if dossier is None:
        raise CommandError(f"Dosier {value} tidak ditemukan.", returncode=BAD_INPUT)
    return dossier


class Command(BaseCommand):
    help = "Memuat tabel IKU satu SKPD dari berkas XLSX ke draf SKPD itu, atau mengirimnya (--as)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", IndonesianHelpFormatter)
        return in_indonesian(super().create_parser(prog_name, subcommand, **kwargs))

    def add_arguments(self, parser):
        parser.add_argument("dossier", metavar="ID_DOSIER", type=int, help="id dosier")
        parser.add_argument("skpd", metavar="SKPD", help="id atau nama pendek SKPD")
        parser.add_argument("file", metavar="BERKAS", help="berkas .xlsx")
        parser.add_argument("--stage", choices=[s.value for s in IkuStage], help="konsep atau bahan (bawaan: tahap dosier kini)")
        parser.add_argument("--as", dest="username", metavar="NAMA_PENGGUNA",
                            help="kirim atas nama pengguna ini (harus berwenang mengirim IKU SKPD ini)")

    def handle(self, *args, **options):
        dossier = find_dossier(options["dossier"])
        skpd = find_skpd(options["skpd"])
        if not dossier.invited.filter(pk=skpd.pk).exists():
            raise CommandError(f"{skpd} tidak diundang pada dosier {dossier.pk}.", returncode=BAD_INPUT)
        current = dossier.step.iku_stage if dossier.step else ""
        stage = IkuStage(options["stage"] or current or IkuStage.KONSEP)
        try:
            read = xlsx.read_path(options["file"], year=dossier.tahun)
        except OSError as error:
            raise CommandError(f"Berkas {options['file']} tidak dapat dibuka: {os_error_words(error)}.",
                               returncode=BAD_INPUT) from None
        if not read.ok:
            for problem in read.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(read.problems)} masalah; tidak ada yang disimpan.", returncode=BAD_INPUT)
        for warning in read.warnings:
            self.stderr.write(f"Peringatan: {warning}")
        if options["username"]:
            self._send(dossier, skpd, stage, read.rows, options["username"])
            self.stdout.write(f"{len(read.rows)} baris dikirim sebagai {stage.label} {skpd}.")
        else:
            save_draft(dossier, skpd, stage, read.rows, timezone.now())
            self.stdout.write(f"{len(read.rows)} baris disimpan sebagai draf {stage.label} {skpd}.")

    def _send(self, dossier, skpd, stage, rows, username):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username!r} tidak ditemukan.", returncode=BAD_INPUT)
        if user.skpd_id != skpd.pk or current_stage(dossier) != stage or not policy.can(user, Action.AJUKAN_IKU, dossier):
            raise CommandError(
                f"{user.username} tidak berwenang mengirim {stage.label} {skpd} pada posisi dosier sekarang "
                f"({dossier.state_label}).", returncode=BAD_INPUT,
            )
        try:
            services.perform(dossier, user, Action.AJUKAN_IKU, revision=dossier.revision, rows=to_rows(rows))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=BAD_INPUT) from None


def current_stage(dossier):
    return IkuStage(dossier.step.iku_stage) if dossier.step and dossier.step.iku_stage else None
