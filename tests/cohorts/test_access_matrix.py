"""Every URL of 研修 and the organisation's overview, for every persona: the HTTP status, written out by
hand from PRODUCT.md ("Privacy and access"), not computed from the application's rule functions.

anonymous → 302 to the login page everywhere; signed in with no part in the 研修 → 404; a participant
or organiser lacking the right → 403; allowed → 200 for a page, 302 for an action that succeeded (400
for a form posted empty). The 研修's page is for its participants and organisers (staff of the running
organisation); handing in and leaving for participants; status, totals, projector, settings, the join
code and closing for organisers. The overview is for the organisation's staff.

Personas (``tests/cohorts/conftest.py``): organiser administers the organisation running the 研修;
participant takes part in it; other_participant takes part in another organisation's 研修; org_supporter
is a supporter (not staff) of the running organisation; other_staff administers the other organisation.
Every response is kept by no cache (``Cache-Control: no-store``), and HEAD on a page answers as GET does
(``tests/caching.py``). Each case runs in a fresh world, so actions that change something are asked of
every persona.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from pytest_django import Settings

from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.cohorts.models import Cohort, Participant, Phase, Submission
from bansou.invitations.codes import format_code
from bansou.invitations.models import Kind
from bansou.invitations.services import find_usable
from tests.caching import get_and_head, private
from tests.cohorts.conftest import World
from tests.conftest import make_user

PERSONAS = ("organiser", "participant", "other_participant", "org_supporter", "other_staff", "anonymous")
MISSING_ID = "6f1c2a4e-0000-4000-8000-000000000000"


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def row(*statuses: int) -> dict[str, int]:
    return dict(zip(PERSONAS, statuses, strict=True))


# (name, method, url builder, data, expected statuses by persona)
CASES: list[tuple[str, str, object, dict[str, str], dict[str, int]]] = [
    ("list", "get", lambda w: reverse("cohorts:list"), {}, row(200, 200, 200, 200, 200, 302)),
    ("create page", "get", lambda w: reverse("cohorts:create"), {}, row(200, 403, 403, 403, 200, 302)),
    ("join by code", "get", lambda w: reverse("cohorts:join_by_code"), {}, row(200, 200, 200, 200, 200, 302)),
    (
        "join page",
        "get",
        lambda w: reverse("cohorts:join", args=[format_code(w.code)]),
        {},
        row(200, 302, 200, 200, 200, 302),  # a participant is sent to the 研修's page
    ),
    (
        "unknown code",
        "get",
        lambda w: reverse("cohorts:join", args=["3333-4444-6666"]),
        {},
        row(404, 404, 404, 404, 404, 302),
    ),
    (
        "detail",
        "get",
        lambda w: reverse("cohorts:detail", args=[w.cohort.public_id]),
        {},
        row(200, 200, 404, 404, 404, 302),
    ),
    (
        "missing",
        "get",
        lambda w: reverse("cohorts:detail", args=[MISSING_ID]),
        {},
        row(404, 404, 404, 404, 404, 302),
    ),
    (
        "malformed",
        "get",
        lambda w: reverse("cohorts:detail", args=["not-a-uuid"]),
        {},
        row(404, 404, 404, 404, 404, 302),
    ),
    (
        "start a check",
        "post",
        lambda w: reverse("cohorts:start_check", args=[w.cohort.public_id]),
        {},
        row(403, 302, 404, 404, 404, 302),  # a participant is sent to the sheet
    ),
    (
        "hand in",
        "post",
        lambda w: reverse("cohorts:hand_in", args=[w.cohort.public_id, "pre"]),
        {},
        row(403, 302, 404, 404, 404, 302),
    ),
    (
        "hand in, unknown phase",
        "post",
        lambda w: reverse("cohorts:hand_in", args=[w.cohort.public_id, "mid"]),
        {},
        row(403, 404, 404, 404, 404, 302),
    ),
    (
        "leave page",
        "get",
        lambda w: reverse("cohorts:leave", args=[w.cohort.public_id]),
        {},
        row(403, 200, 404, 404, 404, 302),
    ),
    (
        "leave",
        "post",
        lambda w: reverse("cohorts:leave", args=[w.cohort.public_id]),
        {},
        row(403, 302, 404, 404, 404, 302),
    ),
    (
        "results",
        "get",
        lambda w: reverse("cohorts:results", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "results pdf",
        "get",
        lambda w: reverse("cohorts:results_pdf", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "results xlsx",
        "get",
        lambda w: reverse("cohorts:results_xlsx", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "results csv",
        "get",
        lambda w: reverse("cohorts:results_csv", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "paper page",
        "get",
        lambda w: reverse("cohorts:paper", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "paper, posted empty",
        "post",
        lambda w: reverse("cohorts:paper", args=[w.cohort.public_id]),
        {},
        row(400, 403, 404, 404, 404, 302),
    ),
    (
        "paper workbook",
        "get",
        lambda w: reverse("cohorts:paper_xlsx", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "projector",
        "get",
        lambda w: reverse("cohorts:projector", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "settings",
        "get",
        lambda w: reverse("cohorts:settings", args=[w.cohort.public_id]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "settings, posted empty",
        "post",
        lambda w: reverse("cohorts:settings", args=[w.cohort.public_id]),
        {},
        row(400, 403, 404, 404, 404, 302),
    ),
    (
        "new code",
        "post",
        lambda w: reverse("cohorts:new_code", args=[w.cohort.public_id]),
        {},
        row(302, 403, 404, 404, 404, 302),
    ),
    (
        "close page",
        "get",
        lambda w: reverse("cohorts:close", args=[w.cohort.public_id, "pre"]),
        {},
        row(200, 403, 404, 404, 404, 302),
    ),
    (
        "close",
        "post",
        lambda w: reverse("cohorts:close", args=[w.cohort.public_id, "pre"]),
        {},
        row(302, 403, 404, 404, 404, 302),
    ),
    (
        "overview",
        "get",
        lambda w: reverse("cohorts:org_overview", args=[w.org.public_id]),
        {},
        row(200, 404, 404, 403, 404, 302),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_status(
    world: World,
    persona: str,
    name: str,
    method: str,
    url: object,
    data: dict[str, str],
    expected: dict[str, int],
) -> None:
    target = url(world)  # type: ignore[operator]
    client = world.client(persona)
    response = get_and_head(client, target, data) if method == "get" else private(client.post(target, data))
    assert response.status_code == expected[persona], f"{name} as {persona}"
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.django_db
def test_organisers_never_reach_a_participants_answers(world: World, submitted: Callable[..., Check]) -> None:
    """With totals on show (six hand-ins, both phases closed), no organiser page names a check or
    links to one; the check itself stays the participant's alone."""
    for n in range(5):
        user = make_user(f"more{n}", f"参加 {n}号")
        participant, _ = services.join(cohort=world.cohort, user=user)
        check = submitted(user)
        services.hand_in(participant=participant, phase=Phase.PRE, check_public_id=str(check.public_id))
    services.close_phase(cohort=world.cohort, phase=Phase.PRE)
    services.close_phase(cohort=world.cohort, phase=Phase.POST)
    checks = list(Check.objects.filter(owner__cohort_seats__cohort=world.cohort))
    assert len(checks) == 6
    organiser = world.client("organiser")
    results = organiser.get(reverse("cohorts:results", args=[world.cohort.public_id])).content.decode()
    assert "事前（6人）" in results  # totals are shown
    for url in (
        reverse("cohorts:detail", args=[world.cohort.public_id]),
        reverse("cohorts:results", args=[world.cohort.public_id]),
        reverse("cohorts:projector", args=[world.cohort.public_id]),
        reverse("cohorts:org_overview", args=[world.org.public_id]),
    ):
        html = organiser.get(url).content.decode()
        assert "/checks/" not in html.split("<main")[1], url
        for check in checks:
            assert str(check.public_id) not in html, url
    for check in checks:
        assert organiser.get(reverse("checks:result", args=[check.public_id])).status_code == 404


