"""Scoring a check: per-element shares, the 2x2 placement of items, progress and change over time.

All functions take the framework and a mapping of item code to ``Answer`` and return frozen values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bansou.domain.framework import Axis, Framework, Item, Sheet


@dataclass(frozen=True)
class Answer:
    """One item's answer; ``None`` on an axis means not answered yet."""

    understanding: int | None = None
    practice: int | None = None

    def on(self, axis: Axis) -> int | None:
        return self.understanding if axis is Axis.UNDERSTANDING else self.practice

    @property
    def complete(self) -> bool:
        return self.understanding is not None and self.practice is not None


class Quadrant(StrEnum):
    """Where an item sits in the 2x2 of 理解 x 実践."""

    STRENGTH = "strength"  # 理解○ 実践○
    PUT_INTO_PRACTICE = "put_into_practice"  # 理解○ 実践×
    PUT_INTO_WORDS = "put_into_words"  # 理解× 実践○
    START_HERE = "start_here"  # 理解× 実践×


def quadrant_of(understood: bool, practised: bool) -> Quadrant:
    if understood:
        return Quadrant.STRENGTH if practised else Quadrant.PUT_INTO_PRACTICE
    return Quadrant.PUT_INTO_WORDS if practised else Quadrant.START_HERE


@dataclass(frozen=True)
class Share:
    """``count`` of ``total`` items are ○ on one axis."""

    count: int
    total: int

    @property
    def percent(self) -> int:
        """Rounded half up, so that 1/2 shows as 50 and 2/3 as 67."""
        if self.total == 0:
            return 0
        return (200 * self.count + self.total) // (2 * self.total)


@dataclass(frozen=True)
class ElementScore:
    number: int
    name: str
    power: int
    tier: str
    understanding: Share
    practice: Share


@dataclass(frozen=True)
class PlacedItem:
    item: Item
    quadrant: Quadrant


@dataclass(frozen=True)
class Result:
    elements: tuple[ElementScore, ...]
    placed: tuple[PlacedItem, ...]

    def element(self, number: int) -> ElementScore | None:
        return next((score for score in self.elements if score.number == number), None)

    def in_quadrant(self, quadrant: Quadrant) -> tuple[PlacedItem, ...]:
        return tuple(placed for placed in self.placed if placed.quadrant is quadrant)

    def overall(self, axis: Axis) -> Share:
        """The share of all items (of every sheet, with or without an element) that are ○ on ``axis``."""
        return _share(self.placed, axis)

    def of_tier(self, tier: str, axis: Axis) -> Share:
        """The share of the items of one tier (A, B or C) that are ○ on ``axis``."""
        return _share([p for p in self.placed if p.item.tier == tier], axis)


def _share(placed: Iterable[PlacedItem], axis: Axis) -> Share:
    positive = {
        Quadrant.STRENGTH,
        Quadrant.PUT_INTO_PRACTICE if axis is Axis.UNDERSTANDING else Quadrant.PUT_INTO_WORDS,
    }
    items = list(placed)
    return Share(sum(p.quadrant in positive for p in items), len(items))


@dataclass(frozen=True)
class PowerSummary:
    """One of the three 力 over a result: the shares of its items (every sheet's, as the tiers count
    them) that are ○ on each axis, how many of its items sit in each quadrant, and its elements."""

    number: int
    name: str
    elements: tuple[int, ...]
    understanding: Share
    practice: Share
    quadrants: Mapping[Quadrant, int]

    @property
    def items(self) -> int:
        return sum(self.quadrants.values())

    @property
    def largest(self) -> tuple[Quadrant, ...]:
        """The quadrant(s) holding the most of the power's items, in ``Quadrant`` order (ties kept);
        none when the power has no items."""
        most = max(self.quadrants.values(), default=0)
        return tuple(q for q in Quadrant if most and self.quadrants.get(q, 0) == most)


