"""The team dialogue sheet (対話シート): the items worth talking about in a team — nobody practises
them, or the members' answers differ — and each member's strengths, from the checks they shared."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bansou.domain.framework import Framework, Item
from bansou.domain.scoring import Quadrant, Result, Share


class Talk(StrEnum):
    NOBODY_PRACTISES = "nobody_practises"
    DIVERGE = "diverge"


@dataclass(frozen=True)
class TalkItem:
    item: Item
    reason: Talk
    understanding: Share  # members who answered ○ on 理解, of those who shared
    practice: Share


@dataclass(frozen=True)
class Dialogue:
    items: tuple[TalkItem, ...]
    strengths: Mapping[str, tuple[Item, ...]]  # each member's items in 理解○ 実践○


def dialogue(framework: Framework, results: Mapping[str, Result]) -> Dialogue:
    """Items to talk about (nobody practises, or the answers differ) and each member's strengths."""
    items: list[TalkItem] = []
    if results:
        placed = {key: {p.item.code: p.quadrant for p in result.placed} for key, result in results.items()}
        for item in framework.items():
            quadrants = [q[item.code] for q in placed.values() if item.code in q]
            if not quadrants:
                continue
            understanding = Share(
                sum(q in (Quadrant.STRENGTH, Quadrant.PUT_INTO_PRACTICE) for q in quadrants), len(quadrants)
            )
            practice = Share(
                sum(q in (Quadrant.STRENGTH, Quadrant.PUT_INTO_WORDS) for q in quadrants), len(quadrants)
            )
            if practice.count == 0:
                items.append(TalkItem(item, Talk.NOBODY_PRACTISES, understanding, practice))
            elif _split(understanding) or _split(practice):
                items.append(TalkItem(item, Talk.DIVERGE, understanding, practice))
    strengths = {
        key: tuple(p.item for p in result.in_quadrant(Quadrant.STRENGTH)) for key, result in results.items()
    }
    return Dialogue(items=tuple(items), strengths=strengths)


def _split(share: Share) -> bool:
    return 0 < share.count < share.total
