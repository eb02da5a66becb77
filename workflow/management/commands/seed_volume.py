"""Put a province's volume into a database, in bulk, for benchmarks and trials: by default 10,000
dossiers over ten years in every state (40 agencies invited each), 60 agencies, 500 users, about
285,000 IKU rows, 200,000 audit events (a whole hash chain), the documents' metadata, and the
notices of ten years: three a dossier for its Kasubag, one for each of two of its agencies' officers.

Idempotent: the volume's dossiers are titled "Volume #n"; a second run adds only what is missing.
"""

import datetime as dt
import time
from itertools import cycle

from django.db import transaction
from django.utils import timezone

from iku.models import IkuRow, IkuSubmission
from lib.commands import OperatorCommand
from notices.models import Notice
from workflow import policy, sla
from workflow.actions import Action
from workflow.audit import actors
from workflow.audit import chain as audit_chain
from workflow.models import AuditChainHead, AuditEvent, Document, Dossier, Skpd, StepVisit, User, UserRole
from workflow.roles import Role
from workflow.steps import ACTIVE_STATES, DIBATALKAN, SELESAI, STATE_CHOICES, STEP_BY_STATE, STEPS
from worktime.models import load_calendar

BATCH = 5000
TITLE = "Volume #"
STATES = [state for state, _ in STATE_CHOICES]
INTERNAL_ROLES = [Role.KASUBAG, Role.STAF, Role.KABAG, Role.KABIRO, Role.TIM]


