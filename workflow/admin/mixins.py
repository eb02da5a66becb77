"""What the admin's pages share: the lists of what belongs to dossiers scoped by the policy, the
bureau's people to choose from, date drill-downs that refuse what no calendar holds."""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NestedObjects, flatten_fieldsets, unquote
from django.db import models, router
from django.forms.models import _get_foreign_key, model_to_dict
from django.shortcuts import redirect
from django.utils.html import format_html
from django.utils.text import capfirst

from lib.fingerprint import fingerprint
from workflow import policy
from workflow.models import Dossier, User
from workflow.roles import INTERNAL_ROLES


class DossierScopedAdmin:
    """The lists of what belongs to dossiers (their history, dispositions, documents, render jobs)
    show a staff member only the dossiers the policy lets them see, as the dossiers' own list does:
    Django's model permission opens a page, the policy still decides what is on it."""

    # The path from the listed model to its dossier.
    dossier_path = "dossier"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = policy.dossier_scope(request.user)
        if not scope:  # everyone's: an empty Q
            return queryset
        return queryset.filter(**{f"{self.dossier_path}__in": Dossier.objects.filter(scope).values("pk")})


class BureauPeopleChoices:
    """User fields chosen from the bureau's own active people, as a plain list. Django's
    autocomplete asks for the permission to view the user list, which the staff member keeping
    delegations or certificates need not have: their list stayed empty, and nothing could be saved."""

    bureau_people_fields: tuple[str, ...] = ()
    # Of those, the fields that also offer people since deactivated (a Plt. fills the post of one
    # who has left), marked so in the list.
    departed_too: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.bureau_people_fields:
            people = User.objects.filter(role_set__role__in=INTERNAL_ROLES)
            if db_field.name not in self.departed_too:
                people = people.filter(is_active=True)
            kwargs["queryset"] = people.distinct().order_by("-is_active", "nama", "username")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda user: f"{user}{'' if user.is_active else ' (nonaktif)'}"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BoundedDateHierarchy:
    """A date drill-down typed past the calendar (`?at__year=9999`, a year of twenty digits) is
    refused as any wrong filter is (the list again, "?e=1"), not a server error: Django turns only a
    ValueError raised while building the first date into that."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


def ours(model_admin) -> bool:
    """Whether the admin page is one of this project's (Django's Group page replaced by ours), not a
    package's own: its module lives in one of the project's own folders (an app added later too)."""
    package = type(model_admin).__module__.partition(".")[0]
    return (settings.BASE_DIR / package / "__init__.py").is_file()


def bound_date_hierarchies(site) -> None:
    """Every registered list with a date drill-down, django-axes' too, given BoundedDateHierarchy."""
    for model_admin in site._registry.values():
        if model_admin.date_hierarchy and not isinstance(model_admin, BoundedDateHierarchy):
            kind = type(model_admin)
            model_admin.__class__ = type(kind.__name__, (BoundedDateHierarchy, kind), {"__module__": kind.__module__})


LOADED = "versi_dimuat"
CHANGED_MEANWHILE = ("Data ini diubah admin lain sejak halaman ini dibuka, sehingga tidak disimpan: menyimpannya "
                     "akan mengembalikan perubahan admin itu tanpa diketahui. Isian Anda tetap tampil di bawah; buka "
                     "halaman ini lagi untuk membaca data terbaru, lalu ulangi perubahan Anda.")


def _plain(value):
    # A binary field reads as a memoryview on PostgreSQL, whose repr is its address, not its bytes.
    return bytes(value) if isinstance(value, memoryview) else value


def _values(obj, ignored=()) -> list:
    return [(f.attname, _plain(getattr(obj, f.attname))) for f in obj._meta.concrete_fields if f.attname not in ignored]


def row_version(obj, ignored=(), inlines=()) -> str:
    """The row's values as its change page loaded them, in a word: a save checks it was not changed
    meanwhile. With its many-to-many choices (a group's permissions) and the rows its page edits
    inline (a schedule's weekdays, a user's roles): the page posts those as loaded too."""
    values = _values(obj, ignored)
    for field in obj._meta.many_to_many:
        values.append((field.name, sorted(getattr(obj, field.name).values_list("pk", flat=True))))
    for inline in inlines:
        fk = _get_foreign_key(type(obj), inline.model, fk_name=inline.fk_name)
        rows = inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk")
        values.append((inline.model._meta.label, [_values(row) for row in rows]))
    return fingerprint(values)


