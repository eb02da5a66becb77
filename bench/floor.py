"""A page's floor: its own template rendered with the context its view built, captured once per
worker and kept in memory, through the same middleware and context processors; no view work and
no query of the view's own. Served at /_lantai/?path=<the page's path> by the bench's URLconf only.
"""

import threading

from django.db.models.query import QuerySet
from django.http import QueryDict
from django.shortcuts import render
from django.template import loader
from django.urls import resolve

_captured: dict = {}
_recording = threading.local()
_render_to_string = loader.render_to_string


def _recorded(template_name, context=None, request=None, using=None):
    if getattr(_recording, "on", False) and not hasattr(_recording, "found"):
        _recording.found = (template_name, context)
    return _render_to_string(template_name, context, request, using)


# In the bench's gunicorn only: django.shortcuts.render looks the function up at each call.
loader.render_to_string = _recorded


def _capture(request, target: str):
    route, _, query = target.partition("?")
    match = resolve(route)
    real_get = request.GET
    request.GET = QueryDict(query)
    _recording.on = True
    try:
        match.func(request, *match.args, **match.kwargs)
        template_name, context = _recording.found
    finally:
        _recording.on = False
        vars(_recording).pop("found", None)
        request.GET = real_get
    # Querysets would run again at each render: evaluated once here, like everything else.
    return template_name, {k: list(v) if isinstance(v, QuerySet) else v for k, v in (context or {}).items()}


def floor(request):
    target = request.GET["path"]
    key = (request.user.pk, target)
    if key not in _captured:
        _captured[key] = _capture(request, target)
    template_name, context = _captured[key]
    return render(request, template_name, context)
