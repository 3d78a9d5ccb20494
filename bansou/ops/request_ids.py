"""One id per request, in the ``X-Request-ID`` header and on every log line written while it runs.

``RequestIdMiddleware`` goes first in ``MIDDLEWARE``. It takes the id a proxy in front sent when it
looks like an id (letters, digits, ``-``, ``_`` and ``.``, 8 to 64 of them: nothing that could break a
log line or pass for another field), or makes one, and answers it in ``X-Request-ID``. Until the
response is closed, the log formatter (``bansou.ops.logs``) reads the id, and the signed-in person's
user id once the request has asked who they are (never earlier: logging must not load a session).

In production it also writes one access line per request (``bansou.access``, INFO): method, the URL's
name (never its path, which can hold an invitation code), status and duration; a healthy ``/healthz``
is left out, a load balancer asks it every few seconds.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_current: ContextVar[tuple[str, HttpRequest] | None] = ContextVar("bansou_request", default=None)
access_log = logging.getLogger("bansou.access")


def request_id_of(incoming: str | None) -> str:
    """The incoming id if it is safe to repeat, else a new one."""
    if incoming and SAFE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    current = _current.get()
    return current[0] if current else None


def current_user_id() -> int | None:
    """The signed-in person's id, if the request has already asked who they are.

    ``AuthenticationMiddleware`` keeps the user it found in ``request._cached_user``; reading
    ``request.user`` here instead would load the session from inside a log call."""
    current = _current.get()
    user = current[1].__dict__.get("_cached_user") if current else None
    if user is None or not user.is_authenticated:
        return None
    return int(user.pk)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request.headers.get(HEADER))
        # Kept until the response is closed: Django's own line about a 4xx or 5xx is written after
        # the last middleware has returned.
        _current.set((request_id, request))
        started = time.monotonic()
        response = self.get_response(request)
        response[HEADER] = request_id
        if not getattr(response, "healthy_probe", False):
            _log_access(request, response, started)
        return response


@receiver(request_finished, dispatch_uid="bansou.ops.request_ids")
def _finished(sender: object, **kwargs: object) -> None:
    _current.set(None)


def _log_access(request: HttpRequest, response: HttpResponse, started: float) -> None:
    if not access_log.isEnabledFor(logging.INFO):
        return
    match = request.resolver_match
    access_log.info(
        "request",
        extra={
            "method": request.method,
            "view": match.view_name if match else None,
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )
