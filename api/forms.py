from django import forms

from api.models import Access
from api.tokens import LIFETIMES


class TokenForm(forms.Form):
    nama = forms.CharField(
        label="Nama token", max_length=100, help_text="Program yang memakainya, mis. “e-SAKIP Dinkes”.",
        error_messages={"required": "Beri nama token ini.", "max_length": "Nama token paling banyak 100 karakter."},
    )
    akses = forms.ChoiceField(label="Akses", choices=Access.choices, initial=Access.READ,
                              error_messages={"invalid_choice": "Pilih akses yang tersedia."})
    hari = forms.TypedChoiceField(label="Berlaku", coerce=int, initial=90,
                                  choices=[(d, f"{d} hari") for d in LIFETIMES],
                                  error_messages={"invalid_choice": "Pilih masa berlaku yang tersedia."})
