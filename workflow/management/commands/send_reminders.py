import datetime as dt
from contextlib import contextmanager
from unittest import mock

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from lib.commands import OperatorCommand
from lib.dates import local, moment_text, weekday_date
from lib.mail import send_once
from lib.one_line import one_line
from lib.site import site_url
from notices.delegations import tell_daily
from notices.handoff import mail_unsent
from workflow import policy, sla
from workflow.models import DigestSent, Dossier, ReminderSent, User
from workflow.password_links import mail_unsent_links
from workflow.roles import Role
from workflow.steps import STEP_STATES
from worktime.models import load_calendar

SUBJECT = {
    ReminderSent.Kind.NEAR: "[SOP-IKU] Mendekati batas waktu",
    ReminderSent.Kind.LATE: "[SOP-IKU] Terlambat",
}
KIND_OF_STATUS = {sla.NEAR: ReminderSent.Kind.NEAR, sla.LATE: ReminderSent.Kind.LATE}


def describe(dossier, clock) -> str:
    return (
        f"Dosier: {dossier.judul} (tahun {dossier.tahun})\n"
        f"Posisi: Langkah {clock.step.number}: {clock.step.ringkas}\n"
        f"Waktu menurut Mutu Baku: {clock.waktu_label}\n"
        f"Mulai: {clock.start_label}\n"
        f"Batas waktu: {clock.due_label}\n"
        f"Jam kerja terpakai: {clock.used_label} dari {clock.allowed_label} ({clock.percent}%)\n"
        + (f"Buka: {site_url()}{reverse('dossier', args=[dossier.pk])}\n" if settings.SOP_SITE_URL else "")
    )


def reminder_body(dossier, clock) -> str:
    lead = (
        "Langkah berikut menunggu tindakan Anda dan sudah memasuki 20% terakhir waktunya."
        if clock.status == sla.NEAR
        else "Langkah berikut menunggu tindakan Anda dan sudah melewati batas waktunya."
    )
    return (
        f"Yth. Bapak/Ibu,\n\n{lead}\n\n{describe(dossier, clock)}\n"
        "Pesan ini dikirim otomatis oleh SOP-IKU, satu kali untuk setiap langkah.\n"
    )


def send_step_reminders(clocks, dossiers, people, now, calendar) -> list[str]:
    # In office hours only, as the steps' own deadlines fall: a calendar edit made in the evening
    # (a cuti bersama worked after all) can put deadlines in the past, and its notices went out that
    # night. Nothing is recorded meanwhile, so the first run after the next opening sends them, once;
    # in working time that opening is the same moment as the closing before it.
    if not calendar.in_office(now):
        return []
    wanted = {(c.visit_id, KIND_OF_STATUS[c.status]): c for c in clocks.values() if c.status in KIND_OF_STATUS}
    done = dict(
        ((visit_id, kind), sent_at) for visit_id, kind, sent_at in
        ReminderSent.objects.filter(visit_id__in=[v for v, _ in wanted]).values_list("visit_id", "kind", "sent_at")
    )
    lines = []
    for (visit_id, kind), clock in wanted.items():
        # A late notice sent before the stay's due moment was sent by an older calendar: a cuti
        # bersama entered since moved the deadline past it. Sent again once the new one passes, or
        # whoever holds the step is never told it is late.
        premature = kind == ReminderSent.Kind.LATE and (visit_id, kind) in done and done[visit_id, kind] < clock.due
        if (visit_id, kind) in done and not premature:
            continue
        dossier = dossiers[clock.dossier_id]
        to = [u.email for u in policy.waiting_on(dossier, people)]
        # Recorded and sent in one transaction: a failed send leaves no record and is tried again
        # next run; a record made by a concurrent run makes this one skip.
        with transaction.atomic():
            if premature:
                # The one record of the stay's late notice is the last one sent; a concurrent run
                # that sent it again moved its time past the due moment, and this one skips.
                created = bool(ReminderSent.objects.filter(visit_id=visit_id, kind=kind, sent_at__lt=clock.due)
                               .update(recipients=", ".join(to), sent_at=now))
            else:
                _, created = ReminderSent.objects.get_or_create(
                    visit_id=visit_id, kind=kind, defaults={"recipients": ", ".join(to), "sent_at": now}
                )
            if created and to:
                # Folded: a title saved before titles were checked may hold a line break.
                subject = one_line(f"{SUBJECT[kind]}: Langkah {clock.step.number}, {dossier.judul}")
                # Keyed by the stay and its due moment, not the record, which a retry makes again:
                # the notice of a deadline a calendar edit moved is a message of its own.
                send_once(subject, reminder_body(dossier, clock), to, kind=f"pengingat-{kind}", key=visit_id,
                          moment=clock.due)
        if created:
            lines.append(f"{ReminderSent.Kind(kind).label}: {dossier.judul}, langkah {clock.step.number} "
                         f"-> {', '.join(to) or 'tidak ada penerima dengan alamat e-mail'}")
    return lines


