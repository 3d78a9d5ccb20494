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
    }
    return render(request, "web/home.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin site's)."""
    return HttpResponsePermanentRedirect(static("bansou/favicon.svg"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "web/csrf_failure.html", status=403)
