"""Webhooks in the admin: register a receiver and its events; read each delivery with every call
made for it, and send one again."""

from django import forms
from django.contrib import admin

from webhooks.delivery import explain, resend
from webhooks.models import Call, Delivery, Event, Webhook, receiver_url_problem
from workflow.admin.permissions import grants_change


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label="URL penerima", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label="Peristiwa", choices=Event.choices, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Pilih sedikitnya satu peristiwa."})

    class Meta:
        model = Webhook
        fields = ("nama", "url", "events", "aktif")

    def clean_url(self):
        url = self.cleaned_data["url"]
        if problem := receiver_url_problem(url):
            raise forms.ValidationError(problem)
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookForm
    list_display = ("nama", "url", "aktif", "created_at")
    readonly_fields = ("secret",)

    def get_fields(self, request, obj=None):
        # The secret is made with the hook; the receiver's keeper copies it from the hook's page.
        # Only someone who may change the hook sees it: with it, anyone can forge a delivery.
        shown = obj is not None and self.has_change_permission(request, obj)
        return ("nama", "url", "events", "aktif") + (("secret",) if shown else ())


class CallInline(admin.TabularInline):
    model = Call
    fields = ("at", "status_code", "duration_ms", "kesalahan", "response_body", "request_headers")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="kesalahan")
    def kesalahan(self, call):
        return explain(call.error)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "webhook", "event", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status", "event", "webhook")
    readonly_fields = ("webhook", "event", "status", "attempts", "next_attempt_at", "created_at", "delivered_at", "body")
    inlines = [CallInline]
    actions = ["kirim_ulang"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        # A delivery is never edited, but sending it again acts for the install.
        return grants_change(request, self.opts)

    @admin.action(description="Kirim ulang pengiriman terpilih", permissions=["resend"])
    def kirim_ulang(self, request, queryset):
        for delivery in queryset:
            resend(delivery)
        self.message_user(request, f"{queryset.count()} pengiriman diantrekan untuk dikirim ulang.")
