"""The admin's people pages: the agencies (SKPD), users with their roles, and delegations."""

import copy

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from iku.models import IkuSubmission
from lib.dates import long_date, moment_text
from notices import agencies as agency_notices
from notices import delegations as delegation_notices
from workflow import delegation_history, dispositions, password_links, people_import, policy
from workflow.admin.mixins import BureauPeopleChoices, KeptForTheRecord, OptimisticChange
from workflow.admin.permissions import IndonesianPermissions
from workflow.models import Delegation, DelegationRule, Dossier, PasswordLink, Skpd, User, UserRole
from workflow.models.skpd import ORDER, ORDER_STEP
from workflow.roles import INTERNAL_ROLES, Role
from workflow.steps import FINAL_STATES

# The column is a smallint on PostgreSQL: past it, only PostgreSQL's model check refused it, in the same
# generic words; SQLite kept any number.
ORDER_MAX = 32767
ORDER_REFUSED = (f"Urutan SKPD diisi angka 0 sampai {ORDER_MAX}, tidak negatif: yang kecil tercantum lebih dahulu pada "
                 "daftar tujuan surat dan Lampiran Keputusan (urutan yang sama diurutkan menurut nama).")


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

    def has_view_permission(self, request, obj=None):
        # Django's search behind the user page's SKPD field asks this: whoever fills that field may
        # search it, while the agency list and pages stay for those granted them.
        return super().has_view_permission(request, obj) or (
            obj is None and self.picking_for_account(request) and policy.can_pick_agency_for_accounts(request.user))

    def get_search_results(self, request, queryset, search_term):
        if self.picking_for_account(request):
            # What the user page offers (UserAdmin.formfield_for_foreignkey): a deactivated agency is
            # found by no one, for a new account or another; an account's own stays chosen on its page.
            queryset = queryset.filter(aktif=True)
        return super().get_search_results(request, queryset, search_term)

    def picking_for_account(self, request) -> bool:
        """Whether `request` is Django's search behind the SKPD field of a user's page."""
        match = request.resolver_match
        return bool(match and match.view_name == f"{self.admin_site.name}:autocomplete"
                    and (request.GET.get("app_label"), request.GET.get("model_name"), request.GET.get("field_name"))
                    == (User._meta.app_label, User._meta.model_name, "skpd"))

    def get_changeform_initial_data(self, request):
        # A new agency comes last until the admin places it: after the highest place, a step on.
        initial = super().get_changeform_initial_data(request)
        highest = Skpd.objects.aggregate(highest=Max("order"))["highest"] or 0
        return {"order": highest + ORDER_STEP} | initial

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "order":
            # On the page and in the list alike: -1 said Django's "Pastikan nilai ini lebih besar dari
            # atau sama dengan 0.", naming neither the field nor what it orders.
            field.error_messages["min_value"] = ORDER_REFUSED
            field.validators.append(MaxValueValidator(ORDER_MAX, message=ORDER_REFUSED))
        return field

    def save_model(self, request, obj, form, change):
        # As it stood: activated again, when it had been switched off, for its officers' notice.
        before = copy.copy(obj)
        if "aktif" in form.changed_data or not change:
            # From when its officers read that the rounds stopped waiting on it (Skpd.taken_out_note).
            obj.nonaktif_sejak = None if obj.aktif else timezone.now()
        super().save_model(request, obj, form, change)
        if change and {"nama", "nama_pendek"} & set(form.changed_data):
            self.message_user(request, renamed_note(obj, form.initial), messages.WARNING)
        if change and "aktif" in form.changed_data:
            agency_notices.on_switched([before], obj.aktif)
            if not obj.aktif:
                self.message_user(request, deactivated_note([obj]), messages.WARNING)

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
        changed = self._switch(request, queryset, False, "Dinonaktifkan dengan aksi pada daftar SKPD.")
        self.message_user(request, f"{len(changed)} SKPD dinonaktifkan: {deactivated_note(changed)}",
                          messages.WARNING if unsent_drafts(changed) else messages.SUCCESS)

    @admin.action(description="Aktifkan kembali SKPD terpilih", permissions=["change"])
    def aktifkan(self, request, queryset):
        changed = self._switch(request, queryset, True, "Diaktifkan kembali dengan aksi pada daftar SKPD.")
        self.message_user(request, f"{len(changed)} SKPD diaktifkan.")

    def _switch(self, request, queryset, aktif: bool, note: str) -> list:
        """Only the agencies not already so, each written into its history (Riwayat) under the admin:
        an update of the rows alone left the agency's history empty, and nobody could learn who took
        it out of a running round, or when; nor count one already inactive as deactivated now."""
        with transaction.atomic():
            changing = list(queryset.exclude(aktif=aktif).select_for_update())
            # From when its officers read that the rounds stopped waiting on it (Skpd.taken_out_note).
            Skpd.objects.filter(pk__in=[agency.pk for agency in changing]).update(
                aktif=aktif, nonaktif_sejak=None if aktif else timezone.now())
            for agency in changing:
                self.log_change(request, agency, note)
            # The rows as they stood (the update above changed the table, not them).
            agency_notices.on_switched(changing, aktif)
        return changing


