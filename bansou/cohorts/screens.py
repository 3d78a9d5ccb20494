"""The projector view's charts (a 研修's totals on a screen in the room): one chart per screen, drawn
for 1920 × 1080 at about one SVG unit per pixel, so that the text stays at least 28 px."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bansou.cohorts.presenters import Column
from bansou.domain.framework import Framework

# The projector's charts: drawn for a 1920 × 1080 screen at about one user unit to one pixel, so that
# the text stays at least 28 px from the back of the room; each fits one screen under its heading.
SCREEN_WIDTH = 1800
SCREEN_LABEL = 600  # the element names end here, the bars begin
SCREEN_BAR = 940  # px of 100 %
SCREEN_BAR_HEIGHT = 34
SCREEN_BAR_GAP = 6  # between the bars of one element
SCREEN_GAP = 20  # between elements
SCREEN_TEXT = 30  # px: the names and the figures
SCREEN_TICK_TEXT = 28  # px: the scale
SCREEN_TICKS = (0, 25, 50, 75, 100)
# How each column's bars are painted, and said in the legend: a pattern as well as a colour.
SCREEN_PAINT = {
    "first": gettext_lazy("斜線"),
    "second": gettext_lazy("塗りつぶし"),
}


def _screen_rows(framework: Framework, shown: list[Column], axis: str) -> tuple[list[dict[str, Any]], int]:
    """Per element its label and a bar per shown column; and where the next row would begin."""
    rows = []
    y = 12
    per_row = max(len(shown), 1) * (SCREEN_BAR_HEIGHT + SCREEN_BAR_GAP) - SCREEN_BAR_GAP
    for element in framework.elements:
        bars = []
        for index, c in enumerate(shown):
            assert c.totals is not None
            count = c.totals.elements.get(element.number)
            if count is None or count.people != c.people:
                continue
            share = count.understanding if axis == "understanding" else count.practice
            width = round(SCREEN_BAR * share.percent / 100)
            top = y + index * (SCREEN_BAR_HEIGHT + SCREEN_BAR_GAP)
            bars.append(
                {
                    "y": top,
                    "width": max(width, 2),
                    "text_x": SCREEN_LABEL + max(width, 2) + 12,
                    "text_y": top + SCREEN_BAR_HEIGHT // 2 + 10,
                    "text": f"{c.title} {share.percent}%",
                    "paint": "first" if index == 0 else "second",
                }
            )
        rows.append({"label": f"{element.number}. {element.name}", "y": y + per_row // 2 + 10, "bars": bars})
        y += per_row + SCREEN_GAP
    return rows, y


def projector_chart(framework: Framework, columns: list[Column], axis: str, number: int) -> dict[str, Any]:
    """One chart of the projector: per element a solid bar per shown column, each with its column's
    name and figure beside it, on a scale from 0 to 100 %. A figure is drawn only where the table
    shows it (the element counts the column's whole group)."""
    shown = [c for c in columns if c.totals is not None]
    rows, y = _screen_rows(framework, shown, axis)
    bottom = y - SCREEN_GAP + 8
    return {
        "id": f"screen-chart-{number}",
        "axis": axis,
        "title": _("実践している人の割合（エレメントごと）")
        if axis == "practice"
        else _("理解している人の割合（エレメントごと）"),
        "rows": rows,
        "width": SCREEN_WIDTH,
        "height": bottom + 48,
        "label_x": SCREEN_LABEL - 16,
        "bar_x": SCREEN_LABEL,
        "bar_height": SCREEN_BAR_HEIGHT,
        "bottom": bottom,
        "tick_y": bottom + 40,
        "text_size": SCREEN_TEXT,
        "tick_size": SCREEN_TICK_TEXT,
        "ticks": [
            {"x": SCREEN_LABEL + SCREEN_BAR * t // 100, "text": f"{t}%", "zero": t == 0} for t in SCREEN_TICKS
        ],
        "legend": [
            {
                "title": c.title,
                "paint": "first" if i == 0 else "second",
                "pattern": str(SCREEN_PAINT["first" if i == 0 else "second"]),
            }
            for i, c in enumerate(shown)
        ],
    }


def projector_charts(framework: Framework, columns: list[Column]) -> list[dict[str, Any]]:
    """The projector's charts, each with the screen that follows it (the last: the table)."""
    charts = [
        projector_chart(framework, columns, "practice", 1),
        projector_chart(framework, columns, "understanding", 2),
    ]
    for chart, after in zip(
        charts, [*charts[1:], {"id": "screen-table", "title": _("数値の表")}], strict=True
    ):
        chart["next"] = {"id": after["id"], "title": after["title"]}
    return charts