def locked_now(instance):
    """`instance`'s row as it stands, read under a lock held to the save (the admin saves in the same
    transaction); None once deleted. The row's own lock only: a manager that joins a nullable owner
    (the certificates') could not lock the other side on PostgreSQL."""
    return type(instance)._default_manager.select_for_update(of=("self",)).filter(pk=instance.pk).first()


class OptimisticChange:
    """A change page saved after another admin changed the same row (deactivated the user, say) is
    refused, the form kept: saved, it would write back every value as this page loaded it, undoing
    the other change unseen. The page carries the row's version (`row_version`) in a hidden field.
    Every change page of ours has it (`guard_change_pages`) unless its admin says how it checks
    itself (`own_stale_check`)."""

    # Fields that change without an admin (a login) and are not on the form.
    version_ignores: tuple[str, ...] = ()

    def changed_meanwhile(self, current) -> str:
        """The refusal's words; a row someone other than an admin also changes says who and how."""
        return CHANGED_MEANWHILE

    def version_of(self, obj) -> str:
        return row_version(obj, self.version_ignores, self.inlines)

    def _checks_version(self, request, obj) -> bool:
        # A page that only shows the row saves nothing (and lists its fields read-only, by label).
        return obj is not None and self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._checks_version(request, obj) or not fieldsets:
            return fieldsets
        # Fieldsets made from the form's fields (none declared) list it already: twice, the page
        # would post it twice.
        if LOADED in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, options | {"fields": (*options["fields"], LOADED)}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        if not self._checks_version(request, obj):
            return super().get_form(request, obj, **kwargs)
        news, version = self.changed_meanwhile, self.version_of
        base = kwargs.get("form", self.form)
        # Django masks the read-only fields the form declares itself only on the form it makes from
        # `self.form`; given this one, it would not.
        masked = dict.fromkeys(f for f in self.get_readonly_fields(request, obj) if f in base.declared_fields)

        class Checked(base):
            versi_dimuat = forms.CharField(widget=forms.HiddenInput, required=False)

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.initial[LOADED] = version(self.instance)

            def clean(self):
                cleaned = super().clean()
                current = locked_now(self.instance)
                if current is not None and self.cleaned_data.get(LOADED) != version(current):
                    # A browser never fills a file input again: the refused page cannot keep the file.
                    chosen = ", ".join(upload.name for upload in self.files.values()) if self.files else ""
                    again = f" Berkas yang Anda pilih ({chosen}) tidak ikut tersimpan: pilih lagi." if chosen else ""
                    raise forms.ValidationError(news(current) + again, code="stale")
                return cleaned

        if masked:
            Checked = type(base.__name__, (Checked,), masked)
        return super().get_form(request, obj, **kwargs | {"form": Checked})


    def get_changelist_form(self, request, **kwargs):
        return rows_as_loaded(super().get_changelist_form(request, **kwargs))


# Beside each cell a list edits in place (list_editable), the value the page loaded.
LOADED_CELL = "-dimuat"
LIST_CHANGED_MEANWHILE = ("Baris ini diubah admin lain sejak daftar ini dibuka (kini: {now}), sehingga daftar tidak "
                          "disimpan. Isian Anda tetap tampil; muat ulang daftar untuk membaca data terbaru, lalu ulangi "
                          "perubahan Anda.")


def _token(value) -> str:
    return str(value.pk if isinstance(value, models.Model) else value)


_showing_loaded = {}


def _shows_loaded(widget, token: str) -> None:
    """The cell's input followed by a hidden one holding the value as loaded."""
    kind = type(widget)
    if kind not in _showing_loaded:
        def render(self, name, value, attrs=None, renderer=None):
            return kind.render(self, name, value, attrs, renderer) + format_html(
                '<input type="hidden" name="{}{}" value="{}">', name, LOADED_CELL, self.loaded)

        _showing_loaded[kind] = type(kind.__name__, (kind,), {"render": render})
    widget.__class__ = _showing_loaded[kind]
    widget.loaded = token


