"""Keeps the signed records verifiable for their retention period (naskah/pades.py): each signed
document whose newest timestamp's authority certificate expires within --hari days, or that has no
document timestamp yet, gets the validation data of that evidence and a new document timestamp over
it. deploy/sop-iku-timestamps.timer runs it daily.

Idempotent: a record is renewed only when pades.renewal says it is due, and a renewal must extend
how long the record can be verified, so a second run finds nothing to do. The renewal is computed
outside any transaction (a timestamp authority may be slow) and stored only if the record's bytes
are still the ones renewed: two runs at once renew a record once.

Audited: each timestamp added is an event in the dossier's history, in the transaction that stores
the renewed bytes, by "Sistem (pembaruan stempel waktu)" (no person acted), naming the document, the
new horizon and the SHA-256 before and after; and a log line (logger sop_iku.timestamps, the journal
in production). A run that renews nothing writes nothing.
A file renewed keeps its old bytes as a prefix (incremental update): a copy served before still
verifies as signed.
"""

import logging
from collections import Counter
from datetime import timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from lib.commands import OperatorCommand, zero_or_more
from naskah import pades, record
from naskah.models import NaskahRecord
from workflow.actions import RENEW_TIMESTAMP
from workflow.models import AuditEvent, Dossier
from workflow.steps import DocKind

log = logging.getLogger("sop_iku.timestamps")
RENEWED, NOT_DUE, CANNOT, FAILED = "diperbarui", "belum perlu", "tidak dapat dibuat jangka panjang", "gagal"
DUE = "akan diperbarui"
# Who the history says acted (AuditEvent.objects.record_by_system).
TASK = "pembaruan stempel waktu"


class Command(OperatorCommand):
    help = ("Menambahkan data validasi dan stempel waktu dokumen pada naskah bertanda tangan elektronik yang "
            "buktinya segera berakhir, agar tetap dapat diverifikasi selama masa retensinya. Keluar 1 bila ada "
            "yang perlu diperbarui tetapi gagal.")

    def add_arguments(self, parser):
        parser.add_argument("--hari", type=zero_or_more, default=pades.RENEW_BEFORE.days,
                            help=f"perbarui bila bukti terbaru berakhir dalam sekian hari (bawaan {pades.RENEW_BEFORE.days})")
        parser.add_argument("--dry-run", action="store_true", help="hanya menyebutkan, tidak mengubah apa pun")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        before = timedelta(days=options["hari"])
        counts = Counter()
        for pk in NaskahRecord.objects.exclude(final_sha256="").order_by("pk").values_list("pk", flat=True):
            counts[self.renew_one(pk, before, dry_run=options["dry_run"])] += 1
        first = DUE if options["dry_run"] else RENEWED
        summary = ", ".join(f"{counts[outcome]} {outcome}" for outcome in (first, NOT_DUE, CANNOT, FAILED))
        self.stdout.write(f"{sum(counts.values())} naskah bertanda tangan diperiksa: {summary}.")
        if counts[FAILED]:
            raise CommandError(f"{counts[FAILED]} naskah perlu stempel waktu baru tetapi gagal diperbarui.")

    def renew_one(self, pk: int, before: timedelta, *, dry_run: bool) -> str:
        found = NaskahRecord.objects.select_related("document").get(pk=pk)
        label = f"naskah #{found.pk} {found.nomor or '(tanpa nomor)'} (dosier #{found.document.dossier_id})"
        try:
            data = record.served_bytes(found)
            due = pades.renewal(data, before=before)
        except Exception as error:  # noqa: BLE001 - a file that cannot be read is reported, the rest go on
            log.error("%s: berkas final tidak dapat diperiksa (%s: %s)", label, type(error).__name__, error)
            self.stderr.write(f"{label}: berkas final tidak dapat diperiksa ({type(error).__name__}: {error})")
            return FAILED
        if due.stuck:
            if "B-B" not in due.evidence.level:
                # Renewed too late: evidence lost, which someone must hear of.
                log.warning("%s: %s", label, due.why)
            if self.verbosity > 1 or "B-B" not in due.evidence.level:
                self.stdout.write(f"{label}: {due.why}")
            return CANNOT
        if not due.due:
            return NOT_DUE
        if dry_run:
            self.stdout.write(f"{label}: akan diperbarui ({due.why})")
            return DUE
        try:
            renewed = pades.renew(data)
        except Exception as error:  # noqa: BLE001 - any failure of one record is reported, the rest go on
            log.error("%s: stempel waktu dokumen gagal ditambahkan (%s): %s", label, type(error).__name__, error)
            self.stderr.write(f"{label}: gagal ({type(error).__name__}: {error})")
            return FAILED
        checks = pades.validate(renewed)
        if not checks or not all(check.sah for check in checks):
            # Never store a renewal that reads worse than what it replaces.
            log.error("%s: hasil pembaruan tidak sah (%s); berkas lama dipertahankan", label,
                      "; ".join(check.kesimpulan for check in checks))
            self.stderr.write(f"{label}: hasil pembaruan tidak sah, berkas lama dipertahankan")
            return FAILED
        return self.store(found.pk, data, renewed, label, due)

    def store(self, pk: int, data: bytes, renewed: bytes, label: str, due) -> str:
        old_sha = record.sha256(data)
        horizon = pades.evidence(renewed).horizon
        dossier_id = NaskahRecord.objects.filter(pk=pk).values_list("document__dossier_id", flat=True).get()
        with transaction.atomic():
            # The dossier first, as a move locks it before the documents it signs.
            dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
            found = NaskahRecord.objects.select_for_update().select_related("document").get(pk=pk)
            if found.final_sha256 != old_sha:
                # Another run renewed it meanwhile: its renewal stands, this one is dropped.
                return NOT_DUE
            record.keep(found, renewed)
            title = f"{DocKind(found.document.kind).label} {found.nomor}".strip()
            AuditEvent.objects.record_by_system(dossier, RENEW_TIMESTAMP, TASK, {
                "note": f"{title}: stempel waktu dokumen ditambahkan ({due.why}); dapat diverifikasi sampai "
                        f"{pades.day_text(horizon)}.",
                "naskah": found.pk, "berlaku_sampai": horizon.date().isoformat(),
                "sha256_sebelum": old_sha, "sha256_sesudah": found.final_sha256,
            }, timezone.now())
        log.info("%s: stempel waktu dokumen ditambahkan (%s); SHA-256 %s -> %s; dapat diverifikasi sampai %s",
                 label, due.why, old_sha, found.final_sha256, horizon.date().isoformat())
        self.stdout.write(f"{label}: stempel waktu dokumen ditambahkan, dapat diverifikasi sampai "
                          f"{pades.day_text(horizon)}")
        return RENEWED
