"""What the admin's pages share: the lists of what belongs to dossiers scoped by the policy, the
bureau's people to choose from, date drill-downs that refuse what no calendar holds."""

from django.contrib.admin.options import IncorrectLookupParameters

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


def bound_date_hierarchies(site) -> None:
    """Every registered list with a date drill-down, django-axes' too, given BoundedDateHierarchy."""
    for model_admin in site._registry.values():
        if model_admin.date_hierarchy and not isinstance(model_admin, BoundedDateHierarchy):
            kind = type(model_admin)
            model_admin.__class__ = type(kind.__name__, (BoundedDateHierarchy, kind), {"__module__": kind.__module__})
