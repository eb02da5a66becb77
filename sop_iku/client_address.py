"""The address a request comes from, as the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE)
and the verification page's upload quota count it.

Behind SOP_PROXY_COUNT reverse proxies, each adding the address it was reached from to
X-Forwarded-For, the client is that many entries from the right: anything further left was sent
by the client and may be made up. django-ipware, which axes would otherwise ask, is not
installed, so without this SOP_PROXY_COUNT counted for nothing and every client behind a proxy was
the proxy's one address.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    hops = settings.SOP_PROXY_COUNT
    if hops > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            try:
                return str(ipaddress.ip_address(forwarded[-hops]))
            except ValueError:
                pass  # not an address: the peer's own address is all that is known
    return request.META.get("REMOTE_ADDR")