class Command(OperatorCommand):
    help = "Mengisi basis data dengan volume satu provinsi (untuk uji beban), cepat dan dapat diulang."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, help="jumlah dosier (bawaan 10.000 x skala)")
        parser.add_argument("--scale", type=float, default=1.0, help="pengali volume bawaan (1 = 10.000 dosier)")

    def handle(self, *args, **options):
        started = time.perf_counter()
        scale = options["scale"]
        wanted = options["dossiers"] or round(10_000 * scale)
        agencies = self.agencies(60)
        users = self.users(max(50, round(500 * min(scale, 1.0))), agencies)
        have = Dossier.objects.filter(judul__startswith=TITLE).count()
        made = 0
        for start in range(have, wanted, 1000):
            with transaction.atomic():
                made += self.dossiers(range(start, min(start + 1000, wanted)), agencies, users)
        self.stdout.write(
            f"{made} dosier baru ({wanted} diminta, {have} sudah ada) dalam {time.perf_counter() - started:.1f} s: "
            f"{Dossier.objects.count()} dosier, {IkuRow.objects.count()} baris IKU, "
            f"{AuditEvent.objects.count()} catatan riwayat, {Document.objects.count()} dokumen, "
            f"{User.objects.count()} pengguna, {Skpd.objects.count()} SKPD."
        )

    def agencies(self, count):
        existing = Skpd.objects.count()
        Skpd.objects.bulk_create([
            Skpd(nama=f"Badan Volume {n}", nama_pendek=f"Badan Volume {n}", kind="Badan")
            for n in range(existing, count)
        ])
        return list(Skpd.objects.filter(aktif=True).order_by("pk")[:count])

    def users(self, count, agencies):
        existing = User.objects.filter(username__startswith="vol-").count()
        fresh = [
            User(username=f"vol-{n}", nama=f"Pegawai Volume {n}", password="!",
                 skpd=agencies[n % len(agencies)] if n % 10 else None)
            for n in range(existing, count)
        ]
        User.objects.bulk_create(fresh, batch_size=BATCH)
        created = User.objects.filter(username__in=[u.username for u in fresh])
        # The bureau's users take the roles in turn by their own count, not by their ids: one in ten is
        # the bureau's, and ids ten apart all gave the same role (no Kasubag on a database left empty).
        bureau = iter(range(len(created)))
        UserRole.objects.bulk_create([
            UserRole(user=u, role=Role.SKPD if u.skpd_id else INTERNAL_ROLES[next(bureau) % len(INTERNAL_ROLES)])
            for u in created.order_by("pk")
        ], batch_size=BATCH)
        return list(User.objects.filter(username__startswith="vol-").order_by("pk"))

    def dossiers(self, numbers, agencies, users) -> int:
        calendar = load_calendar()
        now = timezone.now()
        actor = users[0]
        states = cycle(STATES)
        for _ in range(numbers.start % len(STATES)):
            next(states)
        plans = []
        for n in numbers:
            state = next(states)
            # Closed rounds spread over ten years; running ones began within the last two months, as
            # a bureau's would (a few are long overdue all the same).
            days = 3650 * ((n * 7919) % 1000) / 1000 if state not in ACTIVE_STATES else n % 60
            created = now - dt.timedelta(days=days, hours=n % 24)
            plans.append((n, state, created))
        made = Dossier.objects.bulk_create([
            Dossier(tahun=created.year + 1, judul=f"{TITLE}{n} Penetapan IKU {created.year + 1}", created_by=actor,
                    created_at=created, state_entered_at=created, revision=3,
                    closed_at=created if state in (SELESAI, DIBATALKAN) else None,
                    nomor_kepgub=f"{n}/HK/{created.year + 1}" if state == SELESAI else "")
            for n, state, created in plans
        ], batch_size=BATCH)
        # The state is the FSM's; set in bulk as a migration would, never through the model's field.
        by_state = {}
        for dossier, (_, state, _) in zip(made, plans):
            by_state.setdefault(state, []).append(dossier.pk)
        for state, pks in by_state.items():
            Dossier.objects.filter(pk__in=pks).update(state=state)
        through = Dossier.invited.through
        invited = [through(dossier_id=d.pk, skpd_id=agencies[(d.pk + k) % len(agencies)].pk)
                   for d in made for k in range(40)]
        through.objects.bulk_create(invited, batch_size=BATCH, ignore_conflicts=True)
        policy.mark_waiting(through.objects.filter(dossier__in=made))
        visits, submissions, documents, senders_of = [], [], [], {}
        for dossier, (n, state, created) in zip(made, plans):
            reached = STEP_BY_STATE[state].number if state in STEP_BY_STATE else (9 if state != DIBATALKAN else 4)
            moment = created
            for step in STEPS[:reached]:
                left = None if step.state == state else moment + dt.timedelta(hours=6)
                visit = StepVisit(dossier_id=dossier.pk, state=step.state, entered_at=moment, left_at=left)
                sla.schedule(visit, calendar)
                visits.append(visit)
                moment = left or moment
                documents.extend(
                    Document(dossier_id=dossier.pk, step=step.number, kind=kind, file=f"dokumen/volume/{dossier.pk}-{kind}.pdf",
                             original_name=f"{kind}.pdf", content_type="application/pdf", size=120_000,
                             uploaded_by=actor, uploaded_by_nama=actor.display_name, uploaded_at=moment)
                    for kind in step.produces[:1]
                )
            if state not in ACTIVE_STATES and state != SELESAI:
                continue
            stage = "bahan" if reached > 5 else "konsep" if reached > 3 else None
            if stage:
                # The first dossier of each thousand carries a 200-row table; the others 4 agencies x 10.
                senders = senders_of[dossier.pk] = 40 if n % 1000 == 0 else 4
                for k in range(senders):
                    submissions.append(IkuSubmission(
                        dossier_id=dossier.pk, skpd_id=agencies[(dossier.pk + k) % len(agencies)].pk, stage=stage,
                        submitted_by=actor, submitted_at=moment, urutan=k))
        StepVisit.objects.bulk_create(visits, batch_size=BATCH)
        sla.copy_due_moments(Dossier.objects.filter(pk__in=[d.pk for d in made]))
        Document.objects.bulk_create(documents, batch_size=BATCH)
        IkuSubmission.objects.bulk_create(submissions, batch_size=BATCH, ignore_conflicts=True)
        rows = []
        for submission_pk, dossier_pk in IkuSubmission.objects.filter(dossier__in=made).values_list("pk", "dossier_id"):
            per = 5 if senders_of[dossier_pk] > 4 else 10
            rows.extend(IkuRow(
                submission_id=submission_pk, urutan=r + 1, sasaran_strategis="Meningkatnya kinerja layanan" if r % 3 == 0 else "",
                indikator=f"Indikator volume {submission_pk}-{r}", formula="Capaian / target x 100", satuan="persen",
                target=f"{70 + r},5 (2027)", target_nilai=70 + r + 0.5, sumber_data="Laporan kinerja",
                penanggung_jawab="Sekretariat") for r in range(per))
        IkuRow.objects.bulk_create(rows, batch_size=BATCH)
        self.events(made, plans, actor)
        self.notices(made, plans)
        return len(made)

    def notices(self, made, plans):
        """The Kasubag who opens the rounds (the first by id) is told three times a dossier; the
        officers of two of its agencies once; some of the last two months' still unread."""
        kasubag = User.objects.filter(role_set__role=Role.KASUBAG, is_active=True).order_by("pk").first()
        officers = {}
        for user_pk, skpd_pk in User.objects.filter(role_set__role=Role.SKPD, skpd__isnull=False).order_by("pk").values_list("pk", "skpd"):
            officers.setdefault(skpd_pk, user_pk)
        invited = {}
        for dossier_pk, skpd_pk in Dossier.invited.through.objects.filter(dossier__in=made).order_by("pk").values_list("dossier", "skpd"):
            invited.setdefault(dossier_pk, []).append(skpd_pk)
        notices = []
        for dossier, (_, _, created) in zip(made, plans):
            told = [kasubag.pk] * 3 + [officers[s] for s in invited.get(dossier.pk, []) if s in officers][:2]
            for k, recipient in enumerate(told):
                at = created + dt.timedelta(hours=6 * k)
                notices.append(Notice(recipient_id=recipient, dossier_id=dossier.pk, judul=f"{dossier.judul}: langkah {k + 1}",
                                      isi="Dosier menunggu tindakan Anda.", created_at=at,
                                      read_at=None if (timezone.now() - at).days < 60 and k % 2 else at))
        Notice.objects.bulk_create(notices, batch_size=BATCH)

    def events(self, made, plans, actor):
        """Twenty events a dossier, chained on from the log's head as the app would have written them."""
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        prev = head.last_hash
        events = []
        label = f"{actor.nama} (Kasubag)"
        actions = [Action.UNGGAH, Action.SELESAIKAN, Action.CATAT_RAPAT, Action.AJUKAN_IKU]
        for dossier, (_, state, created) in zip(made, plans):
            for k in range(20):
                event = AuditEvent(
                    dossier_id=dossier.pk, at=created + dt.timedelta(minutes=10 * k), actor=actor,
                    actor_label=label, role=Role.KASUBAG, action=actions[k % len(actions)],
                    from_state=state, to_state=state, note=f"Catatan volume {k}", data={"langkah": k % 9 + 1},
                )
                event.prev_hash = prev
                event.hash = prev = audit_chain.event_hash(event, prev)
                events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        Dossier.objects.filter(pk__in=[dossier.pk for dossier in made]).update(pelaku=actors.written([label]))
        AuditChainHead.objects.filter(pk=1).update(last_hash=prev, last_event=AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first())
