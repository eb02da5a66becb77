"""`manage.py task_worker`: django-tasks-db's `db_worker` (hand-off e-mails, reminders, long
documents), made to outlive its database going away.

db_worker ends at the first OperationalError that is not a locked SQLite file, so a PostgreSQL
restart or a connection the server cut stopped every hand-off e-mail and decree render until
someone restarted it (issue 29). This worker closes the broken connections, waits (1 s, doubling up
to 10 s) and carries on where it was.

A task the outage cut off stays RUNNING in this worker's name; before taking the next task the
worker puts it back in the queue, and likewise what an earlier process of the same name left when
it was killed. Each task here may run again: notices.handoff tells nobody twice, iku.tasks counts
the reminders it mailed, naskah.tasks claims its job before working on it. A task cut off
MAX_ATTEMPTS times is failed instead, so one that itself breaks the connection cannot loop.

A task whose own queries meet the outage (the primary stopped in the middle of its commit) is cut
off the same way, not failed: db_worker would record it FAILED on the new primary and the hand-off
e-mail it was sending would never go.

That is why a worker's name (--worker-id) is fixed, not random as db_worker's: `sop-iku@<host>` by
default; gunicorn's hook gives its own. Two workers on one database need two names.

Webhook deliveries wait on another organisation's server (up to their timeout), so without
--queue-name they have a worker of their own in a second thread, named after this one: a receiver
that never answers delays the next delivery, not a hand-off e-mail or a decree render. With
--queue-name the worker takes just the queues named, as db_worker does.

--parent PID: stop as on SIGTERM (after the task at hand) when the process that started this one
ends, even by kill -9, so a gunicorn master killed and started again leaves no orphaned worker
beside the new one. Linux (prctl); elsewhere it only warns. That end comes as SIGHUP, which only
ever asks for the stop after the task: Linux sends it when the master's thread that started the
worker ends, which a master being stopped does just as it sends its own SIGTERM, and a second
SIGTERM is db_worker's "stop now", which cut the task at hand off at every restart (a hand-off
e-mail marked FAILED, never sent).

A task stopped in the middle all the same (a second Ctrl-C, a second SIGTERM) is left RUNNING in
this worker's name and put back at its next start, as one cut off by an outage is; and a task an
earlier release's worker recorded FAILED that way (SystemExit) within the last hour is put back
too, so the upgrade's own restart loses nothing.

A worker does not give its memory back after a big document: WeasyPrint's layout of a draft decree
of 760 rows left a fresh worker at 379 MB, a province's (2,400 rows) at about 750 MB, for good, on a
server that also runs the web workers and the database. Past SOP_WORKER_MEMORY_MB after a task, the worker stops as on SIGTERM (its
webhook thread finishing its delivery first) and is started again by what keeps it running
(systemd's Restart=always, gunicorn's thread with SOP_RUN_WORKER): the next task waits seconds.
Not with --batch, whose queue would be left half done, nor under the reloader.
"""

import ctypes
import logging
import os
import resource
import signal
import socket
import sys
import threading
import time
from argparse import ArgumentTypeError
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import is_locked_database_exception

from lib.commands import IndonesianArguments
from sop_iku.postgresql import lasting_refusal
from webhooks.tasks import QUEUE as WEBHOOK_QUEUE

logger = db_worker.logger

# db_worker's own lines, said in Indonesian with the same values in the same order; a line a later
# release of it adds is left as it writes it. django-tasks' line per task ("Task id=... state=...") is
# another logger's, left as it is.
DB_WORKER_LINES = {
    "Starting worker worker_id=%s queues=%s": "Pekerja tugas mulai: worker_id=%s antrean=%s",
    "No more tasks to run for worker_id=%s - exiting gracefully.": "Tidak ada tugas lagi untuk worker_id=%s; berhenti.",
    "Run maximum tasks (%d) on worker=%s - exiting gracefully.": "Sudah %d tugas (--max-tasks) dikerjakan worker_id=%s; "
                                                               "berhenti.",
    "Task id=%s failed unexpectedly": "Tugas id=%s gagal di luar dugaan",
}


class DbWorkerLinesInIndonesian(logging.Filter):
    def filter(self, record):
        record.msg = DB_WORKER_LINES.get(record.msg, record.msg)
        return True


logger.addFilter(DbWorkerLinesInIndonesian())

