"""Whose answers this browser may keep (bansou/web/static/bansou/site.js, autosave.js).

Answers the sheet could not send yet are kept in the browser's localStorage under a key that carries
an opaque tag of whoever was signed in (or the visitor) when they were kept. Every page says whose
session it belongs to; the script forgets what belongs to anyone else, or to anyone at all when a
page has no session (after logout, or after the session idled out: a shared terminal). So what one
person answered is never shown to, or sent as, the next person who uses the browser.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from bansou.accounts import session_limits
from bansou.checks.access import visitor_key

SALT = "bansou.accounts.kept_answers"


def owner_tag(request: HttpRequest) -> str:
    """An opaque tag of the person signed in, or of the visitor; "" without either. Not their id."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        subject = f"user:{user.pk}"
    elif hasattr(request, "session") and (key := visitor_key(request)):
        subject = f"visitor:{key}"
    else:
        return ""
    return salted_hmac(SALT, subject).hexdigest()[:24]


def kept_answers(request: HttpRequest) -> dict[str, object]:
    """Whose kept answers a page keeps, and when it reloads itself to show that its session ended."""
    timer = session_limits.page_timer(request) if hasattr(request, "session") else None
    return {"kept_answers_owner": owner_tag(request), "session_idle_seconds": timer}
