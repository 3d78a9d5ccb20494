"""Hostile bodies posted to every POST endpoint, by every persona: never a 5xx, never a write (issue 15).

The world (``tests.hostile_world.seed``): the teams' world with a 研修, a draft, plans, invitations, a
supporter profile, a password reset link and an administrator, whose real ids fill every URL. The
personas: anonymous (holding the reset link), a rater (whose session holds a feedback link: the answer
form is open), supporter (in the organisation's pool, with a profile, with answers from before signing
in, and feedback requests: one open, one closed with comments), team lead, team member (who takes part
in the 研修 and owns the draft and the plans), the organisation's staff, and the site's administrator.

The endpoints: every URL of the URL conf outside the admin site (Django's own) is posted an empty body by
each persona; those that no persona is answered 405 (and that are not moved pages, 301 for everyone) are
the POST endpoints. Every page is then opened by every persona, and the fields of each ``method=post``
form are read, by the address the form posts to.

The bodies (``tests/hostile.py``): every field of the endpoint's form with a hostile value (odd Unicode,
numbers and dates out of range, choices that do not exist, very long text), other fields of the
application's names, repeated names, and last one of the form's fields again with a NUL character, which
no text, number, date, choice or id field accepts; the same after bytes that cannot be read (broken
escapes, not UTF-8), or as a body too large or with too many fields; multipart with a junk upload; JSON
of the wrong shape or types, nested thousands deep, with repeated keys or huge numbers; other content
types and charsets. ``EXAMPLES`` bodies per (endpoint, persona) where an empty POST reached the view,
``EXAMPLES_REFUSED`` where it did not; four times as many, mostly JSON, to an endpoint a page's script
calls (``bansou.web.http.answers_json``). The CSRF token is real (the cookie a page set, sent back in the
header, as the page's script does), with ``enforce_csrf_checks``.

Asserted for every request: the status is below 500; a 400 is said in Japanese (a page of the site, or
JSON with a message); no row of any table of the application's apps (``bansou.*``: sessions and
django-axes' login records are not theirs) was added, changed or removed, as the database counts writes
(``tests.hostile_world.Writes``) — except by the endpoints in ``TAKES_NO_INPUT``, whose action has no
input to refuse (any body is a valid one), and only when they answer a redirect away from the login page.
Each request runs in a savepoint rolled back afterwards, so every example meets the same world.

Asserted over the run: at least ``MIN_REACHED`` of the requests reached a view beyond the CSRF check, the
sign-in and the access decision (not 403, 404, 405, 429, a moved page, a redirect to the login page, or
the 400 page of a body that could not be read), and every POST endpoint was reached by some persona: the
bodies were read by the forms and services.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.accounts.second_factor import devices
from bansou.accounts.second_factor import login as second_login
from bansou.checks.models import Check
from bansou.web.http import wants_json
from tests.conftest import sign_in_verified
from tests.hostile import PERSONAS, SIGNED_OUT, Body, Field, bodies, field_names
from tests.hostile_world import FormsOfPage, Seeded, Writes, seed

pytestmark = pytest.mark.django_db
# Per (endpoint, persona) where an empty POST reached the view; HOSTILE_EXAMPLES=50 for a deeper run.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "6"))
EXAMPLES_REFUSED = 2  # where it was refused (the CSRF check still reads a form's body)
MIN_REACHED = 0.5  # observed: 63% with HYPOTHESIS_PROFILE=ci on SQLite and PostgreSQL; 67-82% random
# Actions with nothing to fill in (the button is the whole form): any body is a valid one. The probe
# with an empty body finds exactly these (and the test says so if one is added or gains a form).
TAKES_NO_INPUT = {
    "checks:start",
    "cohorts:close",
    "cohorts:join",
    "cohorts:leave",
    "cohorts:new_code",
    "cohorts:start_check",
    "feedback:close",
    "feedback:next_step",  # a button: starts 次の一歩 from the comparison's largest differences
    "orgs:remove",
    "proposals:exact",  # works out the exact proposal: nothing is read from the body
    "orgs:revoke",
    "placements:accept",  # accepts the plan: nothing is read from the body
    "placements:exact",  # works out the exact plan: nothing is read from the body
    "profiles:remove_area",
    "profiles:remove_period",
    "teams:approve_join",
    "teams:carry",  # a button: carries the team into the next 年度
    "teams:invite",
    "teams:leave",
    "teams:refuse_join",
    "teams:remove_member",
    "teams:revoke",
    "teams:withdraw_offer",  # a button: withdraws an open offer
}
REFUSED = {403, 404, 405, 429}
DOWNLOADS = (".pdf", ".xlsx", ".csv", ".json", ".ico")


def endpoints(seeded: Seeded) -> list[tuple[str, str]]:
    """(URL name, path) of every URL pattern outside the admin site, its arguments filled in."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, route, pattern.namespace or namespace)
                continue
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name or route)
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m, n=name: str(seeded.arg(n, m.group(1))), route)
            found.append((name, "/" + path))

    walk(get_resolver().url_patterns, "", "")
    return found


