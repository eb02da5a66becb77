"""Signing in and changing one's password. The old password is checked as a login is, so
django-axes counts a wrong one and five lock the account out, as the signing form does: a borrowed
session could otherwise guess the password here without limit, and then sign with it. A refused
sign-in ties its message to the fields and puts the cursor in the password, the one to type again."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db.models import Q
from django.http import Http404
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from sop_iku.client_address import client_address
from throttle import limits
from workflow import policy
from workflow.models import PasswordLink, User
from workflow.password_links import TOKENS, lifetime_text, log_for_account, request_link

LOGIN_ERROR_ID = "masuk-salah"


class NewPasswordFields:
    """The app's words for a new password typed twice, and where a refusal stands, for both the
    change page and the page behind a mailed link (Django's forms under either)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Kata sandi baru"
        self.fields["new_password2"].label = "Ulangi kata sandi baru"
        self.fields["new_password2"].help_text = "Ketik sekali lagi, untuk memastikan tidak salah ketik."
        self.error_messages = {**self.error_messages,
                               "password_mismatch": "Kedua kata sandi tidak sama. Ketik keduanya lagi."}
        self.fields["new_password1"].error_messages["required"] = "Tulis kata sandi baru."
        self.fields["new_password2"].error_messages["required"] = "Ketik kata sandi baru sekali lagi."

    def clean(self):
        # Django tells a password its rules refuse under the repeat ("Ulangi kata sandi baru"), below
        # the rules the first field lists: on a phone it read as about the repeat. It stands by the
        # field typed in and listing the rules; a mismatch stays by the repeat.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class CountedPasswordChangeForm(NewPasswordFields, PasswordChangeForm):
    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Kata sandi lama"

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


# Told only to whoever gives the account's right password (workflow.auth.AgencyModelBackend).
DEACTIVATED = ("Akun Anda sudah dinonaktifkan oleh admin Biro, jadi tidak dapat dipakai masuk. Hubungi admin Biro "
               "bila ini keliru. Isian yang belum terkirim: salin dahulu dari halaman yang menampilkannya.")


class LoginForm(AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": LOGIN_ERROR_ID})
            self.fields["username"].widget.attrs.pop("autofocus", None)
            self.fields["password"].widget.attrs["autofocus"] = True
            if getattr(self.request, "account_deactivated", False):
                raise forms.ValidationError(DEACTIVATED, code="inactive") from None
            raise


class Login(auth_views.LoginView):
    form_class = LoginForm



# Setting one's password from a link mailed by the admin or asked for here (workflow.password_links).

FORGOTTEN_SCOPE = "lupa-kata-sandi"
FORGOTTEN_ACCOUNT_SCOPE = "lupa-kata-sandi-akun"
HOUR = 60 * 60


class ForgottenForm(forms.Form):
    nama = forms.CharField(label="Nama pengguna atau e-mail", max_length=254,
                           error_messages={"required": "Tulis nama pengguna atau alamat e-mail akun Anda."},
                           widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username",
                                                         "autocapitalize": "none", "spellcheck": "false"}))


def accounts_named(text: str) -> list:
    """The accounts whose user name or e-mail is `text`, in any case: a few at most."""
    text = text.strip()
    if not text:
        return []
    return list(User.objects.filter(Q(username__iexact=text) | Q(email__iexact=text)).exclude(email="")
                .order_by("pk")[:3])


@method_decorator(login_not_required, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class ForgottenPassword(FormView):
    """The same words whether or not the account exists, has an e-mail or may receive a link: the
    page tells nobody which user names or addresses the app knows. Each address may ask a few times
    an hour; each account is mailed a few links an hour."""

    form_class = ForgottenForm
    template_name = "registration/password_forgotten.html"

    def form_valid(self, form):
        address = limits.address_key(client_address(self.request))
        if not limits.admit(FORGOTTEN_SCOPE, address, settings.SOP_PASSWORD_RESET_ASKS, HOUR):
            wait = -(-limits.retry_after(FORGOTTEN_SCOPE, address, settings.SOP_PASSWORD_RESET_ASKS, HOUR) // 60)
            form.add_error(None, f"Terlalu banyak permintaan dari jaringan ini dalam satu jam terakhir. Coba lagi "
                                 f"sekitar {wait} menit lagi, atau hubungi admin Biro.")
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        for account in accounts_named(form.cleaned_data["nama"]):
            if policy.may_receive_password_link(account, asked_by_self=True) and limits.admit(
                    FORGOTTEN_ACCOUNT_SCOPE, str(account.pk), settings.SOP_PASSWORD_RESET_MAILS, HOUR):
                request_link(account, PasswordLink.Kind.FORGOTTEN)
        return self.render_to_response(self.get_context_data(
            form=form, sent=True, lifetime=lifetime_text(PasswordLink.Kind.FORGOTTEN)))


class SetPasswordForm(NewPasswordFields, auth_forms.SetPasswordForm):
    """Django's form with the app's words; a refused password is never written back into the page
    (Django's password inputs render empty)."""


# Django's own view says it on the dispatch that this one overrides.
@method_decorator(login_not_required, name="dispatch")
class SetPassword(auth_views.PasswordResetConfirmView):
    """Django's page behind a mailed link (the token moved from the address into the session, then
    the form), with the kind's own tokens, the policy asked again (an account deactivated since the
    mail, or an admin account by its own request, has no form), and the person signed in after:
    the link proved the mailbox, and a new account's first password needs no second typing."""

    form_class = SetPasswordForm
    template_name = "registration/password_set.html"
    post_reset_login = True
    # The one backend that reads the user as each request does (AUTHENTICATION_BACKENDS has axes' too).
    post_reset_login_backend = "workflow.auth.AgencyModelBackend"
    success_url = reverse_lazy("home")

    def dispatch(self, request, *args, **kwargs):
        self.kind = kwargs["kind"]
        if self.kind not in TOKENS:
            raise Http404
        self.token_generator = TOKENS[self.kind]
        return super().dispatch(request, *args, **kwargs)

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not policy.may_receive_password_link(
                user, asked_by_self=self.kind == PasswordLink.Kind.FORGOTTEN):
            return None
        return user

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"account": self.user, "lifetime": lifetime_text(self.kind)}

    def form_valid(self, form):
        response = super().form_valid(form)
        log_for_account(form.user, None, "Kata sandi diatur sendiri lewat tautan e-mail.")
        messages.success(self.request, "Kata sandi Anda sudah diatur dan Anda sudah masuk. Gunakan kata sandi ini "
                                       "saat masuk berikutnya.")
        return response
