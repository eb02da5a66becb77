"""/favicon.ico, which every browser asks for whatever the page links: the static icon, not a 404 in
the log for each first visit."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import FileResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

ICON = "favicon.ico"


@login_not_required
@require_GET
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request):
    return FileResponse(open(finders.find(ICON), "rb"), content_type="image/x-icon")
