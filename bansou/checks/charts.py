"""The radar chart's geometry, for a server-rendered SVG (the template draws it)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bansou.domain.scoring import Result

SIZE = 440
CENTER = SIZE / 2
RADIUS = 150
RINGS = (25, 50, 75, 100)


@dataclass(frozen=True)
class Spoke:
    number: int
    name: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Series:
    points: str
    markers: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Radar:
    size: int
    spokes: tuple[Spoke, ...]
    rings: tuple[tuple[int, str], ...]
    understanding: Series
    practice: Series


def _at(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(CENTER + RADIUS * fraction * math.cos(angle), 1),
        round(CENTER + RADIUS * fraction * math.sin(angle), 1),
    )


def _series(values: list[int]) -> Series:
    markers = tuple(_at(i, len(values), v / 100) for i, v in enumerate(values))
    return Series(points=" ".join(f"{x},{y}" for x, y in markers), markers=markers)


def radar(result: Result) -> Radar:
    """Spokes for the elements, clockwise from the top; 100% on the outer ring."""
    count = len(result.elements)
    spokes = []
    for index, element in enumerate(result.elements):
        x, y = _at(index, count, 1)
        lx, ly = _at(index, count, 1.18)
        anchor = "middle" if abs(lx - CENTER) < 20 else ("start" if lx > CENTER else "end")
        spokes.append(Spoke(element.number, element.name, x, y, lx, ly + 4, anchor))
    rings = tuple(
        (ring, " ".join(f"{x},{y}" for x, y in (_at(i, count, ring / 100) for i in range(count))))
        for ring in RINGS
    )
    return Radar(
        size=SIZE,
        spokes=tuple(spokes),
        rings=rings,
        understanding=_series([e.understanding.percent for e in result.elements]),
        practice=_series([e.practice.percent for e in result.elements]),
    )
