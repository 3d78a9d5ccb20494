"""The client's address for login throttling: X-Forwarded-For is believed only from trusted proxies.

``TRUSTED_PROXIES`` (settings, from the environment) lists the networks of the reverse proxies in
front of the application. A request whose peer (REMOTE_ADDR) is not among them is counted by its
peer, whatever it sends in X-Forwarded-For: anyone can write that header. From a trusted proxy,
the header is read from the right (each proxy appends the address it received from) and the first
address that is not itself a trusted proxy is the client's; anything left of it may be forged.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    return address


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def forwarded_client(peer: Address, forwarded: Sequence[str], networks: Sequence[Network]) -> Address:
    """The client behind ``peer``: the right-most address of ``forwarded`` that is not a trusted
    proxy, reached only through trusted proxies. An entry that is not an address stops the walk at
    the proxy that reported it (never a guess further left); if every entry is a trusted proxy, the
    left-most is the client."""
    client = peer
    for entry in reversed(forwarded):
        if not _trusted(client, networks):
            return client
        address = _address(entry)
        if address is None:
            return client
        client = address
    return client


def client_ip(request: HttpRequest) -> str | None:
    """The address that login throttling counts (django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    peer = _address(remote)
    if peer is None:
        return remote or None
    networks = [ipaddress.ip_network(cidr, strict=False) for cidr in settings.TRUSTED_PROXIES]
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part for part in header.split(",") if part.strip()]
    return str(forwarded_client(peer, forwarded, networks) if networks else peer)
