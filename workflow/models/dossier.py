from django.conf import settings
from django.db import connections, models
from django.utils import timezone
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from iku import bureau_changes, consolidation
from lib.dates import long_date
from lib.one_line import refuse_line_break
from workflow import gates, policy
from workflow.actions import ACTIONS, Action
from workflow.audit import actors
from workflow.models.titles import fit as fit_title
from workflow.steps import (
    ACTIVE_STATES,
    DI_GUBERNUR,
    DIBATALKAN,
    FIRST_STATE,
    PREPARING_STEPS,
    SELESAI,
    STATE_CHOICES,
    STATE_LABELS,
    STEP_BY_NUMBER,
    STEPS,
    DocKind,
    next_state,
    step_for,
)


def _allowed(action):
    def permission(dossier, user):
        return policy.can(user, action, dossier)

    permission.__name__ = f"may_{action}"
    return permission


def _custom(action, label=None):
    return ACTIONS[action].custom(label)


_LABELS_BY_STATE: dict[str, dict[str, str]] = {}


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        # The scope is a subquery, never a join: no row repeats, so no DISTINCT over whole lists.
        return self.filter(policy.dossier_scope(user))

    def years(self) -> list[int]:
        """The years these dossiers are for, newest first. All the table's are found by stepping down
        the year index, one probe a year in one recursive query (0.1 ms for 10,000 dossiers where
        DISTINCT reads every entry, 1.2 ms); a narrowed set (an agency's) reads its own rows."""
        if self.query.where:
            return list(self.order_by("-tahun").values_list("tahun", flat=True).distinct())
        connection = connections[self.db]
        table, year = connection.ops.quote_name(self.model._meta.db_table), connection.ops.quote_name("tahun")
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH RECURSIVE y(t) AS (SELECT MAX({year}) FROM {table} UNION ALL "
                f"SELECT (SELECT MAX({year}) FROM {table} WHERE {year} < y.t) FROM y WHERE y.t IS NOT NULL) "
                "SELECT t FROM y WHERE t IS NOT NULL"
            )
            return [row[0] for row in cursor.fetchall()]

    def rounds_of(self, year: int):
        """The rounds opened for `year` and not cancelled, newest first."""
        return self.filter(tahun=year).exclude(state=DIBATALKAN).order_by("-created_at")


