"""Forms for the transitions that need more than a click (shared by the pages and the admin).

The field names are the keyword arguments of the Dossier's transition methods.
"""

from django import forms


class NoteForm(forms.Form):
    catatan = forms.CharField(
        label="Catatan perbaikan",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Catatan perbaikan wajib diisi saat mengembalikan draft."},
    )


class DecreeForm(forms.Form):
    nomor_kepgub = forms.CharField(
        label="Nomor Keputusan Gubernur",
        max_length=100,
        error_messages={"required": "Nomor Keputusan Gubernur wajib diisi."},
    )
    tanggal_kepgub = forms.DateField(
        label="Tanggal Keputusan Gubernur",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Tanggal Keputusan Gubernur wajib diisi.", "invalid": "Tanggal tidak valid."},
    )


class CancelForm(forms.Form):
    alasan = forms.CharField(
        label="Alasan pembatalan",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Alasan pembatalan wajib diisi."},
    )


class FinishForm(forms.Form):
    """Finish the current step. At a step whose Output is the agencies' IKU, the Kasubag lists the
    agencies moved on without (each missing one must be ticked)."""

    skpd_belum_mengirim = forms.ModelMultipleChoiceField(
        label="SKPD yang belum mengirim (dicatat dalam riwayat)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    catatan = forms.CharField(label="Catatan (opsional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, missing=(), **kwargs):
        super().__init__(*args, **kwargs)
        from workflow.models import Skpd

        self.missing = list(missing)
        if self.missing:
            self.fields["skpd_belum_mengirim"].queryset = Skpd.objects.filter(pk__in=[s.pk for s in self.missing])
        else:
            del self.fields["skpd_belum_mengirim"]

    def clean_skpd_belum_mengirim(self):
        ticked = set(self.cleaned_data["skpd_belum_mengirim"])
        unticked = [s.nama_pendek for s in self.missing if s not in ticked]
        if unticked:
            raise forms.ValidationError(
                "Centang semua SKPD yang belum mengirim untuk melanjutkan tanpa kiriman mereka: "
                + ", ".join(unticked) + "."
            )
        return list(ticked)


class MeetingForm(forms.ModelForm):
    class Meta:
        from workflow.models import Meeting

        model = Meeting
        fields = ["held_at", "tempat", "pimpinan", "ringkasan"]
        widgets = {
            "held_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ringkasan": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "held_at": {"required": "Waktu rapat wajib diisi.", "invalid": "Waktu rapat tidak valid."},
            "tempat": {"required": "Tempat rapat wajib diisi."},
            "pimpinan": {"required": "Pimpinan rapat wajib diisi."},
            "ringkasan": {"required": "Ringkasan dan keputusan rapat wajib diisi."},
        }

    def transition_kwargs(self):
        return {"meeting": self.save(commit=False)}


class DossierCreateForm(forms.Form):
    tahun = forms.IntegerField(label="Tahun IKU", min_value=2000, max_value=2100,
                               error_messages={"required": "Tahun wajib diisi.", "invalid": "Tahun harus angka."})
    judul = forms.CharField(label="Judul", max_length=255, error_messages={"required": "Judul wajib diisi."})
    invited = forms.ModelMultipleChoiceField(
        label="SKPD yang diundang",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pilih sedikitnya satu SKPD yang diundang."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from workflow.models import Skpd

        # A deactivated agency is not offered for new dossiers.
        self.fields["invited"].queryset = Skpd.objects.active()


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label="Cari judul atau nomor", required=False)
    tahun = forms.IntegerField(label="Tahun", required=False, error_messages={"invalid": "Tahun harus angka, misalnya 2026."})
    state = forms.ChoiceField(label="Posisi", required=False)
    skpd = forms.ModelChoiceField(label="SKPD", queryset=None, required=False, empty_label="Semua SKPD")
    urut = forms.ChoiceField(
        label="Urutkan", required=False,
        choices=[("-created_at", "Terbaru dahulu"), ("created_at", "Terlama dahulu")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from workflow.models import Skpd
        from workflow.steps import STATE_CHOICES

        self.fields["state"].choices = [("", "Semua posisi")] + STATE_CHOICES
        self.fields["skpd"].queryset = Skpd.objects.all()
