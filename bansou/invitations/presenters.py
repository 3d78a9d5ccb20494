"""Lists of invitations for the pages that issue them: the fresh code in full, once; others by hint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest

from bansou.invitations import shown_once
from bansou.invitations.codes import format_code
from bansou.invitations.models import Invitation


def rows(
    request: HttpRequest,
    invitations: Sequence[Invitation],
    *,
    link: Callable[[str], str],
    revoke: Callable[[Invitation], str],
    role: Callable[[str], str] = str,
) -> list[dict[str, Any]]:
    """One row per invitation; the one just made carries its code and link (``link(code)``, a path),
    every row the address that revokes it (``revoke``) and the role it grants, in words."""
    fresh = shown_once.take(request, {i.pk for i in invitations})
    found = []
    for invitation in invitations:
        code = fresh[1] if fresh and fresh[0] == invitation.pk else None
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
