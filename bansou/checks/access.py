"""Who holds a draft or a check, and fetching them for their holder only (404 for anyone else).

A signed-in supporter holds what they own. A visitor without an account holds what carries the
random key kept in their session; nobody else can learn that those records exist.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, HttpRequest

from bansou.checks.models import Check, Draft
from bansou.web.http import parse_id

SESSION_KEY = "bansou_visitor_key"


@dataclass(frozen=True)
class Holder:
    user_id: int | None = None
    anon_key: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def owns(self) -> Q:
        """The filter for records this holder holds."""
        if self.user_id is not None:
            return Q(owner_id=self.user_id)
        if self.anon_key is not None:
            return Q(owner__isnull=True, anon_key=self.anon_key)
        return Q(pk__in=[])

    def fields(self) -> dict[str, object]:
        return {"owner_id": self.user_id, "anon_key": None if self.user_id else self.anon_key}


def holder_of(request: HttpRequest, *, create: bool = False) -> Holder:
    """The holder behind ``request``; for a visitor, a session key is made only if ``create``."""
    if request.user.is_authenticated:
        return Holder(user_id=request.user.pk)
    key = request.session.get(SESSION_KEY)
    if key is None and create:
        key = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = key
    return Holder(anon_key=key)


def visitor_key(request: HttpRequest) -> str | None:
    """The key of what this browser answered without an account (kept after signing in until handed over)."""
    key = request.session.get(SESSION_KEY)
    return str(key) if key else None


def forget_visitor_key(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)


def get_own_draft(request: HttpRequest, public_id: str) -> Draft:
    """The draft, if the requester holds it; 404 otherwise. One query (with its framework)."""
    holder = holder_of(request)
    draft = (
        Draft.objects.select_related("framework").filter(holder.owns(), public_id=parse_id(public_id)).first()
    )
    if draft is None:
        raise Http404
    return draft


def find_own_submission(request: HttpRequest, draft_public_id: str) -> Check | None:
    """The check made from that draft, if the requester holds it (for a repeated submit)."""
    try:
        draft_uuid = uuid.UUID(str(draft_public_id))
    except ValueError:
        return None
    return Check.objects.filter(holder_of(request).owns(), draft_public_id=draft_uuid).first()


def get_own_check(request: HttpRequest, public_id: str) -> Check:
    """The check, if the requester holds it; 404 otherwise. One query (with its framework)."""
    check = (
        Check.objects.select_related("framework")
        .filter(holder_of(request).owns(), public_id=parse_id(public_id))
        .first()
    )
    if check is None:
        raise Http404
    return check
