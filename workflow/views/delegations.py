"""An official records who stands in for them (Plh./Plt.); the admin can do the same for anyone."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from lib.dates import INVALID_DATE, long_date
from workflow import delegation_history, policy
from workflow.forms.sent_once import sent_once
from workflow.models import Delegation, User
from workflow.models.sent_form import record_pending_for
from workflow.roles import INTERNAL_ROLES, Role
from workflow.views.access import kept_when_busy


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["role", "delegate", "kind", "starts_on", "ends_on", "dasar"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {
            "starts_on": {"required": "Tanggal mulai wajib diisi.", "invalid": INVALID_DATE},
            "ends_on": {"required": "Tanggal selesai wajib diisi.", "invalid": INVALID_DATE},
            "delegate": {"required": "Pilih pelaksana."},
        }

    def __init__(self, *args, official, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.official = official
        self.fields["role"].choices = [(r, Role(r).label) for r in policy.delegable_roles(official)]
        self.fields["delegate"].queryset = (
            User.objects.filter(is_active=True, role_set__role__in=INTERNAL_ROLES)
            .exclude(pk=official.pk)
            .distinct()
            .order_by("nama")
        )
        self.fields["delegate"].empty_label = "Pilih pelaksana"

    def clean_starts_on(self):
        # Only the admin records a delegation after the fact (its own form); on this page it starts today or later.
        starts_on = self.cleaned_data["starts_on"]
        if starts_on < timezone.localdate():
            raise forms.ValidationError("Tanggal mulai tidak boleh sebelum hari ini.")
        return starts_on


def alongside(delegation) -> str:
    """A warning when another Plh./Plt. of the same post runs on some of the same days, or "": both
    act and both are handed what waits on the post, which an official who meant to replace the first
    one does not expect."""
    others = [d for d in delegation.overlapping() if d.delegate_id != delegation.delegate_id]
    if not others:
        return ""
    named = "; ".join(f"{d.delegate} ({d.get_kind_display()}, {d.span})" for d in others)
    return (f"Pada sebagian tanggal itu sudah ada {delegation.get_role_display()} pengganti lain: {named}. Keduanya "
            f"dapat bertindak dan sama-sama menerima dosier yang menunggu {delegation.get_role_display()}. Bila "
            f"{delegation.delegate} menggantikannya, akhiri pelimpahan yang lama.")


def _saved(delegation) -> Delegation:
    # In its own transaction: a write refused (a busy database) leaves the request's connection usable.
    with transaction.atomic():
        delegation.save()
        delegation_history.named(delegation, delegation.created_by, delegation_history.ON_PAGE)
        # Its form sent again (workflow.forms.sent_once) finds it made, and makes no second one.
        record_pending_for(reverse("delegations"))
    return delegation


@sent_once("Pelimpahan ini")
def delegations(request):
    user = request.user
    may_delegate = bool(policy.delegable_roles(user))
    if not (may_delegate or policy.is_internal(user)):
        raise PermissionDenied("Halaman pelimpahan hanya untuk pegawai Biro.")
    if request.method == "POST" and not may_delegate:
        raise PermissionDenied("Hanya Kasubag, Kabag dan Kabiro yang dapat melimpahkan wewenangnya.")
    form = DelegationForm(request.POST or None, official=user) if may_delegate else None
    if form is not None and request.method == "POST" and form.is_valid():
        delegation = form.save(commit=False)
        delegation.created_by = user
        # A database too busy to take it: the form comes back whole, saying so.
        if kept_when_busy(form, lambda: _saved(delegation)) is not None:
            messages.success(
                request,
                f"{delegation.title}: {delegation.delegate} "
                f"dari {long_date(delegation.starts_on)} sampai {long_date(delegation.ends_on)}.",
            )
            if warning := delegation.days_off_only():
                messages.warning(request, warning)
            if warning := alongside(delegation):
                messages.warning(request, warning)
            if note := delegation.own_drafts_note():
                messages.warning(request, note)
            for note in delegation.away_notes(to_official=True):
                messages.warning(request, note)
            return redirect("delegations")
    given = Delegation.objects.filter(official=user).select_related("official", "delegate")
    received = Delegation.objects.filter(delegate=user).select_related("official", "delegate")
    return render(
        request, "workflow/delegations.html", {"form": form, "given": given, "received": received, "nav": "delegations"}
    )


def end_delegation(request, pk):
    """The official ends their own delegation now: from today on the Plh./Plt. acts no more. What
    they did stays in the history, which names both; the delegation is kept, saying it was ended early."""
    if request.method != "POST":
        return redirect("delegations")
    delegation = Delegation.objects.filter(pk=pk).first()
    if delegation is None:
        # Deleted while the page was open (by the admin, or ended before it began in another tab):
        # not a question of who may end it.
        messages.warning(request, "Pelimpahan ini sudah tidak ada: dihapus sejak halaman ini dibuka, oleh admin atau "
                                  "dari tab lain. Tidak ada yang perlu diakhiri; daftar di bawah menunjukkan "
                                  "pelimpahan Anda sekarang.")
        return redirect("delegations")
    if delegation.official_id != request.user.pk:
        raise PermissionDenied("Hanya pejabat yang melimpahkan dapat mengakhiri pelimpahan ini.")
    today = timezone.localdate()
    if delegation.ended:
        messages.info(request, "Pelimpahan ini sudah berakhir.")
    elif delegation.starts_on > today:
        # Called off before its first day: its delegate never stood in, and nothing names it.
        with transaction.atomic():
            delegation_history.deleted(delegation, request.user, delegation_history.ON_PAGE)
            delegation.delete()
        messages.success(request, f"Pelimpahan kepada {delegation.delegate} dibatalkan sebelum berlaku.")
    else:
        # Kept, with the moment it ended and who ended it: the days the Plh. stood in stay on record,
        # and a form the Plh. still has open is told why it is refused (workflow.views.stand_in).
        with transaction.atomic():
            delegation.end_early(request.user)
            delegation_history.ended_early(delegation, request.user, delegation_history.ON_PAGE)
        if delegation.starts_on == today:
            messages.success(request, f"Pelimpahan kepada {delegation.delegate} diakhiri sekarang: sejak saat ini "
                                      f"{delegation.delegate} tidak lagi bertindak sebagai "
                                      f"{delegation.title}. Yang sudah "
                                      f"dikerjakannya hari ini tetap tercatat dalam riwayat.")
        else:
            messages.success(request, f"Pelimpahan kepada {delegation.delegate} diakhiri mulai hari ini.")
    return redirect("delegations")
