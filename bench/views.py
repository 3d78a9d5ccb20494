"""Baselines: what any request costs through the middleware, and what touching the database adds."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse


def minimal(request: HttpRequest) -> HttpResponse:
    """No template, no session or user lookup, no query."""
    return HttpResponse(b"ok", content_type="text/plain")


def minimal_db(request: HttpRequest) -> HttpResponse:
    """One trivial query (so: connection handling, plus the round trip)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return HttpResponse(b"ok" if one == 1 else b"??", content_type="text/plain")
