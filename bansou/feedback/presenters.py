"""The supporter's pages, formatted: a request's state, and the comparison kept at close (never queries
beyond the comments it is given)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bansou.domain import feedback_codec
from bansou.domain.feedback import GROUP_WORDS, PLACE_WORDS, ItemView, Place
from bansou.domain.framework import Framework, Item
from bansou.feedback.models import FeedbackRequest


def asked_items(framework: Framework, request: FeedbackRequest) -> list[Item]:
    by_code = {i.code: i for i in framework.items()}
    return [by_code[c] for c in request.items if c in by_code]


def request_sections(framework: Framework) -> list[dict[str, Any]]:
    """The leaflet's sections (not the derived sheets), for choosing items; 主体性を引き出す力 first."""
    sections = [
        {"title": s.title, "items": list(s.items), "element": s.element}
        for sheet in framework.sheets
        if not sheet.derived
        for s in sheet.sections
    ]
    return sorted(sections, key=lambda s: 0 if s["element"] == PROPOSED_ELEMENT else 1)


PROPOSED_ELEMENT = 9  # 主体性を引き出す力: behaviour the 市町村's staff see first-hand


def proposed_items(framework: Framework) -> list[str]:
    return [i.code for i in framework.items() if i.element == PROPOSED_ELEMENT]


def self_word(value: bool | None) -> str:
    return "—" if value is None else ("○" if value else "×")


def _others_word(view: ItemView) -> str:
    if not view.judged:
        return "判断した人なし"
    return f"判断した{view.judged}人中{view.seen}人が「できていると感じる」"


@dataclass(frozen=True)
class Row:
    item: Item
    self_word: str
    others_word: str
    others_mark: str
    unknown: int
    place: str


def rows(items: Sequence[Item], views: Sequence[ItemView]) -> list[Row]:
    by_code = {v.code: v for v in views}
    found = []
    for item in items:
        view = by_code.get(item.code)
        if view is None:
            continue
        others = view.others_see
        found.append(
            Row(
                item,
                self_word(view.self_practised),
                _others_word(view),
                "—" if others is None else ("○" if others else "×"),
                view.unknown,
                PLACE_WORDS[view.place] if view.place else "—",
            )
        )
    return found


def comparison_context(framework: Framework, request: FeedbackRequest) -> dict[str, Any]:
    """The comparison kept at close, as the page shows it."""
    if request.comparison is None:
        return {"comparison": None}
    comparison = feedback_codec.loads(request.comparison)
    items = asked_items(framework, request)
    names = {i.code: i for i in items}
    quadrants = [
        {
            "words": PLACE_WORDS[place],
            "items": [names[v.code] for v in comparison.placed(place) if v.code in names],
        }
        for place in (Place.BOTH, Place.OTHERS, Place.SELF, Place.LATER)
    ]
    groups = [
        {"words": GROUP_WORDS[g.group], "answers": g.answers, "rows": rows(items, g.items)}
        for g in comparison.by_group
    ]
    return {
        "comparison": comparison,
        "rows": rows(items, comparison.items),
        "quadrants": quadrants,
        "groups": groups,
        "comments": [{"row": c, "item": names.get(c.item_code)} for c in request.comments_in_order()],
        "differences": [names[v.code] for v in comparison.largest_differences() if v.code in names],
    }
