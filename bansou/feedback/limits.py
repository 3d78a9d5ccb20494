"""Rate limits on the public answer pages, counted in the database so that every app server behind a
load balancer counts together: per link (answers sent by one link), and per address — a generous one,
since many municipal staff share one address behind LGWAN — with a stricter count of codes that match
no link (guessing). Over a limit, the page answers 429 in Japanese.

No address is stored: a window's key holds a keyed digest of its subject (HMAC with SECRET_KEY), and
windows that ended are dropped whenever a new one begins, so a digest lives about two windows."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from bansou.accounts.client_ip import client_ip
from bansou.feedback.models import RateWindow


@dataclass(frozen=True)
class Limit:
    name: str
    most: int  # requests allowed in one window
    seconds: int  # the window's length


ADDRESS = Limit("address", 600, 600)  # any public feedback page, per address: 1 a second on average
GUESSES = Limit("guess", 30, 600)  # codes that match no link, per address
LINK = Limit("link", 20, 600)  # answer form posts, per link


def _key(limit: Limit, subject: str) -> str:
    digest = salted_hmac("bansou.feedback.limits", subject, algorithm="sha256").hexdigest()
    return f"{limit.name}:{digest}"


def spend(limit: Limit, subject: str, *, now: float | None = None) -> bool:
    """Counts one request against ``limit`` for ``subject``: False when the window is spent."""
    window = int((now if now is not None else time.time()) // limit.seconds)
    key = _key(limit, subject)
    counted = RateWindow.objects.filter(key=key, window=window, count__lt=limit.most).update(
        count=F("count") + 1
    )
    if counted:
        return True
    if RateWindow.objects.filter(key=key, window=window).exists():
        return False
    RateWindow.objects.filter(key__startswith=f"{limit.name}:", window__lt=window).delete()  # ended
    try:
        with transaction.atomic():
            RateWindow.objects.create(key=key, window=window, count=1)
    except IntegrityError:  # another request made the window first
        return spend(limit, subject, now=now)
    return True


def spent(limit: Limit, subject: str, *, now: float | None = None) -> bool:
    """Whether ``limit`` is already spent for ``subject`` (nothing counted)."""
    window = int((now if now is not None else time.time()) // limit.seconds)
    return RateWindow.objects.filter(key=_key(limit, subject), window=window, count__gte=limit.most).exists()


def address_of(request: HttpRequest) -> str:
    return client_ip(request) or "unknown"
