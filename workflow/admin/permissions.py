"""Permissions as the user and group pages list them, in Indonesian: Django stores each one's name in
English ("Can add log entry") when it is created; the label is made from the model's verbose name,
which the apps give in Indonesian, instead."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group

from workflow import policy

VERBS = {"add": "menambah", "change": "mengubah", "delete": "menghapus", "view": "melihat"}


def permission_label(permission) -> str:
    """'Alur SOP Penetapan IKU | dosier IKU | Dapat mengubah dosier IKU'; a permission of a model
    gone, or one an app declared itself, keeps its stored name."""
    kind = permission.content_type
    model = kind.model_class()
    if model is None:
        return f"{kind.app_label} | {kind.model} | {permission.name}"
    opts = model._meta
    verb, _, model_name = permission.codename.partition("_")
    text = f"Dapat {VERBS[verb]} {opts.verbose_name}" if verb in VERBS and model_name == opts.model_name else permission.name
    return f"{apps.get_app_config(opts.app_label).verbose_name} | {opts.verbose_name} | {text}"


def grants_change(request, opts) -> bool:
    """Whether the user was granted `opts`' model's change permission: what an action that changes
    rows asks where the admin never edits them (has_change_permission is False), not the view one."""
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


class IndonesianPermissions:
    """For a ModelAdmin with a permissions list (users, groups)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(IndonesianPermissions, DjangoGroupAdmin):
    # A group's permissions are its members' (workflow.policy.can_grant_admin_rights): a staff member
    # who may change groups would otherwise give their own group every permission.
    def has_add_permission(self, request):
        return policy.can_grant_admin_rights(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return policy.can_grant_admin_rights(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return policy.can_grant_admin_rights(request.user) and super().has_delete_permission(request, obj)
