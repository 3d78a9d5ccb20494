"""Offers of a place in a team: the services (one open offer per person, idempotent answers, withdrawing,
archived teams), a team with no member yet, the person's pages, and the team list's query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bansou.accounts.deletion import delete_account
from bansou.places.models import Municipality
from bansou.sharing.models import CheckShare
from bansou.teams import offers, services
from bansou.teams.models import Offer, Team, TeamMember
from tests.conftest import make_user
from tests.teams.conftest import THIS_YEAR, World

pytestmark = pytest.mark.django_db


def _offer(
    world: World, persona: str = "candidate", *, lead: bool = False, team: Team | None = None
) -> Offer:
    made = offers.offer(
        team=team or world.team,
        people=[(world.people[persona].pk, lead)],
        by=world.people["staff"],
        reason=offers.Reason.PLACEMENT,
    )
    return made[0]


# Services -------------------------------------------------------------------------------------------


def test_an_offer_asks_each_person_once_and_never_a_member(world: World) -> None:
    people = world.people
    made = offers.offer(
        team=world.team,
        people=[
            (people["candidate"].pk, True),
            (people["member"].pk, False),
            (people["candidate"].pk, False),
        ],
        by=people["lead"],
        reason=offers.Reason.PLACEMENT,
    )
    assert [(o.user_id, o.is_lead) for o in made] == [(people["candidate"].pk, True)]
    again = offers.offer(
        team=world.team, people=[(people["candidate"].pk, False)], by=people["lead"], reason="placement"
    )
    assert again == []
    assert Offer.objects.filter(team=world.team).count() == 1
    assert made[0].offered_by == people["lead"] and made[0].answered_at is None


def test_accepting_makes_a_member_once_and_a_second_answer_changes_nothing(world: World) -> None:
    offer = _offer(world, lead=True)
    member = offers.answer(offer=offer, accept=True)
    assert member is not None and member.is_lead and member.user == world.people["candidate"]
    assert member.affiliation == world.org  # the candidate belongs to the running organisation
    assert offers.answer(offer=offer, accept=False) == member
    offer.refresh_from_db()
    assert offer.accepted is True
    assert TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).count() == 1
    assert not CheckShare.objects.filter(team=world.team, owner=world.people["candidate"]).exists()


def test_declining_stands_and_a_new_offer_may_follow(world: World) -> None:
    offer = _offer(world)
    assert offers.answer(offer=offer, accept=False) is None
    assert offers.answer(offer=offer, accept=True) is None
    assert not TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).exists()
    offer.refresh_from_db()
    assert offer.accepted is False and offer.answered_at is not None
    assert len(offers.offer(team=world.team, people=[(world.people["candidate"].pk, False)],
                            by=world.people["lead"], reason="placement")) == 1  # fmt: skip


def test_an_archived_teams_offers_are_closed(world: World) -> None:
    offer = _offer(world)
    services.archive_team(team=world.team, archived=True)
    with pytest.raises(offers.Closed):
        offers.answer(offer=offer, accept=True)
    with pytest.raises(offers.Closed):
        _offer(world, "other_team_member")
    offer.refresh_from_db()
    assert offer.answered_at is not None and offer.accepted is None  # closed, not answered
    assert offers.open_offers(world.people["candidate"]) == []
    assert not TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).exists()


def test_taking_a_team_out_of_the_archive_does_not_reopen_its_offers(world: World) -> None:
    offer = _offer(world)
    services.archive_team(team=world.team, archived=True)
    services.archive_team(team=world.team, archived=False)
    offer.refresh_from_db()
    assert not offer.is_open and offer.accepted is None
    assert offers.open_offers(world.people["candidate"]) == []
    with pytest.raises(offers.Closed):
        offers.answer(offer=offer, accept=True)
    assert not TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).exists()
    client = world.client("candidate")
    text = client.get(reverse("teams:offer", args=[offer.public_id])).content.decode()
    assert "締め切られました" in text and 'value="accept"' not in text
    answered = client.post(reverse("teams:offer", args=[offer.public_id]), {"answer": "accept"}, follow=True)
    assert "締め切られたため" in answered.content.decode()
    page = world.client("staff").get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    assert "締め切り" in page


def test_withdrawing_removes_only_an_open_offer(world: World) -> None:
    offer = _offer(world)
    offers.withdraw(offer=offer)
    assert not Offer.objects.filter(pk=offer.pk).exists()
    with pytest.raises(Offer.DoesNotExist):
        offers.answer(offer=offer, accept=True)
    answered = _offer(world)
    offers.answer(offer=answered, accept=False)
    offers.withdraw(offer=answered)
    assert Offer.objects.filter(pk=answered.pk).exists()


def test_a_second_answer_never_brings_back_someone_who_left(world: World) -> None:
    offer = _offer(world)
    member = offers.answer(offer=offer, accept=True)
    assert member is not None
    services.leave(member=member)
    assert offers.answer(offer=offer, accept=True) is None
    assert not TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).exists()


def test_withdrawing_says_how_many_went_and_a_closed_offer_stays(world: World) -> None:
    offer = _offer(world)
    offers.answer(offer=offer, accept=False)
    response = world.client("staff").post(
        reverse("teams:withdraw_offer", args=[world.team.public_id, offer.public_id]), follow=True
    )
    text = response.content.decode()
    assert "依頼はそのまま残っています" in text and "への依頼を取り消しました" not in text
    assert Offer.objects.filter(pk=offer.pk).exists()
    assert offers.withdraw(offer=offer) == 0
    assert offers.withdraw(offer=_offer(world)) == 1


def test_an_offered_team_has_no_member_and_offers_to_each(world: World) -> None:
    people = world.people
    team = offers.create_offered_team(
        organisation=world.org,
        municipality=Municipality.objects.get(lgcode="131032"),
        fiscal_year=THIS_YEAR,
        name="配置チーム",
        needed=2,
        by=people["staff"],
        people=[(people["candidate"].pk, True), (people["member"].pk, False)],
        reason=offers.Reason.PLACEMENT,
    )
    assert team.organisation == world.org and team.needed == 2 and not team.members.exists()
    assert {(o.user_id, o.is_lead) for o in team.offers.all()} == {
        (people["candidate"].pk, True),
        (people["member"].pk, False),
    }


def test_open_offers_are_the_persons_unanswered_on_live_teams(world: World) -> None:
    mine = _offer(world)
    _offer(world, "other_team_member")
    found = offers.open_offers(world.people["candidate"])
    assert found == [mine]
    offers.answer(offer=mine, accept=False)
    assert offers.open_offers(world.people["candidate"]) == []


# Pages ----------------------------------------------------------------------------------------------


def test_the_offer_page_answers_and_leads_to_sharing(world: World) -> None:
    offer = _offer(world, lead=True)
    client = world.client("candidate")
    page = client.get(reverse("teams:offer", args=[offer.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert world.team.listing in text and "県庁 四郎" in text and "配置計画" in text and "参加する" in text
    response = client.post(reverse("teams:offer", args=[offer.public_id]), {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("teams:share", args=[world.team.public_id])
    again = client.post(reverse("teams:offer", args=[offer.public_id]), {"answer": "decline"})
    assert again["Location"] == reverse("teams:offer", args=[offer.public_id])
    assert TeamMember.objects.get(team=world.team, user=world.people["candidate"]).is_lead


def test_a_wrong_answer_writes_nothing(world: World) -> None:
    offer = _offer(world)
    client = world.client("candidate")
    for body in ({}, {"answer": "yes"}, {"answer": "accept\x00"}):
        response = client.post(reverse("teams:offer", args=[offer.public_id]), body)
        assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.answered_at is None


def test_the_team_list_shows_open_offers_first(world: World) -> None:
    offer = _offer(world)
    text = world.client("candidate").get(reverse("teams:list")).content.decode()
    assert "チームへの参加の依頼" in text
    assert reverse("teams:offer", args=[offer.public_id]) in text
    assert text.index("チームへの参加の依頼") < text.index("まだ参加しているチームはありません")


def test_the_team_list_query_count_does_not_grow_with_offers(world: World) -> None:
    client = world.client("candidate")
    places = list(Municipality.objects.filter(prefecture_id="13").order_by("lgcode")[:12])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("teams:list")).status_code == 200
        return len(queries)

    def offered(place: Municipality) -> None:
        offers.create_offered_team(
            organisation=world.org, municipality=place, fiscal_year=THIS_YEAR, name="", needed=1,
            by=world.people["staff"], people=[(world.people["candidate"].pk, False)], reason="placement",
        )  # fmt: skip

    offered(places[0])
    one = count()
    for place in places[1:]:
        offered(place)
    assert count() == one


def test_an_offered_team_renders_for_staff_and_lists_the_answers(world: World) -> None:
    people = world.people
    team = offers.create_offered_team(
        organisation=world.org,
        municipality=Municipality.objects.get(lgcode="131032"),
        fiscal_year=THIS_YEAR,
        name="配置チーム",
        needed=1,
        by=people["staff"],
        people=[(people["candidate"].pk, True), (people["member"].pk, False)],
        reason=offers.Reason.PLACEMENT,
    )
    declined = team.offers.get(user=people["member"])
    offers.answer(offer=declined, accept=False)
    page = world.client("staff").get(reverse("teams:detail", args=[team.public_id]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "まだメンバーはいません" in text and "回答待ち" in text and "辞退" in text
    assert "補完 六子" in text and "調整 二郎" in text
    open_offer = team.offers.get(user=people["candidate"])
    assert reverse("teams:withdraw_offer", args=[team.public_id, open_offer.public_id]) in text
    assert reverse("teams:withdraw_offer", args=[team.public_id, declined.public_id]) not in text
    # Asked but not in it yet: no part in the team.
    assert world.client("candidate").get(reverse("teams:detail", args=[team.public_id])).status_code == 404


def test_the_offer_page_says_who_sees_the_answer_and_the_affiliation(world: World) -> None:
    offer = _offer(world)
    text = world.client("candidate").get(reverse("teams:offer", args=[offer.public_id])).content.decode()
    assert "依頼した人には「辞退」と表示されます" not in text
    assert "このチームのリーダーと、チームを運営する組織の職員" in text and "PDF" in text
    assert "所属は自動で決まります" in text and "東京都 福祉局" in text


def test_the_offer_page_of_an_archived_team_says_it_is_closed(world: World) -> None:
    offer = _offer(world)
    services.archive_team(team=world.team, archived=True)
    client = world.client("candidate")
    text = client.get(reverse("teams:offer", args=[offer.public_id])).content.decode()
    assert "締め切られました" in text and 'value="accept"' not in text
    client.post(reverse("teams:offer", args=[offer.public_id]), {"answer": "accept"})
    assert not TeamMember.objects.filter(team=world.team, user=world.people["candidate"]).exists()


# My data and deletion -------------------------------------------------------------------------------


def test_my_data_lists_offers_and_deleting_the_account_deletes_them(world: World) -> None:
    from bansou.accounts.mydata import collect

    offer = _offer(world, lead=True)
    data = collect(world.people["candidate"])
    assert data["team_offers"][0]["reason"] == "placement" and data["team_offers"][0]["is_lead"] is True
    asked_by_staff = offer.offered_by
    delete_account(world.people["candidate"])
    assert not Offer.objects.filter(pk=offer.pk).exists()
    assert asked_by_staff is not None
    staff_offer = _offer(world, "other_team_member")
    delete_account(world.people["staff"])
    staff_offer.refresh_from_db()
    assert staff_offer.offered_by is None


def test_a_team_with_someone_still_asked_outlives_its_only_member(world: World) -> None:
    alone = services.create_team(
        user=world.people["candidate"],
        municipality=Municipality.objects.get(lgcode="131032"),
        fiscal_year=THIS_YEAR,
        name="ひとり",
    )
    newcomer = make_user("newcomer", "新人 七子")
    offers.offer(team=alone, people=[(newcomer.pk, True)], by=world.people["candidate"], reason="renewal")
    delete_account(world.people["candidate"])
    assert Team.objects.filter(pk=alone.pk).exists()
    assert Offer.objects.get(team=alone).offered_by is None


def test_the_team_page_costs_the_same_for_one_offer_and_ten(world: World) -> None:
    client = world.client("staff")
    url = reverse("teams:detail", args=[world.team.public_id])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _offer(world)
    one = count()
    asked = [make_user(f"asked{n}", f"依頼 {n}") for n in range(9)]
    offers.offer(
        team=world.team, people=[(u.pk, False) for u in asked], by=world.people["staff"], reason="placement"
    )
    assert count() == one


def test_joining_by_an_invitation_closes_the_open_offer(world: World) -> None:
    offer = _offer(world)
    invitation = services.invite(team=world.team, by=world.people["lead"])
    services.join(
        invitation=invitation.invitation, user=world.people["candidate"], roles=[], affiliation=None
    )
    offer.refresh_from_db()
    assert offer.answered_at is not None and offer.accepted is None
    assert offers.open_offers(world.people["candidate"]) == []
    page = world.client("staff").get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    assert "回答待ち" not in page and "参加" in page
    assert reverse("teams:withdraw_offer", args=[world.team.public_id, offer.public_id]) not in page


def test_an_offer_left_open_to_someone_who_joined_is_not_open(world: World) -> None:
    offer = _offer(world)
    TeamMember.objects.create(team=world.team, user=world.people["candidate"])  # joined before the fix
    assert offers.open_offers(world.people["candidate"]) == []
    page = world.client("staff").get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    assert "回答待ち" not in page
    assert reverse("teams:withdraw_offer", args=[world.team.public_id, offer.public_id]) not in page
