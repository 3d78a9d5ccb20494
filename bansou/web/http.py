"""Public ids in URLs, and access decisions turned into responses."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bansou.domain.access import Decision


def parse_id(public_id: str) -> uuid.UUID:
    """A public id from a URL; anything else is a page that does not exist (404, not 500)."""
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None


def enforce(decision: Decision) -> None:
    """An access table's decision as a response: 404 for what the viewer must not know exists, 403."""
    if decision is Decision.NOT_FOUND:
        raise Http404
    if decision is Decision.FORBIDDEN:
        raise PermissionDenied
