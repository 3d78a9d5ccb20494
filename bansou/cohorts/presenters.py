"""What organisers see of a 研修 or of their organisation: totals, gated by the five-person rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from bansou.checks.presenters import QUADRANTS
from bansou.cohorts import queries
from bansou.cohorts.models import Cohort, Phase
from bansou.domain.aggregates import (
    MIN_PEOPLE,
    ElementCount,
    Hidden,
    ItemCount,
    Request,
    Totals,
    change,
    disclose,
    weakest,
)
from bansou.domain.framework import Framework
from bansou.domain.scoring import Share

BAR_WIDTH = 300  # px of 100 % in the bar charts


def hidden_text(reason: Hidden | str | None) -> str:
    if reason == Hidden.TOO_FEW:
        return _("%(n)d人未満のため表示しません。") % {"n": MIN_PEOPLE}
    if reason == Hidden.DIFFERENCE:
        return _(
            "表示している別の集計との差から%(n)d人未満の人の回答が分かってしまうため、表示しません。"
        ) % {"n": MIN_PEOPLE}
    if reason == "open":
        return _(
            "締切後に表示します（途中の集計は、提出が増えるたびの差から個人の回答が分かるため表示しません）。"
        )
    return ""


@dataclass(frozen=True)
class Column:
    """One set of totals on the page (事前, 事後, or the same people before and after)."""

    key: str
    title: str
    people: int
    hidden: str  # why it is not shown ("" when shown)
    totals: Totals | None


def _bar(share: Share) -> int:
    return round(BAR_WIDTH * share.percent / 100)


def _pair(count: ItemCount | ElementCount | None) -> dict[str, Any] | None:
    if count is None or not count.people:
        return None
    return {
        "understanding": count.understanding,
        "practice": count.practice,
        "understanding_bar": _bar(count.understanding),
        "practice_bar": _bar(count.practice),
    }


def _quadrants(count: ElementCount | None) -> list[dict[str, Any]] | None:
    if count is None or not count.people:
        return None
    return [{"title": title, "share": count.share_in(q)} for q, title, _text in QUADRANTS]


def cohort_results(cohort: Cohort, framework: Framework) -> dict[str, Any]:
    """The organiser's totals: 事前 and 事後 each over everyone who handed it in, and the change over
    those who handed in both, each shown only when closed and allowed by ``disclose``."""
    groups = queries.groups_of(cohort)
    pre, post = groups[Phase.PRE], groups[Phase.POST]
    paired = pre & post
    pre_closed, post_closed = cohort.is_closed(Phase.PRE), cohort.is_closed(Phase.POST)
    wanted: list[tuple[str, Request]] = []
    if pre_closed:
        wanted.append(("pre", Request((("pre", pre),))))
    if post_closed:
        wanted.append(("post", Request((("post", post),))))
    if pre_closed and post_closed:
        wanted.append(("change", Request((("pre", paired), ("post", paired)))))
    decisions = dict(zip([k for k, _r in wanted], disclose([r for _k, r in wanted]), strict=True))

    def column(key: str, title: str, people: int, closed: bool, phase: str, *, only_paired: bool) -> Column:
        if not closed:
            return Column(key, title, people, hidden_text("open"), None)
        reason = decisions[key]
        if reason is not None:
            return Column(key, title, people, hidden_text(reason), None)
        checks = queries.handed_in_checks(cohort, phase, paired=only_paired)
        return Column(key, title, people, "", queries.totals_of(checks, framework.scale))

    pre_col = column("pre", _("事前"), len(pre), pre_closed, Phase.PRE, only_paired=False)
    post_col = column("post", _("事後"), len(post), post_closed, Phase.POST, only_paired=False)
    both_closed = pre_closed and post_closed
    before = column("change", _("変化"), len(paired), both_closed, Phase.PRE, only_paired=True)
    after = column("change", _("変化"), len(paired), both_closed, Phase.POST, only_paired=True)
    context = tables(framework, pre_col, post_col, before, after)
    context.update(
        {
            "pre_people": len(pre),
            "post_people": len(post),
            "paired_people": len(paired),
            "pre_closed": pre_closed,
            "post_closed": post_closed,
        }
    )
    return context


ROW = 22  # px per bar
LABEL = 330  # px for the element names (the longest, 「2. 関係性を整え、チームを前に進める力」, fits)


def bar_chart(framework: Framework, columns: list[Column], axis: str) -> dict[str, Any]:
    """Horizontal bars per element, one per column, each labelled with its column and its figure
    (so that nothing is told by the bars' fill alone)."""
    rows = []
    y = 8
    for element in framework.elements:
        bars = []
        for index, c in enumerate(columns):
            count = c.totals.elements.get(element.number) if c.totals else None
            if count is None or not count.people:
                continue
            share = count.understanding if axis == "understanding" else count.practice
            bars.append(
                {
                    "y": y + index * ROW,
                    "width": max(_bar(share), 1),
                    "text_x": LABEL + max(_bar(share), 1) + 6,
                    "text": f"{c.title} {share.percent}%",
                    "style": "first" if index == 0 else "second",
                }
            )
        rows.append({"label": f"{element.number}. {element.name}", "y": y + 15, "bars": bars})
        y += max(len(columns), 1) * ROW + 12
    return {
        "axis": axis,
        "title": _("実践している人の割合（エレメントごと）")
        if axis == "practice"
        else _("理解している人の割合（エレメントごと）"),
        "rows": rows,
        "height": y,
        "width": LABEL + BAR_WIDTH + 110,
        "label_x": LABEL - 8,
        "bar_x": LABEL,
        "bar_height": ROW - 6,
        "full_x": LABEL + BAR_WIDTH,
        "legend": [
            {"title": c.title, "style": "first" if i == 0 else "second"} for i, c in enumerate(columns)
        ],
    }


def tables(
    framework: Framework,
    first: Column,
    second: Column | None,
    before: Column | None = None,
    after: Column | None = None,
) -> dict[str, Any]:
    """Element and item rows for one or two columns and, when both sides are shown, the change."""
    every = [c for c in (first, second) if c is not None]
    columns = [c for c in every if c.totals is not None]
    has_change = (
        before is not None and after is not None and before.totals is not None and after.totals is not None
    )
    elements = []
    for element in framework.elements:
        cells = [_pair(c.totals.elements.get(element.number)) for c in columns if c.totals]
        moved = None
        if has_change:
            assert before and after and before.totals and after.totals
            b, a = before.totals.elements.get(element.number), after.totals.elements.get(element.number)
            moved = change(b, a) if b and a and b.people and a.people else None
        elements.append(
            {
                "element": element,
                "cells": cells,
                "change": moved,
            }
        )
    items = []
    for item in framework.items():
        cells = [_pair(c.totals.items.get(item.code)) for c in columns if c.totals]
        moved = None
        if has_change:
            assert before and after and before.totals and after.totals
            was, now = before.totals.items.get(item.code), after.totals.items.get(item.code)
            moved = change(was, now) if was and now and was.people and now.people else None
        items.append({"item": item, "cells": cells, "change": moved})
    focus_source = columns[0] if columns else None
    focus = weakest(framework, focus_source.totals) if focus_source and focus_source.totals else []
    change_hidden = ""
    if before is not None:
        change_hidden = before.hidden
    quadrant_tables = [
        {
            "column": c,
            "rows": [
                {"element": element, "cells": _quadrants(c.totals.elements.get(element.number))}
                for element in framework.elements
            ],
        }
        for c in columns
        if c.totals
    ]
    return {
        "quadrant_tables": quadrant_tables,
        "charts": [bar_chart(framework, columns, "practice"), bar_chart(framework, columns, "understanding")],
        "every": every,
        "columns": columns,
        "elements": elements,
        "items": items,
        "has_change": has_change,
        "change_hidden": change_hidden,
        "change_people": before.people if before else 0,
        "focus": [{"item": item, "counts": focus_source.totals.items[item.code]} for item in focus]
        if focus_source and focus_source.totals
        else [],
        "focus_from": focus_source.title if focus_source else "",
        "bar_width": BAR_WIDTH,
    }


def overview(organisation_checks: Any, owners: frozenset[str], framework: Framework) -> dict[str, Any]:
    """The organisation's totals over the checks shared with it in a 年度."""
    (reason,) = disclose([Request((("overview", owners),))])
    column = Column(
        "overview",
        _("共有されたチェック"),
        len(owners),
        hidden_text(reason),
        queries.totals_of(organisation_checks, framework.scale) if reason is None else None,
    )
    return {**tables(framework, column, None), "people": len(owners)}
