"""A new code is shown once: handed from the request that made it to the very next request of the
same browser (the page the issuer is sent to), and gone from the session from then on.

``keep`` puts the code in the session; ``Middleware`` takes it out at the start of the next request,
whatever that request is, so the code is stored (in the session) only between two requests; ``take``
gives it to the page that made it, if that is the page being shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from bansou.invitations.services import Issued

_KEY = "bansou_fresh_invitation"
_ATTRIBUTE = "_bansou_fresh_invitation"


@dataclass(frozen=True)
class Fresh:
    invitation_id: int
    code: str


def keep(request: HttpRequest, issued: Issued | Sequence[Issued]) -> None:
    """Hands the new code (or codes: a team formed from a proposal has one invitation per member) to
    the next request."""
    made = [issued] if isinstance(issued, Issued) else list(issued)
    request.session[_KEY] = [{"id": i.invitation.pk, "code": i.code} for i in made]


def take(request: HttpRequest, invitation_ids: set[int]) -> Fresh | None:
    """The code made by the previous request, if it is one of ``invitation_ids`` (this page's)."""
    found = take_all(request, invitation_ids)
    return next(iter(found.values()), None)


def take_all(request: HttpRequest, invitation_ids: set[int]) -> dict[int, Fresh]:
    """Invitation id to the code made by the previous request, for those of ``invitation_ids``."""
    fresh = getattr(request, _ATTRIBUTE, None) or []
    if isinstance(fresh, dict):  # kept by a version that stored one code
        fresh = [fresh]
    return {
        int(f["id"]): Fresh(int(f["id"]), str(f["code"]))
        for f in fresh
        if isinstance(f, dict) and f.get("id") in invitation_ids
    }


class Middleware:
    """Takes a fresh code out of the session at the start of the next request (after SessionMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and _KEY in session:
            setattr(request, _ATTRIBUTE, session.pop(_KEY))
        return self.get_response(request)
