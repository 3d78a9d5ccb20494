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
from bansou.frameworks.queries import current_version
from bansou.orgs.models import Organisation

BAR_WIDTH = 300  # px of 100 % in the bar charts


def hidden_text(reason: Hidden | str | None) -> str:
    if reason == Hidden.TOO_FEW:
        return _("%(n)d人未満のため表示しません。") % {"n": MIN_PEOPLE}
    if reason == Hidden.DIFFERENCE:
        return _(
            "表示している別の集計との差から%(n)d人未満の人の回答が分かってしまうため、表示しません。"
        ) % {"n": MIN_PEOPLE}
    if reason == "changed":
        return _("集計している間に提出や共有が変わりました。もう一度表示してください。")
    if reason == "open":
        return _(
            "締切後に表示します（途中の集計は、提出が1件増えるごとの差から個人の回答が分かるため表示しません）。"
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


def _pair(count: ItemCount | ElementCount | None, people: int) -> dict[str, Any] | None:
    """理解 and 実践 of one row, only when it counts the whole group (a cell over fewer would be a
    smaller group than the one the rule allowed)."""
    if count is None or count.people != people:
        return None
    return {"understanding": count.understanding, "practice": count.practice}


def _quadrants(count: ElementCount | None, people: int) -> list[dict[str, Any]] | None:
    """The 2×2 shares of one element, under the same condition."""
    if count is None or count.people != people:
        return None
    return [{"title": title, "share": count.share_in(q)} for q, title, _text in QUADRANTS]


def cohort_results(cohort: Cohort, framework: Framework, viewer_id: int) -> dict[str, Any]:
    """The organiser's totals: 事前 and 事後 each over everyone who handed it in, and the change over
    those who handed in both; each only once its phase is closed and if ``disclose`` allows it beside
    every group of checks the organisation's staff have been shown before.

    Totals that do not count exactly the group decided on (someone left between the two reads) are
    not shown. The groups shown for the first time are recorded before anything is shown, in a short
    write of their own: no transaction spans the long reads (on SQLite every transaction takes the
    write lock at BEGIN, so one would make the organisers' pages wait for each other)."""
    context, new = _cohort_results(cohort, framework, viewer_id)
    queries.remember_shown(cohort.organisation, new)
    return context


def _cohort_results(
    cohort: Cohort, framework: Framework, viewer_id: int
) -> tuple[dict[str, Any], list[frozenset[str]]]:
    organisation = cohort.organisation
    groups = queries.groups_of(cohort, viewer_id)
    measure = f"org:{organisation.pk}"
    pre_closed, post_closed = cohort.is_closed(Phase.PRE), cohort.is_closed(Phase.POST)
    wanted: list[tuple[str, Request]] = []
    if pre_closed:
        wanted.append(("pre", Request(((measure, groups.pre),))))
    if post_closed:
        wanted.append(("post", Request(((measure, groups.post),))))
    if pre_closed and post_closed:
        wanted.append(("change", Request(((measure, groups.paired_pre), (measure, groups.paired_post)))))
    earlier = queries.shown_groups(organisation)
    decisions = dict(
        zip(
            [k for k, _r in wanted],
            disclose([r for _k, r in wanted], shown={measure: earlier}, known=groups.known),
            strict=True,
        )
    )
    new = [g for key, r in wanted if decisions[key] is None for _m, g in r.parts if g not in earlier]
    codes = queries.item_codes(cohort.framework)
    computed: dict[frozenset[str], Totals] = {}

    def column(
        key: str, title: str, group: frozenset[str], closed: bool, phase: str, *, paired: bool
    ) -> Column:
        if not closed:
            return Column(key, title, len(group), hidden_text("open"), None)
        reason = decisions[key]
        if reason is not None:
            return Column(key, title, len(group), hidden_text(reason), None)
        if group not in computed:  # the same checks (everyone did both): counted once
            checks = queries.handed_in_checks(cohort, phase, paired=paired)
            computed[group] = queries.totals_of(checks, framework.scale, codes)
        if computed[group].people != len(group):  # the hand-ins changed between the two reads
            return Column(key, title, len(group), hidden_text("changed"), None)
        return Column(key, title, len(group), "", computed[group])

    both_closed = pre_closed and post_closed
    pre_col = column("pre", _("事前"), groups.pre, pre_closed, Phase.PRE, paired=False)
    post_col = column("post", _("事後"), groups.post, post_closed, Phase.POST, paired=False)
    before = column("change", _("変化"), groups.paired_pre, both_closed, Phase.PRE, paired=True)
    after = column("change", _("変化"), groups.paired_post, both_closed, Phase.POST, paired=True)
    context = tables(framework, pre_col, post_col, before, after)
    context.update(
        {
            "pre_people": len(groups.pre),
            "post_people": len(groups.post),
            "paired_people": len(groups.paired_pre),
            "pre_closed": pre_closed,
            "post_closed": post_closed,
            "paired": [before, after],
        }
    )
    return context, new


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
        cells = [_pair(c.totals.elements.get(element.number), c.people) for c in columns if c.totals]
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
        cells = [_pair(c.totals.items.get(item.code), c.people) for c in columns if c.totals]
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
                {
                    "element": element,
                    "cells": _quadrants(c.totals.elements.get(element.number), c.people),
                }
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


def overview(
    organisation: Organisation, fiscal_year: int, framework: Framework, viewer_id: int
) -> dict[str, Any]:
    """The organisation's totals over the checks shared with it in a 年度 (of the current version),
    under the same rule, beside every group its staff have been shown before."""
    context, new = _overview(organisation, fiscal_year, framework, viewer_id)
    queries.remember_shown(organisation, new)
    return context


def _overview(
    organisation: Organisation, fiscal_year: int, framework: Framework, viewer_id: int
) -> tuple[dict[str, Any], list[frozenset[str]]]:
    version = current_version()
    checks, group, known = queries.overview_checks(organisation, fiscal_year, version, viewer_id)
    measure = f"org:{organisation.pk}"
    before = queries.shown_groups(organisation)
    (reason,) = disclose([Request(((measure, group),))], shown={measure: before}, known=known)
    totals = None
    new = [group] if reason is None and group not in before else []
    hidden = hidden_text(reason)
    if reason is None:
        totals = queries.totals_of(checks, framework.scale, queries.item_codes(version))
        if totals.people != len(group):  # the shares changed between the two reads
            totals, new, hidden = None, [], hidden_text("changed")
    column = Column("overview", _("共有されたチェック"), len(group), hidden, totals)
    return {**tables(framework, column, None), "people": len(group)}, new
