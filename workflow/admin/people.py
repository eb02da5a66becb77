"""The admin's people pages: the agencies (SKPD), users with their roles, and delegations."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from lib.dates import long_date
from workflow import dispositions, policy
from workflow.admin.mixins import BureauPeopleChoices, KeptForTheRecord, OptimisticChange
from workflow.admin.permissions import IndonesianPermissions
from workflow.models import Delegation, DelegationRule, Skpd, User, UserRole
from workflow.models.skpd import ORDER, ORDER_STEP
from workflow.roles import INTERNAL_ROLES, Role
from workflow.steps import FINAL_STATES


@admin.register(Skpd)
class SkpdAdmin(KeptForTheRecord, OptimisticChange, admin.ModelAdmin):
    # Listed and renumbered in the order letters and the decree's Lampiran use (Skpd.order).
    list_display = ("nama_pendek", "order", "singkatan", "kind", "aktif")
    list_filter = ("aktif", "kind")
    search_fields = ("nama", "nama_pendek", "singkatan")
    # Not `aktif`: the list posts every row's box as the page loaded it, so saving a new order put
    # back an agency another admin had deactivated meanwhile. The actions below change only the rows chosen.
    list_editable = ("order",)
    ordering = ORDER
    actions = ["nonaktifkan", "aktifkan"]
    instead = ("Nonaktifkan saja dengan aksi “Nonaktifkan SKPD terpilih”: SKPD itu tetap pada dosier lama dan tidak "
               "ditawarkan untuk dosier baru.")

    def get_changeform_initial_data(self, request):
        # A new agency comes last until the admin places it: after the highest place, a step on.
        initial = super().get_changeform_initial_data(request)
        highest = Skpd.objects.aggregate(highest=Max("order"))["highest"] or 0
        return {"order": highest + ORDER_STEP} | initial

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"nama", "nama_pendek"} & set(form.changed_data):
            self.message_user(request, renamed_note(obj, form.initial), messages.WARNING)

    def has_delete_permission(self, request, obj=None):
        # An agency on any dossier must stay for the record: deactivate it instead.
        if obj is not None and obj.dossiers.exists():
            return False
        return super().has_delete_permission(request, obj)

    def kept_by(self, obj) -> list[str]:
        # Its invitations would go with it (they cascade): the rounds it was invited to name it too.
        invited = obj.dossiers.count()
        return ([f"dosier IKU ({invited})"] if invited else []) + super().kept_by(obj)

    @admin.action(description="Nonaktifkan SKPD terpilih (tidak ditawarkan untuk dosier baru; putaran berjalan tidak lagi menunggunya)",
                  permissions=["change"])
    def nonaktifkan(self, request, queryset):
        count = queryset.update(aktif=False)
        self.message_user(request, f"{count} SKPD dinonaktifkan: tidak ditawarkan untuk dosier baru, dan putaran yang "
                                   "berjalan tidak lagi menunggu IKU-nya. Petugasnya tetap dapat masuk dan membaca "
                                   "kirimannya.")

    @admin.action(description="Aktifkan kembali SKPD terpilih", permissions=["change"])
    def aktifkan(self, request, queryset):
        count = queryset.update(aktif=True)
        self.message_user(request, f"{count} SKPD diaktifkan.")


def renamed_note(skpd, before: dict) -> str:
    """What a rename reaches, told the admin as it is saved: a new nomenclature of the same agency
    goes onto the running rounds' papers, not onto what was signed or forwarded; a merger or a split
    is another agency, whose round must not carry this one's history under its name."""
    rounds = skpd.dossiers.exclude(state__in=FINAL_STATES)
    running, forwarded = rounds.filter(forwarded_at__isnull=True).count(), skpd.dossiers.filter(
        forwarded_at__isnull=False).count()
    old = before.get("nama_pendek") or before.get("nama")
    return (f"Nama SKPD “{old}” diubah menjadi “{skpd.nama_pendek}” ({skpd.nama}). Nama baru dipakai pada "
            f"{running} dosier yang berjalan: naskah yang belum ditandatangani, tabel IKU dan draft keputusannya. "
            f"Naskah yang sudah ditandatangani, dan {forwarded} dosier yang draft keputusannya sudah diteruskan ke "
            "Asisten I, tetap memakai nama lama. Bila SKPD ini digabung dengan SKPD lain atau dipecah, kembalikan "
            "namanya: tambahkan SKPD baru dan nonaktifkan yang lama.")


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
        bureau = sorted(Role(role).label for role in roles & INTERNAL_ROLES)
        if Role.SKPD in roles and bureau:
            # A bureau role opens every dossier and agency's table: an agency's officer holding one
            # would read the other agencies' rows.
            raise ValidationError(f"Peran SKPD tidak dapat digabung dengan peran Biro ({', '.join(bureau)}): "
                                  "petugas SKPD hanya melihat dosier yang mengundang SKPD-nya.")
        if (Role.SKPD in roles or skpd is not None) and (self.instance.is_staff or self.instance.is_superuser):
            # The admin's lists (history, documents made, dispositions) hold every agency's dossiers.
            raise ValidationError("Petugas SKPD tidak dapat menjadi staf admin: daftar di admin memuat riwayat dan "
                                  "naskah dosier semua SKPD. Hapus centang Status staf, atau jangan hubungkan ke SKPD.")


