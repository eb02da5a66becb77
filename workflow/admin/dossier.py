"""The admin's dossier pages: read-only, with a button per action the user's role allows, each
opening the action's own form (the one the site's pages use) and taking it through
`services.perform`, so the admin asks the same policy and writes the same audit event."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.timezone import localtime

from lib.choices import plausible_id
from lib.dates import long_date
from workflow import policy, services
from workflow.actions import ACTION_LABELS, ACTIONS, Action
from workflow.admin.mixins import DossierScopedAdmin
from workflow.models import AuditEvent, Disposition, Dossier, Invitation
from workflow.views.access import write_through_form
from workflow.views.actions import action_form


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def admin_actions(user, dossier) -> list[tuple[str, str]]:
    """(action, label) for the buttons of the admin's dossier page."""
    labels = dossier.action_labels()
    return [
        (action, labels.get(action, ACTIONS[action].label))
        for action in policy.allowed_actions(user, dossier)
        if action in ACTIONS and ACTIONS[action].admin
    ]


# How many of a dossier's latest events its admin page lists (DossierAdmin.riwayat).
HISTORY_SHOWN = 20


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    change_form_template = "admin/workflow/dossier/change_form.html"
    list_display = ("judul", "tahun", "state", "state_entered_at")
    list_filter = ("tahun", "state")
    search_fields = ("judul", "nomor_kepgub")
    readonly_fields = [
        "tahun", "judul", "daftar_skpd", "state", "state_entered_at", "revisi", "created_by",
        "created_at", "forwarded_at", "nomor_kepgub", "tanggal_kepgub", "alasan_batal", "closed_at",
        "prepared_by", "dokumen", "riwayat",
    ]
    exclude = ("invited", "revision")

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

    # Every field is read-only: the change page exists to carry the action buttons, and a dossier
    # changes only through them.
    def get_readonly_fields(self, request, obj=None):
        listed = list(super().get_readonly_fields(request, obj))
        # A field added to the model later is shown read-only too, never as an input whose save is dropped.
        added = [field.name for field in (*self.opts.local_fields, *self.opts.local_many_to_many)
                 if field.editable and not field.primary_key and field.name not in listed
                 and field.name not in self.exclude]
        return listed + added

    def save_model(self, request, obj, form, change):
        pass

    def save_related(self, request, form, formsets, change):
        pass

    def get_urls(self):
        return [
            path("<int:pk>/tindakan/<str:action>/", self.admin_site.admin_view(self.action_view),
                 name="workflow_dossier_action"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dossier = self.get_object(request, object_id)
        actions = admin_actions(request.user, dossier) if dossier is not None else []
        # Nothing on the page is an input, so there is nothing to save: no Simpan buttons.
        read_only = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url,
                                   {**(extra_context or {}), **read_only, "dossier_actions": actions})

    def action_view(self, request, pk, action):
        dossier = self.get_queryset(request).filter(pk=pk).first()
        if dossier is None or not self.has_view_permission(request, dossier):
            raise Http404("Dosier tidak ditemukan atau tidak dibagikan kepada Anda.")
        spec = ACTIONS.get(action)
        if spec is None or not spec.admin:
            raise Http404("Tindakan tidak dikenal.")
        back = redirect("admin:workflow_dossier_change", dossier.pk)
        if not policy.can(request.user, action, dossier):
            self.message_user(request, "Anda tidak berwenang mengambil tindakan ini sekarang.", messages.ERROR)
            return back
        posted = request.method == "POST"
        form = action_form(action, dossier, request.user, request.POST if posted else None,
                           request.FILES if posted else None, request=request)
        if posted and form.is_valid():
            event = write_through_form(
                request, dossier, form, additive=spec.additive,
                write=lambda revision: services.perform(
                    dossier, request.user, action, revision=revision, **form.transition_kwargs()
                ),
            )
            if event is not None:
                self.message_user(request, spec.success.format(event=event), messages.SUCCESS)
                return back
        label = dict(admin_actions(request.user, dossier)).get(action, spec.label)
        return render(request, "admin/workflow/dossier/action.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "original": dossier, "dossier": dossier,
            "form": form, "label": label, "spec": spec, "title": label,
        })

    # The field has no verbose name of its own (adding one would be a migration for a label).
    @admin.display(description="revisi")
    def revisi(self, obj):
        return obj.revision

    @admin.display(description="SKPD diundang")
    def daftar_skpd(self, obj):
        # A forwarded round's agencies as it kept them (as its page and decree name them), not as
        # renamed since.
        named = Invitation.objects.names_of_record(obj)
        return ", ".join(sorted((named.get(s.pk, (None, s.nama_pendek))[1] for s in obj.invited.all()), key=str.casefold))

    # History and documents are shown as tables, not inlines: nothing on this page is a form field
    # but the action buttons.
    @admin.display(description="dokumen")
    def dokumen(self, obj):
        rows = obj.documents.all()
        return format_html_join(
            mark_safe("<br>"), "Langkah {}: {} ({}, {})",
            ((d.step, d.get_kind_display(), d.original_name, d.uploaded_by_nama) for d in rows),
        ) or "-"

    def get_object(self, request, object_id, from_field=None):
        dossier = super().get_object(request, object_id, from_field)
        if dossier is not None:
            # Its history's older events are linked in the history's list for who may open that list.
            dossier.history_listable = self.admin_site._registry[AuditEvent].has_view_permission(request)
        return dossier

    @admin.display(description="riwayat")
    def riwayat(self, obj):
        # The latest events only: a busy dossier's whole history (hundreds of events) made the page
        # long and slow to read; the rest are in the history's list, filtered to this dossier.
        latest = list(obj.events.order_by("-at", "-pk")[:HISTORY_SHOWN + 1])
        earlier = ""
        if len(latest) > HISTORY_SHOWN:
            latest = latest[:HISTORY_SHOWN]
            total = obj.events.count()
            hidden = f"{total - HISTORY_SHOWN} catatan sebelumnya tidak ditampilkan di sini"
            if getattr(obj, "history_listable", False):
                listed = f"{reverse('admin:workflow_auditevent_changelist')}?{DossierFilter.parameter_name}={obj.pk}"
                earlier = format_html('{}: <a href="{}">lihat seluruh riwayat dosier ini ({} catatan)</a>.<br>',
                                      hidden, listed, total)
            else:
                earlier = format_html("{} (seluruhnya {} catatan).<br>", hidden, total)
        rows = format_html_join(
            mark_safe("<br>"), "{} {}: {} ({} &rarr; {}) {}",
            ((f"{long_date(localtime(e.at).date())} {localtime(e.at):%H.%M}", e.actor_label, e.action_label, e.from_label or "-",
              e.to_label, e.note) for e in reversed(latest)),
        )
        return format_html("{}{}", earlier, rows) if earlier else rows


