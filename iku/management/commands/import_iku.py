"""Read an agency's IKU table from an XLSX file, for the bureau's clerks and for scripts.

Without --as the rows become the agency's draft, which its officers see in the grid and send
themselves. With --as the named user sends them, as that user would in the grid: through the
dossier's `ajukan_iku` action, asked of the policy, logged and kept as a version.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from iku import xlsx
from iku.table import save_draft, to_rows

# argument_message: read from here by its tests.
from lib.commands import BAD_INPUT, OperatorCommand, argument_message, os_error_words  # noqa: F401
from workflow import policy, services
from workflow.actions import Action
from workflow.models import Dossier, Skpd, User
from workflow.steps import FINAL_STATES, IkuStage, now_at


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


class Command(OperatorCommand):
    help = "Memuat tabel IKU satu SKPD dari berkas XLSX ke draf SKPD itu, atau mengirimnya (--as)."

    def add_arguments(self, parser):
        parser.add_argument("dossier", metavar="ID_DOSIER", type=int, help="id dosier")
        parser.add_argument("skpd", metavar="SKPD", help="id atau nama pendek SKPD")
        parser.add_argument("file", metavar="BERKAS", help="berkas .xlsx")
        parser.add_argument("--stage", choices=[s.value for s in IkuStage], help="konsep atau bahan (bawaan: tahap dosier kini)")
        parser.add_argument("--as", dest="username", metavar="NAMA_PENGGUNA",
                            help="kirim atas nama pengguna ini (harus berwenang mengirim IKU SKPD ini)")

    def handle(self, *args, **options):
        dossier = find_dossier(options["dossier"])
        if dossier.state in FINAL_STATES:
            # A draft kept in a closed or cancelled round waits in a grid nobody can send from.
            raise CommandError(f"Dosier {dossier.pk} {now_at(dossier.state)}: IKU-nya tidak dapat disimpan atau dikirim "
                               "lagi; tidak ada yang disimpan. Muat berkasnya ke dosier putaran yang masih berjalan.",
                               returncode=BAD_INPUT)
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