class Personas:
    """A client per persona, signed in, with the CSRF cookie a page set; restored after each request
    (logging out or a new CSRF token in one example must not change the next)."""

    def __init__(self, seeded: Seeded) -> None:
        self.clients: dict[str, Client] = {}
        self.cookies: dict[str, object] = {}
        self.writes = Writes()
        for persona in PERSONAS:
            client = Client(enforce_csrf_checks=True)
            if persona == "anonymous":
                client.get(seeded.reset_url)  # the reset link's token goes into the session
                waits_for_code(client, seeded.users["admin"])  # and a login that waits for its code
            if persona == "supporter":  # answers as a visitor first: signed in, asked what to keep
                client.get(reverse("accounts:login"))
                token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
                client.post(reverse("checks:start"), HTTP_X_CSRFTOKEN=token)
            if persona == "rater":  # opened a feedback link: the session holds it, the answer form is open
                client.get(reverse("feedback_public:start"))
                token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
                opened = client.post(
                    reverse("feedback_public:start"), {"code": seeded.feedback_code}, HTTP_X_CSRFTOKEN=token
                )
                assert opened["Location"].startswith("/f/answer/")
                seeded.args["feedback_public:answer:key"] = opened["Location"].split("/")[-2]  # its form
            if persona == "admin":  # through both steps of the login: the second factor's pages
                sign_in_verified(client, seeded.users[persona])
            elif persona not in SIGNED_OUT:
                client.force_login(seeded.users[persona])
            client.get(reverse("home" if persona not in SIGNED_OUT else "accounts:login"))  # a form's page
            self.clients[persona] = client
            self.cookies[persona] = client.cookies.copy()

    def post(self, persona: str, path: str, body: Body) -> HttpResponse:
        client = self.clients[persona]
        token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
        try:
            if body.fields is not None:
                return client.post(path, body.fields, HTTP_X_CSRFTOKEN=token)  # type: ignore[return-value]
            assert body.raw is not None
            return client.generic(  # type: ignore[return-value]
                "POST", path, body.raw, content_type=body.content_type, HTTP_X_CSRFTOKEN=token
            )
        finally:
            client.cookies = self.cookies[persona].copy()  # type: ignore[attr-defined]


def waits_for_code(client: Client, user: User) -> None:
    """The password of ``user`` (who has an authenticator app) was given in this browser: the login's
    second step waits for the code. Dated ahead, as the run outlasts the five minutes it waits."""
    devices.confirm(devices.pending_app(user))
    session = client.session
    session[second_login.PENDING] = {
        "user": user.pk,
        "at": int(time.time()) + 3600,
        "next": "",
        "keep": False,
    }
    session.save()


def reached(response: HttpResponse) -> bool:
    """Whether the view read the body: not refused before it, nor a body that could not be read."""
    if response.status_code in REFUSED:
        return False
    if response.status_code == 301:  # a page that moved: the body is not read
        return False
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return False
    templates = [t.name for t in getattr(response, "templates", [])]
    return "400.html" not in templates


def post_in_savepoint(
    personas: Personas, persona: str, path: str, body: Body
) -> tuple[HttpResponse, list[str]]:
    """The response, and the tables whose rows the request changed (then rolled back)."""
    with transaction.atomic():
        personas.writes.mark()
        response = personas.post(persona, path, body)
        changed = personas.writes.since_mark()
        transaction.set_rollback(True)
    return response, changed


def accepted(response: HttpResponse) -> bool:
    return response.status_code == 302 and not response["Location"].startswith(reverse("accounts:login"))