FIRST_PAUSE = 1.0
LAST_PAUSE = 10.0
STEADY_AFTER = 60.0
MAX_ATTEMPTS = 5
PR_SET_PDEATHSIG = 1
PARENT_ENDED = signal.SIGHUP
# What db_worker records for a task its forced stop cut off (sys.exit in the signal handler).
STOPPED = ("builtins.SystemExit", "builtins.KeyboardInterrupt")
# A task an earlier release failed at its stop is put back when stopped this recently: a restart
# takes seconds, and an e-mail from long ago is better left failed than sent late.
STOPPED_WITHIN = timedelta(hours=1)


# The webhook thread's delivery at hand is waited for this long when the worker stops for its memory.
APART_FINISH_SECONDS = 60


class TaskCutOff(Exception):
    """Recorded on a task cut off too often to try again."""


def default_worker_id() -> str:
    return f"sop-iku@{socket.gethostname()}"[:64]


def resident_mb() -> float:
    """The process's memory in RAM now (Linux's /proc); elsewhere its peak, which is as telling here."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class SteadyWorker(db_worker.Worker):
    # MB of memory past which the worker stops after a task, to be started again (module docstring).
    memory_limit_mb: int | None = None
    stopped_for_memory = False

    def run(self) -> None:
        pause = FIRST_PAUSE
        while True:
            started = time.monotonic()
            try:
                self.put_back_cut_off()
                return super().run()
            except (OperationalError, InterfaceError) as error:
                reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                if not self.running:
                    logger.warning("Basis data tidak terjangkau ketika pekerja berhenti (%s); pekerja berhenti.", reason)
                    return None
                # After a while of work this is a new outage, met with a short pause again.
                if time.monotonic() - started > STEADY_AFTER:
                    pause = FIRST_PAUSE
                if advice := lasting_refusal(error):
                    # A wrong password, user, database or pg_hba.conf line: no outage to wait out, so an
                    # error with what to check; still tried again (slowly), since a password set right in
                    # PostgreSQL or a reloaded pg_hba.conf mends it without restarting the worker.
                    pause = LAST_PAUSE
                    logger.error("Basis data menolak sambungan pekerja tugas: %s (%s) worker_id=%s mencoba lagi dalam "
                                 "%.0f detik.", advice, reason, self.worker_id, pause)
                else:
                    logger.warning("Basis data tidak terjangkau (%s); worker_id=%s mencoba lagi dalam %.0f detik.", reason,
                                   self.worker_id, pause)
                # A connection the server cut stays broken in Django until closed.
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, LAST_PAUSE)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        record_failure = db_task_result.set_failed

        def set_failed(error: BaseException) -> None:
            if isinstance(error, (OperationalError, InterfaceError)) and not is_locked_database_exception(error):
                # Left RUNNING in this worker's name: run() waits the outage out and puts it back.
                raise error
            if isinstance(error, (SystemExit, KeyboardInterrupt)):
                # A forced stop: left RUNNING in this worker's name, put back at its next start.
                raise error
            record_failure(error)

        db_task_result.set_failed = set_failed
        super().run_task(db_task_result)
        if self.memory_limit_mb and self.running and (used := resident_mb()) > self.memory_limit_mb:
            logger.warning("Tugas id=%s membuat worker_id=%s memakai %.0f MB (SOP_WORKER_MEMORY_MB=%d); pekerja berhenti "
                           "untuk dimulai lagi dengan memori yang bersih.", db_task_result.id, self.worker_id, used,
                           self.memory_limit_mb)
            self.stopped_for_memory = True
            self.running = False

    stop_asked = False

    def configure_signals(self) -> None:
        super().configure_signals()
        signal.signal(PARENT_ENDED, self.stop_after_task)

    def shutdown(self, signum, frame) -> None:
        """SIGTERM, SIGINT: stop after the task at hand; the second of them stops now. db_worker
        judges "the second" by `running`, which the parent's end clears too: its SIGHUP coming a
        moment before the master's own SIGTERM made that SIGTERM the second."""
        if self.stop_asked:
            # db_worker's own stop now, said in Indonesian.
            logger.warning("%s diterima lagi: tugas yang sedang dikerjakan dihentikan sekarang.", signal_name(signum))
            self.reset_signals()
            sys.exit(1)
        self.stop_asked = True
        self.stop_after_task(signum, frame)

    def stop_after_task(self, signum, frame) -> None:
        """The first SIGTERM, and the parent's end (PARENT_ENDED) however often it comes: the task at
        hand is finished, then the worker stops."""
        logger.warning("%s diterima: pekerja berhenti setelah tugas yang sedang dikerjakan selesai.", signal_name(signum))
        self.running = False
        if not self.running_task:
            raise SystemExit(0)

    def put_back_cut_off(self) -> None:
        """Nothing runs in this process between two tasks, so a task RUNNING in its name was cut off:
        by the outage just passed, or by the end of an earlier process of the same name."""
        stopped = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, backend_name=self.backend_name,
                                              exception_class_path__in=STOPPED,
                                              finished_at__gte=timezone.now() - STOPPED_WITHIN)
        for pk, worker_ids in stopped.values_list("pk", "worker_ids"):
            if worker_ids and worker_ids[-1] == self.worker_id and len(worker_ids) < MAX_ATTEMPTS:
                DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.FAILED).update(
                    status=TaskResultStatus.READY, finished_at=None, exception_class_path="", traceback="")
                logger.warning("Tugas id=%s dihentikan di tengah jalan oleh pekerja sebelumnya; dikembalikan ke antrean.", pk)
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, backend_name=self.backend_name)
        for pk, worker_ids in running.values_list("pk", "worker_ids"):
            if not worker_ids or worker_ids[-1] != self.worker_id:
                continue
            if len(worker_ids) < MAX_ATTEMPTS:
                DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(status=TaskResultStatus.READY)
                logger.warning("Tugas id=%s terputus ketika berjalan; dikembalikan ke antrean.", pk)
            else:
                DBTaskResult.objects.get(pk=pk).set_failed(TaskCutOff(
                    f"Tugas terputus {len(worker_ids)} kali (basis data hilang atau pekerja berhenti di tengah tugas); "
                    "tidak dicoba lagi."))
                logger.error("Tugas id=%s terputus %d kali; ditandai gagal, tidak dicoba lagi.", pk, len(worker_ids))


