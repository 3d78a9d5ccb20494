"""Carrying a team into the next 年度: the new team, the members asked again, the old team archived,
nothing shared carried over, once only (a double submit included), and the links between the two."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.deletion import delete_account, handovers
from bansou.invitations.models import Invitation
from bansou.orgs.models import Membership
from bansou.sharing.models import CheckShare
from bansou.teams import offers, renewal, services
from bansou.teams.models import Offer, Team, TeamMember
from tests.teams.conftest import THIS_YEAR, World

pytestmark = pytest.mark.django_db


def test_a_lead_carries_the_team_into_the_next_year(world: World) -> None:
    people, old = world.people, world.team
    services.change_team(
        team=old, municipality=old.municipality, fiscal_year=old.fiscal_year, name="第1班", needed=3
    )
    services.invite(team=old, by=people["lead"])
    new = renewal.carry(team=old, by=people["lead"])
    old.refresh_from_db()
    assert (new.municipality_id, new.fiscal_year, new.name, new.organisation, new.needed) == (
        old.municipality_id, old.fiscal_year + 1, "第1班", world.org, 3,
    )  # fmt: skip
    assert new.carried_from == old and list(old.carried_to.all()) == [new]
    assert old.archived_at is not None
    assert not Invitation.objects.filter(kind="team", target_id=old.pk, revoked_at__isnull=True).exists()
    (seat,) = TeamMember.objects.filter(team=new)
    assert seat.user == people["lead"] and seat.is_lead and seat.roles == ["core_promoter"]
    asked = {o.user_id: (o.reason, o.is_lead, o.roles) for o in Offer.objects.filter(team=new)}
    assert asked == {
        people["owner"].pk: ("renewal", False, ["coordinator"]),
        people["member"].pk: ("renewal", False, ["advisor"]),
    }
    assert not CheckShare.objects.filter(team=new).exists()  # sharing is per team
    assert CheckShare.objects.filter(team=old).count() == 3  # what was shared with the old team stays


def test_staff_carrying_join_nothing_and_ask_every_member(world: World) -> None:
    people = world.people
    new = renewal.carry(team=world.team, by=people["staff"])
    assert not TeamMember.objects.filter(team=new).exists()
    asked = {o.user_id: o.is_lead for o in Offer.objects.filter(team=new)}
    assert asked == {people["lead"].pk: True, people["owner"].pk: False, people["member"].pk: False}
    member = offers.answer(offer=Offer.objects.get(team=new, user=people["owner"]), accept=True)
    assert member is not None and member.roles == ["coordinator"] and not member.is_lead
    assert not CheckShare.objects.filter(team=new).exists()


def test_a_team_is_carried_once_and_never_when_archived(world: World) -> None:
    new = renewal.carry(team=world.team, by=world.people["lead"])
    with pytest.raises(renewal.AlreadyCarried) as raised:
        renewal.carry(team=world.team, by=world.people["staff"])
    assert raised.value.following == new
    services.archive_team(team=new, archived=True)
    with pytest.raises(renewal.Archived):
        renewal.carry(team=new, by=world.people["lead"])
    assert Team.objects.filter(carried_from=world.team).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(
            municipality=new.municipality, fiscal_year=new.fiscal_year, carried_from=world.team
        )


def test_a_double_submit_carries_once(world: World) -> None:
    client = world.client("lead")
    url = reverse("teams:carry", args=[world.team.public_id])
    first = client.post(url)
    new = Team.objects.get(carried_from=world.team)
    assert first["Location"] == reverse("teams:detail", args=[new.public_id])
    second = client.post(url, follow=True)
    assert "すでに次年度に引き継がれています" in second.content.decode()
    assert Team.objects.filter(carried_from=world.team).count() == 1
    assert Offer.objects.filter(team=new).count() == 2


def test_the_confirmation_says_what_will_happen(world: World) -> None:
    text = world.client("lead").get(reverse("teams:carry", args=[world.team.public_id])).content.decode()
    for said in (
        "新しいチームを作ります",
        "参加を改めて依頼します",
        "共有は引き継がれません",
        "共有はチームごとです",
        "すぐリーダーとして参加します",
        "アーカイブされます",
        "伴走 花子",
        "調整 二郎",
    ):
        assert said in text, said
    services.archive_team(team=world.team, archived=True)
    text = world.client("staff").get(reverse("teams:carry", args=[world.team.public_id])).content.decode()
    assert "引き継げません" in text and '<form method="post">' not in text


def test_archived_refused_with_a_message(world: World) -> None:
    services.archive_team(team=world.team, archived=True)
    response = world.client("lead").post(reverse("teams:carry", args=[world.team.public_id]), follow=True)
    assert "アーカイブしたチームは次年度に引き継げません" in response.content.decode()
    assert not Team.objects.filter(carried_from=world.team).exists()


def test_each_team_page_links_the_other_year_for_those_who_may_see_both(world: World) -> None:
    new = renewal.carry(team=world.team, by=world.people["lead"])
    old_page = reverse("teams:detail", args=[world.team.public_id])
    new_page = reverse("teams:detail", args=[new.public_id])
    for persona in ("lead", "staff"):
        client = world.client(persona)
        assert new_page in client.get(old_page).content.decode()
        assert old_page in client.get(new_page).content.decode()
    # Asked again but not yet in the new team: no link to it.
    assert new_page not in world.client("member").get(old_page).content.decode()
    offers.answer(offer=Offer.objects.get(team=new, user=world.people["member"]), accept=True)
    assert new_page in world.client("member").get(old_page).content.decode()


def test_the_carried_teams_offer_reaches_the_member(world: World) -> None:
    new = renewal.carry(team=world.team, by=world.people["lead"])
    text = world.client("member").get(reverse("teams:list")).content.decode()
    offer = Offer.objects.get(team=new, user=world.people["member"])
    assert reverse("teams:offer", args=[offer.public_id]) in text and "次年度への継続" in text


def test_staff_who_are_plain_members_carry_and_join_as_plain_members(world: World) -> None:
    people = world.people
    TeamMember.objects.create(team=world.team, user=people["staff"], roles=["advisor"])
    text = world.client("staff").get(reverse("teams:carry", args=[world.team.public_id])).content.decode()
    assert "すぐメンバーとして参加します" in text and "すぐリーダーとして参加します" not in text
    new = renewal.carry(team=world.team, by=people["staff"])
    seat = TeamMember.objects.get(team=new, user=people["staff"])
    assert not seat.is_lead and seat.roles == ["advisor"]
    assert Offer.objects.get(team=new, user=people["lead"]).is_lead  # the lead is asked as a lead


def test_the_carrier_keeps_an_affiliation_only_while_they_belong(world: World) -> None:
    people = world.people
    TeamMember.objects.filter(pk=world.members["owner"].pk).update(affiliation=world.org)
    Membership.objects.filter(organisation=world.org, user=people["owner"]).delete()
    TeamMember.objects.filter(pk=world.members["owner"].pk).update(is_lead=True)
    new = renewal.carry(team=world.team, by=people["owner"])
    assert TeamMember.objects.get(team=new, user=people["owner"]).affiliation is None


def test_people_still_asked_are_asked_again_by_the_new_team(world: World) -> None:
    people = world.people
    (pending,) = offers.offer(
        team=world.team, people=[(people["candidate"].pk, True)], by=people["staff"], reason="placement"
    )
    text = world.client("lead").get(reverse("teams:carry", args=[world.team.public_id])).content.decode()
    assert "まだ回答していない次の人" in text and "補完 六子" in text
    new = renewal.carry(team=world.team, by=people["lead"])
    pending.refresh_from_db()
    assert pending.answered_at is not None and pending.accepted is None  # closed with the old team
    again = Offer.objects.get(team=new, user=people["candidate"])
    assert again.is_lead and again.answered_at is None and again.reason == "renewal"
    services.archive_team(team=world.team, archived=False)
    pending.refresh_from_db()
    assert not pending.is_open


def test_a_lead_who_carried_and_deletes_the_account_leaves_someone_asked_to_lead(world: World) -> None:
    people = world.people
    new = renewal.carry(team=world.team, by=people["lead"])  # the lead was the old team's only lead
    assert not Offer.objects.filter(team=new, is_lead=True).exists()
    (line,) = [h for h in handovers(people["lead"]) if "リーダーとしての依頼" in h]
    delete_account(people["lead"])
    assert Team.objects.filter(pk=new.pk).exists()
    (to_lead,) = Offer.objects.filter(team=new, is_lead=True, answered_at__isnull=True)
    assert str(to_lead.user) in line
    member = offers.answer(offer=to_lead, accept=True)
    assert member is not None and member.is_lead


def test_an_archived_teams_offers_do_not_keep_a_deleted_persons_team(world: World) -> None:
    people = world.people
    alone = services.create_team(
        user=people["candidate"], municipality=world.team.municipality, fiscal_year=THIS_YEAR + 1
    )
    offers.offer(
        team=alone, people=[(people["member"].pk, False)], by=people["candidate"], reason="placement"
    )
    Team.objects.filter(pk=alone.pk).update(archived_at=timezone.now())  # archived before offers were closed
    assert any("チームも削除されます" in h for h in handovers(people["candidate"]))
    delete_account(people["candidate"])
    assert not Team.objects.filter(pk=alone.pk).exists()
