"""Signing in: Django's own password check; the signed-in user is read with their agency and with
whether anyone delegated a role to them today."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef
from django.utils import timezone

from workflow.models import Delegation


class AgencyModelBackend(ModelBackend):
    """The user of each request comes with their agency in the same query: an agency's pages name
    it (its inbox's tasks, its IKU forms), which cost one more query per page. The same query
    tells whether a delegation runs for them today; `policy.roles_of` reads the delegations only
    then, not on every page of everyone."""

    def get_user(self, user_id):
        today = timezone.localdate()
        standing_in = Delegation.objects.active_on(today).filter(delegate=OuterRef("pk"), official__is_active=True)
        try:
            user = (
                get_user_model()._default_manager.select_related("skpd")
                .annotate(standing_in=Exists(standing_in))
                .get(pk=user_id)
            )
        except get_user_model().DoesNotExist:
            return None
        if not user.standing_in:
            user.no_delegation_on = today
        return user if self.user_can_authenticate(user) else None