def signal_name(signum: int) -> str:
    """SIGTERM, SIGHUP: what the operator sent, not Python's English ("Terminated", "Hangup")."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"sinyal {signum}"


def apart_worker_id(worker_id: str) -> str:
    suffix = "/webhook"
    return worker_id[: 64 - len(suffix)] + suffix


def start_apart(worker: SteadyWorker) -> threading.Thread:
    """The webhook worker's thread. A daemon: the process ends with the main worker, and a delivery
    cut off in the middle is put back when this worker's name starts again (its Delivery's claim
    keeps a second sender off it meanwhile)."""
    def run() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()  # this thread's own

    thread = threading.Thread(target=run, name=worker.worker_id, daemon=True)
    thread.start()
    return thread


def stop(workers) -> None:
    """Ask `workers` to stop after the task at hand (their threads are daemons: the process does not
    wait for them)."""
    for worker in workers:
        worker.running = False


def stop_with_parent(parent: int) -> None:
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        logger.warning("--parent %s: sistem ini tidak memiliki prctl; pekerja tidak ikut berhenti bila proses itu "
                       "berakhir.", parent)
        return
    prctl(PR_SET_PDEATHSIG, PARENT_ENDED)
    # The parent may have ended before the signal was asked for.
    if os.getppid() != parent:
        raise SystemExit(0)


def wait_for_locks(sender, connection, **kwargs) -> None:
    """A task waits for a row as long as it takes: the web's lock_timeout (settings) is for a person
    waiting on a page, and a task given up on would be a hand-off e-mail or a decree render lost."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def impatient_again() -> None:
    """This thread's sessions back to the lock wait they were opened with (settings' lock_timeout)."""
    for connection in connections.all(initialized_only=True):
        if connection.vendor == "postgresql" and connection.connection is not None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("RESET lock_timeout")
            except DatabaseError:
                # A session in a failed transaction is rolled back or closed by its owner next.
                pass


def said_in_indonesian(check, refusal: str):
    """db_worker's `check` of an option's value, whose refusal ("invalid valid_interval value: 'x'",
    "Must be zero or greater") is said as `refusal` instead; a value it takes is what it returns."""
    def checked(text: str):
        try:
            return check(text)
        except (ValueError, ArgumentTypeError):
            raise ArgumentTypeError(refusal.format(text=text)) from None

    checked.__name__ = check.__name__
    return checked