def power_summaries(framework: Framework, result: Result) -> tuple[PowerSummary, ...]:
    """Per 力 of ``framework``, in its order: the same scoring as the elements and tiers, over the
    items of that power."""
    summaries = []
    for power in framework.powers:
        placed = [p for p in result.placed if p.item.power == power.number]
        quadrants = {q: sum(p.quadrant is q for p in placed) for q in Quadrant}
        summaries.append(
            PowerSummary(
                number=power.number,
                name=power.name,
                elements=tuple(e.number for e in framework.elements_of(power.number)),
                understanding=_share(placed, Axis.UNDERSTANDING),
                practice=_share(placed, Axis.PRACTICE),
                quadrants=quadrants,
            )
        )
    return tuple(summaries)


class IncompleteAnswers(ValueError):
    """Scoring needs every item answered on both axes."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(f"{len(missing)} items not answered: {', '.join(missing[:5])}")


def missing_items(framework: Framework, answers: Mapping[str, Answer]) -> tuple[str, ...]:
    """Codes of the items not answered on both axes, in sheet order."""
    return tuple(item.code for item in framework.items() if not answers.get(item.code, Answer()).complete)


def score(framework: Framework, answers: Mapping[str, Answer]) -> Result:
    """Scores a complete set of answers; raises ``IncompleteAnswers`` otherwise."""
    missing = missing_items(framework, answers)
    if missing:
        raise IncompleteAnswers(missing)
    positive = framework.scale.is_positive
    placed = tuple(
        PlacedItem(
            item,
            quadrant_of(
                positive(_value(answers, item, Axis.UNDERSTANDING)),
                positive(_value(answers, item, Axis.PRACTICE)),
            ),
        )
        for item in framework.items()
    )
    scores = []
    for element in framework.elements:
        of_element = [p for p in placed if p.item.element == element.number]
        understood = sum(p.quadrant in (Quadrant.STRENGTH, Quadrant.PUT_INTO_PRACTICE) for p in of_element)
        practised = sum(p.quadrant in (Quadrant.STRENGTH, Quadrant.PUT_INTO_WORDS) for p in of_element)
        scores.append(
            ElementScore(
                number=element.number,
                name=element.name,
                power=element.power,
                tier=element.tier,
                understanding=Share(understood, len(of_element)),
                practice=Share(practised, len(of_element)),
            )
        )
    return Result(elements=tuple(scores), placed=placed)


def _value(answers: Mapping[str, Answer], item: Item, axis: Axis) -> int:
    value = answers[item.code].on(axis)
    assert value is not None  # guarded by missing_items
    return value


@dataclass(frozen=True)
class Progress:
    sheet: Sheet
    answered: int
    total: int


def progress(framework: Framework, answers: Mapping[str, Answer]) -> tuple[Progress, ...]:
    """How many items of each sheet are answered on both axes."""
    return tuple(
        Progress(
            sheet=sheet,
            answered=sum(answers.get(item.code, Answer()).complete for item in sheet.items()),
            total=sum(1 for _ in sheet.items()),
        )
        for sheet in framework.sheets
    )


@dataclass(frozen=True)
class ElementChange:
    """Change in percentage points since the previous check; ``None`` where it cannot be compared."""

    number: int
    understanding: int | None
    practice: int | None


def change_since(current: Result, previous: Result | None) -> dict[int, ElementChange]:
    """Per element of ``current``: the change in points from ``previous`` (matched by element number)."""
    changes: dict[int, ElementChange] = {}
    for element in current.elements:
        before = previous.element(element.number) if previous else None
        if before is None:
            changes[element.number] = ElementChange(element.number, None, None)
            continue
        changes[element.number] = ElementChange(
            element.number,
            element.understanding.percent - before.understanding.percent,
            element.practice.percent - before.practice.percent,
        )
    return changes


def answers_from_rows(rows: Iterable[tuple[str, str, int | None]]) -> dict[str, Answer]:
    """Builds answers from (item code, axis, value) triples, as stored one cell per row."""
    cells: dict[str, dict[Axis, int | None]] = {}
    for code, axis, value in rows:
        cells.setdefault(code, {})[Axis(axis)] = value
    return {
        code: Answer(understanding=axes.get(Axis.UNDERSTANDING), practice=axes.get(Axis.PRACTICE))
        for code, axes in cells.items()
    }
