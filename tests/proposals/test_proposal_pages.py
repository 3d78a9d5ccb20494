"""Team proposals (issue 14): staff of the organisation ask for a team for one 市町村, read it, have it
solved exactly in a second request, and form the team with its invitations. Who may: a table of
viewer × status. Bad input: a Japanese error and nothing saved. The queries do not grow with the pool.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from bansou.accounts.models import User
from bansou.domain.framework import Framework
from bansou.invitations.models import Invitation, Kind
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from bansou.profiles import services as profiles
from bansou.proposals.models import ProposalPerson, TeamProposal
from bansou.teams import services as teams
from bansou.teams.models import AccessLog, Team, TeamMember
from tests.teams.test_queries import FY, Builder, build, client_of

__all__ = ["build"]

B_ELEMENTS = (2, 3, 6, 7, 9)
C_CODES = ("C-1", "C-2", "C-3", "C-4", "C-5", "C-6", "C-7", "C-8", "C-9")


@dataclass
class World:
    org: Organisation
    staff: User
    other_staff: User
    supporter: User
    lead: User
    member: User
    pool: list[User]
    build: Builder

    def client(self, persona: str) -> Client:
        return Client() if persona == "anonymous" else client_of(getattr(self, persona))

    def grow(self, to: int) -> None:
        """The pool grown to ``to`` people: each practises some B elements and C labels; every other
        one may take the core role."""
        for n in range(len(self.pool), to):
            practised = {B_ELEMENTS[n % 5], B_ELEMENTS[(n + 2) % 5], C_CODES[n % 9], C_CODES[(n + 4) % 9]}
            user = self.build.pool(self.org, practised)
            profiles.save_profile(
                user_id=user.pk, prefectures=[], professions=["public_health_nurse"], profession_note="",
                core_role=n % 2 == 0, capacity=2,
            )  # fmt: skip
            self.pool.append(user)


@pytest.fixture
def world(build: Builder, framework: Framework) -> World:
    staff = build.person("県庁 職員", "ケンチョウ ショクイン")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    other_staff = build.person("他県 職員", "タケン ショクイン")
    create_organisation(user=other_staff, name="東京都 別の局", kind="prefecture", prefecture_id="13")
    supporter = build.person("支援 太郎", "シエン タロウ")
    Membership.objects.create(organisation=org, user=supporter, role="supporter")
    team = build.team(organisation=org)
    lead, member = (
        build.person("中核 一郎", "チュウカク イチロウ"),
        build.person("調整 二郎", "チョウセイ ジロウ"),
    )
    TeamMember.objects.create(team=team, user=lead, roles=["core_promoter"], is_lead=True)
    TeamMember.objects.create(team=team, user=member, roles=["advisor"])
    found = World(org, staff, other_staff, supporter, lead, member, [], build)
    found.grow(6)
    return found


def ask(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "municipality": "131016",
        "fiscal_year": FY,
        "size_min": 2,
        "size_max": 4,
        "core_min": 1,
        "core_max": 2,
        "needed": 1,
        **changes,
    }


def proposed(world: World) -> TeamProposal:
    response = world.client("staff").post(reverse("proposals:new", args=[world.org.public_id]), ask(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    return TeamProposal.objects.get()


# viewer: (the form, a proposal, the exact solve, forming a team)
MATRIX: dict[str, tuple[int, int, int, int]] = {
    "staff": (200, 200, 302, 302),  # the organisation's staff
    "other_staff": (404, 404, 404, 404),  # another organisation's staff
    "supporter": (403, 403, 403, 403),  # in the organisation, not staff: knows it exists
    "lead": (404, 404, 404, 404),  # leads a team the organisation runs, not in the organisation
    "member": (404, 404, 404, 404),
    "anonymous": (302, 302, 302, 302),  # to the login page
}


@pytest.mark.parametrize("viewer", list(MATRIX))
def test_who_may_ask_read_solve_and_form(world: World, viewer: str) -> None:
    proposal = proposed(world)
    args = [world.org.public_id, proposal.public_id]
    client = world.client(viewer)
    got = (
        client.get(reverse("proposals:new", args=[world.org.public_id])),
        client.get(reverse("proposals:detail", args=args)),
        client.post(reverse("proposals:exact", args=args)),
        client.post(reverse("proposals:form_team", args=args), {"alternative": 1}),  # no role: refused
    )
    assert tuple(r.status_code for r in got) == MATRIX[viewer]
    if viewer == "anonymous":
        assert all(urlsplit(r["Location"]).path == reverse("accounts:login") for r in got)
    assert (
        not Team.objects.filter(pk__gt=0, organisation=world.org).exclude(members__user=world.lead).exists()
    )


def test_a_proposal_of_another_organisation_does_not_exist_for_its_staff(world: World) -> None:
    proposal = proposed(world)
    theirs = Membership.objects.get(user=world.other_staff).organisation
    client = world.client("other_staff")
    assert (
        client.get(reverse("proposals:detail", args=[theirs.public_id, proposal.public_id])).status_code
        == 404
    )


def test_staff_read_the_proposal_solve_it_exactly_and_form_the_team(world: World) -> None:
    proposal = proposed(world)
    client = world.client("staff")
    args = [world.org.public_id, proposal.public_id]
    page = client.get(reverse("proposals:detail", args=args)).content.decode()
    for words in (
        "提案 1",
        "提案 1 のメンバーと選んだ理由",
        "提案 1 のチームを作った場合の判定",
        "速い方法による提案です",
    ):
        assert words in page
    assert "proposals/exact.js" in page

    assert client.post(reverse("proposals:exact", args=args), HTTP_ACCEPT="application/json").json() == {
        "done": True
    }
    proposal.refresh_from_db()
    assert proposal.exact is not None
    page = client.get(reverse("proposals:detail", args=args)).content.decode()
    assert "厳密に解き" in page and "proposals/exact.js" not in page

    members = [int(k) for k in proposal.exact["proposals"][0]["members"]]
    chosen_lead = members[0]
    response = client.post(
        reverse("proposals:form_team", args=args),
        {
            "alternative": 1,
            "a1-name": "第1支援チーム",
            "a1-lead": chosen_lead,
            "a1-roles": ["prefecture_staff"],
        },
    )
    team = Team.objects.get(name="第1支援チーム")
    assert response["Location"] == reverse("teams:members", args=[team.public_id])
    assert (team.organisation, team.municipality_id, team.fiscal_year) == (world.org, "131016", FY)
    assert list(team.members.values_list("user_id", "is_lead")) == [(world.staff.pk, True)]
    invitations = Invitation.objects.filter(kind=Kind.TEAM, target_id=team.pk)
    assert invitations.count() == len(members)
    assert all(i.max_uses == 1 for i in invitations)
    assert [i.role for i in invitations if i.role] == ["lead"]
    placed = AccessLog.objects.filter(team=team, what=AccessLog.What.PLACED)
    assert sorted(placed.values_list("subject_id", flat=True)) == sorted(members)
    listing = client.get(response["Location"]).content.decode()
    assert listing.count("さんへの招待リンクです") == len(members)  # each code shown once, here
    assert "さんへの招待リンクです" not in client.get(response["Location"]).content.decode()

    # The chosen lead joins with their invitation and is a lead; they see the line in their log.
    lead_invitation = invitations.get(role="lead")
    joined, _new = teams.join(
        invitation=lead_invitation, user=User.objects.get(pk=chosen_lead), roles=["advisor"], affiliation=None
    )
    assert joined.is_lead
    log = client_of(User.objects.get(pk=chosen_lead)).get(reverse("teams:my_sharing")).content.decode()
    assert "チームの提案に入り、チームが作られた" in log and "県庁 職員" in log

    again = client.post(reverse("proposals:form_team", args=args), {"alternative": 1, "a1-roles": ["other"]})
    assert again.status_code == 302 and Team.objects.filter(organisation=world.org).count() == 2


def unavailable(world: World) -> dict[str, Any]:
    today = timezone.localdate()
    user = world.pool[1]
    profiles.add_unavailable(
        user_id=user.pk, start=today - datetime.timedelta(days=400), end=today + datetime.timedelta(days=400)
    )
    return ask(world, must_in=[user.pk])


def full(world: World) -> dict[str, Any]:
    user = world.pool[2]
    for _ in range(2):  # capacity 2
        TeamMember.objects.create(
            team=Team.objects.create(municipality_id="131032", fiscal_year=FY), user=user
        )
    return ask(world, must_in=[user.pk])


REFUSALS: list[tuple[str, Callable[[World], dict[str, Any]], str]] = [
    ("size", lambda w: ask(w, size_min=4, size_max=2), "上限は下限以上にしてください"),
    ("core", lambda w: ask(w, size_max=2, core_min=3, core_max=3), "中核推進役・調整役を置けません"),
    ("place", lambda w: ask(w, municipality="999999"), "団体コード"),
    ("both", lambda w: ask(w, must_in=[w.pool[0].pk], must_out=[w.pool[0].pk]), "両方に選んでいます"),
    ("unavailable", unavailable, "対応できない期間"),
    ("full", full, "受けられるチームの数に達しています"),
    ("too many", lambda w: ask(w, size_max=2, must_in=[p.pk for p in w.pool[:3]]), "人数の上限を超えて"),
]


@pytest.mark.parametrize("case", REFUSALS, ids=[c[0] for c in REFUSALS])
def test_bad_input_gets_a_japanese_error_and_nothing_is_saved(
    world: World, case: tuple[str, Callable[[World], dict[str, Any]], str]
) -> None:
    _name, data, words = case
    response = world.client("staff").post(reverse("proposals:new", args=[world.org.public_id]), data(world))
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not TeamProposal.objects.exists() and not ProposalPerson.objects.exists()


def test_an_empty_pool_is_refused_in_japanese(world: World) -> None:
    theirs = Membership.objects.get(user=world.other_staff).organisation
    response = world.client("other_staff").post(reverse("proposals:new", args=[theirs.public_id]), ask(world))
    assert "組織とチェックを共有している人がいません" in response.content.decode()
    assert not TeamProposal.objects.exists()


# Queries: the form's POST reads the whole pool in a fixed number of queries; a proposal's page reads
# only the people it names.
ASK_BUDGET = 22
PAGE_BUDGET = 18


def test_asking_and_reading_cost_the_same_for_6_and_18_people(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = world.client("staff")
    url = reverse("proposals:new", args=[world.org.public_id])
    counts = []
    for size in (6, 18):
        world.grow(size)
        TeamProposal.objects.all().delete()
        with django_assert_max_num_queries(ASK_BUDGET) as asked:
            assert client.post(url, ask(world)).status_code == 302
        asking = len(asked.captured_queries)
        proposal = TeamProposal.objects.get()
        detail = reverse("proposals:detail", args=[world.org.public_id, proposal.public_id])
        client.get(detail)
        with django_assert_max_num_queries(PAGE_BUDGET) as read:
            assert client.get(detail).status_code == 200
        counts.append((asking, len(read.captured_queries)))
    assert counts[0] == counts[1], counts


def test_someone_who_left_the_pool_after_the_proposal_gets_no_invitation(world: World) -> None:
    proposal = proposed(world)
    members = [int(k) for k in proposal.quick["proposals"][0]["members"]]
    Membership.objects.filter(organisation=world.org, user_id=members[-1]).update(in_pool=False)
    args = [world.org.public_id, proposal.public_id]
    client = world.client("staff")
    response = client.post(
        reverse("proposals:form_team", args=args), {"alternative": 1, "a1-roles": ["prefecture_staff"]}
    )
    team = Team.objects.get(pk=TeamProposal.objects.get().team_id)
    assert response["Location"] == reverse("teams:members", args=[team.public_id])
    invited = Invitation.objects.filter(kind=Kind.TEAM, target_id=team.pk)
    assert sorted(invited.values_list("note", flat=True)) == sorted(
        str(User.objects.get(pk=pk)) for pk in members[:-1]
    )
    assert not AccessLog.objects.filter(subject_id=members[-1]).exists()
    page = client.get(response["Location"]).content.decode()
    assert "人材プールを離れた人が1人いました" in page


@pytest.mark.parametrize("alternative", ["0", "4", "x", "", "１", "²"])
def test_an_alternative_that_does_not_exist_is_asked_again(world: World, alternative: str) -> None:
    proposal = proposed(world)
    args = [world.org.public_id, proposal.public_id]
    client = world.client("staff")
    response = client.post(
        reverse("proposals:form_team", args=args), {"alternative": alternative, "a1-roles": ["other"]}
    )
    assert response["Location"] == reverse("proposals:detail", args=args)
    assert "チームを作る提案を選び直してください" in client.get(response["Location"]).content.decode()
    assert not TeamProposal.objects.get().team_id
