"""Every URL of offers and of carrying a team into the next 年度, for every persona: the HTTP status,
written out by hand from the rules (not computed from ``bansou.domain.access``).

The offer page is the offered person's alone: 404 for everyone else, the team's lead and the running
organisation's staff included (they see the offer on the team's page). Being offered a place gives no
part in the team: the offered person gets 404 on the team's pages until they accept. Withdrawing an open
offer and carrying the team: its leads and the running organisation's staff; a member who is not a lead
403; anyone without a part in the team 404; anonymous 302 to the login page.

The personas (``tests/teams/conftest.py``): offered is the candidate (in the organisation's pool, not in
the team), asked to take a place in the team; other leads another organisation's team; lead leads the
team, member is in it; staff administers the organisation that runs it; other_staff another
organisation. A write is asked by each persona in the same world, each in a savepoint rolled back after
it (cheaper than a fresh world each), and its effect checked to have happened for exactly the personas
allowed it. Asking someone to lead: only a team with no lead (the offered team) takes it, from a
steward; a team with a lead answers its stewards with a message and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse

from bansou.places.models import Municipality
from bansou.teams import offers
from bansou.teams.models import Offer, Team, TeamMember
from tests.caching import get_and_head, private
from tests.teams.conftest import THIS_YEAR, World

pytestmark = pytest.mark.django_db

PERSONAS = ("offered", "other", "lead", "member", "staff", "other_staff", "anonymous")
WHO = {"offered": "candidate", "other": "other_team_member"}
MISSING_ID = "6f1c2a4e-0000-4000-8000-000000000000"


@dataclass
class Scene:
    world: World
    offer: Offer  # to the candidate, in the team
    other_offer: Offer  # to the candidate, in the other organisation's team
    offered_team: Team  # run by the organisation, with no member yet: the candidate is asked to lead it

    @classmethod
    def of(cls, world: World) -> Scene:
        people = world.people

        def ask(team: Team, by: str) -> Offer:
            made = offers.offer(
                team=team, people=[(people["candidate"].pk, False)], by=people[by], reason="placement"
            )
            return made[0]

        offered_team = offers.create_offered_team(
            organisation=world.org, municipality=Municipality.objects.get(lgcode="131032"),
            fiscal_year=THIS_YEAR, name="配置", needed=1, by=people["staff"],
            people=[(people["candidate"].pk, True)], reason="placement",
        )  # fmt: skip
        return cls(world, ask(world.team, "staff"), ask(world.other_team, "other_team_member"), offered_team)

    def arg(self, symbol: str) -> str:
        return {
            "team": str(self.world.team.public_id),
            "offered-team": str(self.offered_team.public_id),
            "offer": str(self.offer.public_id),
            "offer-other": str(self.other_offer.public_id),
            "missing": MISSING_ID,
            "malformed": "not-a-uuid",
        }[symbol]

    def client(self, persona: str):  # type: ignore[no-untyped-def]
        return self.world.client(WHO.get(persona, persona))


Effect = Callable[[Scene], bool]


def accepted(scene: Scene) -> bool:
    return TeamMember.objects.filter(team=scene.world.team, user=scene.world.people["candidate"]).exists()


def withdrawn(scene: Scene) -> bool:
    return not Offer.objects.filter(pk=scene.offer.pk).exists()


def other_withdrawn(scene: Scene) -> bool:
    return not Offer.objects.filter(pk=scene.other_offer.pk).exists()


def asked_to_lead(scene: Scene) -> bool:
    staff = scene.world.people["staff"]
    return Offer.objects.filter(team=scene.offered_team, user=staff, is_lead=True).exists()


def asked_to_lead_here(scene: Scene) -> bool:
    return Offer.objects.filter(team=scene.world.team, is_lead=True).exists()


def staff_as_person(scene: Scene) -> dict[str, str]:
    return {"person": str(scene.world.people["staff"].pk)}


def carried(scene: Scene) -> bool:
    return Team.objects.filter(carried_from=scene.world.team).exists()


@dataclass(frozen=True)
class Row:
    case: str
    method: str
    name: str
    args: tuple[str, ...]
    expected: tuple[int, ...]  # one per PERSONAS
    data: dict[str, str] | Callable[[Scene], dict[str, str]] | None = None
    effect: Effect | None = None
    effect_for: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        assert len(self.expected) == len(PERSONAS), self.case


GET, POST = "GET", "POST"
ACCEPT = {"answer": "accept"}
# fmt: off
ROWS = [
    # statuses:                   offered other lead member staff ostaff anon
    Row("offer page",              GET,  "teams:offer",          ("offer",),
                                 (200, 404, 404, 404, 404, 404, 302)),
    Row("offer answer",            POST, "teams:offer",          ("offer",),
                                 (302, 404, 404, 404, 404, 404, 302),
        ACCEPT, accepted, ("offered",)),
    Row("offer page, missing",     GET,  "teams:offer",          ("missing",),
                                 (404, 404, 404, 404, 404, 404, 302)),
    Row("offer page, malformed",   GET,  "teams:offer",          ("malformed",),
                                 (404, 404, 404, 404, 404, 404, 302)),
    Row("offered team's page",     GET,  "teams:detail",         ("offered-team",),
                                 (404, 404, 404, 404, 200, 404, 302)),
    Row("offered team's settings", GET,  "teams:settings",       ("offered-team",),
                                 (404, 404, 404, 404, 403, 404, 302)),
    Row("withdraw",                POST, "teams:withdraw_offer", ("team", "offer"),
                                 (404, 404, 302, 403, 302, 404, 302),
        {}, withdrawn, ("lead", "staff")),
    # Another team's offer under this team's address: nothing happens, for anybody.
    Row("withdraw other team's",   POST, "teams:withdraw_offer", ("team", "offer-other"),
                                 (404, 404, 404, 403, 404, 404, 302),
        {}, other_withdrawn, ()),
    Row("withdraw, missing",       POST, "teams:withdraw_offer", ("team", "missing"),
                                 (404, 404, 404, 403, 404, 404, 302)),
    Row("ask to lead",             POST, "teams:ask_lead",       ("offered-team",),
                                 (404, 404, 404, 404, 302, 404, 302),
        staff_as_person, asked_to_lead, ("staff",)),
    Row("ask to lead, has a lead", POST, "teams:ask_lead",       ("team",),
                                 (404, 404, 302, 403, 302, 404, 302),
        staff_as_person, asked_to_lead_here, ()),
    Row("carry (page)",            GET,  "teams:carry",          ("team",),
                                 (404, 404, 200, 403, 200, 404, 302)),
    Row("carry",                   POST, "teams:carry",          ("team",),
                                 (404, 404, 302, 403, 302, 404, 302),
        {}, carried, ("lead", "staff")),
    Row("carry, missing team",     POST, "teams:carry",          ("missing",),
                                 (404, 404, 404, 404, 404, 404, 302)),
]
# fmt: on


def _url(scene: Scene, row: Row) -> str:
    return reverse(row.name, args=[scene.arg(a) for a in row.args])


@pytest.mark.parametrize("row", [r for r in ROWS if r.method == GET], ids=lambda r: r.case.replace(" ", "_"))
def test_pages(world: World, row: Row) -> None:
    scene = Scene.of(world)
    url = _url(scene, row)
    for persona, expected in zip(PERSONAS, row.expected, strict=True):
        response = get_and_head(scene.client(persona), url)
        assert response.status_code == expected, (persona, row.case)
        if persona == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("row", [r for r in ROWS if r.method == POST], ids=lambda r: r.case.replace(" ", "_"))
def test_actions(world: World, row: Row) -> None:
    scene = Scene.of(world)
    data = row.data(scene) if callable(row.data) else row.data or {}
    for persona in PERSONAS:
        with transaction.atomic():  # each persona meets the same world: the write is rolled back
            response = private(scene.client(persona).post(_url(scene, row), data))
            assert response.status_code == row.expected[PERSONAS.index(persona)], (persona, row.case)
            if row.effect is not None:
                assert row.effect(scene) is (persona in row.effect_for), (persona, row.case)
            transaction.set_rollback(True)
