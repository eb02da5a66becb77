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
    return {"SOP": SOP, "menu": menu}
