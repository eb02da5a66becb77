"""Who a run of wrong passwords locks out (django-axes' AXES_LOCKOUT_PARAMETERS and
AXES_LOCKOUT_CALLABLE).

A user name alone would let anyone lock an official out by typing their name wrongly five times
from anywhere; so failures count per user name *and* address, and a lockout holds only where the
failures came from. An address that sprays many names is still stopped: once its failures across
all names reach SOP_LOGIN_ADDRESS_FAILURE_LIMIT (higher than the per-name limit, so an office
behind one NAT address is not locked by its own typos, each cleared by the right password that
follows), the address itself is locked for every name. Axes takes one failure limit for all
parameters, so the address parameter is added only once the address is past its own limit.
"""

from axes.conf import settings
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from lib.dates import duration_text


def address_failures(address: str | None, request=None) -> int:
    """Failed logins from `address`, over all names, within the cool-off time."""
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        moment = getattr(request, "axes_attempt_time", None) or timezone.now()
        attempts = attempts.filter(attempt_time__gte=moment - cool_off)
    total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def address_locked(address: str | None, request=None) -> bool:
    limit = settings.SOP_LOGIN_ADDRESS_FAILURE_LIMIT
    return bool(limit) and address_failures(address, request) >= limit


def lockout_parameters(request_or_attempt, credentials=None):
    if isinstance(request_or_attempt, AccessBase):
        address, request = request_or_attempt.ip_address, None
    else:
        request = request_or_attempt
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    per_name = ["username", "ip_address"]
    return [per_name, "ip_address"] if address_locked(address, request) else [per_name]


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page in Indonesian words ("15 menit"), where axes gives an ISO 8601 duration
    ("PT15M"); it says whether the name or the whole address is held."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return render(request, "registration/locked_out.html", {
        "cooloff": duration_text(get_cool_off(request)),
        "username": get_client_username(request, credentials) or "",
        "whole_address": address_locked(address, request),
    }, status=settings.AXES_HTTP_RESPONSE_CODE)