def send_digest(clocks, dossiers, people, now, calendar) -> list[str]:
    moment = local(now)
    today = calendar.day(moment.date())
    # One digest per working day, at the first run after the office opens, and before it closes: a
    # day the admin made a working day in its evening has its digest of the next opening instead.
    if not calendar.in_office(moment) or DigestSent.objects.filter(tanggal=today.date).exists():
        return []
    late = sorted((c for c in clocks.values() if c.status == sla.LATE), key=lambda c: c.due)
    to = [u.email for u in people if Role.KASUBAG in policy.roles_of(u)]
    sections = []
    # A late step only a vacant role can move on read "Menunggu: -", which sent the Kasubag looking
    # for whom to chase: it waits on nobody until the admin fills the post.
    vacant = policy.vacant_states() if late else {}
    for clock in late:
        dossier = dossiers[clock.dossier_id]
        holders = ", ".join(u.display_name for u in policy.waiting_on(dossier, people)) or "-"
        if dossier.state in vacant:
            holders += (f"\nTidak ada yang dapat menyelesaikannya: peran {' atau '.join(vacant[dossier.state])} tidak "
                        "dipegang pengguna aktif mana pun, juga tidak oleh Plh./Plt. Minta admin mengaktifkan "
                        "pejabatnya, memberi perannya kepada pengguna lain, atau mencatat Plt.")
        sections.append(f"{describe(dossier, clock)}Menunggu: {holders}\n")
    with transaction.atomic():
        _, created = DigestSent.objects.get_or_create(
            tanggal=today.date, defaults={"jumlah": len(late), "recipients": ", ".join(to), "sent_at": now}
        )
        if created and late and to:
            subject = f"[SOP-IKU] {len(late)} langkah terlambat, {weekday_date(today.date)}"
            body = "Yth. Kasubag,\n\nLangkah yang melewati batas waktunya per hari ini:\n\n" + "\n".join(sections)
            send_once(subject, body, to, kind="ringkasan", key=today.date.toordinal(), moment=today.date)
    if not created:
        return []
    return [f"Ringkasan harian {weekday_date(today.date)}: {len(late)} langkah terlambat -> {', '.join(to) or '-'}"]


def send_reminders(now: dt.datetime) -> list[str]:
    calendar = load_calendar()
    clocks = sla.current_clocks(Dossier.objects.filter(state__in=STEP_STATES), now=now, calendar=calendar)
    dossiers = Dossier.objects.in_bulk(list(clocks))
    # Candidates for mail: anyone active with an address; the policy says whom a step waits on.
    people = list(User.objects.filter(is_active=True).exclude(email="").order_by("pk"))
    # A delegation's first day named ahead and its last day passing have no act of their own to tell
    # them; a notice (or a link to set a password) the worker could not mail has no other run to mail it.
    return (send_step_reminders(clocks, dossiers, people, now, calendar) + send_digest(clocks, dossiers, people, now, calendar)
            + send_notices(now, calendar) + mail_unsent_links(now))


def send_notices(now, calendar) -> list[str]:
    """A delegation's start or end, and a notice mailed late, in office hours only, as the reminders:
    none is urgent, and the first run after the next opening tells them (a Plh. whose days begin on
    Monday read it at midnight, the mail of a hand-off the server refused came at 02.00). A link to
    set a password, which someone is waiting at the sign-in page for, goes at any hour."""
    if not calendar.in_office(now):
        return []
    return tell_daily(now) + mail_unsent(now, calendar)


