"""The result's radar and its summary per 力 (issue 13, item 9): short element names on the axes (the
table keeps the full names), a legend made of what is drawn, the previous check drawn faint when there
is one, scale labels clear of every marker; and the three 力 summarised from the same scoring."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.charts import SHORT_NAMES, radar
from bansou.checks.models import Check
from bansou.domain.framework import Axis, Framework
from bansou.domain.scoring import Answer, score

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
SHORT = [
    "基本姿勢",
    "関係性",
    "方向性",
    "データ活用",
    "事例判断",
    "状況判断",
    "プロジェクト推進",
    "知識・ノウハウ",
    "主体性",
]


def result_html(client: Client, check: Check) -> str:
    response = client.get(reverse("checks:result", args=[check.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def radar_svg(html: str) -> str:
    return html.split('class="radar-svg"')[1].split("</svg>")[0]


def legend(html: str) -> list[tuple[str, str]]:
    """(series, words) of each legend entry."""
    block = html.split('class="legend radar-legend"')[1].split("</ul>")[0]
    return [
        (key, re.sub(r"<[^>]+>", "", words).strip())
        for key, words in re.findall(r'<li data-series="([a-z_]+)">(.*?)</li>', block, re.S)
    ]


def drawn(html: str) -> list[str]:
    return re.findall(r'class="radar-series" data-series="([a-z_]+)"', radar_svg(html))


def only_element_2_practised(code: str, axis: Axis) -> int:
    return 1 if axis is Axis.UNDERSTANDING or code.startswith("2-") else 0


def test_every_short_name_is_part_of_its_elements_name_in_the_leaflet(framework: Framework) -> None:
    assert [SHORT_NAMES[e.name] for e in framework.elements] == SHORT
    for element in framework.elements:
        assert SHORT_NAMES[element.name] in element.name


def test_the_axes_carry_the_short_names_and_the_table_the_full_ones(
    owner: User, owner_client: Client, submitted: Callable[..., Check], framework: Framework
) -> None:
    html = result_html(owner_client, submitted(owner, only_element_2_practised))

    labels = re.findall(r'class="radar-label">([^<]*)</text>', radar_svg(html))
    assert labels == [f"{n} {name}" for n, name in enumerate(SHORT, start=1)]
    table = html.split('id="scores-caption"')[1].split("</table>")[0]
    for element in framework.elements:
        assert f'<span class="element-number">{element.number}</span> {element.name}</th>' in table


def test_without_a_previous_check_the_legend_names_the_two_lines_drawn(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    html = result_html(owner_client, submitted(owner, only_element_2_practised))

    assert drawn(html) == ["understanding", "practice"]
    assert "previous" not in radar_svg(html)
    assert legend(html) == [
        ("understanding", "理解（青の実線・塗りつぶした丸）"),
        ("practice", "実践（橙の破線・白四角）"),
    ]
    svg = radar_svg(html)
    # What the legend says is what is drawn: a solid blue line with filled circles, a dashed one with squares.
    understanding = re.search(r'<polygon [^>]*data-series="understanding"/>', svg)
    practice = re.search(r'<polygon [^>]*data-series="practice"/>', svg)
    assert understanding and "stroke-dasharray" not in understanding.group(0)
    assert practice and 'stroke-dasharray="8 5"' in practice.group(0)
    assert svg.count('<circle cx="') == 9 and svg.count('<rect x="') == 9


def test_the_previous_check_is_drawn_faint_and_named_in_the_legend(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 1, 10, tzinfo=JST), tick=False):
        submitted(owner, lambda code, axis: 0)
    with time_machine.travel(dt.datetime(2025, 12, 1, 10, tzinfo=JST), tick=False):
        latest = submitted(owner, only_element_2_practised)

    html = result_html(owner_client, latest)

    # Underneath this check's lines, and last in the legend.
    assert drawn(html) == ["previous_understanding", "previous_practice", "understanding", "practice"]
    assert [key for key, _words in legend(html)] == [
        "understanding",
        "practice",
        "previous_understanding",
        "previous_practice",
    ]
    words = dict(legend(html))
    assert words["previous_understanding"] == "前回（2025年6月1日）の理解（灰色の細い点線・小さな白丸）"
    assert words["previous_practice"] == "前回（2025年6月1日）の実践（灰色の細い破線・小さな白四角）"
    previous = re.search(r'<polygon points="([^"]*)"[^>]*data-series="previous_practice"/>', radar_svg(html))
    assert previous is not None
    # Every answer × before: every point of the previous line is the centre.
    assert set(previous.group(1).split()) == {"330.0,218.0"}
    assert "前回（2025年6月1日）からの変化" in html  # the same previous check as the change column


def test_the_scale_labels_sit_clear_of_every_marker(framework: Framework) -> None:
    # Every share from 0 to 100 % on some element, this check and a previous one.
    values = [0, 25, 50, 75, 100, 100, 75, 50, 25]
    items_of = {
        e.number: [i.code for i in framework.items() if i.element == e.number] for e in framework.elements
    }

    def answers(shift: int) -> dict[str, Answer]:
        result: dict[str, Answer] = {code: Answer(1, 1) for code in framework.item_codes()}
        for index, element in enumerate(framework.elements):
            codes = items_of[element.number]
            yes = round(len(codes) * values[(index + shift) % 9] / 100)
            for n, code in enumerate(codes):
                result[code] = Answer(int(n < yes), int(n < yes))
        return result

    chart = radar(score(framework, answers(0)), score(framework, answers(3)), "2025年6月1日")
    assert len(chart.series) == 4 and [s.text for s in chart.scale] == ["25%", "50%", "75%", "100%"]
    for label in chart.scale:
        for series in chart.series:
            for marker in series.markers:
                # The label's box: 13 px high above its baseline, up to 4 digits wide, from its x.
                dx = max(label.x - marker.x, 0, marker.x - (label.x + 32))
                dy = max(label.y - 13 - marker.y, 0, marker.y - label.y)
                assert math.hypot(dx, dy) > marker.size, (label, marker)


def test_the_change_column_keeps_each_change_on_one_line(
    owner: User, owner_client: Client, submitted: Callable[..., Check]
) -> None:
    with time_machine.travel(dt.datetime(2025, 6, 1, 10, tzinfo=JST), tick=False):
        submitted(owner, lambda code, axis: 0)
    latest = submitted(owner, only_element_2_practised)

    html = result_html(owner_client, latest)

    assert '<span class="change">→ 変化なし</span>' in html
    assert '<span class="change">↑ 100ポイント増</span>' in html


def test_the_result_summarises_the_three_powers(
    owner: User, owner_client: Client, submitted: Callable[..., Check], framework: Framework
) -> None:
    html = result_html(owner_client, submitted(owner, only_element_2_practised))

    assert html.index("3つの力ごとのまとめ") < html.index("エレメントごとの理解と実践")
    sections = re.findall(r'<section class="power" aria-labelledby="power-(\d)">(.*?)</section>', html, re.S)
    assert [n for n, _body in sections] == ["1", "2", "3"]
    first = sections[0][1]
    assert "人に働きかける力" in first
    assert re.sub(r"<[^>]+>", "", first).count("エレメント：1 基本姿勢、2 関係性、3 方向性") == 1
    # Power 1 holds the 4 items of element 2 (practised) and 12 more (not): all understood.
    items = [i for i in framework.items() if i.power == 1]
    practised = sum(i.code.startswith("2-") for i in items)
    assert re.search(
        rf"<dt>理解</dt><dd>100%<span class=\"count\">（{len(items)}/{len(items)}）</span>", first
    )
    percent = (200 * practised + len(items)) // (2 * len(items))
    assert f'<dt>実践</dt><dd>{percent}%<span class="count">（{practised}/{len(items)}）</span>' in first
    assert f"いちばん多いのは「実践につなげる」の項目です（{len(items) - practised}項目）。" in first
    third = sections[2][1]
    assert "解決方向に向かう力" in third and "エレメント：8 知識・ノウハウ、9 主体性" in re.sub(
        r"<[^>]+>", "", third
    )
