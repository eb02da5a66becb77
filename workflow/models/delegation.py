import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from lib.dates import long_date, moment_text, weekday_date
from lib.sentence import sentence
from workflow.roles import DelegationKind, Role

MAX_DAYS = 366
EARLIEST = datetime.date(2000, 1, 1)
# Past this many days a range holds a working day in any calendar (the longest Lebaran break with
# its weekends is under two weeks): not looked through day by day.
OFF_DAYS_CHECKED = 31


class DelegationRule(models.Model):
    """Who may stand in for an official: a Plh./Plt. of `role` must hold `delegate_role` in their own
    right (a Kabag stands in for the Kabiro, never a Staf). Kept by the admin; with no row for a
    role, nobody may stand in for it."""

    role = models.CharField("peran yang dilimpahkan", max_length=20, choices=Role.choices)
    delegate_role = models.CharField("peran pelaksana yang memenuhi", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "aturan Plh./Plt."
        verbose_name_plural = "aturan Plh./Plt."
        ordering = ["role", "delegate_role"]
        constraints = [models.UniqueConstraint(fields=["role", "delegate_role"], name="aturan_plh_unik")]

    def __str__(self) -> str:
        return f"Plh./Plt. {self.get_role_display()}: {self.get_delegate_role_display()}"

    @classmethod
    def eligible_roles(cls, role: str) -> list[str]:
        return list(cls.objects.filter(role=role).values_list("delegate_role", flat=True))


# Its whole days stand: not ended early, or ended early after its (new) last day. One ended on its first
# day keeps that day as its last (the days it ran stay on record) but gives nothing from then on.
WHOLE_DAYS = models.Q(ended_early_at__isnull=True) | models.Q(ended_early_at__date__gt=models.F("ends_on"))


class DelegationQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(WHOLE_DAYS, starts_on__lte=day, ends_on__gte=day)

    def meeting(self, starts_on: datetime.date, ends_on: datetime.date):
        """Those whose days meet `starts_on`..`ends_on`, one ended early counting only until it was
        ended: the days after it gave nothing, and the day it was ended on counts for a range that
        begins before it (the morning it ran), not for one that begins then (named after it ended)."""
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exclude(
            ended_early_at__date__lte=starts_on)

    def giving_roles_on(self, day: datetime.date):
        """Those that give their role on `day`: running then, a Plh. from an official still active (a
        deactivated official hands nothing on), a Plt. whatever the official's account: it fills the
        post they left. workflow.auth writes the same rule in its statements."""
        return self.active_on(day).filter(models.Q(official__is_active=True) | models.Q(kind=DelegationKind.PLT))


class Delegation(models.Model):
    """An official's role handed to another person for a date range (Plh. or Plt.).

    While it runs the delegate may do what the official could in that role; it ends by itself on
    the day after `ends_on`, with nothing to switch off.
    """

    official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pejabat",
        on_delete=models.PROTECT,
        related_name="delegations_given",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="pelaksana (Plh./Plt.)",
        on_delete=models.PROTECT,
        related_name="delegations_received",
    )
    role = models.CharField("peran yang dilimpahkan", max_length=20, choices=Role.choices)
    kind = models.CharField("jenis", max_length=3, choices=DelegationKind.choices, default=DelegationKind.PLH)
    starts_on = models.DateField("mulai")
    ends_on = models.DateField("sampai dengan")
    dasar = models.CharField("dasar (nomor surat perintah)", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When and by whom it was ended before its last day (on /pelimpahan/, or its end moved in the admin):
    # the Plh. whose open form it refused, and the lists, say so. db_default: the previous release,
    # serving beside this one during an upgrade, records delegations without them (PostgreSQL keeps no
    # default of NULL: the insert gets it all the same).
    ended_early_at = models.DateTimeField("diakhiri lebih awal pada", null=True, blank=True, db_default=None,
                                          editable=False)
    ended_early_by = models.CharField("diakhiri lebih awal oleh", max_length=150, blank=True, default="",
                                      db_default="", editable=False)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = "pelimpahan wewenang"
        verbose_name_plural = "pelimpahan wewenang"
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.title}: {self.delegate} untuk {self.official}"

    @property
    def title(self) -> str:
        """The capacity it gives, as the documents and notices write it: "Plh. Kabag"."""
        return f"{self.get_kind_display()} {self.get_role_display()}"

    @property
    def span(self) -> str:
        """Its days: "7 Desember 2026 sampai dengan 11 Desember 2026"."""
        return f"{long_date(self.starts_on)} sampai dengan {long_date(self.ends_on)}"

    @property
    def ended(self) -> bool:
        """Whether it gives nothing any more: its last day passed, or it was ended early."""
        return self.ended_early_at is not None or self.ends_on < timezone.localdate()

    @property
    def ended_early_text(self) -> str:
        """"diakhiri lebih awal pada Senin, 5 Januari 2026 pukul 10.30", naming who when another than its
        official ended it ("oleh Admin Biro"); "" when it was not ended early."""
        if self.ended_early_at is None:
            return ""
        by = f" oleh {self.ended_early_by}" if self.ended_early_by not in ("", str(self.official)) else ""
        return f"diakhiri lebih awal{by} pada {moment_text(self.ended_early_at)}"

    def end_early(self, by, now=None) -> None:
        """End it now, recorded with who did it: from today on its delegate acts no more. Its last day
        becomes yesterday, or stays today when it began today (it ran this morning)."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        self.ends_on = max(self.starts_on, today - datetime.timedelta(days=1))
        self.ended_early_at = now
        self.ended_early_by = str(by)[:150]
        self.save(update_fields=["ends_on", "ended_early_at", "ended_early_by"])

    @classmethod
    def from_db(cls, db, field_names, values):
        delegation = super().from_db(db, field_names, values)
        # The days as read, before a change (the admin's page): the delegate told of the old ones hears
        # of the new (notices.delegations.on_saved).
        delegation.loaded_days = (delegation.__dict__.get("starts_on"), delegation.__dict__.get("ends_on"))
        # And its delegate: the one told of it hears it was handed to another, who is told it is theirs.
        delegation.loaded_delegate_id = delegation.__dict__.get("delegate_id")
        # And what it makes them: for whom, in which role, Plh. or Plt.; she is told it changed.
        delegation.loaded_capacity = tuple(delegation.__dict__.get(name) for name in ("official_id", "role", "kind"))
        return delegation

    @property
    def void(self) -> str:
        """Why it gives nothing although its dates run ("tidak berlaku: X nonaktif"), or "". A
        deactivated delegate acts for nobody (policy), and a Plh.'s deactivated official hands
        nothing on; a Plt. fills the post its official left. No page lists a void one as if it ran."""
        if not self.delegate.is_active:
            return f"tidak berlaku: {self.delegate} nonaktif"
        if not self.official.is_active and self.kind != DelegationKind.PLT:
            return f"tidak berlaku: {self.official} nonaktif (untuk jabatan yang kosong, catat Plt.)"
        return ""

    def days_off_only(self) -> str:
        """A warning when no day of it has working hours in the calendar (a weekend, a holiday):
        most likely mistyped dates, as the delegate would never act on a working day. "" otherwise."""
        from worktime.models import load_calendar

        calendar = load_calendar()
        days = [self.starts_on + datetime.timedelta(days=n) for n in range((self.ends_on - self.starts_on).days + 1)]
        if len(days) > OFF_DAYS_CHECKED or any(not calendar.day(day).off for day in days):
            return ""
        named = "; ".join(f"{weekday_date(day)}: {calendar.day(day).off}" for day in days[:3])
        return (f"Semua tanggal pelimpahan ini hari libur ({named}{'; …' if len(days) > 3 else ''}): tidak ada jam "
                f"kerja untuk bertindak. Bila tanggalnya keliru, akhiri pelimpahan ini dan catat yang benar.")

    def own_drafts_note(self) -> str:
        """What the delegate may not do as this stand-in, when they prepare the drafts the role
        reviews (`policy.reviews_of_own_preparing`), or "": the Kasubag, the likeliest Plh. Kabag,
        prepares every Nota, which would then wait on the Kabag alone."""
        from workflow import policy

        steps = policy.reviews_of_own_preparing(self.delegate, self.role)
        if not steps:
            return ""
        # The step as its list writes it: each begins with the post that acts ("Kabag meneliti ..."), a
        # title not lowered. The official's name closed by sentence(): "M.M." takes no second stop.
        where = " dan ".join(f"langkah {step.number} ({step.ringkas})" for step in steps)
        return (f"{self.delegate} tidak dapat memaraf, mengembalikan atau menandatangani draft yang disiapkannya sendiri, "
                f"juga sebagai {self.title}: dosier pada {where} yang "
                f"draftnya disiapkan {self.delegate} tetap menunggu {sentence(str(self.official))}")

    def away_notes(self, to_official: bool = False) -> list[str]:
        """Warnings when the people it joins are away themselves on some of its days: the delegate
        named a Plh./Plt. of her own then (what waits on the role waits on someone on leave), or the
        official stands in for another then (what waits on that post waits on them while away).
        `to_official`: read by the official on their own page ("Anda"), not by the admin."""
        if not (self.starts_on and self.ends_on and self.official_id and self.delegate_id):
            return []
        meeting = (Delegation.objects.meeting(self.starts_on, self.ends_on)
                   .exclude(pk=self.pk).select_related("official", "delegate").order_by("starts_on", "pk"))
        notes = []
        if away := [d for d in meeting.filter(official_id=self.delegate_id) if not d.void]:
            named = "; ".join(f"{d.delegate} sebagai {d.title} dari {d.span}" for d in away)
            notes.append(f"{self.delegate} sendiri berhalangan pada sebagian tanggal itu: ia menunjuk {named}. Dosier "
                         f"yang menunggu {self.get_role_display()} menunggu orang yang sedang berhalangan; bila "
                         f"{self.delegate} tidak bertugas pada tanggal itu, tunjuk pelaksana lain.")
        if standing := [d for d in meeting.filter(delegate_id=self.official_id) if not d.void]:
            who = "Anda" if to_official else str(self.official)
            for d in standing:
                notes.append(f"Pada sebagian tanggal itu {who} sendiri {d.title} atas nama {d.official} (dari {d.span}): "
                             f"dosier yang menunggu {d.get_role_display()} juga menunggu {who} selama berhalangan. Bila "
                             f"{who} tidak bertugas pada tanggal itu, {d.official} perlu menunjuk pelaksana lain.")
        return notes

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.starts_on and not EARLIEST <= self.starts_on <= today + datetime.timedelta(days=MAX_DAYS):
            # A typo's year 9999 was kept, and a page reading the day after its end met the calendar's end.
            errors["starts_on"] = "Tanggal mulai harus antara tahun 2000 dan satu tahun dari hari ini."
        elif self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Tanggal selesai tidak boleh sebelum tanggal mulai."
        elif self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days > MAX_DAYS:
            # A Plh./Plt. is a stand-in, not a post: past a year the post is filled by appointment.
            errors["ends_on"] = "Pelimpahan paling lama satu tahun; untuk lebih lama, buat pelimpahan baru."
        if self.official_id and self.delegate_id and self.official_id == self.delegate_id:
            errors["delegate"] = "Pelaksana harus orang lain, bukan pejabat itu sendiri."
        elif self.official_id and not self.official.is_active and self.kind != DelegationKind.PLT:
            errors["kind"] = (f"{self.official} sudah nonaktif: jabatannya kosong, jadi pelaksananya Plt. (pelaksana "
                              "tugas), bukan Plh.")
        if self.role == Role.SKPD:
            errors["role"] = "Peran SKPD tidak dapat dilimpahkan; tambahkan pengguna SKPD baru."
        elif self.official_id and self.role and self.role not in self.official.own_roles:
            errors["role"] = "Pejabat ini tidak memegang peran tersebut, jadi tidak dapat melimpahkannya."
        elif self.role and self.delegate_id and "delegate" not in errors:
            problem = self._rank_problem()
            if problem:
                errors["delegate"] = problem
        if "ends_on" not in errors and "starts_on" not in errors and (twin := self.same_delegate_overlapping()):
            # An official who wants another end day records the delegation again: the first one stayed
            # and the Plh. kept acting on the days the official meant to take back, while the page
            # said the new dates.
            errors["ends_on"] = (
                f"{twin.delegate} sudah menjadi {twin.title} atas nama {twin.official} dari {twin.span}, "
                "bertumpang tindih dengan tanggal ini. Untuk mengubah tanggalnya, akhiri pelimpahan itu lalu catat "
                "yang baru.")
        if errors:
            raise ValidationError(errors)

    def overlapping(self):
        """The other delegations of the same official's same role whose days meet this one's."""
        if not (self.official_id and self.role and self.starts_on and self.ends_on):
            return Delegation.objects.none()
        return (Delegation.objects.meeting(self.starts_on, self.ends_on).filter(official_id=self.official_id, role=self.role)
                .exclude(pk=self.pk).select_related("official", "delegate").order_by("starts_on", "pk"))

    def same_delegate_overlapping(self):
        """An overlapping delegation (`overlapping`) to the same delegate, or None: one of them is a slip."""
        return self.overlapping().filter(delegate_id=self.delegate_id).first() if self.delegate_id else None

    def _rank_problem(self) -> str:
        eligible = DelegationRule.eligible_roles(self.role)
        role = Role(self.role).label
        if not eligible:
            return f"Belum ada aturan siapa yang dapat menjadi Plh./Plt. {role}: minta admin menambahkannya (Admin > Aturan Plh./Plt.)."
        if set(eligible) & set(self.delegate.own_roles):
            return ""
        return (f"{self.delegate} tidak dapat menjadi Plh./Plt. {role}: pelaksana harus memegang peran "
                + " atau ".join(Role(r).label for r in eligible) + ".")
