"""Every place a password is checked goes through the one login throttle (issue 15, item 4), and so
does the second factor's code (item 10): the same counter (failures anywhere count towards the
lockout everywhere) and the same Japanese page."""

from __future__ import annotations

import ast
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from bansou.accounts.models import User
from bansou.accounts.second_factor import devices
from bansou.accounts.second_factor import login as second_login
from tests.conftest import no_pause, totp_code

pytestmark = pytest.mark.django_db

RIGHT = "pass-word-1234"
WRONG = "wrong-password"
NEW = "another-long-pass-2026"
LOCKED = "ログインを一時的に制限しています"
CODE = Path(__file__).resolve().parents[2] / "bansou"


@dataclass(frozen=True)
class Endpoint:
    """One page that asks for the person's password: how to send one, and as whom."""

    name: str
    url: str
    signed_in: bool
    fields: Callable[[str], dict[str, str]]

    def post(self, person: User, password: str) -> HttpResponse:
        client = Client()
        if self.signed_in:
            client.force_login(person)
        response: HttpResponse = client.post(self.url, self.fields(password))
        return response


@dataclass(frozen=True)
class SecondStep(Endpoint):
    """The login's second step, the password already given (the session waits for the code): the
    right "password" is the code the person's app shows now, a wrong one any other six digits."""

    def post(self, person: User, password: str) -> HttpResponse:
        device = devices.app_of(person) or _with_app(person)
        no_pause(person)  # django-otp's own growing pause between tries is not what is tested
        right = totp_code(device)
        near = {totp_code(device, seconds) for seconds in (-30, 0, 30)}
        wrong = next(code for code in ("123456", "654321", "111111") if code not in near)
        client = Client()
        session = client.session
        session[second_login.PENDING] = {
            "user": person.pk,
            "at": int(time.time()),
            "next": "/",
            "keep": False,
        }
        session.save()
        response: HttpResponse = client.post(self.url, {"code": right if password == RIGHT else wrong})
        return response


def _with_app(person: User) -> TOTPDevice:
    device = devices.pending_app(person)
    devices.confirm(device)
    return device


ENDPOINTS = [
    Endpoint("login", "/accounts/login/", False, lambda p: {"username": "owner", "password": p}),
    Endpoint("admin login", "/admin/login/", False, lambda p: {"username": "owner", "password": p}),
    Endpoint("account deletion", "/accounts/delete/", True, lambda p: {"password": p}),
    Endpoint(
        "password change",
        "/accounts/password/",
        True,
        lambda p: {"old_password": p, "new_password1": NEW, "new_password2": NEW},
    ),
    SecondStep("second factor", "/accounts/login/code/", False, lambda p: {}),
]
NAMES = [endpoint.name for endpoint in ENDPOINTS]


@pytest.fixture
def person(owner: User) -> User:
    owner.is_staff = True  # so that the admin site's login would let them in
    owner.save()
    return owner


def assert_locked(endpoint: Endpoint, person: User) -> None:
    """The right password now answers the lockout page, and nothing was done."""
    response = endpoint.post(person, RIGHT)

    assert response.status_code == 429, endpoint.name
    assert LOCKED in response.content.decode()
    person.refresh_from_db()  # not deleted
    assert person.check_password(RIGHT)  # not changed
    if not endpoint.signed_in:
        assert SESSION_KEY not in response.wsgi_request.session  # type: ignore[attr-defined]  # not signed in


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=NAMES)
def test_a_wrong_password_is_refused_and_a_right_one_accepted(endpoint: Endpoint, person: User) -> None:
    refused = endpoint.post(person, WRONG)

    assert refused.status_code in (200, 400)  # the form again, with its error
    assert refused.status_code != 429
    assert endpoint.post(person, RIGHT).status_code == 302


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=NAMES)
def test_five_wrong_passwords_lock_even_the_right_one_out(endpoint: Endpoint, person: User) -> None:
    statuses = [endpoint.post(person, WRONG).status_code for _ in range(25)]

    assert 429 not in statuses[:4]
    assert statuses[4:] == [429] * 21  # the fifth failure locks
    assert_locked(endpoint, person)


@pytest.mark.parametrize(
    ("first", "then"), list(itertools.permutations(ENDPOINTS, 2)), ids=lambda e: e.name.replace(" ", "-")
)
def test_failures_anywhere_count_towards_one_lockout(first: Endpoint, then: Endpoint, person: User) -> None:
    for _ in range(4):
        first.post(person, WRONG)
    then.post(person, WRONG)

    for endpoint in ENDPOINTS:
        assert_locked(endpoint, person)


def test_the_admin_sites_own_password_change_is_the_throttled_one(person: User) -> None:
    """Django's admin checks the old password itself (``check_password``): its page leads to ours."""
    client = Client()
    client.force_login(person)

    for method in (client.get, client.post):
        response = method("/admin/password_change/", {"old_password": WRONG})
        assert response.status_code == 302 and response["Location"] == "/accounts/password/"


def calls(path: Path, names: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in names:
                found.append(f"{path.relative_to(CODE.parent).as_posix()}:{node.lineno}:{name}")
    return found


def test_passwords_are_checked_in_one_place() -> None:
    """A new page that asks for a password uses ``password_is_right`` (or Django's login form), which
    goes through ``authenticate`` and so through django-axes: never ``check_password`` itself."""
    found = [
        hit for path in sorted(CODE.rglob("*.py")) for hit in calls(path, {"check_password", "authenticate"})
    ]

    assert len(found) == 1 and found[0].startswith("bansou/accounts/forms.py:"), found
    assert found[0].endswith(":authenticate")


def test_codes_are_checked_in_one_place() -> None:
    """The second factor's codes are checked by its backend alone, which ``authenticate`` calls (through
    ``code_is_right``): never a device's ``verify_token`` (nor django-otp's ``match_token`` or
    ``verify_token``) anywhere else, which would skip the throttle."""
    found = [
        hit for path in sorted(CODE.rglob("*.py")) for hit in calls(path, {"verify_token", "match_token"})
    ]

    assert found and all(hit.startswith("bansou/accounts/second_factor/backend.py:") for hit in found), found
