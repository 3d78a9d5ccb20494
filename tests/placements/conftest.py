"""The world of the 配置計画 tests: an organisation (an administrator, a staff member, a supporter),
another organisation's staff, a team the organisation runs in 千代田区 with its lead and a member, five
市町村 of 東京都, and a pool of people who practise some B elements and C labels (nobody 「C-9」),
with profiles (every other one may take the core role, capacity 2, areas for some)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.domain.framework import Framework
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from bansou.placements.models import PlacementPlan
from bansou.places.models import Municipality, Prefecture
from bansou.profiles import services as profiles
from bansou.teams.models import Team, TeamMember
from tests.teams.test_queries import FY, Builder, build, client_of

__all__ = ["FY", "build"]

B_ELEMENTS = (2, 3, 6, 7, 9)
C_CODES = ("C-1", "C-2", "C-3", "C-4", "C-5", "C-6", "C-7", "C-8")  # nobody practises C-9
MORE = (("131041", "新宿区"), ("131059", "文京区"), ("131067", "台東区"), ("131075", "墨田区"))


@dataclass
class World:
    org: Organisation
    admin: User
    staff: User
    other_staff: User
    supporter: User
    lead: User
    member: User
    team: Team
    places: list[Municipality]
    pool: list[User]
    build: Builder

    def client(self, persona: str) -> Client:
        return Client() if persona == "anonymous" else client_of(getattr(self, persona))

    def grow(self, to: int) -> None:
        for n in range(len(self.pool), to):
            practised = {B_ELEMENTS[n % 5], B_ELEMENTS[(n + 2) % 5], C_CODES[n % 8], C_CODES[(n + 3) % 8]}
            user = self.build.pool(self.org, practised)
            profiles.save_profile(
                user_id=user.pk, prefectures=["13"] if n % 3 == 0 else [],
                professions=["public_health_nurse"], profession_note="", core_role=n % 2 == 0, capacity=2,
            )  # fmt: skip
            if n % 3 == 1:
                profiles.add_municipality(user_id=user.pk, municipality=self.places[n % len(self.places)])
            self.pool.append(user)


@pytest.fixture(autouse=True)
def quick_passwords(settings: Any) -> None:
    """Every world makes a score of accounts: argon2 would spend most of a test's time hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(build: Builder, framework: Framework) -> World:
    tokyo = Prefecture.objects.get(code="13")
    places = [*build.municipalities[:1]] + [
        Municipality.objects.create(lgcode=code, prefecture=tokyo, name=name, kana="ク")
        for code, name in MORE
    ]
    admin = build.person("県庁 管理", "ケンチョウ カンリ")
    org = create_organisation(user=admin, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    staff = build.person("県庁 職員", "ケンチョウ ショクイン")
    Membership.objects.create(organisation=org, user=staff, role=Membership.Role.STAFF)
    other_staff = build.person("他県 職員", "タケン ショクイン")
    create_organisation(user=other_staff, name="東京都 別の局", kind="prefecture", prefecture_id="13")
    supporter = build.person("支援 太郎", "シエン タロウ")
    Membership.objects.create(organisation=org, user=supporter, role="supporter")
    team = build.team(organisation=org)  # 千代田区, this 年度
    lead, member = (
        build.person("中核 一郎", "チュウカク イチロウ"),
        build.person("調整 二郎", "チョウセイ ジロウ"),
    )
    TeamMember.objects.create(team=team, user=lead, roles=["core_promoter"], is_lead=True)
    TeamMember.objects.create(team=team, user=member, roles=["advisor"])
    found = World(org, admin, staff, other_staff, supporter, lead, member, team, places, [], build)
    found.grow(12)
    return found


def ask(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "fiscal_year": FY,
        "municipalities": "\n".join(m.lgcode for m in world.places),
        "size_min": 2,
        "size_max": 3,
        "core_min": 1,
        "core_max": 1,
        "needed": 1,
        "changes": "add",
        **changes,
    }


def planned(world: World, **changes: Any) -> PlacementPlan:
    response = world.client("staff").post(
        reverse("placements:new", args=[world.org.public_id]), ask(world, **changes)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return PlacementPlan.objects.latest("created_at")
