"""What organisers see of a 研修 or of their organisation: the totals the five-person rule lets them see
(decided by ``disclosure``), formatted for the pages; and a 研修's dates."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bansou.checks.presenters import QUADRANTS
from bansou.cohorts import disclosure
from bansou.cohorts.disclosure import CohortTotals, Figure, Withheld
from bansou.cohorts.models import Cohort, Phase
from bansou.domain.aggregates import MIN_PEOPLE, Change, ElementCount, ItemCount, Totals, change, weakest
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.domain.scoring import Share
from bansou.orgs.models import Organisation

BAR_WIDTH = 300  # px of 100 % in the bar charts

PRE_TITLE = gettext_lazy("事前")
POST_TITLE = gettext_lazy("事後")
CHANGE_TITLE = gettext_lazy("変化")


def hidden_text(reason: Withheld | None) -> str:
    """Why a group's totals are not shown, as the pages and files say it ("" when shown)."""
    if reason == Withheld.TOO_FEW:
        return _("%(n)d人未満のため表示しません。") % {"n": MIN_PEOPLE}
    if reason == Withheld.DIFFERENCE:
        return _(
            "これまでに示した別の集計（ほかの組織のものも含みます）との差から%(n)d人未満の人の回答が"
            "分かってしまうため、表示しません。"
        ) % {"n": MIN_PEOPLE}
    if reason == Withheld.COMBINATION:
        return _(
            "これまでに示した集計（どの組織のものも含みます）と組み合わせると、"
            "一人の回答が計算で分かってしまうため、表示しません。"
        )
    if reason == Withheld.CHANGED:
        return _("集計している間に提出や共有が変わりました。もう一度表示してください。")
    if reason == Withheld.OPEN:
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


def _column(key: str, title: str, figure: Figure) -> Column:
    return Column(key, title, figure.people, hidden_text(figure.withheld), figure.totals)


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


def dates(cohort: Cohort) -> dict[str, Any]:
    """The 研修's 年度 and, per phase, its deadline, whether it is closed, and (事後) whether it has
    begun and from which day."""
    return {
        "fiscal_year": format_fiscal_year(cohort.fiscal_year),
        "phases": [
            {
                "phase": phase,
                "label": label,
                "deadline": cohort.deadline(phase),
                "closed": cohort.is_closed(phase),
                "closed_early": cohort.closed_at(phase) is not None,
                "opens_on": cohort.post_opens_on() if phase == Phase.POST else None,
                "not_begun": not cohort.has_begun(phase),
            }
            for phase, label in Phase.choices
        ],
    }


@dataclass(frozen=True)
class NextStep:
    """A participant's next step on the 研修's page: what is done, and what to do next ("" if nothing)."""

    done: str
    todo: str
    new_check: bool = False  # the next step begins with doing a check (「チェックをする」)


