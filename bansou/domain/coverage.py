"""Whether a support team, together, covers the framework; who could fill a gap; what to talk about.

The leaflet's tiers become rules over what members shared with the team:

- **B**: the team's 中核推進役/調整役 hold (practise) each B element;
- **C**: the team as a whole covers each C element: at least ``needed`` members practise it;
- **A**: every member has the basics: understands every item of tier A.

A member who shared nothing is *unknown*, never counted as lacking: a rule is ``NOT_MET`` only when it
would fail whatever the unknown members answered, so a gap reported is truly a gap; it is ``UNKNOWN``
when the answer depends on members who have not shared.

Keys (``str``) identify members and candidates; the caller maps them to people.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from bansou.domain.framework import Axis, Framework, Item
from bansou.domain.scoring import ElementScore, Quadrant, Result, Share, quadrant_of

CORE_ROLES = frozenset({"core_promoter", "coordinator"})


@dataclass(frozen=True)
class Standing:
    """A person's standing on one element: held on an axis when at least half of its items are ○."""

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


@dataclass(frozen=True)
class Profile:
    """What the team sees of one member: roles, and standings from the check they shared (or None)."""

    key: str
    roles: frozenset[str]
    standings: Mapping[int, Standing] | None = None
    basics: Share | None = None  # tier A items understood, from the same check

    @property
    def shared(self) -> bool:
        return self.standings is not None

    def practises(self, element: int) -> bool:
        standing = (self.standings or {}).get(element)
        return standing is not None and standing.practised


def profile_of(key: str, roles: Iterable[str], result: Result | None) -> Profile:
    if result is None:
        return Profile(key=key, roles=frozenset(roles))
    return Profile(
        key=key,
        roles=frozenset(roles),
        standings=standings_of(result),
        basics=result.of_tier("A", Axis.UNDERSTANDING),
    )


class Verdict(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"  # depends on members who have not shared a check


@dataclass(frozen=True)
class ElementRule:
    """The B or C rule for one element, with what decided it."""

    tier: str
    element: int
    needed: int
    holders: tuple[str, ...]  # members counted who practise the element
    considered: tuple[str, ...]  # members the rule is about (B: core roles; C: everyone)
    not_shared: tuple[str, ...]  # of those, who shared nothing

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
class BasicsRule:
    """The A rule: every member understands every tier-A item."""

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
    c_rules: tuple[ElementRule, ...]
    basics: BasicsRule | None  # None when the framework has no tier-A items

    @property
    def gaps(self) -> tuple[ElementRule, ...]:
        """Element rules that fail whatever the members who have not shared would answer."""
        return tuple(rule for rule in self.b_rules + self.c_rules if rule.verdict is Verdict.NOT_MET)

    @property
    def basics_gap(self) -> BasicsRule | None:
        """The A rule when it fails (a shortfall in the basics, 基礎知識・基礎スキル: not an element)."""
        basics = self.basics
        return basics if basics is not None and basics.verdict is Verdict.NOT_MET else None

    def rule(self, element: int) -> ElementRule | None:
        return next((r for r in self.b_rules + self.c_rules if r.element == element), None)


def assess(framework: Framework, profiles: Iterable[Profile], needed: int = 1) -> Assessment:
    """The tier rules over a team's members; ``needed`` is how many must practise each C element."""
    if needed < 1:
        raise ValueError("needed must be at least 1")
    members = tuple(profiles)
    core = tuple(p for p in members if p.roles & CORE_ROLES)
    b_rules = tuple(
        _element_rule("B", element.number, core, 1) for element in framework.elements if element.tier == "B"
    )
    c_rules = tuple(
        _element_rule("C", element.number, members, needed)
        for element in framework.elements
        if element.tier == "C"
    )
    basics = None
    if any(item.tier == "A" for item in framework.items()):
        basics = BasicsRule(
            members=tuple(p.key for p in members),
            lacking=tuple(p.key for p in members if p.basics is not None and p.basics.count < p.basics.total),
            not_shared=tuple(p.key for p in members if not p.shared),
        )
    return Assessment(b_rules=b_rules, c_rules=c_rules, basics=basics)


def _element_rule(tier: str, element: int, considered: tuple[Profile, ...], needed: int) -> ElementRule:
    return ElementRule(
        tier=tier,
        element=element,
        needed=needed,
        holders=tuple(p.key for p in considered if p.practises(element)),
        considered=tuple(p.key for p in considered),
        not_shared=tuple(p.key for p in considered if not p.shared),
    )


# Who could complement ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A person in an organisation's pool, with the standings of the check they shared with it."""

    key: str
    standings: Mapping[int, Standing]
    load: int = 0  # teams they are in, in the 年度 in question


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    fills: tuple[int, ...]  # the wanted elements the candidate practises


def complement(
    wanted: Iterable[int], candidates: Iterable[Candidate], exclude: Collection[str] = ()
) -> tuple[Match, ...]:
    """Candidates who practise at least one wanted element, not among ``exclude`` (the team).

    Ordered by how many wanted elements they fill (more first), then by load (lighter first); the
    candidates' own order breaks ties, so the caller decides (e.g. by フリガナ).
    """
    elements = tuple(dict.fromkeys(wanted))
    matches = []
    for candidate in candidates:
        if candidate.key in exclude:
            continue
        fills = tuple(e for e in elements if (s := candidate.standings.get(e)) is not None and s.practised)
        if fills:
            matches.append(Match(candidate, fills))
    return tuple(sorted(matches, key=lambda m: (-len(m.fills), m.candidate.load)))


# The team dialogue sheet ------------------------------------------------------------------------


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
