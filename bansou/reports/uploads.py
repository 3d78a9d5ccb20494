"""Uploads read with a size limit before anything is read.

A view that takes a file is CSRF-exempt at the top (the CSRF check would read the whole body) and
checks the declared length first; the limiting handler then stops reading at the limit whatever
the request declared (a chunked body has no length). Only then is the CSRF token checked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room for the multipart framing and the other fields of the form around the file.
FORM_OVERHEAD = 64 * 1024


class _Limit(FileUploadHandler):
    """Counts what arrives and drops the file past ``limit`` bytes (marking the request)."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limited_upload(
    limit: int, too_large: Callable[..., HttpResponse]
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Wraps a POST view that reads one uploaded file of at most ``limit`` bytes.

    ``too_large(request)`` answers when the declared length or the bytes received pass the limit.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            request.upload_too_large = False  # type: ignore[attr-defined]
            if request.method == "POST":
                try:
                    declared = int(request.META.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    declared = 0
                if declared > limit + FORM_OVERHEAD:
                    return too_large(request)
                handlers = request.upload_handlers
                assert isinstance(handlers, list)  # an ImmutableList only once the body is read
                handlers.insert(0, _Limit(request, limit))
                request.FILES  # noqa: B018 (reads the body now, through the limit)
                if request.upload_too_large:  # type: ignore[attr-defined]
                    return too_large(request)  # nothing was taken in; CSRF can wait for a real upload
            return protected(request, *args, **kwargs)

        return wrapper

    return decorate


def too_large_text(limit: int) -> str:
    return f"ファイルが大きすぎます（上限 {limit // (1024 * 1024)} MB）。"
