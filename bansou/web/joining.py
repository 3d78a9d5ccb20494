"""Joining by link or code: one page that asks each kind of invitation whether the code is its own.

Teams, organisations and 研修 each register a handler from their ``AppConfig.ready()`` (a port,
ARCHITECTURE.md); the handler answers the request when the code is a usable invitation of its kind
(showing what joining means, then joining; a 研修 sends the person on to its own join page). The
page finds the invitation once, by the code's digest, and asks the handler of its kind. A code nobody
knows is a 404 page.

Each handler also describes what its invitations are to (``describe``: 「支援チーム「…」」), so that
the login and sign-up pages, which know no team, organisation or 研修, can say where the way back
leads (``invited_by``). A kind with a join page of its own (研修) names it (``page``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_http_methods

from bansou.invitations import services as invitations
from bansou.invitations.codes import normalise_code
from bansou.invitations.models import Invitation, Kind

Handler = Callable[[HttpRequest, Invitation, str], HttpResponse | None]
Describe = Callable[[Invitation], str | None]  # 「支援チーム「…」」; None if what it is to is gone

_handlers: dict[Kind, Handler] = {}
_describers: dict[Kind, Describe] = {}
_pages: dict[str, Kind] = {}  # the URL name of a kind's own join page (with a ``code``)


def register(kind: Kind, handler: Handler, *, describe: Describe, page: str | None = None) -> None:
    """Registers what joining means for ``kind`` and how its invitations are described (``page``:
    the URL name of the kind's own join page, if it has one). The same handler again changes
    nothing; another one for the same kind is refused."""
    if kind in _handlers and _handlers[kind] is not handler:
        raise ValueError(f"joining a {kind} is already handled by {_handlers[kind]!r}")
    _handlers[kind] = handler
    _describers[kind] = describe
    if page is not None:
        _pages[page] = kind


@dataclass(frozen=True)
class Invited:
    """The invitation a sign-in page leads back to: what it is to, and whether it lets a new person
    create an account (under invite-only sign-up)."""

    invitation: Invitation
    label: str

    @property
    def grants_signup(self) -> bool:
        return self.invitation.grants_signup


def invited_by(next_url: str | None) -> Invited | None:
    """The usable invitation whose join page ``next_url`` is (an address on this site), described by
    its kind's handler. None for any other address, and for a code that is unknown, expired, revoked,
    used up or whose target is gone: nothing about it is told."""
    if not next_url:
        return None
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    code = match.kwargs.get("code")
    if not isinstance(code, str) or not (match.func is join or match.view_name in _pages):
        return None
    invitation = invitations.find_usable(normalise_code(code), _pages.get(match.view_name))
    describe = _describers.get(Kind(invitation.kind)) if invitation is not None else None
    label = describe(invitation) if describe is not None and invitation is not None else None
    return Invited(invitation, label) if invitation is not None and label else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """Shows what joining means, then joins: whatever the code is an invitation to. The invitation is
    looked up once, by its digest; its kind says whose handler answers (None: what it invites to is
    gone)."""
    code = normalise_code(code)
    invitation = invitations.find_usable(code, by_id=request.user.pk)
    handler = _handlers.get(Kind(invitation.kind)) if invitation is not None else None
    response = handler(request, invitation, code) if handler and invitation else None
    return response or render(request, "web/join_invalid.html", status=404)
