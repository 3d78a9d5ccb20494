"""A small world for team tests: two organisations, two teams, a pool, and one persona per relation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.framework import Axis
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience
from bansou.teams import services
from bansou.teams.models import Team, TeamMember
from tests.conftest import make_user

# Answers: ○ everywhere except element 4 (データ活用力, the label item C-5... whichever items it has).
DATA_ELEMENT = 4
# The teams are of the current 年度, so that pool searches offer it whenever the suite runs.
THIS_YEAR = fiscal_year_of(timezone.localdate())


def all_but(element: int, framework: object) -> Callable[[str, Axis], int]:
    codes = {item.code for item in framework.items() if item.element == element}  # type: ignore[attr-defined]
    return lambda code, axis: 0 if code in codes else 1


@dataclass
class World:
    org: Organisation
    other_org: Organisation
    team: Team
    other_team: Team
    people: dict[str, User]
    members: dict[str, TeamMember]
    checks: dict[str, Check]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


@pytest.fixture
def world(municipalities: object, framework: object, submitted: Callable[..., Check]) -> World:
    return build_world(framework, submitted)


def build_world(framework: object, submitted: Callable[..., Check]) -> World:
    """The world of ``world`` (the 市町村 list must be loaded), for tests outside tests/teams."""
    people = {
        "owner": make_user("owner", "伴走 花子", furigana="バンソウ ハナコ"),
        "lead": make_user("lead", "中核 一郎", furigana="チュウカク イチロウ"),
        "member": make_user("member", "調整 二郎", furigana="チョウセイ ジロウ"),
        "other_team_member": make_user("other", "別班 三子", furigana="ベツハン ミツコ"),
        "staff": make_user("staff", "県庁 四郎", furigana="ケンチョウ シロウ"),
        "other_staff": make_user("ostaff", "他県 五郎", furigana="タケン ゴロウ"),
        "candidate": make_user("candidate", "補完 六子", furigana="ホカン ムツコ"),
    }
    org = create_organisation(
        user=people["staff"], name="東京都 福祉局", kind="prefecture", prefecture_id="13"
    )
    other_org = create_organisation(
        user=people["other_staff"], name="大阪府 福祉部", kind="prefecture", prefecture_id="27"
    )
    chiyoda = Municipality.objects.get(lgcode="131016")
    team = services.create_team(
        user=people["lead"],
        municipality=chiyoda,
        fiscal_year=THIS_YEAR,
        organisation=org,
        roles=["core_promoter"],
    )
    other_team = services.create_team(
        user=people["other_team_member"],
        municipality=Municipality.objects.get(lgcode="131024"),
        fiscal_year=THIS_YEAR,
        organisation=other_org,
        roles=["advisor"],
    )
    members = {"lead": TeamMember.objects.get(team=team, user=people["lead"])}
    for persona, roles in (("owner", ["coordinator"]), ("member", ["advisor"])):
        members[persona] = TeamMember.objects.create(team=team, user=people[persona], roles=roles)
    checks = {
        persona: submitted(people[persona], all_but(DATA_ELEMENT, framework))
        for persona in ("owner", "lead", "member")
    }
    checks["candidate"] = submitted(people["candidate"])  # ○ everywhere, element 4 included
    for persona in ("owner", "lead", "member"):  # and each lets the organisation's staff read the verdicts
        sharing_services.share(
            user=people[persona], audience=Audience.team(team.pk), choice=LATEST, verdicts_to_staff=True
        )
    membership = Membership.objects.create(organisation=org, user=people["candidate"], role="supporter")
    sharing_services.set_pool(membership=membership, choice=LATEST)
    return World(org, other_org, team, other_team, people, members, checks)
