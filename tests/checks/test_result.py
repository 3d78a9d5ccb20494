"""The result page: shares per element, radar with a table, 2x2, change since last time; history by 年度."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.framework import Axis

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=JST)


def only_element_2_practised(code: str, axis: Axis) -> int:
    return 1 if axis is Axis.UNDERSTANDING or code.startswith("2-") else 0


def test_shows_each_elements_shares_and_the_radar_with_the_same_figures(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    check = submitted(owner, only_element_2_practised)

    html = owner_client.get(reverse("checks:result", args=[check.public_id])).content.decode()

    assert '<svg viewBox="0 0 640 430"' in html
    assert 'role="img"' in html and "レーダーチャート" in html
    row = re.search(r"関係性を整え、チームを前に進める力</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html)
    assert row is not None
    assert row.group(1).startswith("100%") and row.group(2).startswith("100%")
    row = re.search(r"主体性を引き出す力</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html)
    assert row is not None
    assert row.group(1).startswith("100%") and row.group(2).startswith("0%")
    assert "実践（橙の破線・白四角）" in html  # the series are told apart without colour


def test_places_items_in_the_two_by_two(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    check = submitted(owner, only_element_2_practised)

    html = owner_client.get(reverse("checks:result", args=[check.public_id])).content.decode()

    strength = html.split('id="q-strength"')[1].split("</section>")[0]
    practise = html.split('id="q-put_into_practice"')[1].split("</section>")[0]
    assert "①チーム状況を見立てる力" in strength
    assert "①傾聴・受容姿勢" in practise and "①傾聴・受容姿勢" not in strength
    assert "あくまでも主役は市町村であることを忘れず" in html


def test_shows_the_change_since_the_previous_check(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    with time_machine.travel(at(2025, 6, 1, 10), tick=False):
        submitted(owner, lambda code, axis: 0)
    with time_machine.travel(at(2025, 12, 1, 10), tick=False):
        latest = submitted(owner, only_element_2_practised)

    html = owner_client.get(reverse("checks:result", args=[latest.public_id])).content.decode()

    assert "前回（2025年6月1日）からの変化" in html
    assert "↑ 100ポイント増" in html
    assert "→ 変化なし" in html


def test_the_first_check_has_nothing_to_compare_with(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    check = submitted(owner)

    html = owner_client.get(reverse("checks:result", args=[check.public_id])).content.decode()

    assert "前回からの変化" not in html


def test_history_groups_checks_by_fiscal_year_written_in_both_eras(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    with time_machine.travel(at(2025, 3, 31, 23, 30), tick=False):
        march = submitted(owner)
    with time_machine.travel(at(2025, 4, 1, 9), tick=False):
        april = submitted(owner)

    html = owner_client.get(reverse("checks:history")).content.decode()

    assert (march.fiscal_year, april.fiscal_year) == (2024, 2025)
    assert html.index("令和7年度（2025年度）") < html.index("令和6年度（2024年度）")
    assert (
        html.index(str(april.public_id))
        < html.index("令和6年度（2024年度）")
        < html.index(str(march.public_id))
    )


def test_result_and_history_run_a_bounded_number_of_queries(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    checks = [submitted(owner) for _ in range(5)]

    with CaptureQueriesContext(connection) as result_queries:
        owner_client.get(reverse("checks:result", args=[checks[-1].public_id]))
    with CaptureQueriesContext(connection) as history_queries:
        owner_client.get(reverse("checks:history"))

    assert len(result_queries) <= 8
    assert len(history_queries) <= 5


def test_shows_each_tiers_share(owner: User, owner_client: Client, submitted: Callable[..., Check]) -> None:
    check = submitted(owner, lambda code, axis: 1 if code.startswith("A-") and axis is Axis.PRACTICE else 0)

    html = owner_client.get(reverse("checks:result", args=[check.public_id])).content.decode()

    row = re.search(r"基礎知識・基礎スキル</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", html)
    assert row is not None
    assert row.group(1) == '0%<span class="count">（0/7）</span>'
    assert row.group(2) == '100%<span class="count">（7/7）</span>'
