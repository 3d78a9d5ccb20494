"""Joining by link or code: one page that asks each kind of invitation whether the code is its own.

Teams, organisations and 研修 each register a handler from their ``AppConfig.ready()`` (a port,
ARCHITECTURE.md); the handler answers the request when the code is a usable invitation of its kind
(showing what joining means, then joining; a 研修 sends the person on to its own join page), or
returns None. The handlers look the code up by its digest, one indexed query each. A code nobody
knows is a 404 page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bansou.invitations.codes import normalise_code
from bansou.invitations.models import Kind

Handler = Callable[[HttpRequest, str], HttpResponse | None]

_handlers: dict[Kind, tuple[int, Handler]] = {}


def register(kind: Kind, handler: Handler, *, order: int) -> None:
    """Registers what joining means for ``kind``; handlers are asked in ``order``, lowest first. The
    same handler again changes nothing; another one for the same kind is refused."""
    if kind in _handlers and _handlers[kind][1] is not handler:
        raise ValueError(f"joining a {kind} is already handled by {_handlers[kind][1]!r}")
    _handlers[kind] = (order, handler)


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """Shows what joining means, then joins: whatever the code is an invitation to."""
    code = normalise_code(code)
    for _order, handler in sorted(_handlers.values(), key=lambda entry: entry[0]):
        response = handler(request, code)
        if response is not None:
            return response
    return render(request, "web/join_invalid.html", status=404)
