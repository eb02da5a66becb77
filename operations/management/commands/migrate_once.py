"""`migrate`, run once however many app servers start at once: on PostgreSQL under an advisory lock,
so a second caller waits for the first and then finds nothing left to do. An upgrade runs it once
(deploy/README.md) before the app servers restart one by one; no app server migrates at its start.
Migrations are written expand-then-contract, so the previous release keeps serving beside this one."""

import argparse
import time

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection

from lib.commands import OperatorCommand

# Any fixed number of our own: pg_advisory_lock keys are shared by every client of the database.
LOCK_KEY = 0x5015_1C0
# While a migration waits for a table's lock, every request wanting that table queues behind it: it
# waits this long at most, then gives way and tries again, as does one chosen as a deadlock's victim
# (each migration is its own transaction, so the applied ones stay and migrate goes on from there).
LOCK_WAIT = "3s"
ATTEMPTS = 10
# deadlock_detected, lock_not_available.
GIVE_WAY = ("40P01", "55P03")


def _seconds(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"--wait harus jumlah detik, 0 atau lebih: {text!r}.")
    return int(text)


class Command(OperatorCommand):
    help = "Menjalankan migrate sekali di bawah kunci advisory PostgreSQL (aman dijalankan dari beberapa server sekaligus)."

    def add_arguments(self, parser):
        parser.add_argument("--wait", type=_seconds, default=600, help="detik menunggu migrate lain selesai (bawaan 600)")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
            return
        deadline = time.monotonic() + options["wait"]
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                if cursor.fetchone()[0]:
                    break
                if time.monotonic() > deadline:
                    raise CommandError(f"Migrate lain masih berjalan sesudah {options['wait']} detik; tidak dijalankan.")
                time.sleep(0.5)
        try:
            # The same session holds the lock and runs the migrations.
            self.migrate_giving_way(options["verbosity"])
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        self.stdout.write("Migrasi selesai (sekali, di bawah kunci).")

    def migrate_giving_way(self, verbosity) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{LOCK_WAIT}'")
        try:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    call_command("migrate", interactive=False, verbosity=verbosity)
                    return
                except OperationalError as error:
                    if getattr(error.__cause__, "sqlstate", None) not in GIVE_WAY or attempt == ATTEMPTS:
                        raise
                    self.stderr.write(f"Migrasi memberi jalan kepada permintaan yang berjalan "
                                      f"({error.__cause__.sqlstate}); dicoba lagi ({attempt}/{ATTEMPTS}).")
                    time.sleep(attempt)
        finally:
            with connection.cursor() as cursor:
                # Back to the session's own (settings: SOP_LOCK_TIMEOUT_MS).
                cursor.execute("RESET lock_timeout")
