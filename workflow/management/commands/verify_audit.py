"""Check the audit log's keyed chain end to end and against its checkpoints: exit 0 when whole, 1
naming what broke. `--checkpoint` then records the log's present end outside the database."""

import sys

from lib.commands import OperatorCommand, os_error_words
from lib.dates import moment_text
from workflow.audit import actors
from workflow.audit import chain as audit_chain
from workflow.models import AuditChainHead, AuditEvent, Dossier


class Command(OperatorCommand):
    help = ("Memeriksa rantai segel riwayat dan titik periksanya: utuh (keluar 0) atau menyebut yang "
            "rusak (keluar 1).")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", action="store_true",
                            help="Bila utuh, catat ujung riwayat sekarang di berkas titik periksa (SOP_AUDIT_CHECKPOINTS).")

    def handle(self, *args, checkpoint=False, **options):
        events = AuditEvent.objects.all()
        broken = audit_chain.first_break(events.order_by("pk").iterator(chunk_size=2000))
        if broken is not None:
            event, why = broken
            if event.pk == events.order_by("pk").values_list("pk", flat=True).first() and \
                    audit_chain.sealed_under_another_key(events.order_by("pk")):
                why += (", begitu pula segel catatan sesudahnya walau rantainya menyambung: riwayat ini disegel "
                        "dengan kunci lain (SOP_AUDIT_KEY, atau tanpanya DJANGO_SECRET_KEY / berkas .secret_key), "
                        "misalnya sesudah dipulihkan ke pemasangan lain, atau dibangun ulang tanpa kunci. Periksa "
                        "lagi dengan kunci pemasangan asalnya; bila tetap tidak cocok, riwayat telah diubah")
            self._fail(f"Rantai riwayat rusak pada catatan #{event.pk} ({moment_text(event.at)}, "
                       f"dosier {event.dossier_id}, {event.action}): {why}.")
        head = AuditChainHead.objects.filter(pk=1).first()
        last = events.order_by("-pk").first()
        if last is not None and (head is None or head.last_hash != last.hash):
            self._fail("Rantai riwayat rusak di ujungnya: catatan terakhir hilang atau ditambahkan di luar aplikasi.")
        try:
            cut = audit_chain.checkpoint_break(events)
        except OSError as problem:
            self._fail(f"Berkas titik periksa {audit_chain.checkpoint_path()} tidak dapat dibaca: "
                       f"{os_error_words(problem)} (SOP_AUDIT_CHECKPOINTS).")
        if cut is not None:
            self._fail(f"Riwayat tidak cocok dengan titik periksa di luar basis data: {cut}.")
        count = events.count()
        self.stdout.write(f"Rantai riwayat utuh: {count} catatan.")
        # The names each dossier keeps of who acted on it come from this log: events the previous
        # release wrote while an upgrade ran did not name anyone there, and the nightly check mends it.
        if named := actors.fill(Dossier.objects, events):
            self.stdout.write(f"Nama yang bertindak pada {named} dosier dilengkapi dari riwayat (pencarian arsip).")
        if checkpoint:
            try:
                point = audit_chain.write_checkpoint(events)
            except OSError as problem:
                self._fail(f"Titik periksa tidak dapat ditulis ke {audit_chain.checkpoint_path()}: "
                           f"{os_error_words(problem)}. Riwayatnya sendiri utuh.")
            if point is not None:
                self.stdout.write(f"Titik periksa dicatat: catatan #{point['last_event']}, {point['count']} catatan, "
                                  f"di {audit_chain.checkpoint_path()}.")

    def _fail(self, text: str):
        self.stderr.write(text)
        sys.exit(1)
