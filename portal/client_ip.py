"""The address a login attempt comes from, as django-axes counts it (AXES_CLIENT_IP_CALLABLE).

Behind a reverse proxy every request arrives from the proxy, so one attacker's failures would lock
everyone out. TRUSTED_PROXY_HEADER names the header our proxy sets; only then is it read, and of an
X-Forwarded-For list only the right-most entry counts: that is the one our proxy appended, while the
entries to its left are whatever the client sent. Unset, REMOTE_ADDR is the only truth.
"""
import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR")
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote_addr
    forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    candidate = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
