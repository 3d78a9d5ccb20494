"""A lead invites with a single-use link or one that needs their approval of each join; never a code
that lets anyone in unasked. Whoever asks by an approval link waits, listed on the members page, until a
lead approves (a member, with the roles and affiliation they chose) or refuses (the same invitation does
not ask again)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.invitations.models import Invitation
from bansou.teams import services
from bansou.teams.models import JoinRequest, TeamMember
from tests.teams.conftest import World

pytestmark = pytest.mark.django_db


def _invite(world: World, how: str | None, note: str = "") -> str:
    """The code of a new invitation made on the members page (read from the page shown once)."""
    data = {"note": note} | ({"how": how} if how is not None else {})
    page = world.client("lead").post(reverse("teams:invite", args=[world.team.public_id]), data, follow=True)
    html = page.content.decode()
    return html.split('readonly value="http://testserver/teams/join/')[1].split("/")[0]


def _join(world: World, persona: str, code: str, **extra: object) -> str:
    client = world.client(persona)
    data = {"roles": ["advisor"], **extra}
    return client.post(reverse("teams:join", args=[code]), data, follow=True).content.decode()


def _is_member(world: World, persona: str) -> bool:
    return TeamMember.objects.filter(team=world.team, user=world.people[persona]).exists()


def _members_page(world: World) -> str:
    return world.client("lead").get(reverse("teams:members", args=[world.team.public_id])).content.decode()


@pytest.mark.parametrize(
    ("how", "max_uses", "approval"), [("single", 1, False), ("approval", None, True), (None, 1, False)]
)
def test_the_lead_chooses_how_an_invitation_works(
    world: World, how: str | None, max_uses: int | None, approval: bool
) -> None:
    _invite(world, how, note="補完さん")
    made = Invitation.objects.filter(kind="team", target_id=world.team.pk).latest("pk")
    assert (made.max_uses, made.approval_required, made.note) == (max_uses, approval, "補完さん")
    assert made.expires_at is not None


def test_the_members_page_offers_both_ways_and_names_each_invitations_kind(world: World) -> None:
    html = _members_page(world)
    assert 'name="how" value="single"' in html and 'name="how" value="approval"' in html
    assert "1人だけが使える招待" in html and "参加に承認が必要な招待" in html
    _invite(world, "approval")
    _invite(world, "single")
    again = _members_page(world)
    assert "<td>参加に承認が必要</td>" in again and "<td>1人だけ</td>" in again


def test_an_unknown_way_is_refused_and_nothing_is_made(world: World) -> None:
    response = world.client("lead").post(
        reverse("teams:invite", args=[world.team.public_id]), {"how": "anyone"}, follow=True
    )
    assert "招待の方法を選び直してください" in response.content.decode()
    assert not Invitation.objects.filter(kind="team", target_id=world.team.pk).exists()


def test_a_single_use_link_lets_the_first_person_in_and_nobody_after(world: World) -> None:
    code = _invite(world, "single")
    assert "チームに参加しました" in _join(world, "candidate", code)
    assert _is_member(world, "candidate")
    assert "この招待は使えません" in _join(world, "other_staff", code)
    assert not _is_member(world, "other_staff")


def test_an_approval_link_waits_for_the_lead_who_approves(world: World) -> None:
    code = _invite(world, "approval")
    shown = _join(world, "candidate", code, affiliation=str(world.org.pk))
    assert "参加を申し込みました。招待した人が承認すると参加できます。" in shown
    assert not _is_member(world, "candidate")
    html = _members_page(world)
    assert "承認を待っている申し込み" in html and "補完 六子 さんを承認する" in html
    asked = JoinRequest.objects.get(team=world.team)
    lead = world.client("lead")
    done = lead.post(reverse("teams:approve_join", args=[world.team.public_id, asked.pk]), follow=True)
    assert "補完 六子 さんの参加を承認しました。" in done.content.decode()
    seat = TeamMember.objects.get(team=world.team, user=world.people["candidate"])
    assert (seat.roles, seat.is_lead) == (["advisor"], False)
    assert not JoinRequest.objects.exists()
    assert "承認を待っている申し込み" not in _members_page(world)
    assert "すでにこのチームのメンバーです" in _join(world, "candidate", code)


def test_many_may_ask_by_one_approval_link_and_each_is_answered(world: World) -> None:
    code = _invite(world, "approval")
    for persona in ("candidate", "other_staff", "other_team_member"):
        _join(world, persona, code)
    html = _members_page(world)
    for name in ("補完 六子", "他県 五郎", "別班 三子"):
        assert f"{name} さんを承認する" in html
    assert not any(_is_member(world, p) for p in ("candidate", "other_staff", "other_team_member"))


def test_a_refused_person_is_not_let_in_and_does_not_ask_again_by_that_link(world: World) -> None:
    code = _invite(world, "approval")
    _join(world, "candidate", code)
    asked = JoinRequest.objects.get(team=world.team)
    lead = world.client("lead")
    done = lead.post(reverse("teams:refuse_join", args=[world.team.public_id, asked.pk]), follow=True)
    assert "補完 六子 さんの参加を承認しませんでした。" in done.content.decode()
    assert "このチームへの参加は、リーダーが承認しませんでした。" in _join(world, "candidate", code)
    assert not _is_member(world, "candidate")
    assert "承認を待っている申し込み" not in _members_page(world)
    # Approving a refused request is not possible afterwards (it is no longer waiting).
    late = lead.post(reverse("teams:approve_join", args=[world.team.public_id, asked.pk]))
    assert late.status_code == 404
    # A new approval link lets the person ask once more.
    again = _invite(world, "approval")
    assert "参加を申し込みました" in _join(world, "candidate", again)
    assert JoinRequest.objects.get(team=world.team).refused_at is None


def test_approval_keeps_an_affiliation_only_with_an_organisation_the_person_belongs_to(world: World) -> None:
    code = _invite(world, "approval")
    _join(world, "candidate", code, affiliation=str(world.org.pk))
    services.approve(request=JoinRequest.objects.get(team=world.team))
    assert TeamMember.objects.get(team=world.team, user=world.people["candidate"]).affiliation == world.org


def test_a_lead_invitation_that_needs_approval_makes_a_lead(world: World) -> None:
    issued = services.invite(team=world.team, by=world.people["lead"], how=services.Invite.APPROVAL)
    Invitation.objects.filter(pk=issued.pk).update(role=services.LEAD)
    issued.invitation.refresh_from_db()
    with pytest.raises(services.invitations.AwaitingApproval):
        services.join(
            invitation=issued.invitation, user=world.people["candidate"], roles=[], affiliation=None
        )
    member = services.approve(request=JoinRequest.objects.get(team=world.team))
    assert member.is_lead
