"""Signing in and changing one's password. The old password is checked as a login is, so
django-axes counts a wrong one and five lock the account out, as the signing form does: a borrowed
session could otherwise guess the password here without limit, and then sign with it. A refused
sign-in ties its message to the fields and puts the cursor in the password, the one to type again."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

LOGIN_ERROR_ID = "masuk-salah"


class CountedPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old) is None:
            raise forms.ValidationError("Kata sandi lama salah. Kesalahan ini dihitung sebagai gagal masuk.",
                                        code="password_incorrect")
        return old


class PasswordChange(auth_views.PasswordChangeView):
    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"request": self.request}


class LoginForm(AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": LOGIN_ERROR_ID})
            self.fields["username"].widget.attrs.pop("autofocus", None)
            self.fields["password"].widget.attrs["autofocus"] = True
            raise


class Login(auth_views.LoginView):
    form_class = LoginForm

