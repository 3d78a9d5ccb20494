"""Lists of invitations for the pages that issue them: the fresh code in full, once; others by hint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest

from bansou.invitations.codes import format_code
from bansou.invitations.models import Invitation
from bansou.invitations.shown_once import Fresh


def rows(
    request: HttpRequest,
    invitations: Sequence[Invitation],
    *,
    fresh: Fresh | dict[int, Fresh] | None,
    link: Callable[[str], str],
    revoke: Callable[[Invitation], str],
    role: Callable[[str], str] = str,
) -> list[dict[str, Any]]:
    """One row per invitation. The one just made (``fresh``; or several, by invitation id) carries its
    code and its link
    (``link(code)``, a path); every row the address that revokes it (``revoke``) and the role it
    grants, in words."""
    made = fresh if isinstance(fresh, dict) else ({fresh.invitation_id: fresh} if fresh else {})
    found = []
    for invitation in invitations:
        code = made[invitation.pk].code if invitation.pk in made else None
        found.append(
            {
                "invitation": invitation,
                "code": format_code(code) if code else None,
                "link": request.build_absolute_uri(link(code)) if code else None,
                "hint": invitation.hint,
                "revoke": revoke(invitation),
                "role": role(invitation.role),
            }
        )
    return found
