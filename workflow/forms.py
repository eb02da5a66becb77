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
