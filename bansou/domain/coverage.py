"""Whether a support team, together, covers the framework; who could fill a gap; what to talk about.

The leaflet's table (区分 × 力) becomes rules over what members shared with the team:

- **A**: every member has the basics: understands every A label. The A labels are asked one by one
  on the second sheet (A-1…A-7), and those are exactly the framework's tier-A items, so the rule
  reads the share of tier-A items understood (``Profile.basics``);
- **B**: the team's 中核推進役/調整役 hold (practise) each B element (its items on the 確認リスト);
- **C**: the team as a whole covers each of the table's C labels (nine in the leaflet): at least
  ``needed`` members practise it (``labels_of``, ``label_standings_of``).

A member who shared nothing is *unknown*, never counted as lacking: a rule is ``NOT_MET`` only when it
would fail whatever the unknown members answered, so a gap reported is truly a gap; it is ``UNKNOWN``
when the answer depends on members who have not shared.

Keys (``str``) identify members and candidates; the caller maps them to people. Each rule has a
``key`` of its own, stable across checks: ``element:<n>`` for a B rule, ``label:<code>`` for a C rule
(``label:C-1`` … ``label:C-9`` in the leaflet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bansou.domain.framework import Axis, Framework
from bansou.domain.scoring import ElementScore, PlacedItem, Quadrant, Result, Share, quadrant_of

CORE_ROLES = frozenset({"core_promoter", "coordinator"})


@dataclass(frozen=True)
class Standing:
    """A person's standing on one element or label: held on an axis when at least half of its items
    are ○."""

    understanding: Share
    practice: Share

    @property
    def understood(self) -> bool:
        return _held(self.understanding)

    @property
    def practised(self) -> bool:
        return _held(self.practice)

    @property
    def quadrant(self) -> Quadrant:
        return quadrant_of(self.understood, self.practised)


def _held(share: Share) -> bool:
    return share.total > 0 and 2 * share.count >= share.total


def standing_of(score: ElementScore) -> Standing:
    return Standing(understanding=score.understanding, practice=score.practice)


def standings_of(result: Result) -> dict[int, Standing]:
    """Element number to standing, for the elements that have items."""
    return {score.number: standing_of(score) for score in result.elements if score.practice.total}


# The labels of the leaflet's table ---------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """One label of the table (区分 × 力), as a rule is made of it.

    ``code`` is the label's stable key: the code of its item on the second sheet (C-1…C-9, A-1…A-7 in
    the leaflet), or, for a label that has no item of its own, ``<tier>-<place>`` (its place among the
    tier's labels, from 1; in the leaflet the item codes follow that order too). ``name`` is the
    leaflet's words. ``items`` are the items whose answers decide whether it is held.
    """

    code: str
    tier: str
    power: int
    name: str
    element: int | None
    items: tuple[str, ...]


# (id of a framework, tier) to the framework and its labels: a framework never changes, and the app
# parses each version once per process, so every team assessed reads the same labels.
_LABELS: dict[tuple[int, str], tuple[Framework, tuple[Label, ...]]] = {}


def labels_of(framework: Framework, tier: str = "C") -> tuple[Label, ...]:
    """``_labels_of``, worked out once per framework (object) and tier."""
    known = _LABELS.get((id(framework), tier))
    if known is not None and known[0] is framework:
        return known[1]
    labels = _labels_of(framework, tier)
    if len(_LABELS) > 32:  # frameworks parsed in tests come and go
        _LABELS.clear()
    _LABELS[(id(framework), tier)] = (framework, labels)
    return labels


def _labels_of(framework: Framework, tier: str) -> tuple[Label, ...]:
    """The table's labels of ``tier``, in the table's order, each with the items that decide it.

    A label that is not an element is decided by its own item on the second sheet (the item of the
    same tier, 力 and words). A label that *is* an element (C: 1, 4, 5, 8) is decided by the element's
    items, i.e. by the element's standing, as the elements page and the team map show it: the team
    rule then never disagrees with the map. In the leaflet this is no choice at all: each C element
    has exactly one item, and that item is the label's own item on the second sheet (C-1 is element
    1's only item), so both sources are the same answers (``tests/domain/test_coverage_labels.py``
    checks this against the shipped data). Labels with no item to decide them are left out: nobody
    is asked about them, so no rule can be made of them.
    """
    items = list(framework.items())
    labels = []
    for place, competency in enumerate(
        (c for c in framework.competencies if c.tier == tier),
        start=1,
    ):
        own = next(
            (
                item
                for item in items
                if item.tier == tier and item.power == competency.power and item.name == competency.label
            ),
            None,
        )
        if competency.element is not None:
            deciding = tuple(item.code for item in items if item.element == competency.element)
        else:
            deciding = (own.code,) if own is not None else ()
        if not deciding:
            continue
        labels.append(
            Label(
                code=own.code if own is not None else f"{tier}-{place}",
                tier=tier,
                power=competency.power,
                name=competency.label,
                element=competency.element,
                items=deciding,
            )
        )
    return tuple(labels)


def label_standing(label: Label, placed: Iterable[PlacedItem]) -> Standing | None:
    """The standing on ``label`` from a result's placed items (None when none of its items is there,
    e.g. a check made against a framework without them)."""
    mine = [p for p in placed if p.item.code in label.items]
    if not mine:
        return None
    understood = sum(p.quadrant in (Quadrant.STRENGTH, Quadrant.PUT_INTO_PRACTICE) for p in mine)
    practised = sum(p.quadrant in (Quadrant.STRENGTH, Quadrant.PUT_INTO_WORDS) for p in mine)
    return Standing(Share(understood, len(mine)), Share(practised, len(mine)))


def label_standings_of(framework: Framework, result: Result, tier: str = "C") -> dict[str, Standing]:
    """Label code to standing, for the labels of ``tier`` of ``framework`` (the check's own framework)
    that the result has items for."""
    found = {}
    for label in labels_of(framework, tier):
        standing = label_standing(label, result.placed)
        if standing is not None:
            found[label.code] = standing
    return found


# Members and the rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the team sees of one member: roles, and standings from the check they shared (or None).

    ``standings`` are per element (number), ``labels`` per C label (code); both are None, and
    ``basics`` too, when the member shared nothing.
    """

    key: str
    roles: frozenset[str]
    standings: Mapping[int, Standing] | None = None
    basics: Share | None = None  # tier A items (the A labels) understood, from the same check
    labels: Mapping[str, Standing] | None = None

    @property
    def shared(self) -> bool:
        return self.standings is not None

    def practises(self, element: int) -> bool:
        standing = (self.standings or {}).get(element)
        return standing is not None and standing.practised

    def practises_label(self, code: str) -> bool:
        standing = (self.labels or {}).get(code)
        return standing is not None and standing.practised


def profile_of(key: str, roles: Iterable[str], result: Result | None, framework: Framework | None) -> Profile:
    """The member's profile from the check they shared (``framework``: the check's own version, which
    decides its label standings), or an unknown member's (``result`` None)."""
    if result is None:
        return Profile(key=key, roles=frozenset(roles))
    if framework is None:
        raise ValueError("a shared check's labels need its framework")
    return Profile(
        key=key,
        roles=frozenset(roles),
        standings=standings_of(result),
        basics=result.of_tier("A", Axis.UNDERSTANDING),
        labels=label_standings_of(framework, result),
    )


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"  # depends on members who have not shared a check


class _Counted:
    """A rule met when at least ``needed`` of the members considered hold something."""

    needed: int
    holders: tuple[str, ...]
    not_shared: tuple[str, ...]

    @property
    def verdict(self) -> Verdict:
        if len(self.holders) >= self.needed:
            return Verdict.MET
        if len(self.holders) + len(self.not_shared) < self.needed:
            return Verdict.NOT_MET
        return Verdict.UNKNOWN

    @property
    def missing(self) -> int:
        """How many more practising members the rule needs."""
        return max(0, self.needed - len(self.holders))


@dataclass(frozen=True)
class ElementRule(_Counted):
    """The B rule for one element, with what decided it."""

    tier: str
    element: int
    needed: int
    holders: tuple[str, ...]  # members counted who practise the element
    considered: tuple[str, ...]  # members the rule is about (the core roles)
    not_shared: tuple[str, ...]  # of those, who shared nothing

    @property
    def key(self) -> str:
        return f"element:{self.element}"


@dataclass(frozen=True)
class LabelRule(_Counted):
    """The C rule for one label of the table, with what decided it."""

    label: Label
    needed: int
    holders: tuple[str, ...]  # members who practise the label
    considered: tuple[str, ...]  # members the rule is about (everyone)
    not_shared: tuple[str, ...]  # of those, who shared nothing

    @property
    def key(self) -> str:
        return f"label:{self.label.code}"

    @property
    def tier(self) -> str:
        return self.label.tier

    @property
    def code(self) -> str:
        return self.label.code

    @property
    def name(self) -> str:
        return self.label.name


Rule = ElementRule | LabelRule


@dataclass(frozen=True)
class BasicsRule:
    """The A rule: every member understands every A label (every tier-A item)."""

    members: tuple[str, ...]
    lacking: tuple[str, ...]  # shared, and do not understand every A item
    not_shared: tuple[str, ...]

    @property
    def verdict(self) -> Verdict:
        if self.lacking:
            return Verdict.NOT_MET
        return Verdict.UNKNOWN if self.not_shared else Verdict.MET


@dataclass(frozen=True)
class Assessment:
    b_rules: tuple[ElementRule, ...]
    c_rules: tuple[LabelRule, ...]
    basics: BasicsRule | None  # None when the framework has no tier-A items

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The B rules, then the C rules."""
        return self.b_rules + self.c_rules

    @property
    def gaps(self) -> tuple[Rule, ...]:
        """B and C rules that fail whatever the members who have not shared would answer."""
        return tuple(rule for rule in self.rules if rule.verdict is Verdict.NOT_MET)

    @property
    def basics_gap(self) -> BasicsRule | None:
        """The A rule when it fails (a shortfall in the basics, 基礎知識・基礎スキル: not an element)."""
        basics = self.basics
        return basics if basics is not None and basics.verdict is Verdict.NOT_MET else None

    def rule(self, element: int) -> ElementRule | None:
        """The B rule of an element."""
        return next((r for r in self.b_rules if r.element == element), None)

    def label_rule(self, code: str) -> LabelRule | None:
        """The C rule of a label, by its code."""
        return next((r for r in self.c_rules if r.code == code), None)

    def by_key(self, key: str) -> Rule | None:
        return next((r for r in self.rules if r.key == key), None)


def assess(framework: Framework, profiles: Iterable[Profile], needed: int = 1) -> Assessment:
    """The tier rules over a team's members; ``needed`` is how many must practise each C label."""
    if needed < 1:
        raise ValueError("needed must be at least 1")
    members = tuple(profiles)
    everyone = tuple(p.key for p in members)
    unknown = tuple(p.key for p in members if not p.shared)
    core = tuple(p for p in members if p.roles & CORE_ROLES)
    core_keys = tuple(p.key for p in core)
    core_unknown = tuple(p.key for p in core if not p.shared)
    b_rules = tuple(
        ElementRule(
            tier="B",
            element=element.number,
            needed=1,
            holders=tuple(p.key for p in core if p.practises(element.number)),
            considered=core_keys,
            not_shared=core_unknown,
        )
        for element in framework.elements
        if element.tier == "B"
    )
    c_rules = tuple(
        LabelRule(
            label=label,
            needed=needed,
            holders=tuple(p.key for p in members if p.practises_label(label.code)),
            considered=everyone,
            not_shared=unknown,
        )
        for label in labels_of(framework, "C")
    )
    basics = None
    if any(item.tier == "A" for item in framework.items()):
        basics = BasicsRule(
            members=everyone,
            lacking=tuple(p.key for p in members if p.basics is not None and p.basics.count < p.basics.total),
            not_shared=unknown,
        )
    return Assessment(b_rules=b_rules, c_rules=c_rules, basics=basics)
