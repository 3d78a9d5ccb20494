"""Anonymous totals over many people's checks, and the five-person rule that decides what is shown.

PRODUCT.md: aggregates are never shown over fewer than five people. Every figure here counts a
*group* — the checks it adds up, one per person — within a *measure*: the scope inside which figures
could be set against each other (the caller uses one measure per organisation, since its staff see
its 研修 and its overview side by side, and today's figures beside yesterday's). Before anything is
shown, ``disclose`` decides group by group:

1. a group is not shown if, leaving out what the viewer knows (their own checks), it has fewer than
   ``MIN_PEOPLE`` (``Hidden.TOO_FEW``);
2. a group is not shown if, set against a group shown before on the same measure (on this page, or
   on any page earlier: the caller keeps them), the difference would single out one to four checks
   (``Hidden.DIFFERENCE``). The pre-checks of six, and the pre-checks of the five of them who also
   did a post-check, would give away the sixth person's answers by subtraction; so would the same
   totals before and after one person left;
3. the same for a group that, with the smaller groups shown inside it, leaves one to four checks
   uncovered, or that with other shown groups covers all but one to four checks of a larger shown
   group (A = P + Q + {x} shown beside P and Q gives away x).

Rule 3 catches sums of shown groups nested in one another; it does not audit every linear
combination of many overlapping groups (that is the statistical "auditing" problem). The pages show
few groups per measure, and each is a closed phase or a year's overview, so the combinations stay few.

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
    TOO_FEW = "too_few"  # fewer than MIN_PEOPLE people, or 1 to MIN_PEOPLE - 1 the viewer does not know
    DIFFERENCE = "difference"  # beside other shown groups, a difference would be 1-4 people


def _small(part: Group, known: Group, minimum: int) -> bool:
    return 0 < len(part - known) < minimum


def small_difference(a: Group, b: Group, minimum: int = MIN_PEOPLE, known: Group = frozenset()) -> bool:
    """Whether totals over ``a`` and over ``b`` (same measure) would, subtracted, describe 1 to
    ``minimum - 1`` checks the viewer does not know: either side of the difference is that small."""
    return _small(a - b, known, minimum) or _small(b - a, known, minimum)


def uncovered(
    group: Group, shown: Sequence[Group], minimum: int = MIN_PEOPLE, known: Group = frozenset()
) -> bool:
    """Whether ``group`` beside ``shown`` leaves 1 to ``minimum - 1`` unknown checks that sums of
    nested groups would single out: inside ``group`` (what its shown subsets do not cover), or inside
    a larger shown group (what ``group`` and that group's other shown subsets do not cover)."""
    inner = [s for s in shown if s < group]
    if inner and _small(group - frozenset().union(*inner), known, minimum):
        return True
    for outer in (s for s in shown if group < s):
        covered = group.union(*(s for s in shown if s < outer))
        if _small(outer - covered, known, minimum):
            return True
    return False


@dataclass(frozen=True)
class Request:
    """Figures shown together or not at all: each part is (measure, group)."""

    parts: tuple[tuple[str, Group], ...]


def disclose(
    requests: Sequence[Request],
    minimum: int = MIN_PEOPLE,
    *,
    shown: Mapping[str, Sequence[Group]] | None = None,
    known: Group = frozenset(),
) -> list[Hidden | None]:
    """For each request in order: ``None`` (show) or why it is hidden.

    ``shown``: groups shown before, by measure; ``known``: what the viewer knows already (their own
    checks, and checks their organisation typed in from paper). Earlier requests have priority over
    later ones. Whatever the order, no shown group has fewer than ``minimum`` checks, nor 1 to
    ``minimum - 1`` unknown ones (a group the viewer knows entirely tells them nothing new), no two
    groups of one measure (shown before or now) differ by 1 to ``minimum - 1`` unknown checks, and no
    nesting of them leaves that few uncovered.
    """
    seen: dict[str, list[Group]] = {m: list(gs) for m, gs in (shown or {}).items()}
    decisions: list[Hidden | None] = []
    for request in requests:
        decision: Hidden | None = None
        if any(len(group) < minimum or _small(group, known, minimum) for _, group in request.parts):
            decision = Hidden.TOO_FEW
        else:
            for i, (measure, group) in enumerate(request.parts):
                others = seen.get(measure, []) + [g for m, g in request.parts[:i] if m == measure]
                if any(small_difference(group, other, minimum, known) for other in others) or uncovered(
                    group, others, minimum, known
                ):
                    decision = Hidden.DIFFERENCE
                    break
        if decision is None:
            for measure, group in request.parts:
                if group not in seen.setdefault(measure, []):
                    seen[measure].append(group)
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
