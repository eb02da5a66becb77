"""Check the audit log's hash chain end to end: exit 0 when whole, 1 naming the first broken event."""

import sys

from django.core.management.base import BaseCommand

from workflow.audit_chain import first_break
from workflow.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = "Memeriksa rantai hash riwayat: utuh (keluar 0) atau menyebut catatan pertama yang rusak (keluar 1)."

    def handle(self, *args, **options):
        events = AuditEvent.objects.order_by("pk").iterator(chunk_size=2000)
        broken = first_break(events)
        if broken is not None:
            event, why = broken
            self.stderr.write(f"Rantai riwayat rusak pada catatan #{event.pk} ({event.at:%d-%m-%Y %H.%M}, "
                              f"dosier {event.dossier_id}, {event.action}): {why}.")
            sys.exit(1)
        head = AuditChainHead.objects.filter(pk=1).first()
        last = AuditEvent.objects.order_by("-pk").first()
        if last is not None and (head is None or head.last_hash != last.hash):
            self.stderr.write("Rantai riwayat rusak di ujungnya: catatan terakhir hilang atau ditambahkan di luar aplikasi.")
            sys.exit(1)
        count = AuditEvent.objects.count()
        self.stdout.write(f"Rantai riwayat utuh: {count} catatan.")
