"""The radar chart's geometry, for a server-rendered SVG (the template draws it).

Each series says how it is drawn (colour, line weight, dash, marker shape), and the legend is made from
the same series, so that what the legend says is what is drawn; nothing is told by colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from bansou.domain.scoring import Result

WIDTH = 640
HEIGHT = 430
CENTER_X = 330
CENTER_Y = 218
RADIUS = 160
LABEL_AT = 1.12  # the axis labels, just outside the outer ring
RINGS = (25, 50, 75, 100)
SCALE_ANGLE = 0.5  # the scale's labels sit half way between the first two spokes (no marker there)

# A short name per element, for the radar's axes (the table beside it keeps the full names). Each is
# taken word for word from the leaflet's element name (``bansou/frameworks/data``), keyed by that name;
# a test checks that each is part of its element's name. An element not listed (a later version) is
# labelled by its full name.
SHORT_NAMES = {
    "伴走支援の基本姿勢": "基本姿勢",
    "関係性を整え、チームを前に進める力": "関係性",
    "方向性を示し、人を巻き込む力": "方向性",
    "データ活用力": "データ活用",
    "事例判断力": "事例判断",
    "状況判断力": "状況判断",
    "伴走型プロジェクト推進力": "プロジェクト推進",
    "解決策に関わる知識・ノウハウ": "知識・ノウハウ",
    "主体性を引き出す力": "主体性",
}


def short_name(name: str) -> str:
    return SHORT_NAMES.get(name, name)


@dataclass(frozen=True)
class Spoke:
    number: int
    name: str  # the element's full name
    short: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    size: float  # a circle's radius, half a square's side

    @property
    def left(self) -> float:
        return round(self.x - self.size, 1)

    @property
    def top(self) -> float:
        return round(self.y - self.size, 1)

    @property
    def side(self) -> float:
        return 2 * self.size


@dataclass(frozen=True)
class Series:
    """One line of the chart and how it is drawn; its legend entry says the same."""

    key: str  # understanding, practice, previous_understanding, previous_practice
    label: str  # the legend's words: what it is, its line and its marker
    points: str
    markers: tuple[Marker, ...]
    stroke: str
    width: float
    dash: str  # "" for a solid line
    shape: str  # circle or square
    size: float  # the marker's radius (half the square's side)
    fill: str  # the marker's fill
    faint: bool  # the previous check: thin, grey, drawn under this check's lines

    @property
    def sample(self) -> Marker:
        """The marker in the legend's little drawing (48 × 14)."""
        return Marker(24, 7, self.size)


@dataclass(frozen=True)
class ScaleLabel:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Radar:
    width: int
    height: int
    center_x: int
    center_y: int
    spokes: tuple[Spoke, ...]
    rings: tuple[tuple[int, str], ...]
    scale: tuple[ScaleLabel, ...]
    series: tuple[Series, ...]  # drawn in this order: the previous check's first (underneath)

    @property
    def legend(self) -> tuple[Series, ...]:
        """This check's lines first, then the previous check's."""
        return tuple(s for s in self.series if not s.faint) + tuple(s for s in self.series if s.faint)


def _at(index: float, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(CENTER_X + RADIUS * fraction * math.cos(angle), 1),
        round(CENTER_Y + RADIUS * fraction * math.sin(angle), 1),
    )


def _line(values: list[int], size: float) -> tuple[str, tuple[Marker, ...]]:
    markers = tuple(Marker(*_at(i, len(values), v / 100), size) for i, v in enumerate(values))
    return " ".join(f"{m.x},{m.y}" for m in markers), markers


def _series(key: str, label: str, values: list[int], *, previous: bool) -> Series:
    practice = key.endswith("practice")
    points, markers = _line(values, 3 if previous else 5)
    if previous:
        return Series(
            key,
            label,
            points,
            markers,
            stroke="#767676",
            width=1.5,
            dash="6 4" if practice else "2 3",
            shape="square" if practice else "circle",
            size=3,
            fill="#fff",
            faint=True,
        )
    if practice:
        return Series(key, label, points, markers, "#b3471d", 3, "8 5", "square", 5, "#fff", faint=False)
    return Series(key, label, points, markers, "#1a5e8a", 3, "", "circle", 5, "#1a5e8a", faint=False)


def _spokes(result: Result) -> tuple[Spoke, ...]:
    """One spoke per element, clockwise from the top, with its short name placed outside the ring."""
    count = len(result.elements)
    spokes = []
    for index, element in enumerate(result.elements):
        x, y = _at(index, count, 1)
        lx, ly = _at(index, count, LABEL_AT)
        anchor = "middle" if abs(lx - CENTER_X) < 20 else ("start" if lx > CENTER_X else "end")
        # Above the centre the text sits on its point, below it hangs from it, beside it is centred.
        shift = -4 if ly < CENTER_Y - RADIUS * 0.8 else (16 if ly > CENTER_Y + RADIUS * 0.5 else 6)
        spokes.append(
            Spoke(
                element.number, element.name, short_name(element.name), x, y, lx, round(ly + shift, 1), anchor
            )
        )
    return tuple(spokes)


def _previous_series(result: Result, previous: Result | None, previous_when: str) -> list[Series]:
    """The previous check's two lines, when it has every element of this one (else none)."""
    before = [previous.element(e.number) for e in result.elements] if previous else []
    if not before or not all(before):
        return []
    return [
        _series(
            "previous_understanding",
            _("前回（%(when)s）の理解（灰色の細い点線・小さな白丸）") % {"when": previous_when},
            [b.understanding.percent for b in before if b],
            previous=True,
        ),
        _series(
            "previous_practice",
            _("前回（%(when)s）の実践（灰色の細い破線・小さな白四角）") % {"when": previous_when},
            [b.practice.percent for b in before if b],
            previous=True,
        ),
    ]


def radar(result: Result, previous: Result | None = None, previous_when: str = "") -> Radar:
    """Spokes for the elements, clockwise from the top; 100% on the outer ring. With ``previous``
    (the check before, when it has every element of this one) its lines are drawn faint underneath."""
    count = len(result.elements)
    rings = tuple(
        (ring, " ".join(f"{x},{y}" for x, y in (_at(i, count, ring / 100) for i in range(count))))
        for ring in RINGS
    )
    scale = tuple(
        ScaleLabel(x + 4, y, f"{ring}%") for ring in RINGS for x, y in [_at(SCALE_ANGLE, count, ring / 100)]
    )
    series = [
        *_previous_series(result, previous, previous_when),
        _series(
            "understanding",
            _("理解（青の実線・塗りつぶした丸）"),
            [e.understanding.percent for e in result.elements],
            previous=False,
        ),
        _series(
            "practice",
            _("実践（橙の破線・白四角）"),
            [e.practice.percent for e in result.elements],
            previous=False,
        ),
    ]
    return Radar(
        width=WIDTH,
        height=HEIGHT,
        center_x=CENTER_X,
        center_y=CENTER_Y,
        spokes=_spokes(result),
        rings=rings,
        scale=scale,
        series=tuple(series),
    )
