"""Signing in: Django's own password check; the signed-in user is read with their agency, with
whether anyone delegated a role to them today, and with the data version (`workflow.data_version`)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from workflow.models import DataVersion, Delegation


class AgencyModelBackend(ModelBackend):
    """The user of each request comes with their agency in the same query: an agency's pages name
    it (its inbox's tasks, its IKU forms), which cost one more query per page. The same query
    tells whether a delegation runs for them today; `policy.roles_of` reads the delegations only
    then, not on every page of everyone; and the data version, which the kept pages read, without
    a query of their own."""

    def get_user(self, user_id):
        today = timezone.localdate()
        standing_in = Delegation.objects.active_on(today).filter(delegate=OuterRef("pk"), official__is_active=True)
        try:
            user = (
                get_user_model()._default_manager.select_related("skpd")
                .annotate(standing_in=Exists(standing_in),
                          data_version=Coalesce(Subquery(DataVersion.objects.filter(pk=1).values("value")), Value(0)))
                .get(pk=user_id)
            )
        except get_user_model().DoesNotExist:
            return None
        if not user.standing_in:
            user.no_delegation_on = today
        return user if self.user_can_authenticate(user) else None
