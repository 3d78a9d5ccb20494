"""Defects of accepting a plan, each fixed with a test: the core role goes with a core place (to a new
team and through a lead's change), people who left the pool are not asked, FREE mode removes only the
members the page said it may move, a plan made before the teams changed is refused, open offers count
as load, a team without a lead has its change decided by the running organisation's staff, and a
change for an archived team is closed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from bansou.domain import planning
from bansou.domain.coverage import CORE_ROLES
from bansou.domain.planning.codec import dumps
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.models import Membership
from bansou.placements import acceptance, models
from bansou.placements.models import ChangeProposal, PlacementPlan
from bansou.placements.pool import plan_pool
from bansou.teams import offers
from bansou.teams.models import Offer, Team, TeamMember
from tests.placements.conftest import FY, World, planned, world

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


def test_people_who_left_the_pool_since_the_plan_are_not_asked(world: World) -> None:
    plan = planned(world)
    new_team = next(t for t in plan.quick["plan"]["teams"] if t["target"] != world.team.municipality_id)
    gone = int(new_team["members"][0])
    Membership.objects.filter(organisation=world.org, user_id=gone).update(in_pool=False)
    page = _accept(world, plan)
    assert "人材プールを離れた1人には、参加を依頼していません" in page
    assert not Offer.objects.filter(user_id=gone).exists()
    assert Offer.objects.filter(team__organisation=world.org).exists()
    # a lead's change does not ask them either
    ChangeProposal.objects.all().delete()
    Offer.objects.filter(team=world.team).delete()
    change = ChangeProposal.objects.create(
        team=world.team, plan=plan, add=[[gone, False, []], [world.pool[1].pk, False, []]]
    )
    acceptance.decide(change=change, by=world.lead, accept=True)
    assert set(Offer.objects.filter(team=world.team).values_list("user_id", flat=True)) == {world.pool[1].pk}


def test_free_mode_removes_only_the_members_the_plan_treated_as_movable(world: World) -> None:
    plan = planned(world, changes="free")
    assert all(t["movable"] == [] for t in plan.targets)  # the team's members are outside the pool
    Membership.objects.create(organisation=world.org, user=world.member, in_pool=True)  # joins it since
    _accept(world, plan)
    assert all(world.member.pk not in c.remove for c in ChangeProposal.objects.all())
    assert TeamMember.objects.filter(team=world.team, user=world.member).exists()


def test_a_plan_made_before_the_teams_changed_is_refused(world: World) -> None:
    first, second = planned(world), planned(world)
    _accept(world, first)
    teams = Team.objects.filter(organisation=world.org).count()
    assert teams == 5
    page = _accept(world, second)
    assert "計画を作ってから、チームが変わりました。計画を作り直してください。" in page
    second.refresh_from_db()
    assert second.accepted_at is None and Team.objects.filter(organisation=world.org).count() == teams
    assert not ChangeProposal.objects.filter(plan=second).exists()


def test_a_plan_whose_team_was_archived_since_is_refused(world: World) -> None:
    plan = planned(world)
    Team.objects.filter(pk=world.team.pk).update(archived_at=timezone.now())
    page = _accept(world, plan)
    assert "計画を作り直してください" in page
    assert Team.objects.filter(organisation=world.org).count() == 1


def test_open_offers_of_an_accepted_plan_count_as_load_in_the_next_plan(world: World) -> None:
    first = planned(world)
    _accept(world, first)
    asked = set(
        Offer.objects.filter(team__organisation=world.org, answered_at=None).values_list("user_id", flat=True)
    )
    pool = plan_pool(
        world.org.pk, framework_of(current_version()), FY, timezone.localdate(),
        lgcodes=[world.places[0].lgcode], team_ids=[world.team.pk],
    )  # fmt: skip
    loads = {int(s.key): s.person.load for s in pool.supporters}
    assert asked and all(loads[pk] >= 1 for pk in asked)
    assert all(loads[s.pk] == 0 for s in world.pool if s.pk not in asked)


def test_the_running_organisations_staff_decide_a_change_for_a_team_with_no_lead(world: World) -> None:
    plan = planned(world)
    url = reverse("placements:change", args=[_change_for(world, plan).public_id])
    staff = world.client("staff")
    assert "この変更を受け入れる" not in staff.get(url).content.decode()  # the team has a lead
    assert staff.post(url, {"answer": "decline"}).status_code == 404
    TeamMember.objects.filter(team=world.team).delete()  # as a team a plan made: nobody answered yet
    page = staff.get(url).content.decode()
    assert "この変更を受け入れる" in page and "組織の職員が決めます" in page
    staff.post(url, {"answer": "accept"})
    assert ChangeProposal.objects.get().status == "accepted"
    assert list(Offer.objects.filter(team=world.team).values_list("user_id", flat=True)) == [world.pool[0].pk]


def test_accepting_a_change_for_an_archived_team_closes_it(world: World) -> None:
    plan = planned(world)
    change = _change_for(world, plan)
    Team.objects.filter(pk=world.team.pk).update(archived_at=timezone.now())
    url = reverse("placements:change", args=[change.public_id])
    page = world.client("lead").post(url, {"answer": "accept"}, follow=True).content.decode()
    change.refresh_from_db()
    assert change.status == "closed" and not Offer.objects.filter(team=world.team).exists()
    assert "この提案は締め切りました" in page and "回答待ち" not in page
    detail = world.client("staff").get(
        reverse("placements:detail", args=[world.org.public_id, plan.public_id])
    )
    assert "締め切り（チームはアーカイブ済み）" in detail.content.decode()


def _change_for(world: World, plan: object) -> ChangeProposal:
    return ChangeProposal.objects.create(team=world.team, plan=plan, add=[[world.pool[0].pk, False, []]])


@pytest.mark.parametrize(
    ("exact", "too_large", "words"),
    [
        (False, False, "厳密な計画を計算してください"),
        (True, False, "厳密な計画でも、計画は見つかりませんでした"),
        (False, True, "市町村を分けて、計画を作り直してください"),
    ],
)
def test_with_no_plan_found_the_page_says_the_next_step_and_no_gaps(
    world: World, monkeypatch: pytest.MonkeyPatch, exact: bool, too_large: bool, words: str
) -> None:
    plan = planned(world)
    none = dumps(planning.PlanOutcome())
    PlacementPlan.objects.filter(pk=plan.pk).update(quick=none, exact=none if exact else None)
    if too_large:
        monkeypatch.setattr(models, "EXACT_LIMIT", (plan.candidates or 1) - 1)
    url = reverse("placements:detail", args=[world.org.public_id, plan.public_id])
    page = world.client("staff").get(url).content.decode()
    assert words in page
    assert "満たせない力" not in page and "ありません。どの市町村のチームも" not in page
    assert reverse("placements:gaps_csv", args=[world.org.public_id, plan.public_id]) not in page


def test_the_gaps_note_says_how_sure_the_plan_is(world: World) -> None:
    plan = planned(world)
    client = world.client("staff")
    url = reverse("placements:detail", args=[world.org.public_id, plan.public_id])
    page = client.get(url).content.decode()
    assert "この計画の市町村全体で満たせない力" in page and "県全体" not in page
    assert "厳密な計画では少なくなることがあります" in page and "これより少なくできません" not in page
    client.post(reverse("placements:exact", args=[world.org.public_id, plan.public_id]))
    plan.refresh_from_db()
    status = plan.exact["plan"]["status"]
    page = client.get(url).content.decode()
    assert ("これより少なくできません" in page) == (status == "optimal")
    assert "厳密な計画では少なくなることがあります" not in page