def _day(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _todo(todo: str, deadline: datetime.date) -> str:
    return _("%(todo)s（締切 %(day)s）") % {"todo": todo, "day": _day(deadline)}


def not_yet_open(cohort: Cohort) -> str:
    """Why the 事後 phase takes nothing yet, and from when it will."""
    return _("事後チェックは、事前チェックの締切後（%(day)sから）受け付けます。") % {
        "day": _day(cohort.post_opens_on())
    }


def next_step(cohort: Cohort, handed: Collection[str], ready: Collection[str]) -> NextStep:
    """From the phases ``handed`` in and those with a check ``ready`` to hand in (one that fits)."""
    if not cohort.is_closed(Phase.PRE) and Phase.PRE not in handed:
        if Phase.PRE in ready:
            return NextStep(
                "", _todo(_("事前チェックとして提出するチェックを下で選んで、提出する"), cohort.pre_deadline)
            )
        return NextStep("", _todo(_("事前チェックをして、提出する"), cohort.pre_deadline), new_check=True)
    if Phase.PRE in handed:
        done = _("事前チェックは提出済みです。")
    else:
        done = _("事前チェックは締め切られました（未提出）。")
    post_open = not cohort.is_closed(Phase.POST)
    if not cohort.has_begun(Phase.POST):  # the 事前 phase is still open, and handed in
        todo = _("研修（%(starts)s〜%(ends)s）のあとに、もう一度チェックをして事後チェックとして提出する") % {
            "starts": _day(cohort.starts_on),
            "ends": _day(cohort.ends_on),
        }
        return NextStep(done + not_yet_open(cohort), _todo(todo, cohort.post_deadline), new_check=True)
    if Phase.POST in handed:
        more = _("締切までは選び直せます。") if post_open else _("この研修の提出は締め切られました。")
        post = _("事後チェックも提出済みです。") if Phase.PRE in handed else _("事後チェックは提出済みです。")
        return NextStep(done + post + more, "")
    if not post_open:
        return NextStep(done + _("事後チェックは締め切られました（未提出）。"), "")
    if Phase.POST in ready:
        return NextStep(
            done, _todo(_("事後チェックとして提出するチェックを下で選んで、提出する"), cohort.post_deadline)
        )
    todo = _("研修（%(starts)s〜%(ends)s）のあとに、もう一度チェックをして事後チェックとして提出する") % {
        "starts": _day(cohort.starts_on),
        "ends": _day(cohort.ends_on),
    }
    return NextStep(done, _todo(todo, cohort.post_deadline), new_check=True)


def cohort_results(totals: CohortTotals, framework: Framework) -> dict[str, Any]:
    """The organiser's totals as ``disclosure.cohort_totals`` decided them: 事前, 事後 and the change."""
    before = _column("change", str(CHANGE_TITLE), totals.paired_pre)
    after = _column("change", str(CHANGE_TITLE), totals.paired_post)
    context = tables(
        framework,
        _column("pre", str(PRE_TITLE), totals.pre),
        _column("post", str(POST_TITLE), totals.post),
        before,
        after,
    )
    context.update(
        {
            "pre_people": totals.pre.people,
            "post_people": totals.post.people,
            "paired_people": totals.paired_pre.people,
            "pre_closed": totals.pre_closed,
            "post_closed": totals.post_closed,
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


Sides = tuple[Totals, Totals]  # before and after, over the same people


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
    sides: Sides | None = (
        (before.totals, after.totals) if before and after and before.totals and after.totals else None
    )
    focus_source = columns[0] if columns else None
    focus = weakest(framework, focus_source.totals) if focus_source and focus_source.totals else []
    return {
        "caution": framework.texts.caution,  # the leaflet's: 主役は市町村, also beside totals
        "quadrant_tables": _quadrant_tables(framework, columns),
        "charts": [bar_chart(framework, columns, "practice"), bar_chart(framework, columns, "understanding")],
        "every": every,
        "columns": columns,
        "elements": _element_rows(framework, columns, sides),
        "items": _item_rows(framework, columns, sides),
        "has_change": sides is not None,
        "change_hidden": before.hidden if before is not None else "",
        "change_people": before.people if before else 0,
        "focus": [{"item": item, "counts": focus_source.totals.items[item.code]} for item in focus]
        if focus_source and focus_source.totals
        else [],
        "focus_from": focus_source.title if focus_source else "",
        "bar_width": BAR_WIDTH,
    }


def _element_rows(framework: Framework, columns: list[Column], sides: Sides | None) -> list[dict[str, Any]]:
    return [
        {
            "element": element,
            "cells": [_pair(c.totals.elements.get(element.number), c.people) for c in columns if c.totals],
            "change": _moved(sides[0].elements.get(element.number), sides[1].elements.get(element.number))
            if sides
            else None,
        }
        for element in framework.elements
    ]


def _item_rows(framework: Framework, columns: list[Column], sides: Sides | None) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "cells": [_pair(c.totals.items.get(item.code), c.people) for c in columns if c.totals],
            "change": _moved(sides[0].items.get(item.code), sides[1].items.get(item.code)) if sides else None,
        }
        for item in framework.items()
    ]


def _moved(before: ItemCount | ElementCount | None, after: ItemCount | ElementCount | None) -> Change | None:
    """The change of one row, when both sides counted someone."""
    return change(before, after) if before and after and before.people and after.people else None


def _quadrant_tables(framework: Framework, columns: list[Column]) -> list[dict[str, Any]]:
    """Per shown column, the 2×2 shares of each element."""
    return [
        {
            "column": c,
            "rows": [
                {"element": element, "cells": _quadrants(c.totals.elements.get(element.number), c.people)}
                for element in framework.elements
            ],
        }
        for c in columns
        if c.totals
    ]


def overview(
    organisation: Organisation, fiscal_year: int, framework: Framework, viewer_id: int
) -> dict[str, Any]:
    """The organisation's totals over the checks shared with it in a 年度 (of the current version),
    under the same rule, beside every group its staff have been shown before.

    Decided and recorded by ``disclosure.overview_totals``; called from here rather than from the
    view only because the overview's wiring waits for the sharing app."""
    figure = disclosure.overview_totals(organisation, fiscal_year, framework, viewer_id)
    column = _column("overview", _("共有されたチェック"), figure)
    return {**tables(framework, column, None), "people": figure.people}
