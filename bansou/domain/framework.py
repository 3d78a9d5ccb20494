"""The framework as plain data: powers, tiers, elements, competencies, sheets and items.

A framework is read from a versioned data file (see ``framework_file``); nothing here knows
where it came from. Codes follow the glossary in PRODUCT.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Axis(StrEnum):
    """The two questions asked of every item."""

    UNDERSTANDING = "understanding"
    PRACTICE = "practice"


@dataclass(frozen=True)
class ScaleLevel:
    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    """The answer scale of a framework; values at or above ``positive_from`` count as ○."""

    levels: tuple[ScaleLevel, ...]
    positive_from: int

    def values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels)

    def is_positive(self, value: int) -> bool:
        return value >= self.positive_from

    def label_of(self, value: int) -> str:
        for level in self.levels:
            if level.value == value:
                return level.label
        raise KeyError(value)


@dataclass(frozen=True)
class AxisText:
    axis: Axis
    label: str
    question: str


@dataclass(frozen=True)
class Tier:
    code: str
    name: str


@dataclass(frozen=True)
class Power:
    number: int
    name: str


@dataclass(frozen=True)
class Element:
    number: int
    name: str
    power: int
    tier: str


@dataclass(frozen=True)
class Competency:
    """One label of the leaflet's tier x power table; some labels are elements themselves."""

    tier: str
    power: int
    label: str
    element: int | None = None


@dataclass(frozen=True)
class Item:
    """One row to answer on both axes."""

    code: str
    mark: str
    name: str
    description: str
    element: int | None
    tier: str
    power: int


@dataclass(frozen=True)
class Section:
    title: str
    headings: tuple[str, ...]
    items: tuple[Item, ...]
    element: int | None = None


@dataclass(frozen=True)
class Sheet:
    code: str
    title: str
    intro: tuple[str, ...]
    derived: bool
    sections: tuple[Section, ...]

    def items(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.items


@dataclass(frozen=True)
class Texts:
    """The leaflet's prose, shown on the public framework page."""

    subtitle: str = ""
    about: tuple[str, ...] = ()
    about_elements: tuple[str, ...] = ()
    usage: tuple[str, ...] = ()
    three_powers: tuple[str, ...] = ()
    after_table: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()
    caution: str = ""


@dataclass(frozen=True)
class Framework:
    slug: str
    version: str
    title: str
    source: str
    scale: Scale
    axes: tuple[AxisText, ...]
    tiers: tuple[Tier, ...]
    powers: tuple[Power, ...]
    elements: tuple[Element, ...]
    competencies: tuple[Competency, ...]
    sheets: tuple[Sheet, ...]
    texts: Texts = field(default_factory=Texts)

    def items(self) -> Iterator[Item]:
        for sheet in self.sheets:
            yield from sheet.items()

    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items())

    def element(self, number: int) -> Element:
        for element in self.elements:
            if element.number == number:
                return element
        raise KeyError(number)

    def power(self, number: int) -> Power:
        for power in self.powers:
            if power.number == number:
                return power
        raise KeyError(number)

    def tier(self, code: str) -> Tier:
        for tier in self.tiers:
            if tier.code == code:
                return tier
        raise KeyError(code)

    def axis_text(self, axis: Axis) -> AxisText:
        for text in self.axes:
            if text.axis is axis:
                return text
        raise KeyError(axis)

    def competencies_of(self, tier: str, power: int) -> tuple[Competency, ...]:
        return tuple(c for c in self.competencies if c.tier == tier and c.power == power)

    def elements_of(self, power: int) -> tuple[Element, ...]:
        return tuple(e for e in self.elements if e.power == power)
