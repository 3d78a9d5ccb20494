"""Public ids in URLs, access decisions turned into responses, and the endpoints that answer JSON."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

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


View = TypeVar("View", bound=Callable[..., object])
_ANSWERS_JSON = "bansou_answers_json"


def answers_json(view: View) -> View:
    """Marks a view that a page's script calls: its errors (a body too large to read, a refused CSRF
    token) are answered as JSON, which the script reads, rather than as a page. Put it outermost."""
    setattr(view, _ANSWERS_JSON, True)
    return view


def wants_json(request: HttpRequest) -> bool:
    """Whether the request was to a view marked ``answers_json``."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, _ANSWERS_JSON, False) is True


def json_error(error: str, message: str, status: int) -> JsonResponse:
    """``{"error": <what the script acts on>, "message": <what a person reads>}``."""
    return JsonResponse({"error": error, "message": message}, status=status)


def bad_request_json() -> JsonResponse:
    """A body that could not be read (malformed, nested too deeply, too large): sending it again
    cannot help."""
    return json_error(
        "bad_request",
        _("送信された内容を読み取れませんでした。ページを再読み込みしてから、もう一度入力してください。"),
        400,
    )
