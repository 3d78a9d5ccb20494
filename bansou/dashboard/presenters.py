"""What the dashboard shows, as tables: each figure of the 年度 beside the previous 年度's, and where
each figure leads (no queries here, except through the functions it is given)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from bansou.dashboard.queries import Places
from bansou.disclosure.services import Figure, Withheld
from bansou.domain.aggregates import MIN_PEOPLE
from bansou.domain.coverage import Verdict, labels_of
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.teams.models import Team
from bansou.teams.staff_verdicts import RuleHead, TeamVerdicts

HIDDEN = "hidden"  # the column of verdicts staff may not read
# The verdict columns: the key in links, the heading; in this order.
OUTCOMES: tuple[tuple[str, str], ...] = (
    (Verdict.MET.value, "○ 満たしている"),
    (Verdict.NOT_MET.value, "× 不足"),
    (Verdict.UNKNOWN.value, "？ 判定できない"),
    (HIDDEN, "非表示（同意がないため）"),
)
SYMBOLS = {Verdict.MET.value: "○", Verdict.NOT_MET.value: "×", Verdict.UNKNOWN.value: "？", HIDDEN: "非表示"}
LOAD_LABELS = ("0チーム", "1チーム", "2チーム", "3チーム以上")


def outcome(verdict: Verdict | None) -> str:
    return HIDDEN if verdict is None else verdict.value


def verdict_rows(
    heads: Sequence[RuleHead], years: Sequence[int], teams: Sequence[TeamVerdicts]
) -> list[dict[str, Any]]:
    """A row per rule: per 年度, how many teams meet it, fail it, cannot be judged, or are hidden from
    staff; each count with the query that lists those teams on the page."""
    counts: defaultdict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for t in teams:
        if not t.members:  # a team with nobody in it yet meets nothing and fails nothing: not counted
            continue
        year = t.team.fiscal_year
        for key, verdict in t.verdicts.items():
            counts[year, key][HIDDEN if verdict is None else verdict.value] += 1
    asked = {value: urlencode({"verdict": value}) for value, _title in OUTCOMES}
    rows = []
    for head in heads:
        cells = []
        for year in years:
            found = counts.get((year, head.key), Counter())
            query = urlencode({"year": years[0], "list": year, "rule": head.key})
            for value, _title in OUTCOMES:
                cells.append({"n": found[value], "href": f"?{query}&{asked[value]}#teams"})
        rows.append({"head": head, "cells": cells})
    return rows


def team_list(
    heads: Sequence[RuleHead],
    teams: Sequence[TeamVerdicts],
    years: Sequence[int],
    listed: tuple[int, str, str] | None,
) -> dict[str, Any]:
    """The teams of ``year`` (only those with ``verdict`` on ``rule``, if both are given), each with its
    verdict on every rule, in words and symbols (never colour alone); only the links to the lists
    when none is ``listed`` (``rows`` None)."""
    links = [
        {"year": format_fiscal_year(y), "href": "?" + urlencode({"year": years[0], "list": y}) + "#teams"}
        for y in years
    ]
    if listed is None:
        return {"year": None, "links": links, "rows": None, "filter": ""}
    year, rule, verdict = listed
    keys = {h.key: h for h in heads}
    chosen = rule in keys and verdict in SYMBOLS
    rows = []
    for t in teams:
        if t.team.fiscal_year != year:
            continue
        if chosen and (not t.members or outcome(t.verdicts.get(rule)) != verdict):
            continue  # a count's list: the teams it counted (none without members)
        rows.append(
            {
                "team": t.team,
                "archived": t.team.archived_at is not None,
                "cells": [SYMBOLS[outcome(t.verdicts.get(h.key))] if t.members else "—" for h in heads],
            }
        )
    return {
        "year": format_fiscal_year(year),
        "links": links,
        "rows": rows,
        "filter": _("「%(rule)s」が「%(verdict)s」のチーム")
        % {"rule": keys[rule].name, "verdict": dict(OUTCOMES)[verdict]}
        if chosen
        else "",
    }


def short(head: RuleHead) -> str:
    """A rule's column heading: A, B2, C5 (the legend gives the words)."""
    if head.tier == "A":
        return "A"
    return head.tier + head.key.split(":")[1].replace("C-", "")


def uncovered(places: Places, teams: Sequence[Team], years: Sequence[int], plan_href: str) -> dict[str, Any]:
    """The 市町村 with no team of the organisation in the 年度, and how many there were the 年度 before;
    each with a link to plan one (``plan_href`` ends with the parameter naming it). A team for a ward
    of a 政令指定都市 covers its city."""
    covered = {
        year: {places.counted_as(t.municipality_id) for t in teams if t.fiscal_year == year} for year in years
    }
    this, before = years
    municipalities = places.listed
    rows = [
        {
            "municipality": m,
            "before": m.lgcode not in covered[before],
            "href": f"{plan_href}{m.lgcode}",
        }
        for m in municipalities
        if m.lgcode not in covered[this]
    ]
    counts = [sum(1 for m in municipalities if m.lgcode not in covered[y]) for y in years]
    return {"rows": rows, "counts": counts, "total": len(municipalities)}


def withheld_text(reason: Withheld | None) -> str:
    if reason == Withheld.TOO_FEW:
        return _("表示できません（%(n)d人未満）") % {"n": MIN_PEOPLE}
    if reason in (Withheld.DIFFERENCE, Withheld.COMBINATION):
        return _("表示できません（これまでに示した集計と合わせると%(n)d人未満の人が分かるため）") % {
            "n": MIN_PEOPLE
        }
    return _("表示できません（集計している間に共有が変わりました。もう一度表示してください）")


def pool_rows(
    framework: Framework, figures: Sequence[Figure], pool_href: str, year: int | None
) -> list[dict[str, Any]]:
    """A row per B element and C label: per 年度, how many of the pool practise it, or why not shown.
    The link searches the pool for it (the pool page reads the check each person shares now)."""
    rows = []
    for element in (e for e in framework.elements if e.tier == "B"):
        cells = [_pool_cell(f, f.totals.elements.get(element.number) if f.totals else None) for f in figures]
        query = urlencode({"elements": element.number, **_year(year)})
        rows.append(
            {
                "tier": "B",
                "name": f"{element.number}. {element.name}",
                "cells": cells,
                "href": f"{pool_href}?{query}",
            }
        )
    for label in labels_of(framework, "C"):
        cells = [_pool_cell(f, f.totals.labels.get(label.code) if f.totals else None) for f in figures]
        query = urlencode({"labels": label.code, **_year(year)})
        rows.append({"tier": "C", "name": label.name, "cells": cells, "href": f"{pool_href}?{query}"})
    return rows


def _year(year: int | None) -> dict[str, int]:
    return {"fiscal_year": year} if year is not None else {}


def _pool_cell(figure: Figure, count: Any) -> dict[str, Any]:
    if figure.totals is None:
        return {"shown": False, "text": withheld_text(figure.withheld)}
    practised = count.practice.count if count is not None else 0
    return {"shown": True, "n": practised, "of": figure.totals.people}


def load_rows(loads: Mapping[int, Counter[int]], years: Sequence[int]) -> list[dict[str, Any]]:
    return [
        {"label": label, "cells": [loads[year][bucket] for year in years]}
        for bucket, label in enumerate(LOAD_LABELS)
    ]
