"""The projector view (issue 13, item 8): a screen per chart, each with a scale and bars named by their
column, then the table on a screen of its own; a figure the five-person rule withholds is never drawn."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.urls import reverse

from bansou.checks.models import Check
from bansou.domain.framework import Framework
from tests.cohorts.conftest import World
from tests.cohorts.test_pages import close_both, enrol

pytestmark = pytest.mark.django_db


def projector_html(world: World) -> str:
    response = world.client("organiser").get(reverse("cohorts:projector", args=[world.cohort.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def charts(html: str) -> list[str]:
    return re.findall(r'<svg viewBox="0 0 1800 \d+"(.*?)</svg>', html, re.S)


def test_each_chart_has_its_screen_a_scale_and_named_bars_then_the_table(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    world.participants["participant"].delete()
    enrol(world.cohort, 6, submitted, framework, post=6)
    close_both(world.cohort)

    html = projector_html(world)

    drawn = charts(html)
    assert len(drawn) == 2
    for svg in drawn:
        assert re.findall(r'class="chart-tick">([^<]*)<', svg) == ["0%", "25%", "50%", "75%", "100%"]
        assert svg.count('class="chart-bar"') == 18
        assert len(re.findall(r'class="chart-value">事前 \d+%<', svg)) == 9
        assert len(re.findall(r'class="chart-value">事後 \d+%<', svg)) == 9
        assert svg.count('font-size="30"') == 9 + 18 and svg.count('font-size="28"') == 5
    assert "事前（斜線）" in html and "事後（塗りつぶし）" in html
    order = [
        html.index(f'id="{screen}"')
        for screen in ("screen-chart-1", "screen-chart-2", "screen-table", "screen-focus")
    ]
    assert order == sorted(order)
    table = html.split('id="screen-table"')[1].split("</section>")[0]
    assert table.count("<table") == 1 and "<svg" not in table


def test_a_withheld_column_is_not_drawn(
    world: World, submitted: Callable[..., Check], framework: Framework
) -> None:
    world.participants["participant"].delete()
    enrol(world.cohort, 6, submitted, framework, post=3)  # 事後: three people, under the rule
    close_both(world.cohort)

    html = projector_html(world)

    assert "5人未満のため表示しません。" in html
    for svg in charts(html):
        assert svg.count('class="chart-bar"') == 9
        assert "事後" not in svg
    assert "事後（塗りつぶし）" not in html and "事前（斜線）" in html
