from django.utils import timezone

from lib.dates import moment_text
from workflow import policy
from workflow.steps import SOP


def sop(request):
    user = getattr(request, "user", None)
    # The menu asks the policy too: a link is shown only where the page would open.
    menu = {
        "dashboard": policy.can_view_reports(user),
        "report": policy.can_view_reports(user),
        "new": policy.can_create_dossier(user),
        "delegations": policy.is_internal(user),
        "admin": bool(user and user.is_authenticated and user.is_staff),
    }
    # A printed page says when it was true (base.html, #dilihat): the moment the page was made.
    return {"SOP": SOP, "menu": menu, "seen_at": moment_text(timezone.now())}