class Dossier(ConcurrentTransitionMixin, models.Model):
    """One round of setting the IKU: from the invitation (step 1) to the Governor's decree.

    The state changes only through the transitions below, each called by
    `workflow.services.perform` inside a transaction that locks the row and writes the audit event.
    Every transition takes `by`, the user acting, and `at`, the moment it happens (passed in, so
    the demo can play a round out over past weeks), and returns the details for the audit event.
    """

    tahun = models.PositiveSmallIntegerField("tahun IKU")
    judul = models.CharField(max_length=255)
    invited = models.ManyToManyField("workflow.Skpd", verbose_name="SKPD diundang", related_name="dossiers",
                                     through="workflow.Invitation")
    state = FSMField(
        "posisi", default=FIRST_STATE, choices=STATE_CHOICES, protected=True, db_index=True
    )
    state_entered_at = models.DateTimeField("masuk posisi ini", default=timezone.now)
    # Copies of the open stay's due and near moments (`StepVisit.due_at`, `near_at`; None at an
    # untimed position or once closed), written with the stay (`sla.COPIED`): the inbox orders by
    # what is due first from an index on this table, and the dashboard counts late and near work,
    # without joining every running dossier to its stay.
    due_at = models.DateTimeField("tenggat posisi ini", null=True, blank=True, editable=False)
    near_at = models.DateTimeField("mendekati tenggat", null=True, blank=True, editable=False)
    # The open stay itself (None once closed), written with the copies above: a list's clocks read
    # its stored entry, allowed time and number by a join on the rows shown, not a search of stays.
    open_stay = models.ForeignKey("workflow.StepVisit", on_delete=models.SET_NULL, null=True, blank=True,
                                  editable=False, related_name="+", verbose_name="kunjungan berjalan")
    # Bumped by every action, so a form shows it and a stale submission is refused.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="dibuat oleh"
    )
    created_at = models.DateTimeField("dibuat", default=timezone.now, db_index=True)
    forwarded_at = models.DateTimeField("diteruskan ke Asisten I", null=True, blank=True)
    nomor_kepgub = models.CharField("nomor Keputusan Gubernur", max_length=100, blank=True)
    tanggal_kepgub = models.DateField("tanggal Keputusan Gubernur", null=True, blank=True)
    alasan_batal = models.TextField("alasan pembatalan", blank=True, max_length=2000)
    closed_at = models.DateTimeField("ditutup", null=True, blank=True)
    # Who acted on it as the log wrote them (`AuditEvent.actor_label`), each on a line of its own
    # between line breaks, added by the event that first names them (`AuditQuerySet.append`): the
    # archive finds a round by a name in its history from its own row, not from every event of
    # every round (a bureau name in most events read 200,000 of them at 10,000 dossiers).
    # db_default: the previous release, serving while an upgrade runs, inserts rounds without it.
    pelaku = models.TextField("pelaku menurut riwayat", blank=True, default="", db_default="", editable=False,
                              max_length=actors.LONGEST)
    # Who prepared the drafts the later steps review (`Step.independent_of`): whoever finished the
    # preparing step last and made or uploaded its documents in that stay. The policy keeps them
    # from initialling, returning or signing their own draft.
    prepared_by = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="disiapkan oleh",
                                         related_name="+", blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "dosier IKU"
        verbose_name_plural = "dosier IKU"
        ordering = ["-created_at"]
        # A year's rounds (the archive's year, the dashboard's current and last round) without
        # reading all ten years.
        indexes = [
            models.Index(fields=["tahun", "created_at"], name="dosier_tahun_dibuat"),
            # The inbox's order (due first, untimed last, then the longest waiting): a walk of this
            # index that stops at a page's rows. PostgreSQL puts NULLs last in an ascending index.
            models.Index(fields=["due_at", "state_entered_at", "id"], name="dosier_tenggat"),
            # The running dossiers that waited longest (the dashboard), without sorting them all.
            models.Index(fields=["state_entered_at", "id"], condition=~models.Q(state__in=[SELESAI, DIBATALKAN]),
                         name="dosier_berjalan_masuk"),
            # The dashboard's tallies per position (late, near) read from this index alone, not the
            # table: an index-only pass over the running dossiers' positions and moments.
            models.Index(fields=["state", "due_at", "near_at"], condition=~models.Q(state__in=[SELESAI, DIBATALKAN]),
                         name="dosier_berjalan_posisi"),
            # The decree a round starts from (iku.table.decree_before: the latest closed round of this
            # year or last), read for an agency's grid: a walk of the closed rounds in that order,
            # not of every dossier of the two years.
            models.Index(fields=["-tahun", "-closed_at", "-id"], condition=models.Q(state=SELESAI),
                         name="dosier_selesai_terbaru"),
        ]

    def __str__(self) -> str:
        return f"{self.judul} ({self.tahun})"

    def clean(self):
        # Any form over the model (the admin's included) refuses what the new-dossier form
        # refuses: the title heads the hand-off e-mails' Subject.
        super().clean()
        refuse_line_break(self.judul, "Judul", field="judul")

    def save(self, *args, **kwargs):
        # `pelaku` is the log's to write (workflow.audit.actors): a row read before an event named
        # someone new, saved whole, would write the name away again.
        if kwargs.get("update_fields") is None and not self._state.adding:
            kwargs["update_fields"] = _SAVED_WHOLE
        super().save(*args, **kwargs)

    @property
    def step(self):
        return step_for(self.state)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    def action_labels(self) -> dict[str, str]:
        """Each action's button label in the current state, as its transition declares it (the
        admin shows the same labels). The transitions are fixed when the class is made, so each
        state's labels are worked out once per process."""
        labels = _LABELS_BY_STATE.get(self.state)
        if labels is None:
            labels = {t.name: t.custom["label"] for t in self.get_all_state_transitions() if t.source == self.state}
            _LABELS_BY_STATE[self.state] = labels
        return dict(labels)

    # --- transitions -------------------------------------------------------------------------

    def selesaikan(self, by, at, skpd_belum_mengirim=(), catatan="", tanda_tangan=None):
        step = self.step
        # The gate is checked here, once, rather than as an FSM condition that would run it again.
        gates.require_ready(self)
        details = {"langkah": step.number, "note": catatan}
        if tanda_tangan is not None:
            # How the documents this step signs are signed (naskah.signers.Plan): the audit says
            # which signer, and the signing, run on this instance when the event is recorded, reads it.
            details["tanda_tangan"] = tanda_tangan.label
            self.signing_plan = tanda_tangan
        if step.iku_awaited:
            details["skpd_belum_mengirim"] = gates.require_submissions_or_acknowledged(
                self, step, skpd_belum_mengirim
            )
        if step.reopens_iku and details["skpd_belum_mengirim"]:
            # Moved on with the tables sent before: their reopening ends here, or the round would read
            # "Dibuka kembali" to the decree and a later return would hand the agency the old note.
            self.submissions.filter(stage=step.reopens_iku, reopened_at__isnull=False).update(reopened_at=None)
        if step.number in PREPARING_STEPS:
            makers = self.documents.filter(step=step.number, uploaded_at__gte=self.state_entered_at)
            self.prepared_by.set({by.pk, *makers.values_list("uploaded_by_id", flat=True)})
            self._prepared_ids = None
        if step.number == STEPS[-1].number:
            self.forwarded_at = at
            # The decree leaves the bureau naming the agencies as they are called now; a rename
            # afterwards is for the rounds to come (Invitation.keep_names).
            self.invited.through.objects.keep_names(self)
        return details

    # One transition per step, generated from the step data: step N goes to N+1 (step 9 to the
    # Governor), once the step's gate finds its Kelengkapan and Output.
    for _step in STEPS:
        selesaikan = transition(
            field=state,
            source=_step.state,
            target=GET_STATE(lambda dossier, *a, **kw: next_state(dossier.state)),
            permission=_allowed(Action.SELESAIKAN),
            custom=_custom(Action.SELESAIKAN, _step.action_label),
        )(selesaikan)
    del _step

    @transition(
        field=state,
        source=[s.state for s in STEPS if s.returns_to],
        target=GET_STATE(
            lambda dossier, *a, **kw: STEP_BY_NUMBER[dossier.step.returns_to].state
        ),
        permission=_allowed(Action.KEMBALIKAN),
        custom=_custom(Action.KEMBALIKAN),
    )
    def kembalikan(self, by, at, catatan):
        gates.require_text(catatan, "Catatan perbaikan wajib diisi saat mengembalikan draft.")
        return {"langkah": self.step.number, "note": catatan}

    @transition(
        field=state,
        source=[s.state for s in STEPS if s.min_meetings],
        target=None,
        permission=_allowed(Action.CATAT_RAPAT),
        custom=_custom(Action.CATAT_RAPAT),
    )
    def catat_rapat(self, by, at, meeting):
        meeting.dossier = self
        meeting.step = self.step.number
        meeting.recorded_by = by
        meeting.recorded_at = at
        meeting.save()
        return {"langkah": self.step.number, "note": meeting.ringkasan, "rapat": meeting.pk}

    @transition(
        field=state,
        source=[s.state for s in STEPS],
        target=None,
        permission=_allowed(Action.UNGGAH),
        custom=_custom(Action.UNGGAH),
    )
    def unggah_dokumen(self, by, at, document):
        document.dossier = self
        document.step = self.step.number
        document.uploaded_by = by
        document.uploaded_at = at
        document.save()
        return {
            "langkah": self.step.number,
            "note": f"{document.get_kind_display()}: {document.original_name}",
            "dokumen": document.pk,
        }

    @transition(
        field=state,
        source=[s.state for s in STEPS if s.iku_awaited],
        target=None,
        permission=_allowed(Action.AJUKAN_IKU),
        custom=_custom(Action.AJUKAN_IKU),
    )
    def ajukan_iku(self, by, at, rows, catatan="", seen_version=None, seen_draft=None, seen_rows=None):
        gates.require_rows(rows)
        # Looked up under the dossier's row lock, so two officers of one agency sending at once
        # update one submission instead of colliding on a second; and locked itself, as a draft is
        # saved under the submission's lock alone (iku.table.save_draft).
        submission, _ = self.submissions.model.objects.select_for_update().get_or_create(
            dossier=self, skpd=by.skpd, stage=self.step.iku_awaited)
        # The page's own check (iku.forms) ran before the lock; two tabs sending, or one sending while
        # another saves a draft, meet here. A draft saved meanwhile that is this very table undoes nothing.
        if seen_version is not None and submission.versions.count() != seen_version:
            raise gates.TableChangedMeanwhile(["Tabel ini sudah dikirim dari halaman lain sejak halaman ini dibuka. Isian Anda "
                                   "masih di bawah: bandingkan, lalu kirim lagi bila memang ini yang benar."])
        if (seen_draft is not None and submission.draft_mark != seen_draft
                and not submission.holds_draft([row.as_dict() for row in rows], None)):
            raise gates.TableChangedMeanwhile(["Tabel ini sudah disimpan lagi sebagai draf dari halaman lain sejak halaman ini "
                                   "dibuka. Isian Anda masih di bawah: bandingkan, lalu kirim lagi bila memang ini "
                                   "yang benar."])
        # The bureau's corrections are made under this same lock (atur_tabel_iku).
        if seen_rows is not None and bureau_changes.rows_mark(submission) != seen_rows:
            raise gates.TableChangedMeanwhile([bureau_changes.changed_news(submission)])
        # Sending closes what the bureau reopened.
        submission.reopened_at = None
        submission.catatan = catatan
        submission.submitted_by = by
        submission.submitted_at = at
        # The draft was what the grid held until now; what is sent is the agency's table from here on.
        submission.draft = []
        submission.draft_saved_at = None
        submission.draft_saved_by = None
        submission.draft_catatan = ""
        submission.save()
        # A resubmission replaces the agency's rows as a whole: the latest table is the one that counts;
        # each send stays readable as a version.
        submission.rows.all().delete()
        for number, row in enumerate(rows, start=1):
            row.pk = None
            row.submission = submission
            row.urutan = number
            row.read_target()
        submission.rows.model.objects.bulk_create(rows)
        version = submission.versions.create(
            nomor=submission.versions.count() + 1, sent_by=by, sent_at=at, catatan=catatan,
            rows=[row.as_dict() for row in rows],
        )
        return {
            "langkah": self.step.number,
            "note": f"{submission.get_stage_display()} dari {by.skpd}: {len(rows)} indikator (versi {version.nomor})",
            "kiriman": submission.pk,
        }

    @transition(
        field=state,
        source=[s.state for s in STEPS if s.reopens_iku],
        target=None,
        permission=_allowed(Action.BUKA_KEMBALI_IKU),
        custom=_custom(Action.BUKA_KEMBALI_IKU),
    )
    def buka_kembali_iku(self, by, at, skpd, catatan):
        gates.require_text(catatan, "Tulis untuk SKPD apa yang perlu diperbaiki.")
        submission = self.submissions.filter(
            skpd=skpd, stage=self.step.reopens_iku, submitted_at__isnull=False
        ).first()
        if submission is None or skpd.pk not in policy.invited_ids(self):
            raise gates.GateError([f"{skpd.nama_pendek} belum mengirim IKU yang dapat dibuka kembali."])
        # Read afresh: the admin may have deactivated it since the form was checked.
        skpd.refresh_from_db(fields=["aktif"])
        if not skpd.aktif:
            raise gates.GateError([f"{skpd.nama_pendek} sudah dinonaktifkan admin: putaran ini tidak lagi menunggu "
                                   "IKU-nya, sehingga tabelnya tidak dapat dibuka kembali. Bila SKPD ini masih "
                                   "harus memperbaiki IKU-nya, minta admin mengaktifkannya kembali lebih dahulu."])
        submission.reopened_at = at
        submission.reopen_note = catatan
        submission.save(update_fields=["reopened_at", "reopen_note"])
        return {
            "langkah": self.step.number,
            "note": f"{submission.get_stage_display()} {skpd.nama_pendek} dibuka kembali: {catatan}",
            "kiriman": submission.pk,
            "skpd_id": skpd.pk,
        }

    @transition(
        field=state,
        source=[s.state for s in STEPS if s.consolidates_iku],
        target=None,
        permission=_allowed(Action.ATUR_TABEL_IKU),
        custom=_custom(Action.ATUR_TABEL_IKU),
    )
    def atur_tabel_iku(self, by, at, change):
        submission = change.row.submission
        if submission.dossier_id != self.pk or submission.stage != self.step.consolidates_iku or not submission.submitted_at:
            raise gates.GateError(["Baris ini bukan bagian tabel IKU Provinsi dosier ini."])
        done = consolidation.apply(change)
        return {"langkah": self.step.number, "note": done["note"], **done["data"]}

    @transition(
        field=state,
        source=DI_GUBERNUR,
        target=SELESAI,
        permission=_allowed(Action.CATAT_PENETAPAN),
        custom=_custom(Action.CATAT_PENETAPAN),
    )
    def catat_penetapan(self, by, at, nomor_kepgub, tanggal_kepgub, pindaian=None):
        self._record_decree(by, at, nomor_kepgub, tanggal_kepgub, pindaian)
        self.closed_at = at
        return {"note": self.decree_text, **self._scan_detail(pindaian)}

    @transition(
        field=state,
        source=SELESAI,
        target=SELESAI,
        permission=_allowed(Action.KOREKSI_PENETAPAN),
        custom=_custom(Action.KOREKSI_PENETAPAN),
    )
    def koreksi_penetapan(self, by, at, nomor_kepgub, tanggal_kepgub, alasan, pindaian=None):
        gates.require_text(alasan, "Alasan koreksi wajib diisi.")
        before = self.decree_text
        self._record_decree(by, at, nomor_kepgub, tanggal_kepgub, pindaian)
        if pindaian is None:
            # The scan kept names the number typed with it: the corrected one now (the history keeps
            # the old), so the document list does not contradict the record above it.
            self.documents.filter(kind=DocKind.KEPGUB_PENETAPAN, keterangan__startswith="Nomor ").update(
                keterangan=f"Nomor {self.nomor_kepgub}"[:255])
        return {
            "note": f"{before} menjadi {self.decree_text}. Alasan: {alasan.strip()}",
            "sebelumnya": before, "alasan": alasan.strip(), **self._scan_detail(pindaian),
        }

    @transition(
        field=state,
        source=[*ACTIVE_STATES, SELESAI],
        target=None,
        permission=_allowed(Action.KOREKSI_DOSIER),
        custom=_custom(Action.KOREKSI_DOSIER),
    )
    def koreksi_dosier(self, by, at, judul, tahun, alasan):
        gates.require_text(alasan, "Alasan koreksi wajib diisi.")
        judul = fit_title(judul, tahun)
        before = {"judul": self.judul, "tahun": self.tahun}
        self.judul, self.tahun = judul, tahun
        self.full_clean(exclude=[f.name for f in self._meta.fields if f.name not in ("judul", "tahun")],
                        validate_unique=False, validate_constraints=False)
        changed = [f"{name} “{before[name]}” menjadi “{getattr(self, name)}”" for name in ("judul", "tahun")
                   if before[name] != getattr(self, name)]
        return {"note": f"{'; '.join(changed)}. Alasan: {alasan.strip()}", "lama": before,
                "baru": {"judul": judul, "tahun": tahun}, "alasan": alasan.strip()}

    @property
    def decree_text(self) -> str:
        return f"Keputusan Gubernur Nomor {self.nomor_kepgub} tanggal {long_date(self.tanggal_kepgub)}"

    def _record_decree(self, by, at, nomor_kepgub, tanggal_kepgub, pindaian):
        gates.require_text(nomor_kepgub, "Nomor Keputusan Gubernur wajib diisi.")
        self.nomor_kepgub = nomor_kepgub.strip()
        self.tanggal_kepgub = tanggal_kepgub
        if pindaian is not None:
            # The signed decree belongs to the round's last step, where the draft left the bureau.
            pindaian.dossier = self
            pindaian.step = STEPS[-1].number
            pindaian.uploaded_by = by
            pindaian.uploaded_at = at
            pindaian.save()

    @staticmethod
    def _scan_detail(pindaian) -> dict:
        return {"dokumen": pindaian.pk} if pindaian is not None else {}

    @transition(
        field=state,
        source=list(ACTIVE_STATES),
        target=DIBATALKAN,
        permission=_allowed(Action.BATALKAN),
        custom=_custom(Action.BATALKAN),
    )
    def batalkan(self, by, at, alasan):
        gates.require_text(alasan, "Alasan pembatalan wajib diisi.")
        self.alasan_batal = alasan.strip()
        self.closed_at = at
        return {"note": self.alasan_batal}


# What `Dossier.save` writes of a row saved whole: every column but the log's own.
_SAVED_WHOLE = [field.name for field in Dossier._meta.concrete_fields if not field.primary_key and field.name != "pelaku"]