class ActionFilter(admin.SimpleListFilter):
    """The history filtered by what was done, named as the history names it, not by its code."""

    title = "tindakan"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return sorted(ACTION_LABELS.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset

    def get_facet_counts(self, pk_attname, filtered_qs):
        # The counts beside each action (Tampilkan hitungan), in one pass over the log by its own
        # column. Django's own asks each action's rows as a subquery of the whole log: three seconds
        # a page at 200,000 events, on every filter and page opened after.
        return {f"{i}__c": Count(pk_attname, filter=Q(action=code)) for i, (code, _) in enumerate(self.lookup_choices)}


# The most dossiers a search word names that the history's search lists by number (see get_search_results).
NAMED_LISTED = 500


class DossierFilter(admin.SimpleListFilter):
    """One dossier's history, as its admin page links it (`DossierAdmin.riwayat`), the dossier named
    among the filters so the admin sees whose history this is and can clear it. Offered only once
    chosen: a choice of every dossier would list thousands."""

    title = "dosier"
    parameter_name = "dossier"

    def lookups(self, request, model_admin):
        if self.chosen() is None:
            return []
        chosen = Dossier.objects.filter(policy.dossier_scope(request.user)).filter(pk=self.chosen()).first()
        return [(str(chosen.pk), str(chosen))] if chosen is not None else []

    def has_output(self):
        # Once a dossier is asked for, even one not to be named here: a filter without output is
        # dropped, and the list would show every dossier's history as if it were this one's.
        return self.value() is not None

    def chosen(self) -> int | None:
        # Past a key's range (twenty digits) PostgreSQL compares as numeric, without the index: a whole read of the log.
        return plausible_id(self.value() or "")

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.chosen() is None:
            # Refused as any wrong filter is: the whole list again, "?e=1".
            raise IncorrectLookupParameters(f"Dosier tidak dikenal: {self.value()}")
        return queryset.filter(dossier_id=self.chosen())


def _account(user):
    """A user's account as the admin's pages link it, under its name now; "-" for none."""
    if user is None:
        return "-"
    return format_html('<a href="{}">{}</a>', reverse("admin:workflow_user_change", args=[user.pk]), user.display_name)


@admin.register(AuditEvent)
class AuditEventAdmin(DossierScopedAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    # The action and positions in the words of the site's history, not their codes (`langkah_1`).
    list_display = ("at", "dossier", "actor_label", "tindakan", "dari", "ke")
    list_filter = (DossierFilter, ActionFilter, "role")
    # The accounts (actor, on_behalf_of) under their names now, apart from the name the log wrote
    # then: after a rename the two differ, and the admin must tell which is the record.
    fields = ("dossier", "at", "actor_label", "akun_pelaku", "role", "akun_atas_nama", "delegation_kind", "tindakan",
              "dari", "ke", "note", "data", "prev_hash", "hash")
    readonly_fields = fields
    # Searched by `get_search_results`: the log's own columns, and its dossiers by title or decree number.
    search_fields = ("actor_label", "note")
    search_help_text = "Cari menurut pelaku, catatan, atau judul maupun nomor keputusan dosiernya."
    date_hierarchy = "at"
    list_select_related = ("dossier",)

    def get_search_results(self, request, queryset, search_term):
        """Django's search, each word in any of the columns, with the dossiers a word names (by title or
        decree number) found first, in the dossiers' own table, and their events then by the log's index
        on the dossier. Joined to the dossiers, the search read the whole log for every word, the
        count, the date drill-down and the rows each once: 1.3 to 3 seconds a page at 200,000 events."""
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            named = Dossier.objects.filter(Q(judul__icontains=word) | Q(nomor_kepgub__icontains=word)).order_by()
            found = list(named.values_list("pk", flat=True)[:NAMED_LISTED + 1])
            # A word most titles hold ("IKU") finds most of the log whatever way it is read: the
            # dossiers are then asked in the query, not listed by the thousand in its text.
            dossiers = found if len(found) <= NAMED_LISTED else named.values("pk")
            queryset = queryset.filter(Q(actor_label__icontains=word) | Q(note__icontains=word)
                                       | Q(dossier_id__in=dossiers))
        return queryset, False

    @admin.display(description="akun pelaku (namanya kini)")
    def akun_pelaku(self, obj):
        return _account(obj.actor)

    @admin.display(description="atas nama (akun, namanya kini)")
    def akun_atas_nama(self, obj):
        return _account(obj.on_behalf_of)

    @admin.display(description="tindakan", ordering="action")
    def tindakan(self, obj):
        return obj.action_label

    @admin.display(description="dari posisi", ordering="from_state")
    def dari(self, obj):
        return obj.from_label or "-"

    @admin.display(description="ke posisi", ordering="to_state")
    def ke(self, obj):
        return obj.to_label


@admin.register(Disposition)
class DispositionAdmin(DossierScopedAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    # Given and reported on the dossier's page, where the audit log records both: read here only.
    # The people as it named them then (kept on it), each beside the account under its name now.
    list_display = ("given_at", "dossier", "assigned_to_nama", "state", "due_at", "done_at")
    fields = ("dossier", "state", "given_by_nama", "akun_pemberi", "given_at", "assigned_to_nama", "akun_penerima",
              "instruksi", "waktu_amount", "waktu_unit", "due_at", "done_by_nama", "akun_penyelesai", "done_at", "hasil")
    readonly_fields = fields
    list_filter = ("state",)
    search_fields = ("instruksi", "dossier__judul", "assigned_to_nama", "assigned_to__nama")
    list_select_related = ("dossier",)

    @admin.display(description="akun pemberi (namanya kini)")
    def akun_pemberi(self, obj):
        return _account(obj.given_by)

    @admin.display(description="akun penerima (namanya kini)")
    def akun_penerima(self, obj):
        return _account(obj.assigned_to)

    @admin.display(description="akun penyelesai (namanya kini)")
    def akun_penyelesai(self, obj):
        return _account(obj.done_by)
