"""A new code is shown once: kept in the issuer's session for the next page view, then gone."""

from __future__ import annotations

from django.http import HttpRequest

from bansou.invitations.services import Issued

_KEY = "bansou_fresh_invitation"


def keep(request: HttpRequest, issued: Issued) -> None:
    request.session[_KEY] = {"id": issued.invitation.pk, "code": issued.code}


def take(request: HttpRequest, invitation_ids: set[int]) -> tuple[int, str] | None:
    """The fresh code, if it is one of ``invitation_ids`` (this page's); it is gone afterwards."""
    fresh = request.session.get(_KEY)
    if not fresh or fresh.get("id") not in invitation_ids:
        return None
    del request.session[_KEY]
    return int(fresh["id"]), str(fresh["code"])
