"""No cache keeps what the application answers (issue 15, item 1), and HEAD answers where GET does
(item 8).

Every response carries ``Cache-Control: no-store`` — pages, files, redirects, 403 and 404 — except
the public pages of ``PUBLIC`` asked by someone not signed in, and static files, which keep their long
caching. The access matrices check it for every URL and persona they ask (``tests/caching.py``); here:
every route of the URL conf as anyone and as a signed-in supporter, the allow-list itself, static
files, and that a view cannot opt out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter
from django.views.decorators.cache import never_cache

from bansou.accounts.models import User
from bansou.frameworks.models import FrameworkVersion
from bansou.web import caching
from tests.caching import directives, private

# The public pages, by URL name: as anyone not signed in gets them, they may be kept.
PUBLIC = {"frameworks:leaflet", "places:municipalities", "favicon"}
MISSING = "6f1c2a4e-0000-4000-8000-000000000000"
# Routes whose URL no placeholder spells (the admin's page of one app, named by a pattern of labels).
UNSPELLED = {"admin:app_list"}


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """The name of every named route of the URL conf (``namespace:name``)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def paths() -> dict[str, str]:
    """A URL for every route, with an id that nobody's thing has where it takes one ("" if none fits)."""
    return {name: spelled(name) for name in routes()}


def spelled(name: str) -> str:
    namespace, _, last = name.rpartition(":")
    resolver = get_resolver()
    for part in filter(None, namespace.split(":")):
        resolver = resolver.namespace_dict[part][1]
    for possibilities, _, _, converters in resolver.reverse_dict.getlist(last):
        for _, params in possibilities:
            kwargs = {p: 999999 if isinstance(converters.get(p), IntConverter) else MISSING for p in params}
            try:
                return reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
    return ""


@pytest.fixture
def supporter(db: None) -> Client:
    client = Client()
    client.force_login(
        User.objects.create_user("walker", password="pass-word-1234", display_name="巡回 七子")
    )
    return client


def test_every_route_as_anyone_and_as_a_supporter(supporter: Client, version: FrameworkVersion) -> None:
    found = paths()
    assert {name for name, path in found.items() if not path} == UNSPELLED
    assert set(found) >= PUBLIC
    for name, path in sorted(found.items()):
        if not path:
            continue
        for who, client in (("anyone", Client()), ("a supporter", supporter)):
            get, head = client.get(path), client.head(path)
            for response in (get, head):
                kept = "no-store" not in directives(response)
                assert kept == (name in PUBLIC and who == "anyone"), (
                    f"{response.request['REQUEST_METHOD']} {path} as {who}"
                )
            assert head.status_code == get.status_code, (
                f"HEAD {path} as {who}: {head.status_code}, GET {get.status_code}"
            )
        private(Client().post(path), f"POST {path}")


def test_an_address_that_is_nothing_and_a_refused_form_are_kept_by_no_cache(db: None) -> None:
    private(Client().get("/no-such-page/"))
    private(Client().get(reverse("frameworks:leaflet") + "no-such-page/"))
    refused = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "a", "password": "b"}
    )
    assert refused.status_code == 403
    private(refused)


def test_the_public_pages_are_kept_only_as_answered_to_someone_not_signed_in(
    supporter: Client, version: FrameworkVersion
) -> None:
    assert caching.PUBLIC == PUBLIC  # a page added there is added here, where it is reviewed
    for name in sorted(PUBLIC):
        url = reverse(name)
        for method in ("get", "head"):
            response = getattr(Client(), method)(url)
            assert response.status_code in (200, 301), url
            assert "no-store" not in directives(response), f"{method} {url}"
            private(getattr(supporter, method)(url), f"{method} {url} signed in")
        private(Client().post(url), f"POST {url}")  # 405, and not kept


def test_static_files_keep_their_long_caching(db: None) -> None:
    assert settings.MIDDLEWARE.index("bansou.web.caching.NoStoreMiddleware") == (
        settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    )
    response = Client().get(static("bansou/site.css"))
    response.close()
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert any(d.startswith("max-age=") and int(d.split("=")[1]) > 0 for d in directives(response))


def answered(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    return caching.NoStoreMiddleware(lambda r: response)(request)


def anyone_asks(path: str) -> HttpRequest:
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


@pytest.mark.parametrize(
    "header", ["public, max-age=31536000", "max-age=0", "private", "no-cache", "no-store-please", ""]
)
def test_a_view_cannot_opt_out(header: str) -> None:
    response = HttpResponse("答え")
    if header:
        response["Cache-Control"] = header
    request = anyone_asks(reverse("accounts:my_data"))
    assert answered(request, response)["Cache-Control"] == "no-store"


def test_a_views_own_no_store_stays_as_it_said_it() -> None:
    response = never_cache(lambda request: HttpResponse("答え"))(RequestFactory().get("/"))
    said = response["Cache-Control"]
    assert answered(anyone_asks(reverse("accounts:my_data")), response)["Cache-Control"] == said
    downloaded = HttpResponse(b"x")
    downloaded["Cache-Control"] = "private, no-store"
    assert (
        answered(anyone_asks("/checks/blank-sheet.xlsx"), downloaded)["Cache-Control"] == "private, no-store"
    )


def test_a_public_page_with_a_cookie_a_message_or_a_failure_is_not_kept(db: None) -> None:
    leaflet = reverse("frameworks:leaflet")
    assert "Cache-Control" not in answered(anyone_asks(leaflet), HttpResponse("リーフレット"))

    with_cookie = HttpResponse("リーフレット")
    with_cookie.set_cookie("csrftoken", "the-persons-own")
    assert answered(anyone_asks(leaflet), with_cookie)["Cache-Control"] == "no-store"

    request = anyone_asks(leaflet)
    storage: Any = FallbackStorage(request)
    request._messages = storage  # type: ignore[attr-defined]
    add_message(request, constants.SUCCESS, "アカウントを削除しました")
    list(storage)  # the page showed it
    assert answered(request, HttpResponse("リーフレット"))["Cache-Control"] == "no-store"

    assert answered(anyone_asks(leaflet), HttpResponse(status=500))["Cache-Control"] == "no-store"
    posted = anyone_asks(leaflet)
    posted.method = "POST"
    assert answered(posted, HttpResponse("リーフレット"))["Cache-Control"] == "no-store"
