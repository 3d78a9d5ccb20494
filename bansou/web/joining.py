"""Joining by link or code: one page that asks each kind of invitation whether the code is its own.

Teams, organisations and 研修 each register a handler from their ``AppConfig.ready()`` (a port,
ARCHITECTURE.md); the handler answers the request when the code is a usable invitation of its kind
(showing what joining means, then joining; a 研修 sends the person on to its own join page). The
page finds the invitation once, by the code's digest, and asks the handler of its kind. A code nobody
knows is a 404 page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bansou.invitations import services as invitations
from bansou.invitations.codes import normalise_code
from bansou.invitations.models import Invitation, Kind

Handler = Callable[[HttpRequest, Invitation, str], HttpResponse | None]

_handlers: dict[Kind, Handler] = {}


def register(kind: Kind, handler: Handler) -> None:
    """Registers what joining means for ``kind``. The same handler again changes nothing; another
    one for the same kind is refused."""
    if kind in _handlers and _handlers[kind] is not handler:
        raise ValueError(f"joining a {kind} is already handled by {_handlers[kind]!r}")
    _handlers[kind] = handler


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """Shows what joining means, then joins: whatever the code is an invitation to. The invitation is
    looked up once, by its digest; its kind says whose handler answers (None: what it invites to is
    gone)."""
    code = normalise_code(code)
    invitation = invitations.find_usable(code)
    handler = _handlers.get(Kind(invitation.kind)) if invitation is not None else None
    response = handler(request, invitation, code) if handler and invitation else None
    return response or render(request, "web/join_invalid.html", status=404)
