"""Anonymous totals over many people's checks, and the five-person rule that decides what is shown.

PRODUCT.md: aggregates are never shown over fewer than five people. Every figure here counts a
*group* of people (whose checks it counts) on one *measure* (say, the pre-checks of a 研修). Before
anything is shown, ``disclose`` decides group by group:

1. a group of fewer than ``MIN_PEOPLE`` people is not shown (``Hidden.TOO_FEW``);
2. a group is not shown when, beside a group already shown on the same measure, the difference
   would single out one to four people (``Hidden.DIFFERENCE``). The pre-checks of the six who
   submitted one, next to the pre-checks of the five of them who also submitted a post-check, would
   give away the sixth person's answers by subtraction.

Figures that belong together (a change needs the same people before and after) are asked for as
one request and are shown together or not at all.

Totals are counts the database has already grouped; nothing here reads one person's answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bansou.domain.framework import Framework, Item
from bansou.domain.scoring import Quadrant, Share

MIN_PEOPLE = 5

Group = frozenset[str]


class Hidden(StrEnum):
    TOO_FEW = "too_few"  # the group has fewer than MIN_PEOPLE people
    DIFFERENCE = "difference"  # shown beside another group, the difference would be 1-4 people


def small_difference(a: Group, b: Group, minimum: int = MIN_PEOPLE) -> bool:
    """Whether totals over ``a`` and over ``b`` (same measure) would, subtracted, describe 1 to
    ``minimum - 1`` people: either side of the difference is that small."""
    return any(0 < len(part) < minimum for part in (a - b, b - a))


@dataclass(frozen=True)
class Request:
    """Figures shown together or not at all: each part is (measure, group)."""

    parts: tuple[tuple[str, Group], ...]


def disclose(requests: Sequence[Request], minimum: int = MIN_PEOPLE) -> list[Hidden | None]:
    """For each request in order: ``None`` (show) or why it is hidden.

    Earlier requests have priority: a later one is hidden if it would make a small difference with
    one already shown. Whatever the order, no two shown groups of one measure differ by 1 to
    ``minimum - 1`` people, and no shown group has fewer than ``minimum``.
    """
    shown: dict[str, list[Group]] = {}
    decisions: list[Hidden | None] = []
    for request in requests:
        decision: Hidden | None = None
        if any(len(group) < minimum for _, group in request.parts):
            decision = Hidden.TOO_FEW
        else:
            for i, (measure, group) in enumerate(request.parts):
                others = shown.get(measure, []) + [g for m, g in request.parts[:i] if m == measure]
                if any(small_difference(group, other, minimum) for other in others):
                    decision = Hidden.DIFFERENCE
                    break
        if decision is None:
            for measure, group in request.parts:
                shown.setdefault(measure, []).append(group)
        decisions.append(decision)
    return decisions


# Totals -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemCount:
    """Of ``people``, how many answered ○ on 理解 and on 実践 for one item."""

    people: int
    understood: int
    practised: int

    @property
    def understanding(self) -> Share:
        return Share(self.understood, self.people)

    @property
    def practice(self) -> Share:
        return Share(self.practised, self.people)


@dataclass(frozen=True)
class ElementCount:
    """How many people stand in each quadrant of one element (理解/実践 held: ≥ half of its items ○)."""

    quadrants: Mapping[Quadrant, int]

    @property
    def people(self) -> int:
        return sum(self.quadrants.values())

    @property
    def understanding(self) -> Share:
        held = self.quadrants.get(Quadrant.STRENGTH, 0) + self.quadrants.get(Quadrant.PUT_INTO_PRACTICE, 0)
        return Share(held, self.people)

    @property
    def practice(self) -> Share:
        held = self.quadrants.get(Quadrant.STRENGTH, 0) + self.quadrants.get(Quadrant.PUT_INTO_WORDS, 0)
        return Share(held, self.people)

    def share_in(self, quadrant: Quadrant) -> Share:
        return Share(self.quadrants.get(quadrant, 0), self.people)


@dataclass(frozen=True)
class Totals:
    """A group's totals: per item and per element. ``people`` is the size of the group."""

    people: int
    items: Mapping[str, ItemCount] = field(default_factory=dict)
    elements: Mapping[int, ElementCount] = field(default_factory=dict)


def element_count(rows: Iterable[tuple[bool, bool, int]]) -> ElementCount:
    """From (understood, practised, people) rows, as a GROUP BY gives them."""
    quadrants: dict[Quadrant, int] = {}
    for understood, practised, people in rows:
        quadrant = (
            (Quadrant.STRENGTH if practised else Quadrant.PUT_INTO_PRACTICE)
            if understood
            else (Quadrant.PUT_INTO_WORDS if practised else Quadrant.START_HERE)
        )
        quadrants[quadrant] = quadrants.get(quadrant, 0) + people
    return ElementCount(quadrants)


@dataclass(frozen=True)
class Change:
    """Points gained from before to after (same people), on each axis."""

    understanding: int
    practice: int


def change(before: ItemCount | ElementCount, after: ItemCount | ElementCount) -> Change:
    return Change(
        understanding=after.understanding.percent - before.understanding.percent,
        practice=after.practice.percent - before.practice.percent,
    )


def weakest(framework: Framework, totals: Totals, count: int = 5) -> list[Item]:
    """研修の重点候補: the items the fewest people practise, then the fewest understand; sheet order
    breaks ties. Items nobody answered are left out."""
    order = {code: i for i, code in enumerate(framework.item_codes())}
    answered = [item for item in framework.items() if totals.items.get(item.code, ItemCount(0, 0, 0)).people]

    def key(item: Item) -> tuple[int, int, int]:
        counted = totals.items[item.code]
        return (counted.practice.percent, counted.understanding.percent, order[item.code])

    return sorted(answered, key=key)[:count]
