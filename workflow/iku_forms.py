"""The agencies' IKU table as a form: one row per indicator, columns as the decree's Lampiran."""

from collections import Counter

from django import forms

from workflow.models import IkuRow

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


class SubmissionNoteForm(forms.Form):
    catatan = forms.CharField(label="Catatan untuk Biro Kesra (opsional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
