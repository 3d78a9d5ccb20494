"""Login throttling counts the client's address: X-Forwarded-For is believed only from the reverse
proxies named in TRUSTED_PROXIES (issue 15, item 3)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from bansou.accounts.client_ip import client_ip
from bansou.accounts.models import User

PROXIES = ["10.0.0.0/8", "2001:db8:1::/48"]
LOCKED = "ログインを一時的に制限しています"


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "expected"),
    [
        ([], "10.0.0.1", "203.0.113.9", "10.0.0.1"),  # no proxy configured: the header is ignored
        (PROXIES, "198.51.100.20", "203.0.113.9", "198.51.100.20"),  # not from a proxy: ignored
        (PROXIES, "10.0.0.1", "203.0.113.9", "203.0.113.9"),
        (PROXIES, "10.0.0.1", "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # a forged left part
        (PROXIES, "10.0.0.1", "198.51.100.7, 203.0.113.9, 10.0.0.5", "203.0.113.9"),  # two proxies
        (PROXIES, "10.0.0.1", "10.0.0.7, 10.0.0.5", "10.0.0.7"),  # a client inside: the left-most
        (PROXIES, "10.0.0.1", "", "10.0.0.1"),
        (PROXIES, "10.0.0.1", "unknown", "10.0.0.1"),  # not an address: the proxy is counted
        (PROXIES, "10.0.0.1", "203.0.113.9:443", "10.0.0.1"),
        (PROXIES, "10.0.0.1", "203.0.113.9, junk, 10.0.0.5", "10.0.0.5"),  # the walk stops at junk
        (PROXIES, "2001:db8:1::2", "2001:db8:ffff::9", "2001:db8:ffff::9"),
        (PROXIES, "::ffff:10.0.0.1", "203.0.113.9", "203.0.113.9"),  # an IPv4-mapped peer
        (["192.0.2.10"], "192.0.2.10", "203.0.113.9", "203.0.113.9"),  # a single address
        (["192.0.2.10"], "192.0.2.11", "203.0.113.9", "192.0.2.11"),
    ],
)
def test_believes_the_header_only_from_a_trusted_proxy(
    trusted: list[str], peer: str, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)

    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(request) == expected


def login(client: Client, password: str, *, peer: str, forwarded: str) -> int:
    data = {"username": "owner", "password": password}
    response = client.post(reverse("accounts:login"), data, REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    return int(response.status_code)


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=PROXIES)
def test_a_new_forwarded_address_per_try_does_not_dodge_the_lockout(owner: User) -> None:
    """Twelve wrong passwords, each with a new X-Forwarded-For, from an address that is no proxy."""
    statuses = [
        login(Client(), "wrong-password", peer="198.51.100.20", forwarded=f"203.0.113.{n}") for n in range(12)
    ]

    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert statuses[4:] == [429] * 8  # the fifth failure locks
    locked = Client().post(
        reverse("accounts:login"),
        {"username": "owner", "password": "pass-word-1234"},
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert locked.status_code == 429 and LOCKED in locked.content.decode()
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_never_believed(owner: User) -> None:
    statuses = [
        login(Client(), "wrong-password", peer="10.0.0.1", forwarded=f"203.0.113.{n}") for n in range(6)
    ]

    assert statuses[-1] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.1"}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=PROXIES)
def test_from_a_trusted_proxy_the_forwarded_client_is_counted(owner: User) -> None:
    for _ in range(5):
        login(Client(), "wrong-password", peer="10.0.0.1", forwarded="198.51.100.7, 203.0.113.9")

    assert login(Client(), "pass-word-1234", peer="10.0.0.2", forwarded="203.0.113.9") == 429
    # Another client behind the same proxy is not locked out by the first one's failures.
    assert login(Client(), "pass-word-1234", peer="10.0.0.1", forwarded="203.0.113.10") == 302
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]