def rows_as_loaded(form_class):
    """A list's in-place form that posts each cell beside its value as loaded. Django saves every
    row whose posted cells differ from the database, so a list opened before another admin changed
    a row wrote that row back as loaded; now a cell left as loaded keeps the other's value, and a
    cell changed here and there too refuses the list, everything typed kept."""

    class AsLoaded(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                if name in self._meta.fields:
                    loaded = self.data.get(self.add_prefix(name) + LOADED_CELL) if self.is_bound else None
                    _shows_loaded(field.widget, loaded if loaded is not None else _token(self.initial.get(name)))

        def clean(self):
            cleaned = super().clean()
            if self.instance.pk is None:
                return cleaned
            current = locked_now(self.instance)
            if current is None:
                return cleaned
            now = model_to_dict(current, fields=[name for name in self.fields if name in self._meta.fields])
            for name, value in now.items():
                loaded = self.data.get(self.add_prefix(name) + LOADED_CELL)
                if loaded is None or loaded == _token(value) or name not in cleaned:
                    continue  # nobody changed it meanwhile
                if _token(cleaned[name]) == loaded:
                    # Left as loaded here: the other admin's value stays.
                    cleaned[name] = getattr(current, name)
                else:
                    shown = self.fields[name].widget.format_value(getattr(current, name))
                    if isinstance(getattr(current, name), bool):
                        shown = "ya" if getattr(current, name) else "tidak"
                    self.add_error(name, LIST_CHANGED_MEANWHILE.format(now=shown))
            return cleaned

    return AsLoaded


def guard_change_pages(site) -> None:
    """Every change page of ours that saves given OptimisticChange, as a new one gets it without
    anyone remembering to; read-only pages (has_change_permission False) are left as they show."""
    for model_admin in site._registry.values():
        if (ours(model_admin) and not isinstance(model_admin, OptimisticChange)
                and not getattr(model_admin, "own_stale_check", "")):
            kind = type(model_admin)
            model_admin.__class__ = type(kind.__name__, (OptimisticChange, kind), {"__module__": kind.__module__})


# The kept rows a refusal names; the others are counted.
KEPT_NAMED = 5


class KeptForTheRecord:
    """Deleting a row the record names (a user in a dossier's history, an agency invited to a round)
    is refused in words, saying what names it and what to do instead, on the delete page and by the
    list's delete action. Django's own page told the admin they lacked the permission to delete the
    history, as if one with more could have deleted it along."""

    # What to do instead, said after why.
    instead = ""

    def kept_by(self, obj) -> list[str]:
        """What names `obj` and stays ("riwayat (25)"); [] when it may go."""
        if direct := protected_counts(obj):
            # Refused already by the rows naming it directly, counted in the database. The collector
            # below reads every one of them, and what would cascade: the page of a Kasubag the
            # history names 200,000 times took 20 seconds to say so.
            return direct
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect([obj])
        counted = Counter(row._meta.verbose_name for row in collector.protected)
        return [f"{name} ({count})" for name, count in sorted(counted.items())]

    def kept_message(self, objs) -> str:
        kept = [(obj, reasons) for obj in objs if (reasons := self.kept_by(obj))]
        if not kept:
            return ""
        named = "; ".join(f"“{obj}” (tercatat pada {', '.join(reasons)})" for obj, reasons in kept[:KEPT_NAMED])
        more = f", dan {len(kept) - KEPT_NAMED} lainnya" if len(kept) > KEPT_NAMED else ""
        return (f"{capfirst(self.opts.verbose_name)} berikut tidak dapat dihapus, karena catatan yang harus tetap utuh "
                f"menyebutnya: {named}{more}. Tidak ada yang dihapus. {self.instead}")

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.has_view_or_change_permission(request, obj):
            if said := self.kept_message([obj]):
                self.message_user(request, said, messages.ERROR)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", obj.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            _, name, description = actions["delete_selected"]
            actions["delete_selected"] = (delete_unless_kept, name, description)
        return actions


def protected_counts(obj) -> list[str]:
    """The rows whose PROTECT key names `obj` itself, counted per model ("riwayat (25)"), each row
    once even where two of its keys name it (the actor acting on their own behalf)."""
    named = {}
    # Hidden ones too (related_name="+", the history's actor): what the collector follows.
    for relation in obj._meta.get_fields(include_hidden=True):
        if (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
                and relation.on_delete is models.PROTECT):
            named.setdefault(relation.related_model, []).append(relation.field.name)
    counted = Counter()
    for model, fields in named.items():
        either = models.Q()
        for name in fields:
            either |= models.Q(**{name: obj})
        if count := model._base_manager.filter(either).count():
            counted[str(model._meta.verbose_name)] += count
    return [f"{name} ({count})" for name, count in sorted(counted.items())]


def delete_unless_kept(model_admin, request, queryset):
    if said := model_admin.kept_message(queryset):
        model_admin.message_user(request, said, messages.ERROR)
        return None
    return delete_selected(model_admin, request, queryset)
