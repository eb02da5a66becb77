"""Disposisi: the Kasubag gives one to a named Staf; the Staf reports it done."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from lib.choices import IdChoiceField
from lib.sentence import sentence
from workflow import dispositions, policy
from workflow.forms.sent_once import sent_once
from workflow.models import Disposition, User
from workflow.roles import Role
from workflow.services import StaleDossier
from workflow.steps import WaktuUnit
from workflow.views import stand_in
from workflow.views.access import (
    closed,
    delegation_news,
    keep_typed_with_news,
    kept_when_busy,
    lapsed_news,
    require_now_or_as_seen,
    require_or_lapsed,
    visible_dossier,
)

NO_STAFF = ("Belum ada pengguna aktif dengan peran Staf (yang lama dipindahkan atau dinonaktifkan): minta admin memberi "
            "peran Staf kepada penggantinya di Admin › Pengguna.")
# How long a disposisi may run, per unit: a preparatory task of one step, not a standing order.
LIMITS = {WaktuUnit.MENIT: (15, 480), WaktuUnit.JAM: (1, 40), WaktuUnit.HARI: (1, 20)}


class DispositionForm(forms.Form):
    kepada = IdChoiceField(label="Kepada (Staf)", queryset=None, empty_label="Pilih staf",
                           error_messages={"required": "Pilih staf yang menerima disposisi.",
                                           "invalid_choice": "Pilih staf dari daftar."})
    instruksi = forms.CharField(label="Instruksi", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                                error_messages={"required": "Tulis instruksinya."})
    # Its bounds are the chosen unit's (clean): a field's own min_value said Django's "Pastikan nilai ini
    # lebih besar dari atau sama dengan 1." to a 0, naming neither the unit nor what it allows.
    waktu_amount = forms.IntegerField(label="Waktu", widget=forms.NumberInput(attrs={"min": 1, "max": 480}),
                                      error_messages={"required": "Isi lama waktunya.", "invalid": "Waktu harus bilangan bulat, misalnya 4."})
    waktu_unit = forms.ChoiceField(label="Satuan", choices=[(u, WaktuUnit(u).label) for u in LIMITS],
                                   initial=WaktuUnit.JAM, error_messages={"invalid_choice": "Pilih satuan waktu."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kepada"].queryset = policy.disposable_staff(User.objects.all()).order_by("nama", "pk")
        if not self.fields["kepada"].queryset.exists():
            # The only Staf moved out or switched off: an empty list, and after the instruction was
            # typed "Pilih staf", of a list holding nobody to pick.
            self.fields["kepada"].help_text = NO_STAFF
            self.fields["kepada"].error_messages["required"] = NO_STAFF
        self.fields["waktu_amount"].help_text = "Dihitung dalam jam kerja kantor (hari libur dan di luar jam kerja tidak dihitung)."

    def clean(self):
        cleaned = super().clean()
        amount, unit = cleaned.get("waktu_amount"), cleaned.get("waktu_unit")
        if amount is not None and unit:
            low, high = LIMITS[unit]
            if not low <= amount <= high:
                named = WaktuUnit(unit).label
                self.add_error("waktu_amount", f"Waktu dalam {named} kerja: antara {low} dan {high} {named}.")
        return cleaned


class DoneForm(forms.Form):
    hasil = forms.CharField(label="Laporan hasil", max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


# What a Plh. Kasubag whose delegation ended reads she may do no more.
NO_MORE = "disposisi tidak dapat Anda berikan"


@sent_once("Disposisi ini")
def give(request, pk):
    dossier = visible_dossier(request.user, pk)
    posted = request.method == "POST"
    stale = require_now_or_as_seen(
        request, dossier, lambda d: policy.disposing_as(request.user, d) is not None,
        lambda: delegation_news(request.user, [Role.KASUBAG], dossier, NO_MORE)
        or "Hanya Kasubag yang dapat memberi disposisi, pada langkah yang disiapkan Staf.", additive=True,
        # A Plh. Kasubag whose delegation ended with the form open gets it back with why, not a 403.
        lapsed=lambda: lapsed_news(request, [Role.KASUBAG], dossier, NO_MORE),
    )
    form = DispositionForm(request.POST if posted else None)
    giving_as = policy.disposing_as(request.user, dossier)
    if stale:
        keep_typed_with_news(form, dossier, may_now=giving_as is not None, news=stale)
    elif posted and form.is_valid():
        data = form.cleaned_data
        try:
            # A database too busy to take it: the form comes back whole, saying so (None).
            given = kept_when_busy(form, lambda: dispositions.give(
                dossier, request.user, assigned_to=data["kepada"], instruksi=data["instruksi"],
                waktu_amount=data["waktu_amount"], waktu_unit=data["waktu_unit"]))
        except StaleDossier as news:
            form.add_error(None, ValidationError(news.messages[0]))
        except ValidationError as refused:
            form.add_error(None, refused)
        if not form.errors:
            messages.success(request, sentence(f"Disposisi diberikan kepada {given.assigned_to.display_name}"))
            return redirect("dossier", pk=dossier.pk)
    return render(request, "workflow/disposition.html", {
        "dossier": dossier, "form": form, "label": "Beri disposisi", "closed": closed(form),
        "stand_in": stand_in.carried(request, closed(form), giving_as)})


def _not_reported(given):
    """What was not done, and who may do it, for a Plh. Kasubag whose delegation ended with the report open."""
    return lambda who: (f"Disposisi ini belum dilaporkan selesai; dapat dilaporkan oleh {who} atau oleh "
                        f"{given.assigned_to_name} yang menerimanya.")


@sent_once("Laporan disposisi ini")
def done(request, pk, disposition):
    dossier = visible_dossier(request.user, pk)
    given = get_object_or_404(Disposition.objects.select_related("assigned_to", "given_by", "done_by"), pk=disposition, dossier=dossier)
    finishing_as = policy.finishing_disposition_as(request.user, given, dossier)
    # Whether the dossier is still in the disposisi's stay is the policy's to say: the form's position is not asked.
    lapsed = require_or_lapsed(
        request, finishing_as is not None, lambda: dispositions.not_finishing(given, request.user),
        # A Plh. Kasubag closing it whose delegation ended with the form open gets it back with why.
        lapsed=lambda: given.done_at is None and given.in_stay_of(dossier) and lapsed_news(
            request, [Role.KASUBAG], dossier, "disposisi ini tidak dapat Anda laporkan selesai", left=_not_reported(given)))
    form = DoneForm(request.POST or None)
    if lapsed:
        keep_typed_with_news(form, dossier, may_now=False, news=lapsed)
    elif request.method == "POST" and form.is_valid():
        try:
            kept_when_busy(form, lambda: dispositions.finish(given, request.user, hasil=form.cleaned_data["hasil"]))
        except PermissionDenied as refused:
            form.add_error(None, str(refused))
        if not form.errors:
            messages.success(request, "Disposisi dilaporkan selesai.")
            return redirect("dossier", pk=dossier.pk)
    return render(request, "workflow/disposition.html", {
        "dossier": dossier, "form": form, "given": given, "label": "Laporkan disposisi selesai", "closed": closed(form),
        "stand_in": stand_in.carried(request, closed(form), finishing_as)})