@contextmanager
def as_of(moment):
    """Every clock of the run at `moment` (None: the real one): the policy reads today's
    delegations from timezone.now(), and a run --now must not ask who stands in on another day."""
    if moment is None:
        yield
        return
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@contextmanager
def tried_only(trying: bool):
    """With `--coba`, the run's records rolled back and its mail dropped, not sent."""
    if not trying:
        yield
        return
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        yield
        transaction.set_rollback(True)


class Command(OperatorCommand):
    mails = True
    help = (
        "Mengirim pengingat e-mail untuk langkah yang sedang menunggu: satu kali ketika langkah memasuki "
        "20% terakhir Waktu Mutu Baku-nya (mendekati batas) dan satu kali ketika melewati batas waktunya, "
        "kepada pengguna yang dapat menyelesaikan langkah itu (termasuk Plh./Plt.), hanya pada jam kerja: yang jatuh di "
        "luar jam kerja dikirim pada jalannya yang pertama sesudah jam masuk berikutnya. Setiap hari kerja, "
        "pada jalannya yang pertama sesudah jam masuk, Kasubag menerima ringkasan langkah yang terlambat. "
        "Plh./Plt. yang ditunjuk lebih dahulu diberi tahu pada hari pelimpahannya dimulai, dan setiap Plh./Plt. "
        "diberi tahu sesudah hari terakhir pelimpahannya lewat, pada jam kerja. "
        "Pemberitahuan yang surelnya gagal terkirim (server surel mati atau menolak) dikirim lagi pada jam kerja "
        "sesudah 10 menit, sampai 3 hari (hari kantor tutup tidak dihitung), kecuali bila dosiernya sudah melewati "
        "langkah itu; tautan atur kata sandi yang gagal terkirim dikirim lagi kapan saja. "
        "Yang sudah terkirim dicatat, jadi perintah ini aman dijalankan setiap menit (cron/systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", metavar="WAKTU",
            help="anggap sekarang pukul WAKTU (ISO 8601 waktu Pontianak, misalnya 2026-03-17T10:30), untuk uji atau "
                 "mengejar ketinggalan; tanggal saja (2026-03-17) dibaca sebagai jam masuk kantor hari itu; "
                 "siapa memegang peran (Plh./Plt.) pun dibaca pada hari itu",
        )
        parser.add_argument(
            "--coba", action="store_true",
            help="hanya tampilkan yang akan dikirim: tidak ada surel terkirim dan tidak ada yang dicatat",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            now = self.given_moment(options["now"])
        with as_of(now if options["now"] else None), tried_only(options["coba"]):
            lines = send_reminders(now)
        if (options["coba"] or options["verbosity"] > 1) and not load_calendar().in_office(now):
            # Asked what would go: an empty answer out of hours read as "nothing due". A plain run stays
            # silent when nothing went out, for cron.
            self.stdout.write(f"{moment_text(now)} di luar jam kerja: pengingat langkah dan ringkasan harian "
                              "dikirim pada jalan pertama sesudah jam masuk berikutnya.")
        for line in lines:
            self.stdout.write(line)
        # Silent when nothing went out, so cron does not mail its owner every minute.
        if options["coba"]:
            self.stdout.write(f"Percobaan: {len(lines)} pesan akan dikirim; tidak ada yang dikirim atau dicatat.")
        elif options["verbosity"] > 1:
            self.stdout.write(f"{len(lines)} pesan dikirim.")

    def given_moment(self, text: str) -> dt.datetime:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
        if day is not None:
            # A date alone is that day's office opening: read as its midnight, outside office hours,
            # the run sent no reminder and said nothing.
            opening = load_calendar().day(day)
            if not opening.spans:
                raise CommandError(f"--now {text}: {weekday_date(day)} bukan hari kerja, {opening.off}; tulis juga "
                                   f"pukulnya bila memang dimaksud, misalnya {text}T10:30", returncode=2)
            self.stdout.write(f"--now {text}: dijalankan seolah {moment_text(opening.spans[0][0])} (jam masuk kantor).")
            return opening.spans[0][0]
        try:
            return local(dt.datetime.fromisoformat(text))
        except ValueError:
            raise CommandError(f"--now {text!r} bukan waktu yang sah; contoh: 2026-03-17T10:30 atau 2026-03-17 "
                               "(jam masuk kantor hari itu)", returncode=2) from None
