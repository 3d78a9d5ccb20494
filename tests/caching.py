"""What the access matrices also ask of every response: that no cache keeps it, and that HEAD answers
where GET does (issue 15, items 1 and 8).

None of the matrices' URLs is a public page, so every response they get — a page, a file, a redirect
to the login page, a 403 or a 404 — must say ``Cache-Control: no-store``; and HEAD on a URL they GET
must answer with the same status (and the same redirect), never 405.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from django.test import Client


def directives(response: HttpResponseBase) -> set[str]:
    return {part.strip().lower() for part in response.headers.get("Cache-Control", "").split(",")}


def private(response: Any, what: str = "") -> Any:
    """``response``, once it is known to say no-store."""
    assert "no-store" in directives(response), (
        f"{what or response.status_code}: Cache-Control is {response.headers.get('Cache-Control')!r}"
    )
    return response


def get_and_head(client: Client, path: str, data: dict[str, Any] | None = None) -> Any:
    """GET ``path`` and HEAD it: both kept by no cache, HEAD with GET's status and redirect."""
    response = private(client.get(path, data), f"GET {path}")
    head = private(client.head(path, data), f"HEAD {path}")
    assert head.status_code == response.status_code, (
        f"HEAD {path}: {head.status_code}, GET: {response.status_code}"
    )
    if response.status_code in (301, 302):
        assert head["Location"] == response["Location"], f"HEAD {path} is sent elsewhere"
    return response
