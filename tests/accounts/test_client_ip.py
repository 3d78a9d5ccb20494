"""Login throttling counts the client's address, behind a known number of trusted proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from bansou.accounts.client_ip import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # a forged left part is not believed
        (2, "198.51.100.7, 203.0.113.9", "198.51.100.7"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: fall back to the peer
        (1, "", "10.0.0.1"),
        (1, "unknown", "10.0.0.1"),  # not an address: the peer is counted instead
        (1, "203.0.113.9:443", "10.0.0.1"),
    ],
)
def test_takes_the_address_the_nearest_trusted_proxy_saw(proxies: int, forwarded: str, expected: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    with override_settings(PROXY_COUNT=proxies):
        assert client_ip(request) == expected
