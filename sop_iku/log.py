"""Server errors leave a trace: each log line carries the request id, the user and the dossier.

Never the body (passwords, file contents) nor cookies (the session key): only what the record's
request says about who and where. SOP_LOG_JSON=true writes one JSON object a line for a collector.
"""

import contextvars
import json
import logging
import re
import uuid

from django.utils.functional import SimpleLazyObject

request_id = contextvars.ContextVar("request_id", default="-")
SAFE_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (a proxy's X-Request-ID if it is plain) and returns it as a header,
    so a person reporting a failure can quote it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if SAFE_ID.match(given) else uuid.uuid4().hex[:16]
        token = request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or request_id.get()
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            # Only a user this request already read: reading one queries the database, which may be
            # what failed, and an error raised inside logging escapes every error page.
            user = request.__dict__.get("_cached_user")
        record.user = getattr(user, "username", "") if getattr(user, "is_authenticated", False) else "-"
        match = getattr(request, "resolver_match", None)
        record.dossier = match.kwargs.get("pk", "-") if match is not None and "dosier/" in request.path else "-"
        record.path = getattr(request, "path", "-")
        return True


class JsonLinesFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": self.formatTime(record), "level": record.levelname, "logger": record.name,
            "message": record.getMessage(), "request_id": getattr(record, "request_id", "-"),
            "user": getattr(record, "user", "-"), "dossier": getattr(record, "dossier", "-"),
            "path": getattr(record, "path", "-"),
        }
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
