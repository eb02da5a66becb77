from dataclasses import dataclass
from functools import cache

from django import forms
from django.contrib import messages
from django.db import connection, connections, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from lib import written_sql
from notices.handoff import DEADLINE
from notices.models import Notice, NoticePreference
from workflow import policy
from workflow.models import Invitation
from workflow.steps import FINAL_STATES


def visible_notices(user):
    """The user's notices, none while they have switched the list off (asked inside the query)."""
    return Notice.objects.filter(recipient=user).exclude(Exists(NoticePreference.objects.filter(user=user, in_app=False)))


PAGE_SIZE = 25
# The badge counts unread notices up to this and then says "99+": a person who never marks them
# read gathers thousands in a few years, and every page would count them all.
UNREAD_SHOWN = 99


def unread_count(user) -> int:
    """Asked on every page: how many unread, at most UNREAD_SHOWN + 1, in one statement with the
    preference checked inside. Written out (lib/written_sql): the ORM took about 1 ms to compose
    what the database answers in 0.05 ms."""
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(connection.alias), [user.pk, user.pk])
        return cursor.fetchone()[0]


@cache
def _unread_sql(alias: str) -> str:
    on = connections[alias]
    notice, preference = written_sql.table(on, Notice), written_sql.table(on, NoticePreference)
    recipient, read_at = written_sql.column(on, Notice, "recipient"), written_sql.column(on, Notice, "read_at")
    user, in_app = written_sql.column(on, NoticePreference, "user"), written_sql.column(on, NoticePreference, "in_app")
    return (f"SELECT count(*) FROM (SELECT 1 FROM {notice} WHERE {recipient} = %s AND {read_at} IS NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {preference} WHERE {user} = %s AND NOT {in_app}) LIMIT {UNREAD_SHOWN + 1}) unread")


@dataclass
class Window:
    """A page of notices, newest first, read without counting them all (what the pager asks of a
    Django Page, less the number of pages): the page's rows and one more, to know if there is a next."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def window(notices, asked) -> Window:
    """Page `asked` (from 1), or the first for a number that is none or past the last."""
    try:
        number = max(1, min(int(asked), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(notices[start:start + PAGE_SIZE + 1])
    if not rows and number > 1:
        return window(notices, 1)
    return Window(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE)


def notice_list(request):
    if request.method == "POST":
        visible_notices(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, "Semua pemberitahuan ditandai sudah dibaca.")
        return redirect("notices")
    # Plain values, not models: what the list shows of each.
    shown = visible_notices(request.user).values("pk", "judul", "isi", "created_at", "read_at")
    agency = request.user.skpd if policy.taken_out_invitations(request.user) is not None else None
    if agency is not None:
        shown = shown.annotate(taken_out=_taken_out(agency))
    page = window(shown, request.GET.get("hal"))
    for notice in page.object_list if agency is not None else ():
        if notice["taken_out"]:
            # "Kirim Konsep IKU ..., Tenggat: ..." stays as it was sent; read beside it, that the round
            # no longer waits on the agency, and without the deadline that is no longer theirs.
            notice["isi"] = "\n".join(line for line in notice["isi"].splitlines() if not line.startswith(DEADLINE))
            notice["taken_out"] = agency.taken_out_note()
    # Why the list is empty is asked only of an empty list.
    switched_off = not page.object_list and NoticePreference.objects.filter(user=request.user, in_app=False).exists()
    return render(request, "notices/list.html", {"page": page, "nav": "notices", "switched_off": switched_off})


def _taken_out(agency):
    """Whether a notice's round invited `agency` and was still running when the admin deactivated it
    (it stopped waiting on the agency then): asked in the list's own query."""
    running = ~Q(dossier__state__in=FINAL_STATES)
    if agency.nonaktif_sejak is not None:
        running |= Q(dossier__state_entered_at__gte=agency.nonaktif_sejak)
    return Exists(Invitation.objects.filter(running, dossier=OuterRef("dossier_id"), skpd=agency.pk))


# The hidden field of the preferences page: the choices as it loaded them.
LOADED = "pilihan_dimuat"


def _mark(preference) -> str:
    return ",".join(f"{name}={int(getattr(preference, name))}" for name in PreferenceForm.Meta.fields)


class PreferenceForm(forms.ModelForm):
    """Saved from a page opened before another tab changed the choices, it would turn back what that
    tab turned off (e-mail, say) unseen: refused, saying what changed, the ticks as sent kept."""

    pilihan_dimuat = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = NoticePreference
        fields = ["by_email", "in_app"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial[LOADED] = _mark(self.instance)

    def clean(self):
        cleaned = super().clean()
        # A page opened before the page carried it (a program) is taken as before.
        loaded = self.data.get(LOADED)
        if loaded is None or loaded == _mark(self.instance):
            return cleaned
        was = dict(part.split("=", 1) for part in loaded.split(",") if "=" in part)
        changed = [name for name in self.Meta.fields if was.get(name) != str(int(getattr(self.instance, name)))]
        said = "; ".join(f"“{self.fields[name].label}”: {'ya' if getattr(self.instance, name) else 'tidak'}" for name in changed or self.Meta.fields)
        # The page sent again carries the choices as they are now: sent so, it is saved knowingly.
        self.data = self.data.copy()
        self.data[LOADED] = _mark(self.instance)
        raise forms.ValidationError(
            f"Pilihan ini diubah dari halaman lain sejak halaman ini dibuka, kini tersimpan {said}. Pilihan Anda belum "
            "disimpan, agar perubahan itu tidak tertimpa tanpa diketahui; pilihan Anda masih di bawah: kirim lagi bila "
            "memang ini yang Anda mau.", code="stale")


def open_notice(request, pk):
    """A notice followed: marked read, then its dossier (or the delegations page) opened."""
    # Their own, whether or not they keep the list switched on.
    notice = Notice.objects.filter(recipient=request.user, pk=pk).only("dossier", "read_at").first()
    if notice is None:
        raise Http404("Pemberitahuan tidak ditemukan.")
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect(notice.path)


def preferences(request):
    preference, _ = NoticePreference.objects.get_or_create(user=request.user)
    if request.method == "POST":
        with transaction.atomic():
            # Read under a lock held to the save: two tabs sent at once are checked one after the other.
            preference = NoticePreference.objects.select_for_update().get(pk=preference.pk)
            form = PreferenceForm(request.POST, instance=preference)
            if form.is_valid():
                form.save()
                messages.success(request, "Pilihan pemberitahuan disimpan.")
                return redirect("notice_preferences")
    else:
        form = PreferenceForm(instance=preference)
    return render(request, "notices/preferences.html", {"form": form, "nav": "notices"})
