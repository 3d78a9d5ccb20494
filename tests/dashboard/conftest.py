"""A small world for the dashboard: the teams' world (``tests/teams/conftest.py``: the organisation runs
a team in 千代田区 this 年度, whose three members all let staff read its verdicts) and, added here, a
team in 中央区 whose member did not consent, a team of the 年度 before in 港区, a plain 職員 and a pool."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.orgs.models import Membership
from bansou.places.models import Municipality
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience
from bansou.teams import services as team_services
from bansou.teams.models import Team
from tests.conftest import make_user
from tests.teams.conftest import THIS_YEAR, World, build_world


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Dash:
    world: World
    silent_team: Team  # its one member shares without consenting to staff reading the verdicts
    last_year_team: Team
    plain_staff: User

    @property
    def org(self):  # type: ignore[no-untyped-def]
        return self.world.org


def add_team(world: World, lgcode: str, year: int, lead: User) -> Team:
    return team_services.create_team(
        user=lead,
        municipality=Municipality.objects.get(lgcode=lgcode),
        fiscal_year=year,
        organisation=world.org,
        roles=["core_promoter"],
    )


def pool_people(world: World, submitted: Callable[..., Check], n: int, prefix: str = "pool") -> list[User]:
    """``n`` supporters in the organisation's pool, each sharing a check (○ everywhere) of this 年度."""
    people = []
    for i in range(n):
        user = make_user(f"{prefix}{i}", f"人材 {prefix}{i}", furigana=f"ジンザイ {i}")
        submitted(user)
        membership = Membership.objects.create(organisation=world.org, user=user, role="supporter")
        sharing_services.set_pool(membership=membership, choice=LATEST)
        people.append(user)
    return people


@pytest.fixture
def dash(municipalities: object, framework: object, submitted: Callable[..., Check]) -> Dash:
    world = build_world(framework, submitted)
    silent = make_user("silent", "無言 七子", furigana="ムゴン ナナコ")
    submitted(silent)
    silent_team = add_team(world, "131024", THIS_YEAR, silent)  # 中央区
    sharing_services.share(user=silent, audience=Audience.team(silent_team.pk), choice=LATEST)
    last_year_team = add_team(world, "131032", THIS_YEAR - 1, world.people["lead"])  # 港区
    plain_staff = make_user("plainstaff", "職員 八郎", furigana="ショクイン ハチロウ")
    Membership.objects.create(organisation=world.org, user=plain_staff, role="staff")
    return Dash(world, silent_team, last_year_team, plain_staff)
