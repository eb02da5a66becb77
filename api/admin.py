"""Tokens in the admin: made for a user (the token shown once, on the page after saving), revoked,
never edited or read back."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from api import tokens
from api.forms import TokenForm
from api.models import ApiToken
from workflow import policy
from workflow.admin.permissions import grants_change
from workflow.models import User


class AdminTokenForm(forms.ModelForm):
    hari = TokenForm.base_fields["hari"]

    class Meta:
        model = ApiToken
        fields = ("user", "nama", "akses")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("nama", "user", "prefix", "akses", "created_at", "expires_at", "last_used_at", "status")
    list_filter = ("akses",)
    search_fields = ("nama", "prefix", "user__username", "user__nama")
    readonly_fields = ("user", "nama", "prefix", "akses", "created_at", "expires_at", "last_used_at", "revoked_at")
    actions = ["cabut"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AdminTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ("user", "nama", "akses", "hari")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            # A token acts as its user: only those the policy lets this admin act as are offered,
            # and a posted other one is refused as not among them.
            kwargs["queryset"] = policy.token_accounts(request.user, User.objects.filter(is_active=True).order_by("username"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return
        row, secret = tokens.issue(form.cleaned_data["user"], form.cleaned_data["nama"], form.cleaned_data["akses"],
                                   form.cleaned_data["hari"])
        obj.pk, obj._state.adding, obj._secret = row.pk, False, secret

    def response_add(self, request, obj, post_url_continue=None):
        # The token itself is on this page only: never in a message (a cookie) or the database.
        return TemplateResponse(request, "admin/api/token_dibuat.html", {
            **self.admin_site.each_context(request), "token": obj, "secret": obj._secret, "opts": self.opts,
            "title": "Token API dibuat",
        })

    def has_change_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        # A token is never edited, but revoking one is a change.
        return grants_change(request, self.opts)

    @admin.action(description="Cabut token terpilih", permissions=["revoke"])
    def cabut(self, request, queryset):
        for row in queryset.filter(revoked_at__isnull=True):
            tokens.revoke(row)
        self.message_user(request, "Token terpilih dicabut.")
