from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bansou.web.http import bad_request_json, json_error, wants_json


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin site's)."""
    return HttpResponsePermanentRedirect(static("bansou/favicon.svg"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if wants_json(request):
        message = _("送信を受け付けられませんでした。ページを再読み込みしてください。")
        return json_error("csrf", message, 403)
    return render(request, "web/csrf_failure.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request that could not be read (a body or a field too large, too many fields): the
    Japanese page ``400.html``, or JSON for an endpoint a page's script calls."""
    if wants_json(request):
        return bad_request_json()
    # Not Django's own bad_request: its CSRF decorator reads the body again, and a body that could
    # not be read the first time (form fields said to be in UTF-16) then fails again, as a 500.
    return render(request, "400.html", status=400)
