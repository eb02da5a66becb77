"""Sessions that end after a working day idle, and end at once for a deactivated user."""

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import LoginRequiredMiddleware, get_user
from django.contrib.sessions.models import Session
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

# Renewing the expiry costs a session write; once every few minutes keeps "idle" exact enough
# without a write on every page.
RENEW_EVERY = 5 * 60


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            # The user is read here on every request anyway, so the views and the policy are given
            # the user itself (as AuthenticationMiddleware keeps it): a list page asks the policy
            # about it hundreds of times, each through the lazy proxy (0.4 ms of an agency's inbox).
            request.user = user = get_user(request)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_renewed", 0) >= RENEW_EVERY:
                # A modified session is saved with a fresh SESSION_COOKIE_AGE.
                request.session["_renewed"] = now
        return self.get_response(request)


def end_sessions_of(user_pk) -> int:
    """Delete every live session of the user: on reactivation they must sign in again."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_pk):
            session.delete()
            ended += 1
    return ended


@receiver(pre_save, sender=get_user_model(), dispatch_uid="sop_iku.sessions.deactivated")
def end_sessions_on_deactivation(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance.is_active:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        end_sessions_of(instance.pk)


class LoginRequiredKeepingInput(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, except that a form sent after the session ended (idle for a
    working day, or signed out in another tab) is not dropped for the login page: its text is shown
    to copy before signing in again."""

    def handle_no_permission(self, request, view_func):
        if request.method == "POST":
            from sop_iku.errors import session_ended
            from sop_iku.typed_back import typed_back

            typed = typed_back(request, resend=False)
            # The IKU grid's cells come back as one block (`table`), not as boxes.
            if typed is not None and (typed.shown or typed.table):
                return session_ended(request)
        return super().handle_no_permission(request, view_func)