class UserRoleInline(admin.TabularInline):
    model = UserRole
    formset = RoleFormSet
    extra = 1


class PasswordChangeForm(AdminPasswordChangeForm):
    # Django appends its warning in English, outside its translations; the list's id is what its
    # script shows and hides.
    usable_password_help_text = SetUnusablePasswordMixin.usable_password_help_text + (
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
        "Bila tidak diizinkan, kata sandi pengguna ini sekarang dihapus.</li></ul>"
    )


@admin.register(User)
class UserAdmin(KeptForTheRecord, IndonesianPermissions, OptimisticChange, DjangoUserAdmin):
    inlines = [UserRoleInline]
    change_password_form = PasswordChangeForm
    # Changed by the user signing in or changing their own password, not by an admin's page.
    version_ignores = ("last_login", "password")
    list_display = ("username", "nama", "jabatan", "skpd", "peran", "is_active")
    list_filter = ("is_active", "role_set__role", "skpd")
    instead = ("Nonaktifkan akunnya saja: buka pengguna itu dan hapus centang Aktif. Ia tidak dapat masuk lagi, "
               "sesinya berakhir, dan namanya tetap pada catatan lama.")
    search_fields = ("username", "nama", "nip", "jabatan")
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Data kepegawaian", {"fields": ("nama", "nip", "jabatan", "pangkat_golongan", "skpd")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Data kepegawaian", {"fields": ("nama", "nip", "jabatan", "pangkat_golongan", "skpd")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skpd").prefetch_related("role_set")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if policy.can_grant_admin_rights(request.user):
            return fields
        return (*fields, "is_staff", "is_superuser", "groups", "user_permissions")

    def has_change_permission(self, request, obj=None):
        # The password page asks this too.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policy.can_change_account(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or policy.can_change_account(request.user, obj))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            if waiting := list(dispositions.held_by(obj)):
                named = "; ".join(f"{d.dossier.judul}, {d.get_state_display()}" for d in waiting[:3])
                more = f"; dan {len(waiting) - 3} lagi" if len(waiting) > 3 else ""
                self.message_user(request, f"{obj} masih memegang {len(waiting)} disposisi yang belum dilaporkan selesai "
                                           f"({named}{more}), yang kini tidak dapat dilaporkannya. Kasubag melaporkannya "
                                           "selesai atau memberikan disposisi baru kepada staf lain; halaman dosier "
                                           "menandainya.", messages.WARNING)

    @admin.display(description="peran")
    def peran(self, obj):
        return ", ".join(r.get_role_display() for r in obj.role_set.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "skpd":
            kwargs["queryset"] = Skpd.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get("skpd")
        if field is not None and obj is not None and obj.skpd_id:
            # A deactivated agency is offered to no one else, but stays the choice of the users it
            # has, so that they can still be edited (deactivated too) without being moved elsewhere.
            field.queryset = Skpd.objects.filter(Q(aktif=True) | Q(pk=obj.skpd_id))
        return form


@admin.register(Delegation)
class DelegationAdmin(BureauPeopleChoices, OptimisticChange, admin.ModelAdmin):
    list_display = ("__str__", "starts_on", "ends_on", "dasar", "berlaku")
    list_filter = ("role", "kind")
    list_select_related = ("official", "delegate")
    bureau_people_fields = ("official", "delegate")
    departed_too = ("official",)
    exclude = ("created_by",)

    @admin.display(description="keterangan")
    def berlaku(self, obj):
        return obj.void or "-"

    def changed_meanwhile(self, current):
        # The official ends their own delegation on /pelimpahan/: saved, this page would write back the
        # end date it loaded and the Plh. would act again.
        today = timezone.localdate()
        now = (f"sudah diakhiri, berlaku terakhir {long_date(current.ends_on)}" if current.ends_on < today
               else f"kini berlaku {long_date(current.starts_on)} sampai dengan {long_date(current.ends_on)}")
        return (f"Pelimpahan ini diubah sejak halaman ini dibuka, oleh admin lain atau oleh {current.official} di "
                f"halaman Pelimpahan: {now}. Tidak disimpan, karena menyimpannya akan mengembalikan isian yang dimuat "
                "halaman ini tanpa diketahui. Isian Anda tetap tampil di bawah; buka halaman ini lagi untuk membaca "
                "data terbaru, lalu ulangi perubahan Anda.")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if warning := obj.days_off_only():
            self.message_user(request, warning, messages.WARNING)


@admin.register(DelegationRule)
class DelegationRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "role", "delegate_role")
    list_filter = ("role",)
