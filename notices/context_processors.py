from notices.views import UNREAD_SHOWN, unread_count


def notices(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return {}
    return {"unread_notices": unread_count(user), "unread_shown": UNREAD_SHOWN}