def post_and_check(personas: Personas, name: str, path: str, persona: str, body: Body) -> HttpResponse:
    response, changed = post_in_savepoint(personas, persona, path, body)
    assert response.status_code < 500, (name, persona, body.describe())
    if response.status_code == 400:  # said in Japanese: a page of the site, or JSON with a message
        said = response.json()["message"] if response["Content-Type"] == "application/json" else ""
        assert said or '<html lang="ja">' in response.content.decode(), (name, persona, body.describe())
    if changed:
        assert name in TAKES_NO_INPUT and accepted(response), (name, persona, body.describe(), changed)
    return response


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    reaching: frozenset[str]  # the personas whose empty POST reached the view


def post_endpoints(personas: Personas, seeded: Seeded) -> tuple[list[Target], set[str]]:
    """The endpoints that take a POST (no persona's empty POST is answered 405), with the personas
    an empty POST brings to the view; and the endpoints that write on an empty body."""
    empty = Body("application/x-www-form-urlencoded", raw=b"")
    targets, writing = [], set()
    for name, path in endpoints(seeded):
        answers = {persona: post_in_savepoint(personas, persona, path, empty) for persona in PERSONAS}
        assert all(response.status_code < 500 for response, _ in answers.values()), name
        statuses = {response.status_code for response, _ in answers.values()}
        if 405 not in statuses and statuses != {301}:  # 301 for everyone: a page that moved
            reaching = frozenset(persona for persona, (response, _) in answers.items() if reached(response))
            targets.append(Target(name, path, reaching))
        if any(changed for _, changed in answers.values()):
            writing.add(name)
    return targets, writing


def forms_by_action(personas: Personas, paths: list[str]) -> dict[str, set[Field]]:
    """The fields of the forms every persona is shown on every page, by the path each form posts to."""
    found: dict[str, set[Field]] = {}
    for path, persona in itertools.product(paths, PERSONAS):
        if path.endswith(DOWNLOADS):
            continue
        response = personas.clients[persona].get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for action, fields in FormsOfPage(path, response.content.decode()).forms.items():
                found.setdefault(action, set()).update(fields)
    return found


def post_hostile_bodies(
    personas: Personas,
    bodies_of: st.SearchStrategy[Body],
    target: tuple[str, str, str],
    outcomes: Counter[tuple[str, bool]],
    examples: int,
) -> None:
    """Hostile bodies to one endpoint as one persona; counts whether each reached the view."""
    name, path, persona = target

    @hypothesis_settings(max_examples=examples, database=None, suppress_health_check=list(HealthCheck))
    @given(body=bodies_of)
    def post(body: Body) -> None:
        response = post_and_check(personas, name, path, persona, body)
        outcomes[(name, reached(response))] += 1

    post()


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_no_hostile_body_answers_5xx_or_writes(
    municipalities: object, framework: object, submitted: Callable[..., Check]
) -> None:
    seeded = seed(framework, submitted)
    personas = Personas(seeded)
    names = field_names()
    outcomes: Counter[tuple[str, bool]] = Counter()
    started = time.monotonic()
    targets, writing = post_endpoints(personas, seeded)
    assert writing == TAKES_NO_INPUT

    probed = time.monotonic()
    forms = forms_by_action(personas, [path for _, path in endpoints(seeded)])
    discovered = time.monotonic()
    for target in targets:
        fields = tuple(sorted(forms.get(target.path, set()), key=str))
        json_endpoint = wants_json(RequestFactory().post(target.path))  # a page's script calls it
        bodies_of = bodies(names, fields, json_endpoint=json_endpoint)
        for persona in PERSONAS:
            examples = (
                EXAMPLES * (4 if json_endpoint else 1) if persona in target.reaching else EXAMPLES_REFUSED
            )
            post_hostile_bodies(personas, bodies_of, (target.name, target.path, persona), outcomes, examples)

    total = sum(outcomes.values())
    share = sum(n for (_, was), n in outcomes.items() if was) / total
    per_endpoint = {target.name: outcomes[(target.name, True)] for target in targets}
    summary = (
        f"{len(targets)} endpoints, {total} requests, reached {share:.0%}; probe {probed - started:.0f} s,"
        f" forms {discovered - probed:.0f} s, bodies {time.monotonic() - discovered:.0f} s"
    )
    print(summary, per_endpoint)
    assert share >= MIN_REACHED, (summary, per_endpoint)
    assert len(targets) >= 45, [target.name for target in targets]
    assert all(per_endpoint.values()), per_endpoint  # every endpoint was reached by some persona
