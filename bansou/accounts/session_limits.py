"""Signed-in sessions end after a time without a request (idle) and, however busy, a number of hours
after the login (absolute): a terminal left signed in, in an office or a meeting room, does not stay
open to the next person for the 14 days a visitor's session lasts.

Organisation staff and administrators (who read other people's answers, pools and totals) idle out
sooner than supporters. Whether a person is staff of an organisation is the orgs app's to say (a
port: orgs sits above accounts). The times are kept in the session (seconds since the epoch), so any
worker of any app server decides the same. A session that ends is flushed and told to the login page,
which says why (``ended_reason``); a GET is sent there at once, any other request goes on as a
visitor's, so that each view answers as it does for an expired session (the sheet keeps what was
posted until the person has logged in again; autosave answers that a login is needed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from bansou.domain.ports import Provided

STARTED = "bansou_signed_in_at"
LAST_SEEN = "bansou_last_seen_at"
ENDED = "bansou_session_ended"
LIMIT = "bansou_idle_limit"  # the person's idle limit when they logged in, for the page's own timer
IDLE, ABSOLUTE = "idle", "absolute"
TOUCH_EVERY = 60  # seconds: the last request's time is written at most once a minute

# Whether the person is 管理者 or 職員 of an organisation (orgs provides it).
staff_of_an_organisation: Provided[int, bool] = Provided("accounts.staff_of_an_organisation", lambda _: False)


def idle_limit(user: Any) -> int:
    """Seconds without a request after which this person's session ends."""
    staff = user.is_staff or user.is_superuser or staff_of_an_organisation(int(user.pk))
    return int(settings.SESSION_IDLE_SECONDS_STAFF if staff else settings.SESSION_IDLE_SECONDS)


def ended(request: HttpRequest, now: int) -> str | None:
    """Why the signed-in session of ``request`` has ended (``IDLE``, ``ABSOLUTE``), or None (and the
    request is counted as activity)."""
    session = request.session
    if SESSION_KEY not in session:
        return None
    started = int(session.setdefault(STARTED, now))  # a session from before these limits starts now
    last = int(session.get(LAST_SEEN, now))
    if now - started > settings.SESSION_ABSOLUTE_SECONDS:
        return ABSOLUTE
    idle = now - last
    shortest = min(settings.SESSION_IDLE_SECONDS_STAFF, settings.SESSION_IDLE_SECONDS)
    if idle > shortest and idle > idle_limit(request.user):  # who they are is asked only when it matters
        return IDLE
    if LAST_SEEN not in session or idle >= TOUCH_EVERY:
        session[LAST_SEEN] = now
    return None


class SessionLimitsMiddleware:
    """Ends signed-in sessions that idled or lasted too long (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = ended(request, int(time.time()))
        if reason is not None:
            logout(request)
            request.session[ENDED] = reason
            if request.method in ("GET", "HEAD") and request.path != reverse(settings.LOGIN_URL):
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


def ended_reason(request: HttpRequest) -> str | None:
    """Why the last session ended, once (for the login page)."""
    reason = request.session.pop(ENDED, None)
    return reason if reason in (IDLE, ABSOLUTE) else None


def page_timer(request: HttpRequest) -> int | None:
    """Seconds after which a page of this signed-in session, left alone, loads itself again (and so
    shows the login page once the session has ended, rather than what it showed: a shared terminal)."""
    if SESSION_KEY not in request.session:
        return None
    limit = request.session.get(LIMIT)
    return int(limit) if limit else None


@receiver(user_logged_in, dispatch_uid="bansou.accounts.session_limits")
def _started(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    """The clocks start at the login; the session's cookie and row last no longer than the absolute
    limit (a visitor's, without these limits, keeps SESSION_COOKIE_AGE)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now
    request.session[LIMIT] = idle_limit(user)
    request.session.pop(ENDED, None)
    request.session.set_expiry(int(settings.SESSION_ABSOLUTE_SECONDS))
