"""Anonymous totals over many people's checks, and the five-person rule that decides what is shown.

PRODUCT.md: aggregates are never shown over fewer than five people, nor in any combination that
singles someone out. Every figure here counts a *group* — the checks it adds up, one per person. All
groups shown to anyone, in any organisation, make one history (the ``Ledger``): one person can be
staff of several organisations, so totals shown in one can be set against totals shown in another.
Before anything is shown, ``disclose`` decides group by group:

1. a group is not shown if it has fewer than ``MIN_PEOPLE`` checks, or 1 to ``MIN_PEOPLE - 1`` that
   some party who will see it does not already know (``Hidden.TOO_FEW``);
2. a group is not shown if, set against a group shown before (on this page, or on any page earlier,
   to anyone), the difference would single out one to four checks, or one to four that a party does
   not know, or if nested shown groups would leave that few uncovered (``Hidden.DIFFERENCE``): the
   fast first filter, and what covers two to four people together;
3. a group is not shown if, with everything shown before, some combination of totals would depend
   on one person's checks alone — to anyone, or to a party who will see it given what that party
   knows (``Hidden.COMBINATION``; ``bansou.domain.audit``). This is what makes the promise hold
   against sums and differences of many overlapping groups.

The *parties* are the people who will see the figure (an organisation's staff), each with what they
already know: their own checks, and the checks their organisation typed in from paper. What a party
knows only ever makes the rules stricter (they can subtract it); it never lets a total through that
the rules would hold back from someone who knows nothing, because totals also reach people who know
nothing of the kind (a projector in the room, a file passed on). The history records every group
whole.

Figures that belong together (a change needs the same people before and after) are asked for as
one request and are shown together or not at all.

Totals are counts the database has already grouped; nothing here reads one person's answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bansou.domain import audit
from bansou.domain.audit import Basis
from bansou.domain.framework import Framework, Item
from bansou.domain.scoring import Quadrant, Share

MIN_PEOPLE = 5

Group = frozenset[int]


class Hidden(StrEnum):
    TOO_FEW = "too_few"  # fewer than MIN_PEOPLE people, or 1 to MIN_PEOPLE - 1 the viewer does not know
    DIFFERENCE = "difference"  # beside other shown groups, a difference would be 1-4 people
    COMBINATION = "combination"  # with the totals shown before, a combination would single out one person


def _small(part: Group, known: Group, minimum: int) -> bool:
    """1 to ``minimum - 1`` checks, or 1 to ``minimum - 1`` of them not known (knowing only adds)."""
    return 0 < len(part) < minimum or 0 < len(part - known) < minimum


def small_difference(a: Group, b: Group, minimum: int = MIN_PEOPLE, known: Group = frozenset()) -> bool:
    """Whether totals over ``a`` and over ``b`` would, subtracted, describe 1 to ``minimum - 1``
    checks, or that few that are not ``known``: either side of the difference is that small."""
    return _small(a - b, known, minimum) or _small(b - a, known, minimum)


def uncovered(
    group: Group, shown: Sequence[Group], minimum: int = MIN_PEOPLE, known: Group = frozenset()
) -> bool:
    """Whether ``group`` beside ``shown`` leaves 1 to ``minimum - 1`` checks (or unknown ones) that sums of
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
class Ledger:
    """Every group shown so far, as recorded, and the row space they span (``audit.Basis``)."""

    shown: tuple[Group, ...] = ()
    basis: Basis = field(default_factory=Basis)

    def with_groups(self, groups: Iterable[Group]) -> Ledger:
        shown, basis, seen = list(self.shown), self.basis, set(self.shown)
        for group in groups:
            if group not in seen:
                seen.add(group)
                shown.append(group)
                basis = basis.extended(group)
        return Ledger(tuple(shown), basis)


@dataclass(frozen=True)
class Request:
    """Figures shown together or not at all."""

    parts: tuple[Group, ...]


