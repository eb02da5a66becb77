"""The Django admin: SKPD, users and their roles, delegations; dossiers and their history read-only.

A transition started from the admin goes through `services.perform`, like one from the pages, so it
asks the same policy and writes the same audit event.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django_fsm.admin import FSMAdminMixin

from workflow import gates, policy, services
from workflow.models import AuditEvent, Delegation, Dossier, Skpd, User, UserRole
from workflow.policy import Action
from workflow.roles import Role


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Skpd)
class SkpdAdmin(admin.ModelAdmin):
    list_display = ("nama_pendek", "singkatan", "jenis", "aktif")
    list_filter = ("aktif", "jenis")
    search_fields = ("nama", "nama_pendek", "singkatan")
    list_editable = ("aktif",)
    actions = ["nonaktifkan", "aktifkan"]

    def has_delete_permission(self, request, obj=None):
        # An agency on any dossier must stay for the record: deactivate it instead.
        if obj is not None and obj.dossiers.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Nonaktifkan SKPD terpilih (tidak ditawarkan untuk dosier baru)")
    def nonaktifkan(self, request, queryset):
        count = queryset.update(aktif=False)
        self.message_user(request, f"{count} SKPD dinonaktifkan.")

    @admin.action(description="Aktifkan kembali SKPD terpilih")
    def aktifkan(self, request, queryset):
        count = queryset.update(aktif=True)
        self.message_user(request, f"{count} SKPD diaktifkan.")


class RoleFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        roles = {
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        }
        skpd = self.instance.skpd if self.instance.skpd_id else None
        if Role.SKPD in roles and skpd is None:
            raise ValidationError("Pengguna dengan peran SKPD wajib dihubungkan ke satu SKPD.")


class UserRoleInline(admin.TabularInline):
    model = UserRole
    formset = RoleFormSet
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [UserRoleInline]
    list_display = ("username", "nama", "jabatan", "skpd", "peran", "is_active")
    list_filter = ("is_active", "role_set__role", "skpd")
    search_fields = ("username", "nama", "nip", "jabatan")
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Data kepegawaian", {"fields": ("nama", "nip", "jabatan", "pangkat_golongan", "skpd")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Data kepegawaian", {"fields": ("nama", "nip", "jabatan", "pangkat_golongan", "skpd")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skpd").prefetch_related("role_set")

    @admin.display(description="peran")
    def peran(self, obj):
        return ", ".join(r.get_role_display() for r in obj.role_set.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "skpd":
            kwargs["queryset"] = Skpd.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "starts_on", "ends_on", "dasar")
    list_filter = ("role", "kind")
    autocomplete_fields = ("official", "delegate")
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Dossier)
class DossierAdmin(FSMAdminMixin, admin.ModelAdmin):
    fsm_fields = ["state"]
    list_display = ("judul", "tahun", "state", "state_entered_at")
    list_filter = ("tahun", "state")
    search_fields = ("judul", "nomor_kepgub")
    readonly_fields = [
        "tahun", "judul", "daftar_skpd", "state", "state_entered_at", "revision", "created_by",
        "created_at", "forwarded_at", "nomor_kepgub", "tanggal_kepgub", "alasan_batal", "closed_at",
        "dokumen", "riwayat",
    ]
    exclude = ("invited",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # Django's model permissions open the page; the policy still decides which dossiers a staff
    # member sees, as it does on the site.
    def get_queryset(self, request):
        return super().get_queryset(request).filter(policy.dossier_scope(request.user)).distinct()

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or policy.can(request.user, Action.LIHAT, obj))

    # Every field is read-only: the change page exists to carry the transition buttons, and a dossier
    # changes only through them.
    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        pass

    @admin.display(description="SKPD diundang")
    def daftar_skpd(self, obj):
        return ", ".join(s.nama_pendek for s in obj.invited.all())

    # History and documents are shown as tables, not inlines: nothing on this page is a form field
    # but the transition buttons.
    @admin.display(description="dokumen")
    def dokumen(self, obj):
        rows = obj.documents.select_related("uploaded_by")
        return format_html_join(
            mark_safe("<br>"), "Langkah {}: {} ({}, {})",
            ((d.step, d.get_kind_display(), d.original_name, d.uploaded_by) for d in rows),
        ) or "-"

    @admin.display(description="riwayat")
    def riwayat(self, obj):
        return format_html_join(
            mark_safe("<br>"), "{} {}: {} ({} &rarr; {}) {}",
            ((localtime(e.at).strftime("%d-%m-%Y %H.%M"), e.actor_label, e.action_label, e.from_label or "-",
              e.to_label, e.note) for e in obj.events.all()),
        )

    def get_fsm_block_label(self, fsm_field_name):
        return "Tindakan"

    def _apply_fsm_transition(self, *, obj, transition_name, request, kwargs=None):
        try:
            event = services.perform(obj, request.user, transition_name, revision=obj.revision, **(kwargs or {}))
        except gates.GateError as error:
            for text in error.messages:
                self.message_user(request, text, level=messages.ERROR)
            return False
        except (PermissionDenied, services.StaleDossier) as error:
            self.message_user(request, str(error), level=messages.ERROR)
            return False
        self.message_user(request, f"{event.action_label}: berhasil ({event.to_label}).", level=messages.SUCCESS)
        return True


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "dossier", "actor_label", "action", "from_state", "to_state")
    list_filter = ("action", "role")
    search_fields = ("actor_label", "note", "dossier__judul")
    date_hierarchy = "at"
    list_select_related = ("dossier",)
from workflow import admin_documents, admin_worktime  # noqa: F401,E402
