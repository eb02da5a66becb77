"""Signing in: Django's own password check; the signed-in user is read with their agency."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class AgencyModelBackend(ModelBackend):
    """The user of each request comes with their agency in the same query: an agency's pages name
    it (its inbox's tasks, its IKU forms), which cost one more query per page."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("skpd").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