@dataclass(frozen=True)
class Audience:
    """Who will see the figures: for each party, the checks they already know (their own, and those
    their organisation typed in from paper). Someone who knows nothing is always a party too."""

    parties: tuple[Group, ...] = ()

    @property
    def known(self) -> Group:
        """Everything some party knows (for the simple rules, where knowing only adds strictness)."""
        return frozenset().union(*self.parties)

    def knowledge(self) -> list[Group]:
        return list(dict.fromkeys([frozenset(), *self.parties]))


def _newly_exposed(
    before: Basis,
    after: Basis,
    owners: tuple[Mapping[int, int], Mapping[int, Group]],
    audience: Audience,
) -> bool:
    """Whether ``after`` determines someone, to some party, whom ``before`` did not."""
    owner_of, checks_of = owners
    for knowing in audience.knowledge():
        if knowing and knowing.isdisjoint(after.counts):
            continue  # what this party knows is in no shown group: they are anyone
        if after.exposed(checks_of, owner_of, knowing) - before.exposed(checks_of, owner_of, knowing):
            return True
    return False


def _decide(
    request: Request,
    ledger: Ledger,
    audience: Audience,
    owners: tuple[Mapping[int, int], Mapping[int, Group]],
    minimum: int,
) -> Hidden | Ledger:
    """Why ``request`` is hidden, or the ledger with it shown."""
    known = audience.known
    if any(len(group) < minimum or _small(group, known, minimum) for group in request.parts):
        return Hidden.TOO_FEW
    parts = list(request.parts)
    for i, group in enumerate(parts):
        others = [*ledger.shown, *parts[:i]]
        if any(small_difference(group, other, minimum, known) for other in others) or uncovered(
            group, others, minimum, known
        ):
            return Hidden.DIFFERENCE
    after = ledger.with_groups(parts)
    if after.basis.rank > ledger.basis.rank and _newly_exposed(ledger.basis, after.basis, owners, audience):
        return Hidden.COMBINATION
    return after


def disclose(
    requests: Sequence[Request],
    ledger: Ledger | None = None,
    *,
    audience: Audience | None = None,
    owner_of: Mapping[int, int] | None = None,
    minimum: int = MIN_PEOPLE,
) -> tuple[list[Hidden | None], Ledger]:
    """For each request in order: ``None`` (show) or why it is hidden; and the ledger with the groups
    shown added.

    ``owner_of`` gives each check's person (a positive number); a check missing from it (its account
    was deleted, or it was never said) is a person of its own, still protected: its answers were in
    totals shown before. Earlier requests have priority over later ones. Whatever the order, no shown
    group has fewer than ``minimum`` checks nor 1 to ``minimum - 1`` a party does not know, no two
    shown groups differ by that few, no nesting leaves that few uncovered, and no combination of
    everything shown determines one person's checks, to anyone or to a party of the audience.
    """
    ledger = ledger or Ledger()
    audience = audience or Audience()
    # The columns any row can hold: those of the basis's rows and of the requests (a check that
    # cancelled out of every row changes nothing).
    columns = set(ledger.basis.counts).union(*(g for r in requests for g in r.parts))
    given = owner_of or {}
    everyone = {c: given.get(c, -c) for c in columns}  # the unknown: themselves (never a real person)
    owners = (everyone, audit.people(everyone))  # each check's person, each person's checks
    decisions: list[Hidden | None] = []
    for request in requests:
        decided = _decide(request, ledger, audience, owners, minimum)
        if isinstance(decided, Ledger):
            ledger = decided
            decisions.append(None)
        else:
            decisions.append(decided)
    return decisions, ledger


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
    """A group's totals: per item and per element (and per label of the leaflet's table, when asked
    for). ``people`` is the size of the group."""

    people: int
    items: Mapping[str, ItemCount] = field(default_factory=dict)
    elements: Mapping[int, ElementCount] = field(default_factory=dict)
    labels: Mapping[str, ElementCount] = field(default_factory=dict)


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
