"""The client's address for login throttling, behind a known number of trusted proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or with PROXY_COUNT = n trusted proxies, the address the n-th proxy from us saw.

    Each proxy appends the address it received from to X-Forwarded-For, so only the last n
    entries are trustworthy; anything left of them may be forged by the client.
    """
    count: int = settings.PROXY_COUNT
    if count > 0:
        header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= count and _is_address(forwarded[-count]):
            return forwarded[-count]
    return str(request.META["REMOTE_ADDR"]) if "REMOTE_ADDR" in request.META else None
