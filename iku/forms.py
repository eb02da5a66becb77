"""The agencies' IKU table as a form: one row per indicator, columns as the decree's Lampiran."""

from collections import Counter

from django import forms

from iku.models import IkuRow, IkuSubmission

MAX_PER_OBJECTIVE = 3


class IkuRowForm(forms.ModelForm):
    class Meta:
        model = IkuRow
        fields = [
            "sasaran_strategis", "indikator", "penjelasan", "formula", "satuan", "target", "sumber_data",
            "penanggung_jawab",
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in ("sasaran_strategis", "indikator", "penjelasan", "formula")}
        error_messages = {
            name: {"required": f"{label} wajib diisi."}
            for name, label in [
                ("sasaran_strategis", "Sasaran strategis"), ("indikator", "Indikator"), ("formula", "Formula"),
                ("satuan", "Satuan"), ("target", "Target"), ("sumber_data", "Sumber data"),
                ("penanggung_jawab", "Penanggung jawab"),
            ]
        }


class BaseIkuFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not rows:
            raise forms.ValidationError("Isi sedikitnya satu indikator kinerja utama sebelum mengirim.")
        per_objective = Counter(r["sasaran_strategis"].strip().lower() for r in rows)
        crowded = [s for s, n in per_objective.items() if n > MAX_PER_OBJECTIVE]
        if crowded:
            raise forms.ValidationError(
                f"Paling banyak {MAX_PER_OBJECTIVE} IKU untuk satu sasaran strategis; kurangi indikator pada "
                "sasaran yang sama."
            )

    def unsaved_rows(self):
        return [
            IkuRow(**{k: v for k, v in f.cleaned_data.items() if k in IkuRowForm.Meta.fields})
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


IkuFormSet = forms.modelformset_factory(
    IkuRow, form=IkuRowForm, formset=BaseIkuFormSet, extra=1, can_delete=True, max_num=60, validate_max=True
)


class IkuSubmissionForm(forms.Form):
    """An agency's IKU for the dossier's current stage: its note, and its rows as `formset`, which
    starts from what the agency sent before."""

    catatan = forms.CharField(label="Catatan untuk Biro Kesra (opsional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, files=None, *, dossier, user, **kwargs):
        submission = IkuSubmission.objects.filter(
            dossier=dossier, skpd_id=user.skpd_id, stage=dossier.step.iku_stage
        ).first() if dossier.step else None
        kwargs.setdefault("initial", {"catatan": submission.catatan if submission else ""})
        super().__init__(data, files, **kwargs)
        rows = submission.rows.all() if submission else IkuRow.objects.none()
        self.formset = IkuFormSet(data, queryset=rows, prefix="iku")

    def is_valid(self):
        valid = super().is_valid()
        return self.formset.is_valid() and valid

    def transition_kwargs(self) -> dict:
        return {"catatan": self.cleaned_data["catatan"], "rows": self.formset.unsaved_rows()}