@pytest.mark.django_db
def test_only_what_the_allowed_persona_did_happened(world: World) -> None:
    """A refused action leaves nothing behind; an allowed one has its effect."""
    for persona in ("participant", "other_participant", "org_supporter", "other_staff"):
        world.client(persona).post(reverse("cohorts:new_code", args=[world.cohort.public_id]))
        world.client(persona).post(reverse("cohorts:close", args=[world.cohort.public_id, "pre"]))
    world.cohort.refresh_from_db()
    usable = find_usable(world.code, Kind.COHORT)
    assert (usable is not None and usable.target_id == world.cohort.pk, world.cohort.pre_closed_at) == (
        True,
        None,
    )
    for persona in ("organiser", "other_participant", "org_supporter", "other_staff"):
        world.client(persona).post(reverse("cohorts:leave", args=[world.cohort.public_id]))
    assert Participant.objects.filter(cohort=world.cohort).count() == 1
    world.client("participant").post(reverse("cohorts:leave", args=[world.cohort.public_id]))
    assert not Participant.objects.filter(cohort=world.cohort).exists()
    assert not Submission.objects.filter(participant__cohort=world.cohort).exists()
    assert Check.objects.filter(owner=world.people["participant"]).exists()  # their check stays theirs
    assert Cohort.objects.filter(pk=world.cohort.pk).exists()


ROUTE_OF_CASE = {
    "list": "cohorts:list",
    "create page": "cohorts:create",
    "join by code": "cohorts:join_by_code",
    "join page": "cohorts:join",
    "detail": "cohorts:detail",
    "start a check": "cohorts:start_check",
    "hand in": "cohorts:hand_in",
    "leave": "cohorts:leave",
    "results": "cohorts:results",
    "results pdf": "cohorts:results_pdf",
    "results xlsx": "cohorts:results_xlsx",
    "results csv": "cohorts:results_csv",
    "paper page": "cohorts:paper",
    "paper workbook": "cohorts:paper_xlsx",
    "projector": "cohorts:projector",
    "settings": "cohorts:settings",
    "new code": "cohorts:new_code",
    "close": "cohorts:close",
    "overview": "cohorts:org_overview",
}


def test_the_table_covers_every_route_of_cohorts() -> None:
    from bansou.cohorts.urls import urlpatterns

    assert set(ROUTE_OF_CASE) <= {case[0] for case in CASES}
    routes = {f"cohorts:{p.name}" for p in urlpatterns}
    assert routes == set(ROUTE_OF_CASE.values())
