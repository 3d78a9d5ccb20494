"""The two verdict sections of the team page agree: every 「× 不足」 of the rules table is listed under
「不足しているところ」 in the same words and scope — the B elements', the C labels' and the basics'
(A, 基礎知識・基礎スキル, which is not an element) — and nothing else is. Staff read a gap only with its
verdict (``domain.verdict_consent``)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from pytest_django import Settings

from bansou.checks.models import Check
from bansou.domain.framework import Axis, Framework
from bansou.sharing.choices import LATEST
from tests.teams.conftest import DATA_ELEMENT, World
from tests.teams.test_pages import NOT_MET, main, page, rules
from tests.teams.test_staff_verdicts import HIDDEN, share_as

A_GAP = "基礎知識・基礎スキルに、まだ理解していない項目があるメンバーがいます"
EVERYONE = "中核 一郎、調整 二郎、伴走 花子"  # the rules table's order of names
NONE_AT_ALL = "「× 不足」の判定はありません（エレメントにも、C の力にも、基礎知識・基礎スキルにも）。"
STAFF_NONE = (
    "表示している判定に「× 不足」はありません"  # staff: of the verdicts shown
    "（エレメントにも、C の力にも、基礎知識・基礎スキルにも）。"
)


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def basics_short(world: World, submitted: Callable[..., Check]) -> World:
    """Every member practises every element, and none understands the basic A-1: an A shortfall only."""
    for persona in ("owner", "lead", "member"):
        submitted(world.people[persona], lambda code, axis: 0 if code == "A-1" else 1)
    return world


def gaps_section(html: str) -> str:
    body = main(html)
    start = body.index("<h2>不足しているところ</h2>")
    return body[start : body.index("<h2", start + 1)]


def listed(section: str) -> list[str]:
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", section, re.DOTALL)]


def team_html(world: World, persona: str) -> str:
    return page(world.client(persona), "teams:detail", world.team.public_id)


def test_an_a_shortfall_without_element_gaps_is_listed_as_the_shortfall_in_the_basics(
    basics_short: World,
) -> None:
    html = team_html(basics_short, "lead")
    found = rules(html)
    section = gaps_section(html)

    assert {key for key, (verdict, _) in found.items() if verdict == NOT_MET} == {"A"}
    assert found["A"][1] == f"基礎知識・基礎スキルに、まだ理解していない項目があるメンバー：{EVERYONE}"
    assert listed(section) == [f"{A_GAP}（{EVERYONE}）"]
    assert "上の表で「× 不足」となった確認です。" in section
    assert "ありません" not in section  # no word of "nothing is lacking" beside the table's × 不足
    assert "組織の人材プールから" not in section  # the pool is searched by element or label: nothing here


def test_as_many_gaps_are_listed_as_the_table_says_not_met(
    basics_short: World, framework: Framework, submitted: Callable[..., Check]
) -> None:
    """A C gap too (nobody practises element 4, the label データ活用力): the list has that gap, then
    the A shortfall."""
    four = {item.code for item in framework.items() if item.element == DATA_ELEMENT}
    for persona in ("owner", "lead", "member"):
        submitted(
            basics_short.people[persona],
            lambda code, axis: 0 if code == "A-1" or (code in four and axis is Axis.PRACTICE) else 1,
        )
    html = team_html(basics_short, "lead")
    not_met = [key for key, (verdict, _) in rules(html).items() if verdict == NOT_MET]
    items = listed(gaps_section(html))

    assert len(items) == len(not_met)
    assert items[0] == "チーム全体で「データ活用力」を実践できているメンバーがいません"
    assert items[-1].startswith(A_GAP)


def test_staff_read_the_a_shortfall_without_names_when_its_verdict_is_shown(basics_short: World) -> None:
    html = team_html(basics_short, "staff")
    section = gaps_section(html)

    assert rules(html)["A"] == (NOT_MET, "目安を満たしていません。")
    assert listed(section) == [A_GAP]
    assert not any(name in section for name in ("中核 一郎", "伴走 花子", "調整 二郎"))


def test_a_hidden_a_verdict_hides_its_shortfall_from_staff(basics_short: World) -> None:
    share_as(basics_short, "member", choice=LATEST)  # shares still, without the consent

    staff = gaps_section(team_html(basics_short, "staff"))
    assert listed(staff) == []
    assert A_GAP not in staff
    assert STAFF_NONE in staff
    assert HIDDEN in staff

    members = gaps_section(team_html(basics_short, "lead"))
    assert listed(members) == [f"{A_GAP}（{EVERYONE}）"]


def test_a_team_with_nothing_lacking_says_so_for_both_scopes(
    world: World, submitted: Callable[..., Check]
) -> None:
    for persona in ("owner", "lead", "member"):
        submitted(world.people[persona], lambda code, axis: 1)
    html = team_html(world, "lead")

    assert NOT_MET not in {verdict for verdict, _ in rules(html).values()}
    assert listed(gaps_section(html)) == []
    assert NONE_AT_ALL in gaps_section(html)
