"""A login in two steps: the password, then the second factor's code. Between them the person is not
signed in: who they are waits in the session (for a few minutes) and the code page finishes the login."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.contrib.auth import login
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device

from bansou.accounts.models import User

PENDING = "bansou_second_factor_pending"
WAIT = 5 * 60  # seconds the code page waits for the code after the password
BACKEND = "django.contrib.auth.backends.ModelBackend"  # the session's backend, as for any login


@dataclass(frozen=True)
class Pending:
    user: User
    next_url: str
    keep: bool  # hand over what this browser answered before signing in (the result's 「引き継ぐ」)


def begin(request: HttpRequest, user: User, next_url: str, keep: bool) -> None:
    """The password was right: the code is asked next."""
    request.session[PENDING] = {"user": user.pk, "at": int(time.time()), "next": next_url, "keep": keep}


def pending(request: HttpRequest) -> Pending | None:
    """Whose login waits for its code, if any, and not for too long."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or int(time.time()) - int(data.get("at", 0)) > WAIT:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=int(data.get("user", 0)), is_active=True).first()
    if user is None:
        return None
    return Pending(user, str(data.get("next") or ""), bool(data.get("keep")))


def finish(request: HttpRequest, waiting: Pending, device: Device) -> None:
    """The code was right: the person is signed in, with this session verified by ``device``."""
    request.session.pop(PENDING, None)
    login(request, waiting.user, backend=BACKEND)
    otp_login(request, device)