# db_worker's options, their checks and help in Indonesian (its values and defaults unchanged).
OPTIONS = {
    "queue_name": (None, "Antrean yang dikerjakan, dipisah koma; '*' untuk semua (bawaan: antrean default, dan "
                         "antrean webhook di utasnya sendiri)"),
    "exclude_queues": (None, "Antrean yang dilewati, dipisah koma; hanya bersama --queue-name='*'"),
    "interval": (said_in_indonesian(db_worker.valid_interval, "harus jumlah detik 0 atau lebih (misalnya 1 atau 0.5), "
                                                              "bukan {text!r}"),
                 "Detik menunggu sebelum melihat antrean lagi ketika kosong (bawaan: %(default)r)"),
    "batch": (None, "Kerjakan semua tugas yang menunggu, lalu berhenti; boleh bersama --max-tasks"),
    "reload": (None, "Mulai ulang pekerja ketika kode berubah; jangan di server produksi (bawaan: DEBUG)"),
    "backend_name": (said_in_indonesian(db_worker.valid_backend_name, "backend tugas {text!r} tidak ada di pengaturan "
                                                                      "TASKS atau bukan backend basis data"),
                     "Backend tugas yang dikerjakan (bawaan: %(default)r)"),
    "startup_delay": (None, "Tanpa jeda singkat saat mulai"),
    "max_tasks": (said_in_indonesian(db_worker.valid_max_tasks, "harus bilangan bulat 1 atau lebih, bukan {text!r}"),
                  "Berhenti sesudah sekian tugas"),
    "worker_id": (said_in_indonesian(db_worker.validate_worker_id, "nama pekerja harus diisi, paling banyak 64 karakter, "
                                                                   "bukan {text!r}"),
                  "Nama pekerja, tetap sesudah dimulai ulang dan berbeda untuk tiap pekerja pada satu basis data "
                  "(bawaan: %(default)s)"),
}


class Command(IndonesianArguments, db_worker.Command):
    help = ("Menjalankan pekerja tugas (db_worker django-tasks-db): surel serah terima, pengingat, naskah panjang; "
            "bertahan ketika basis data sempat hilang.")

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # None: the default queue here and the webhooks' in their own thread (module docstring).
        parser.set_defaults(worker_id=default_worker_id(), queue_name=None)
        # Its argument errors are lib.commands' Indonesian ones (IndonesianArguments); what its own
        # checks say is put in Indonesian here, where argparse would name the check's function.
        for action in parser._actions:
            if action.dest in OPTIONS:
                check, action.help = OPTIONS[action.dest]
                action.type = check or action.type
        parser.add_argument("--parent", type=int, default=None,
                            help="Berhenti ketika proses dengan pid ini, yang memulai pekerja, berakhir.")

    def handle(self, **options) -> None:
        # Run in another process's place (call_command: a test, another command), the worker leaves
        # that process's sessions waiting for locks as they did before, not for ever.
        connection_created.connect(wait_for_locks, weak=False)
        try:
            self.work(**options)
        finally:
            connection_created.disconnect(wait_for_locks)
            impatient_again()

    def work(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
             worker_id, exclude_queues, parent=None, **options) -> None:
        # db_worker's handle builds its own Worker; this one builds the steady one the same way.
        self.configure_logging(verbosity)
        if parent:
            stop_with_parent(parent)
        apart_queues = [] if queue_name else [WEBHOOK_QUEUE]
        queue_names = (queue_name or "default").split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues hanya dapat dipakai bersama --queue-name='*' (semua antrean).",
                                         returncode=2)

        def steady(queues, name, excluded=(), limit=None):
            return SteadyWorker(
                queue_names=queues, interval=interval, batch=batch, backend_name=backend_name,
                startup_delay=startup_delay, max_tasks=limit, worker_id=name, excluded_queue_names=list(excluded),
            )

        worker = steady(queue_names, worker_id, excluded_queue_names, max_tasks)
        if not batch and not reload:
            worker.memory_limit_mb = settings.SOP_WORKER_MEMORY_MB or None
        apart = [steady(apart_queues, apart_worker_id(worker_id))] if apart_queues else []
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
                for other in apart:
                    start_apart(other)
            run_with_reloader(worker.run)
            return
        worker.configure_signals()
        threads = [start_apart(w) for w in apart]
        try:
            run_until_stopped(worker, apart, threads, batch)
        finally:
            # However it ends (asked, its memory, a batch done, an error): the journal says it ended.
            logger.info("Pekerja tugas worker_id=%s berhenti.", worker_id)


def run_until_stopped(worker: SteadyWorker, apart: list[SteadyWorker], threads: list[threading.Thread], batch: bool):
    try:
        worker.run()
    except BaseException:
        stop(apart)
        raise
    if worker.stopped_for_memory:
        # The webhook thread's delivery at hand is finished before the process ends, not cut off.
        stop(apart)
        for thread in threads:
            thread.join(APART_FINISH_SECONDS)
    if batch:
        # A batch ends when every queue it takes is empty, the webhooks' included: left to run, the
        # other worker may still be waiting out a busy database before its first look.
        for thread in threads:
            thread.join()
    stop(apart)
