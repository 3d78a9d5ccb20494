"""A feedback comparison as JSON, to be kept with its request when it closes (and read back as it was)."""

from __future__ import annotations

from typing import Any

from bansou.domain.feedback import Comparison, GroupView, ItemView, RaterGroup


def _items(views: tuple[ItemView, ...]) -> list[dict[str, Any]]:
    return [
        {"code": v.code, "self": v.self_practised, "seen": v.seen, "judged": v.judged, "unknown": v.unknown}
        for v in views
    ]


def _views(rows: list[dict[str, Any]]) -> tuple[ItemView, ...]:
    return tuple(
        ItemView(str(r["code"]), r["self"], int(r["seen"]), int(r["judged"]), int(r["unknown"])) for r in rows
    )


def dumps(comparison: Comparison) -> dict[str, Any]:
    return {
        "answers": comparison.answers,
        "shown": comparison.shown,
        "items": _items(comparison.items),
        "by_group": [
            {"group": g.group.value, "answers": g.answers, "items": _items(g.items)}
            for g in comparison.by_group
        ],
    }


def loads(data: dict[str, Any]) -> Comparison:
    return Comparison(
        answers=int(data["answers"]),
        shown=bool(data["shown"]),
        items=_views(data["items"]),
        by_group=tuple(
            GroupView(RaterGroup(g["group"]), int(g["answers"]), _views(g["items"])) for g in data["by_group"]
        ),
    )