# How many rounds the deactivation message names; it counts them all.
UNSENT_NAMED = 3


def unsent_drafts(agencies) -> list[str]:
    """The titles of the running rounds (oldest first) where one of `agencies` saved a draft of its
    IKU and has not sent it (sending clears the draft, `Dossier.ajukan_iku`)."""
    drafted = IkuSubmission.objects.filter(skpd__in=[agency.pk for agency in agencies], draft_saved_at__isnull=False)
    return list(Dossier.objects.filter(pk__in=drafted.values("dossier_id")).exclude(state__in=FINAL_STATES)
                .order_by("created_at", "pk").values_list("judul", flat=True))


def deactivated_note(agencies) -> str:
    """What deactivating `agencies` does, told the admin as it is done: with the running rounds where
    a draft typed by them stays unsent, which nobody can send now (the agency's officers are refused)
    and the bureau never receives unless the agency is activated again."""
    said = ("tidak ditawarkan untuk dosier baru, dan putaran yang berjalan tidak lagi menunggu IKU-nya. Petugasnya "
            "tetap dapat masuk dan membaca kirimannya; kotak Menunggu saya dan pemberitahuan mereka menyebut sejak kapan "
            "SKPD-nya dikeluarkan dari putaran.")
    rounds = unsent_drafts(agencies)
    if not rounds:
        return said
    named = ", ".join(f"“{judul}”" for judul in rounds[:UNSENT_NAMED])
    more = f" dan {len(rounds) - UNSENT_NAMED} lainnya" if len(rounds) > UNSENT_NAMED else ""
    return (f"{said} Draf IKU yang sudah diketik tetapi belum dikirim ada pada {len(rounds)} dosier berjalan: "
            f"{named}{more}. Draf itu tetap tersimpan, tetapi tidak dapat dikirim dan tidak sampai ke Biro kecuali "
            "SKPD-nya diaktifkan kembali.")


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
    # The e-mail too: the account behind a bounced notice is looked for by the address the mail server
    # returned. The agency by the names its column shows and the admin calls it by. Every field here
    # is on the list or the user's page for whoever may open this list (view or change users), which
    # shows every account: the search finds nothing they could not read.
    search_fields = ("username", "nama", "nip", "jabatan", "email", "skpd__nama_pendek", "skpd__singkatan")
    search_help_text = "Cari menurut nama pengguna, nama, NIP, jabatan, e-mail, atau nama pendek maupun singkatan SKPD."
    # Not Django's first and last name: beside `nama` an admin filled them instead, and the documents
    # printed the user name or a name without its titles. `nama` is the one name the app prints.
    fieldsets = (
        DjangoUserAdmin.fieldsets[0],
        ("Nama dan e-mail", {"fields": ("nama", "email")}),
        *DjangoUserAdmin.fieldsets[2:],
        ("Data kepegawaian", {"fields": ("nip", "jabatan", "pangkat_golongan", "skpd")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Data kepegawaian", {"fields": ("nama", "email", "nip", "jabatan", "pangkat_golongan", "skpd")}),
    )
    AGENCY_SEARCH = ("Ketik nama, nama pendek atau singkatannya (mis. Dinkes) untuk mencarinya; SKPD nonaktif tidak "
                     "ditawarkan.")
    PRINTED_NAME = ("Nama yang tercetak pada naskah, blok tanda tangan, riwayat dan pemberitahuan, lengkap dengan "
                    "gelar, mis. Drs. Hendra Gunawan, M.M.")

    # Typed, not scrolled: an agency is found by its name, short name or abbreviation ("Dinkes") among
    # some forty-five (SkpdAdmin.search_fields), with the script Django ships.
    autocomplete_fields = ("skpd",)

    change_list_template = "admin/workflow/user/change_list.html"
    actions = ["kirim_tautan_kata_sandi"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skpd").prefetch_related("role_set")

    def get_urls(self):
        return [
            path("impor/", self.admin_site.admin_view(self.import_view), name="workflow_user_import"),
            path("impor/templat/", self.admin_site.admin_view(self.import_template_view),
                 name="workflow_user_import_template"),
            path("<path:object_id>/kirim-tautan/", self.admin_site.admin_view(self.send_link_view),
                 name="workflow_user_send_link"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}),
                                                 "can_import": policy.can_import_people(request.user)})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The button beside the page's own history: only when the list's action would send this one
        # (the account the page already read, not a second read of it).
        context["can_send_link"] = obj is not None and policy.can_send_password_link(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @method_decorator(require_POST)
    def send_link_view(self, request, object_id):
        """The list's action for this one account, from its page (a form posted: no link followed
        or prefetched mails anyone)."""
        account = self.get_object(request, unquote(object_id))
        if account is None:
            raise Http404
        if not self.has_change_permission(request, account):
            raise PermissionDenied
        self.kirim_tautan_kata_sandi(request, User.objects.filter(pk=account.pk))
        return redirect("admin:workflow_user_change", account.pk)

    def import_template_view(self, request):
        if not policy.can_import_people(request.user):
            raise PermissionDenied
        response = HttpResponse(people_import.template_bytes(), content_type=people_import.XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="templat-impor-pengguna.xlsx"'
        return response

    def import_view(self, request):
        """Upload, preview, confirm: nothing is written until the admin confirms a preview without a
        refused row, and then all of it in one transaction, or nothing."""
        if not policy.can_import_people(request.user):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "Impor pengguna dari berkas"}
        form = ImportForm()
        salt = f"impor-pengguna:{request.user.pk}"
        if request.method == "POST" and "rencana" in request.POST:
            try:
                carried = signing.loads(request.POST["rencana"], salt=salt, max_age=PREVIEW_SECONDS)
            except signing.SignatureExpired:
                messages.error(request, "Pratinjau ini sudah lebih dari satu jam; unggah berkasnya lagi.")
                return redirect("admin:workflow_user_import")
            except signing.BadSignature:
                messages.error(request, "Pratinjau tidak dikenali; unggah berkasnya lagi.")
                return redirect("admin:workflow_user_import")
            sheet = people_import.Sheet.from_payload(carried["sheet"])
            try:
                with transaction.atomic():
                    plan = people_import.plan(sheet, request.user, lock=True)
                    if plan.ok and plan.fingerprint == carried["fingerprint"]:
                        # The agencies officers move away from, read before the write moves them.
                        left = sorted({row.account.skpd_id for row in plan.rows
                                       if row.action == "ubah" and "skpd" in row.values and row.account.skpd_id})
                        made = people_import.write(plan, request.user, sheet.name)
                        linked = []
                        if request.POST.get("kirim_tautan"):
                            for account in made:
                                if policy.can_send_password_link(request.user, account):
                                    password_links.request_link(account, PasswordLink.Kind.ADMIN, by=request.user)
                                    linked.append(account)
                        self.message_user(request, imported_note(plan, made, linked), messages.SUCCESS)
                        # As the user page says it: a move by the file can leave an agency with no
                        # officer while a round waits for its IKU.
                        for agency_id in left:
                            self._warn_agency_left(request, None, agency_id)
                        return redirect("admin:workflow_user_changelist")
            except IntegrityError:
                # Another admin added the same account between the plan and the insert.
                plan = people_import.plan(sheet, request.user)
            if plan.ok and not (plan.count("baru") or plan.count("ubah")):
                self.message_user(request, "Tidak ada yang disimpan: semua baris berkas ini sudah tercatat seperti "
                                           "isinya.", messages.INFO)
                return redirect("admin:workflow_user_changelist")
            context["changed_meanwhile"] = True
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if not form.is_valid():
                return TemplateResponse(request, "admin/workflow/user/import.html", context | {"form": form})
            sheet = people_import.read_file(form.cleaned_data["berkas"])
            plan = people_import.plan(sheet, request.user)
        else:
            return TemplateResponse(request, "admin/workflow/user/import.html", context | {"form": form})
        carried = signing.dumps({"sheet": sheet.payload(), "fingerprint": plan.fingerprint}, salt=salt, compress=True)
        return TemplateResponse(request, "admin/workflow/user/import.html", context | {
            "form": form, "plan": plan, "sheet": sheet, "rencana": carried,
            "writes": plan.count("baru") + plan.count("ubah"),
            "with_email": sum(1 for row in plan.rows if row.action == "baru" and row.values.get("email")),
            "without_email": [row.username for row in plan.rows if row.action == "baru" and not row.values.get("email")],
            "link_days": settings.SOP_PASSWORD_LINK_DAYS,
            "summary": f"{plan.count('baru')} pengguna akan ditambahkan, {plan.count('ubah')} diubah, "
                       f"{plan.count('tetap')} tidak berubah.",
        })

    def get_readonly_fields(self, request, obj=None):
        fields = (*super().get_readonly_fields(request, obj), "nama_lama")
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

    def save_related(self, request, form, formsets, change):
        # The roles are the inline's, saved here after the account: whether this save took the Staf
        # role off is known only around it.
        was_staf = change and UserRole.objects.filter(user=form.instance, role=Role.STAF).exists()
        # The bureau roles held before this save (read before the inline's writes; an account
        # switched off by it held those it was loaded with).
        held_before = bureau_roles_held(form.instance) if change and form.initial.get("is_active", True) else set()
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not change:
            return
        self._warn_agency_left(request, obj, form.initial.get("skpd"))
        self._warn_post_left(request, obj, held_before)
        if "is_active" in form.changed_data and obj.is_active:
            self._warn_standing_in_again(request, obj)
        if "is_active" in form.changed_data and not obj.is_active:
            self._warn_standing_in(request, obj)
            why = ""
        elif was_staf and not UserRole.objects.filter(user=obj, role=Role.STAF).exists():
            # Moved to another unit, or made Kasubag: only a Staf reports their own disposisi, and it
            # left their inbox with the role, so it waited on nobody as for an account switched off.
            why = " tidak lagi berperan Staf, tetapi"
        else:
            return
        if waiting := list(dispositions.held_by(obj)):
            named = listed([f"{d.dossier.judul}, {d.get_state_display()}" for d in waiting], shown=3, between="; ")
            self.message_user(request, f"{obj}{why} masih memegang {len(waiting)} disposisi yang belum dilaporkan "
                                       f"selesai ({named}), yang kini tidak dapat dilaporkannya. Kasubag "
                                       "melaporkannya selesai atau memberikan disposisi baru kepada staf lain; halaman "
                                       "dosier menandainya.", messages.WARNING)

    def _warn_agency_left(self, request, obj, old_skpd_id) -> None:
        """Moved to another agency, switched off or no longer SKPD: when that left the old agency
        with no officer while a round still waits for its IKU, the admin hears it now, not the
        agency when its deadline passes unseen (nobody there is told, nor can send)."""
        from iku.round import waiting_without_officer

        agency = Skpd.objects.filter(pk=old_skpd_id).first() if old_skpd_id else None
        if agency is None:
            return
        if waiting := waiting_without_officer(agency):
            named = listed([f"{d.judul}, {d.get_state_display()}" for d in waiting], shown=3, between="; ")
            self.message_user(request, f"{agency.nama_pendek} kini tidak punya petugas (pengguna aktif berperan SKPD), "
                                       f"padahal {len(waiting)} dosier masih menunggu IKU-nya ({named}): tidak "
                                       "ada yang diberi tahu atau dapat mengirim untuknya. Tambahkan petugas "
                                       f"penggantinya (peran SKPD, SKPD {agency.nama_pendek}); draf yang sudah "
                                       "disimpan menunggunya.", messages.WARNING)

    def _warn_standing_in(self, request, obj) -> None:
        """Switched off while named Plh./Plt. for days still running or to come: those delegations
        give nothing now, and the official, likely away, is told so (notices.delegations); the
        admin hears it too, who may record another stand-in."""
        if lapsed := delegation_notices.on_delegate_left(obj):
            named = listed([f"{d.title} atas nama {d.official}, {d.span}" for d in lapsed],
                           shown=3, between="; ")
            self.message_user(request, f"{obj} ditunjuk sebagai pelaksana dalam {len(lapsed)} pelimpahan yang masih "
                                       f"berjalan atau akan datang ({named}), yang kini tidak berlaku. Pejabat yang "
                                       "melimpahkan diberi tahu; bila ia berhalangan, catat pelaksana lain "
                                       "(Pelimpahan wewenang).", messages.WARNING)

    def _warn_standing_in_again(self, request, obj) -> None:
        """Switched on again while named Plh./Plt. for days still running or to come: those
        delegations give the role again, which she and the officials told they lapsed learn
        (notices.delegations); the admin hears it too."""
        if standing := delegation_notices.on_delegate_back(obj):
            named = listed([f"{d.title} atas nama {d.official}, {d.span}" for d in standing],
                           shown=3, between="; ")
            self.message_user(request, f"{obj} ditunjuk sebagai pelaksana dalam {len(standing)} pelimpahan yang masih "
                                       f"berjalan atau akan datang ({named}), yang kini berlaku lagi. Ia dan pejabat "
                                       "yang sudah diberi tahu bahwa pelimpahannya tidak berlaku diberi tahu.",
                              messages.WARNING)

    def _warn_post_left(self, request, obj, held_before: set) -> None:
        """Switched off, or a role taken away (a second role given back, moved to another post):
        when that leaves a step some dossier stands at with no active user who can move it on (the
        only Kabag while a Nota waits for his paraf), the admin hears it now. No inbox lists such a
        dossier, and the Kasubag learns of it only on its page or from the late digest."""
        left = held_before - (bureau_roles_held(obj) if obj.is_active else set())
        if not left:
            return
        stuck = {state: labels for state, labels in policy.vacant_states().items() if policy.moving_on(state) & left}
        waiting = list(Dossier.objects.filter(state__in=stuck).order_by("state_entered_at", "pk"))
        if not waiting:
            return
        roles = sorted({label for state in {d.state for d in waiting} for label in stuck[state]})
        named = listed([f"{d.judul}, {d.get_state_display()}" for d in waiting], shown=3, between="; ")
        self.message_user(request, f"Tidak ada lagi pengguna aktif yang memegang peran {' atau '.join(roles)} atau "
                                   f"menjadi Plh./Plt.-nya, padahal {len(waiting)} dosier menunggu peran itu untuk "
                                   f"melanjutkan ({named}): dosier itu tidak bergerak dan tidak muncul di kotak "
                                   "masuk siapa pun. Berikan perannya kepada pengguna lain, aktifkan kembali akun ini, "
                                   "atau catat Plt. (Pelimpahan wewenang).", messages.WARNING)

    @admin.action(description="Kirim tautan atur kata sandi", permissions=["change"])
    def kirim_tautan_kata_sandi(self, request, queryset):
        """A link by e-mail to each chosen account the policy lets this admin send one to; the others
        named with why, so the admin knows whom to give a password by hand."""
        sent, refused = [], {}
        for account in queryset.order_by("username"):
            if policy.can_send_password_link(request.user, account):
                password_links.request_link(account, PasswordLink.Kind.ADMIN, by=request.user)
                sent.append(account.username)
            else:
                refused.setdefault(link_refusal(request.user, account), []).append(account.username)
        if sent:
            self.message_user(request, f"Tautan atur kata sandi dikirim ke e-mail {len(sent)} pengguna "
                                       f"({listed(sent)}); berlaku {password_links.lifetime_text(PasswordLink.Kind.ADMIN)}."
                                       " Tercatat di riwayat tiap pengguna.", messages.SUCCESS)
        for why, names in refused.items():
            self.message_user(request, f"Tidak dikirim ke {listed(names)}: {why}", messages.WARNING)

    @admin.display(description="peran")
    def peran(self, obj):
        return ", ".join(r.get_role_display() for r in obj.role_set.all())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "skpd":
            kwargs["queryset"] = Skpd.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.get_full_name():
            return fieldsets
        # A first and last name recorded before (Django's own fields, or an older page) stay readable.
        return tuple((title, {**options, "fields": (*options["fields"], "nama_lama")})
                     if options["fields"][:1] == ("nama",) else (title, options) for title, options in fieldsets)

    @admin.display(description="nama depan dan belakang (data lama)")
    def nama_lama(self, obj):
        printed = "tidak tercetak, karena Nama lengkap terisi" if obj.nama else (
            "tercetak selama Nama lengkap kosong: isi Nama lengkap dengan gelar")
        return f"{obj.get_full_name()} ({printed})"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "nama" in form.base_fields:
            form.base_fields["nama"].help_text = self.PRINTED_NAME
        field = form.base_fields.get("skpd")
        if field is not None:
            field.help_text = f"{User._meta.get_field('skpd').help_text} {self.AGENCY_SEARCH}"
        if field is not None and obj is not None and obj.skpd_id:
            # A deactivated agency is offered to no one else, but stays the choice of the users it
            # has, so that they can still be edited (deactivated too) without being moved elsewhere.
            field.queryset = Skpd.objects.filter(Q(aktif=True) | Q(pk=obj.skpd_id))
        return form


def bureau_roles_held(user) -> set[str]:
    """The bureau roles `user` holds today in their own right or by a running delegation, read
    afresh (not the instance's cache, which the admin's save is changing)."""
    own = set(UserRole.objects.filter(user=user, role__in=INTERNAL_ROLES).values_list("role", flat=True))
    delegated = Delegation.objects.giving_roles_on(timezone.localdate()).filter(delegate=user)
    return own | set(delegated.values_list("role", flat=True))


def listed(names: list[str], shown: int = 10, between: str = ", ") -> str:
    """The first `shown` of `names`, and how many more."""
    return between.join(names[:shown]) + (f"{between}dan {len(names) - shown} lagi" if len(names) > shown else "")


def link_refusal(user, account) -> str:
    """Why `user` may not mail `account` a link (policy.can_send_password_link), in the admin's words."""
    if not policy.can_change_account(user, account):
        return ("akun admin (staf admin atau superuser); hanya superuser yang dapat mengatur kata sandinya atau "
                "mengirim tautannya.")
    if not account.is_active:
        return "akun nonaktif; aktifkan dulu bila orangnya memang kembali bekerja."
    return ("tanpa alamat e-mail; isi e-mail-nya di halaman pengguna lalu kirim lagi, atau tetapkan kata sandi awalnya "
            "(halaman pengguna › Setel sandi) dan sampaikan kepadanya.")


# A preview is confirmed within the hour, or the file is uploaded again.
PREVIEW_SECONDS = 3600


class ImportForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas daftar pengguna (XLSX atau CSV)",
        help_text="Templat yang diisi, atau daftar sendiri dengan judul kolom yang sama. Belum ada yang disimpan "
                  "sebelum Anda memeriksa pratinjaunya.",
        error_messages={"required": "Pilih berkas daftar pengguna."},
    )


def imported_note(plan, made, linked=()) -> str:
    said = f"Impor selesai: {plan.count('baru')} pengguna ditambahkan, {plan.count('ubah')} diubah, {plan.count('tetap')} tidak berubah."
    if linked:
        said += (f" Tautan atur kata sandi dikirim ke e-mail {len(linked)} pengguna baru "
                 f"({listed([a.username for a in linked])}).")
    if unlinked := [account.username for account in made if account not in linked]:
        said += (f" Pengguna baru tanpa tautan ({listed(unlinked)}) belum mempunyai kata sandi: pilih mereka di daftar "
                 "pengguna lalu aksi Kirim tautan atur kata sandi (bila e-mail-nya terisi), atau buka tiap pengguna, "
                 "Setel sandi, tetapkan kata sandi awalnya dan sampaikan kepadanya.")
    return said


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
        return obj.ended_early_text or obj.void or "-"

    def changed_meanwhile(self, current):
        # The official ends their own delegation on /pelimpahan/: saved, this page would write back the
        # end date it loaded and the Plh. would act again.
        if current.ended_early_at is not None:
            now = f"sudah {current.ended_early_text}"
        elif current.ended:
            now = f"sudah diakhiri, berlaku terakhir {long_date(current.ends_on)}"
        else:
            now = f"kini berlaku {current.span}"
        return (f"Pelimpahan ini diubah sejak halaman ini dibuka, oleh admin lain atau oleh {current.official} di "
                f"halaman Pelimpahan: {now}. Tidak disimpan, karena menyimpannya akan mengembalikan isian yang dimuat "
                "halaman ini tanpa diketahui. Isian Anda tetap tampil di bawah; buka halaman ini lagi untuk membaca "
                "data terbaru, lalu ulangi perubahan Anda.")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        self._mark_early_end(request, obj)
        super().save_model(request, obj, form, change)
        if change:
            delegation_history.changed_in_admin(obj, request.user, form)
        else:
            delegation_history.named(obj, request.user, delegation_history.IN_ADMIN)
        for warning in (obj.days_off_only(), obj.own_drafts_note(), *obj.away_notes()):
            if warning:
                self.message_user(request, warning, messages.WARNING)

    @staticmethod
    def _mark_early_end(request, obj):
        """A running one whose last day the admin moved before today ended early, by the admin; one
        given days again from today on runs again, no longer ended."""
        was_from, was_to = getattr(obj, "loaded_days", (None, None))
        today = timezone.localdate()
        if was_to is None:
            return
        if obj.ends_on < today <= was_to and was_from <= today and obj.ended_early_at is None:
            obj.ended_early_at, obj.ended_early_by = timezone.now(), str(request.user)[:150]
            obj.early_end_marked = f"diakhiri lebih awal pada {moment_text(obj.ended_early_at)}"
        elif obj.ended_early_at is not None and obj.ends_on != was_to and obj.ends_on >= today:
            obj.ended_early_at, obj.ended_early_by = None, ""
            obj.early_end_marked = "berlaku lagi, tidak lagi diakhiri lebih awal"

    # Written with what each field was and is in save_model (delegation_history), on the delegation and
    # on its people: Django's own entry would name the changed fields only, on the delegation only.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletions(self, request, queryset):
        for delegation in queryset:
            delegation_history.deleted(delegation, request.user, delegation_history.IN_ADMIN)


@admin.register(DelegationRule)
class DelegationRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "role", "delegate_role")
    list_filter = ("role",)
