from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from bansou.checks import access, queries
from bansou.frameworks.queries import active_version, framework_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    version = active_version()
    holder = access.holder_of(request)
    context = {
        "framework": framework_of(version) if version else None,
        "draft": queries.open_draft(holder),
        "latest": queries.latest_check(holder),
        "undecided_visitor_work": _undecided_visitor_work(request),
    }
    return render(request, "web/home.html", context)


def _undecided_visitor_work(request: HttpRequest) -> bool:
    """Signed in, with what this browser answered before still waiting for a keep-or-delete answer."""
    visitor_key = access.visitor_key(request)
    return bool(request.user.is_authenticated and visitor_key and any(queries.visitor_records(visitor_key)))


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin site's)."""
    return HttpResponsePermanentRedirect(static("bansou/favicon.svg"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/csrf_failure.html", status=403)
