"""No browser or proxy keeps what the application answers: ``Cache-Control: no-store`` by default.

A person's answers, a team's map, 研修 totals and the files made of them must not stay in a shared
terminal's disk cache after logout. So every response leaves with ``no-store`` — signed-in pages,
visitors' pages, downloads, redirects and error pages alike — whatever its view set: a view's own
``Cache-Control`` stays only if it says ``no-store`` too (``never_cache``, the downloads'
``private, no-store``), so that no view can opt out by mistake.

The one way out is ``PUBLIC``: the few pages that are the same for everyone, and only as answered to
someone not signed in (a signed-in person's copy names them in the header), to a GET or HEAD that
succeeded, setting no cookie (a CSRF token or a session is the person's) and showing no message.

Static files never reach this middleware: WhiteNoise, above it in ``MIDDLEWARE``, answers them
itself, with its long caching (a year for the hashed names ``collectstatic`` writes).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

NO_STORE = "no-store"

# URL names (namespace:name) of the pages that hold nothing of a person: the leaflet's elements page,
# the 市区町村 picker (public data) and the favicon's redirect to its static file. Keep it that short.
PUBLIC = frozenset({"frameworks:leaflet", "places:municipalities", "favicon"})

SAFE_METHODS = ("GET", "HEAD")


class NoStoreMiddleware:
    """Puts ``Cache-Control: no-store`` on every response that is not a public page's (see above).

    Goes right below WhiteNoise, above every other middleware, so that it also sees the responses
    they answer themselves (a CSRF failure, django-axes' lockout page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_public(request, response) and not says_no_store(response):
            response.headers["Cache-Control"] = NO_STORE
        return response


def says_no_store(response: HttpResponse) -> bool:
    directives = response.headers.get("Cache-Control", "")
    return NO_STORE in {part.strip().lower() for part in directives.split(",")}


def is_public(request: HttpRequest, response: HttpResponse) -> bool:
    """Is ``response`` the one anyone would get: a public page, answered as it is to someone not
    signed in, with nothing of theirs in it?"""
    match = request.resolver_match
    if match is None or match.view_name not in PUBLIC:
        return False
    if request.method not in SAFE_METHODS or response.status_code >= 400 or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and messages.used)
