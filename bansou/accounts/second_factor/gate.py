"""Staff who must have a second factor and have none add one before any other page.

Whether a person must enrol is decided once, at the login (``_decided``: the setting, their roles,
whether they have an app), and kept in the session, so that no other request asks the database.
Until they have added one, every page but the enrolment's (and logging out) leads there: a GET is
sent on with the page it asked for as ``next``; anything else is refused (403).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from bansou.accounts.second_factor import devices

ENROL = "bansou_second_factor_enrol"
OPEN = ("accounts:second_factor_add", "accounts:logout", "accounts:logged_out", "accounts:login", "favicon")


def must_enrol(request: HttpRequest) -> bool:
    return bool(request.session.get(ENROL)) and SESSION_KEY in request.session


def enrolled(request: HttpRequest) -> None:
    request.session.pop(ENROL, None)


def require_enrolment(request: HttpRequest) -> None:
    """The person removed their second factor but must have one: they add one before going on."""
    request.session[ENROL] = True


def enrolment_url(next_url: str | None) -> str:
    url = reverse("accounts:second_factor_add")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class Middleware:
    """After AuthenticationMiddleware and django-otp's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if must_enrol(request) and request.path not in {reverse(name) for name in OPEN}:
            if request.method in ("GET", "HEAD"):
                return redirect(enrolment_url(request.get_full_path()))
            raise PermissionDenied
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="bansou.accounts.second_factor.gate")
def _decided(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    if request is None or not hasattr(request, "session"):
        return
    if devices.must_have(user) and not devices.has_one(user):
        require_enrolment(request)
    else:
        enrolled(request)
