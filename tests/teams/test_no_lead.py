"""A team left with no lead (carried or offered by staff, the lead offer declined, a member accepting):
the team page says so to everyone who sees it, a steward asks a member (or, staff, a member of the
organisation) to lead, and the last open offer to lead of such a team cannot be withdrawn."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.teams import offers, renewal
from bansou.teams.models import Offer, Team, TeamMember
from tests.teams.conftest import World

pytestmark = pytest.mark.django_db


def _leaderless(world: World) -> Team:
    """Staff carry the team; the lead declines, the member accepts: nobody leads the new team."""
    people = world.people
    new = renewal.carry(team=world.team, by=people["staff"])
    offers.answer(offer=Offer.objects.get(team=new, user=people["lead"]), accept=False)
    offers.answer(offer=Offer.objects.get(team=new, user=people["member"]), accept=True)
    return new


def test_a_lead_declining_after_a_staff_carry_leaves_the_team_without_a_lead(world: World) -> None:
    new = _leaderless(world)
    assert not TeamMember.objects.filter(team=new, is_lead=True).exists()
    page = reverse("teams:detail", args=[new.public_id])
    for persona in ("staff", "member"):
        text = world.client(persona).get(page).content.decode()
        assert "リーダーがいません" in text, persona
    assert world.client("member").get(reverse("teams:settings", args=[new.public_id])).status_code == 403
    assert "回答を待っています" not in world.client("member").get(page).content.decode()
    offers.ask_to_lead(team=new, user_id=world.people["candidate"].pk, by=world.people["staff"])
    assert "回答を待っています" in world.client("member").get(page).content.decode()
    staff_text = world.client("staff").get(page).content.decode()
    assert reverse("teams:ask_lead", args=[new.public_id]) in staff_text
    member_text = world.client("member").get(page).content.decode()
    assert reverse("teams:ask_lead", args=[new.public_id]) not in member_text
    assert (
        "リーダーがいません"
        not in world.client("lead").get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    )  # the old team (archived) had its lead


def test_staff_ask_a_member_to_lead_and_accepting_makes_them_lead(world: World) -> None:
    new = _leaderless(world)
    member = world.people["member"]
    response = world.client("staff").post(
        reverse("teams:ask_lead", args=[new.public_id]), {"person": member.pk}, follow=True
    )
    assert "リーダーを頼みました" in response.content.decode()
    offer = Offer.objects.get(team=new, user=member, answered_at__isnull=True)
    assert offer.is_lead and offer.reason == "lead"
    assert offers.open_offers(member) == [offer]  # a plain member asked to lead still sees it
    text = world.client("member").get(reverse("teams:offer", args=[offer.public_id])).content.decode()
    assert "リーダーになってほしい" in text
    seat = offers.answer(offer=offer, accept=True)
    assert seat is not None and seat.is_lead
    assert TeamMember.objects.filter(team=new, user=member).count() == 1
    assert world.client("member").get(reverse("teams:settings", args=[new.public_id])).status_code == 200


def test_staff_may_ask_someone_new_of_the_organisation_to_lead(world: World) -> None:
    new = _leaderless(world)
    candidate = world.people["candidate"]  # in the organisation, not in the team
    assert candidate.pk in dict(offers.lead_candidates(new, staff=True))
    assert candidate.pk not in dict(offers.lead_candidates(new, staff=False))
    world.client("staff").post(reverse("teams:ask_lead", args=[new.public_id]), {"person": candidate.pk})
    offer = Offer.objects.get(team=new, user=candidate)
    assert offer.is_lead
    seat = offers.answer(offer=offer, accept=True)
    assert seat is not None and seat.is_lead


def test_nobody_outside_the_list_is_asked(world: World) -> None:
    new = _leaderless(world)
    stranger = world.people["other_staff"]
    response = world.client("staff").post(
        reverse("teams:ask_lead", args=[new.public_id]), {"person": stranger.pk}, follow=True
    )
    assert "一覧から選んでください" in response.content.decode()
    assert not Offer.objects.filter(team=new, user=stranger).exists()


def test_a_team_with_a_lead_is_not_asked_this_way(world: World) -> None:
    response = world.client("staff").post(
        reverse("teams:ask_lead", args=[world.team.public_id]), {"person": world.people["member"].pk}
    )
    assert response.status_code == 302
    assert not Offer.objects.filter(team=world.team).exists()


def test_the_last_open_offer_to_lead_of_a_team_without_a_lead_is_not_withdrawn(world: World) -> None:
    people = world.people
    new = renewal.carry(team=world.team, by=people["staff"])
    to_lead = Offer.objects.get(team=new, user=people["lead"])
    with pytest.raises(offers.LastLeadOffer):
        offers.withdraw(offer=to_lead)
    response = world.client("staff").post(
        reverse("teams:withdraw_offer", args=[new.public_id, to_lead.public_id]), follow=True
    )
    assert "リーダーを頼む最後の依頼" in response.content.decode()
    assert Offer.objects.filter(pk=to_lead.pk).exists()
    plain = Offer.objects.get(team=new, user=people["member"])
    assert offers.withdraw(offer=plain) == 1  # an offer to a plain place goes
    offers.ask_to_lead(team=new, user_id=people["candidate"].pk, by=people["staff"])
    assert offers.withdraw(offer=to_lead) == 1  # another offer to lead remains


def test_a_plain_member_and_an_offered_person_see_no_offers_on_the_team_page(world: World) -> None:
    people = world.people
    offers.offer(
        team=world.team, people=[(people["candidate"].pk, False)], by=people["staff"], reason="placement"
    )
    page = reverse("teams:detail", args=[world.team.public_id])
    member_text = world.client("member").get(page).content.decode()
    assert "参加を頼んだ人" not in member_text and "補完 六子" not in member_text
    assert world.client("candidate").get(page).status_code == 404  # asked, not in it: no part in the team
    new = renewal.carry(team=world.team, by=people["lead"])
    offers.answer(offer=Offer.objects.get(team=new, user=people["member"]), accept=True)
    text = world.client("member").get(reverse("teams:detail", args=[new.public_id])).content.decode()
    assert "参加を頼んだ人" not in text and "伴走 花子" not in text  # the owner, asked and not answered
    assert world.client("owner").get(reverse("teams:detail", args=[new.public_id])).status_code == 404
    assert (
        "参加を頼んだ人"
        in world.client("lead").get(reverse("teams:detail", args=[new.public_id])).content.decode()
    )
