"""Feedback from others (他者からのフィードバック): what raters saw of a supporter's practice, set beside the
supporter's own check — never a grade.

A rater answers each asked item with a ``Mark`` of what they observed (they cannot judge the
supporter's 理解). The supporter sees the answers only as totals, only after the request closes, and
only over at least ``MIN_RATERS`` answers they do not know: answers they typed in from paper are known
to them and do not count towards the three. The rules of which views may be shown are those of every
shown total (``bansou.domain.aggregates.disclose``) with this threshold of three; this module says
which views a request asks for (``views_to_ask``) and, once decided, what they show (``compare``).
The comparison is made once, at close, and kept: nothing shown changes after that.

Counting is plain arithmetic over the marks of the answers a decision let through.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations
from typing import TypeVar

MIN_RATERS = 3  # the issue and PRODUCT.md: shown only once three raters have answered
COMMENT_LIMIT = 400  # characters of one comment
MESSAGE_LIMIT = 400  # characters of the supporter's message to raters
MAX_LINKS = 30  # answer links one request may make


class Mark(StrEnum):
    """What a rater observed of one item's practice."""

    SEEN = "seen"  # できていると感じる
    NOT_YET = "not_yet"  # まだ感じない
    UNKNOWN = "unknown"  # わからない（見る機会がない）


MARK_WORDS: dict[Mark, str] = {
    Mark.SEEN: "できていると感じる",
    Mark.NOT_YET: "まだ感じない",
    Mark.UNKNOWN: "わからない（見る機会がない）",
}


class RaterGroup(StrEnum):
    """Whom a link was made for (the supporter says so when making the links)."""

    MUNICIPAL = "municipal"
    TEAMMATE = "teammate"
    OTHER = "other"


GROUP_WORDS: dict[RaterGroup, str] = {
    RaterGroup.MUNICIPAL: "市町村職員",
    RaterGroup.TEAMMATE: "チームの仲間",
    RaterGroup.OTHER: "その他の方",
}


class Place(StrEnum):
    """Where an item sits in the 2x2 of self x others."""

    BOTH = "both"
    OTHERS = "others"
    SELF = "self"
    LATER = "later"


PLACE_WORDS: dict[Place, str] = {
    Place.BOTH: "自分も周りも認める強み",
    Place.OTHERS: "周りが認めている強み（自分では気づいていない）",
    Place.SELF: "自分ではできているつもり（周りからは見えにくい）",
    Place.LATER: "これから",
}


def place_of(self_practised: bool, others_see: bool) -> Place:
    if self_practised:
        return Place.BOTH if others_see else Place.SELF
    return Place.OTHERS if others_see else Place.LATER


@dataclass(frozen=True)
class Response:
    """One answer: its id, whom its link was for, its marks by item code, whether the supporter typed
    it in from paper (then the supporter knows it)."""

    id: int
    group: RaterGroup
    marks: Mapping[str, Mark]
    typed_in: bool = False


Group = frozenset[int]


def _unknown(ids: Group, known: Group) -> int:
    return len(ids - known)


def _groups(responses: Sequence[Response]) -> dict[RaterGroup, Group]:
    found: dict[RaterGroup, set[int]] = {}
    for response in responses:
        found.setdefault(response.group, set()).add(response.id)
    return {g: frozenset(ids) for g, ids in found.items()}


def breakdown(responses: Sequence[Response]) -> tuple[RaterGroup, ...]:
    """The rater groups a breakdown may show: each holds ``MIN_RATERS`` or more answers the supporter
    does not know, what remains outside them holds none or ``MIN_RATERS`` or more (answers, and answers
    the supporter does not know: one or two typed in would be told to whoever else sees the page,
    and the disclosure rule would hold the whole breakdown back), and together they
    say more than the overall figure (two groups or more, or one beside a remainder). Of the sets
    that qualify, the one showing most groups (then the earliest groups). Empty: no breakdown."""
    known = frozenset(r.id for r in responses if r.typed_in)
    everyone = frozenset(r.id for r in responses)
    groups = _groups(responses)
    eligible = [g for g in RaterGroup if g in groups and _unknown(groups[g], known) >= MIN_RATERS]
    for size in range(len(eligible), 0, -1):
        for chosen in combinations(eligible, size):
            rest = everyone - frozenset().union(*(groups[g] for g in chosen))
            if 0 < len(rest) < MIN_RATERS or 0 < _unknown(rest, known) < MIN_RATERS:
                continue  # the overall figure less the groups would tell one or two answers
            if size == 1 and not rest:
                continue  # one group that is everyone: the overall figure again
            return chosen
    return ()


@dataclass(frozen=True)
class Asked:
    """The views a closed request asks the disclosure service for, and what the supporter knows."""

    overall: Group
    groups: tuple[tuple[RaterGroup, Group], ...]  # empty: no breakdown asked for
    known: Group

    def requests(self) -> list[list[Group]]:
        """Figures shown together or not at all: the overall one; then the breakdown, whole."""
        asked = [[self.overall]]
        if self.groups:
            asked.append([ids for _g, ids in self.groups])
        return asked


def views_to_ask(responses: Sequence[Response]) -> Asked | None:
    """What to ask the disclosure service for; None when fewer than ``MIN_RATERS`` answers are unknown
    to the supporter (nothing is shown, nothing asked)."""
    known = frozenset(r.id for r in responses if r.typed_in)
    overall = frozenset(r.id for r in responses)
    if _unknown(overall, known) < MIN_RATERS:
        return None
    groups = _groups(responses)
    chosen = tuple((g, groups[g]) for g in breakdown(responses))
    return Asked(overall, chosen, known)


@dataclass(frozen=True)
class ItemView:
    """One item, self beside others: how many of those who judged it (did not answer わからない) said
    「できていると感じる」."""

    code: str
    self_practised: bool | None  # None: the check recorded with the request did not answer it
    seen: int
    judged: int
    unknown: int  # answered わからない, or left it blank

    @property
    def others_see(self) -> bool | None:
        """At least half of those who judged it see it; None when nobody judged it."""
        return self.seen * 2 >= self.judged if self.judged else None

    @property
    def place(self) -> Place | None:
        if self.self_practised is None or self.others_see is None:
            return None
        return place_of(self.self_practised, self.others_see)

    @property
    def difference(self) -> float:
        """How far self and others are apart, 0 to 1: self (1 or 0) against the share who see it."""
        if self.self_practised is None or not self.judged:
            return 0.0
        return abs((1.0 if self.self_practised else 0.0) - self.seen / self.judged)


def item_views(
    items: Sequence[str], self_practice: Mapping[str, bool | None], responses: Sequence[Response]
) -> tuple[ItemView, ...]:
    views = []
    for code in items:
        marks = [r.marks.get(code, Mark.UNKNOWN) for r in responses]
        seen = sum(1 for m in marks if m is Mark.SEEN)
        judged = seen + sum(1 for m in marks if m is Mark.NOT_YET)
        views.append(ItemView(code, self_practice.get(code), seen, judged, len(marks) - judged))
    return tuple(views)


@dataclass(frozen=True)
class GroupView:
    group: RaterGroup
    answers: int
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class Comparison:
    """What the supporter sees of a closed request. ``shown`` False: fewer than three answers they do
    not know (or the disclosure service held the figures back), and nothing else is told."""

    answers: int
    shown: bool
    items: tuple[ItemView, ...] = ()
    by_group: tuple[GroupView, ...] = ()

    def placed(self, place: Place) -> tuple[ItemView, ...]:
        return tuple(v for v in self.items if v.place is place)

    def largest_differences(self, count: int = 3) -> tuple[ItemView, ...]:
        """The items where self and others are furthest apart (ties in the order asked)."""
        apart = [v for v in self.items if v.difference > 0]
        return tuple(sorted(apart, key=lambda v: -v.difference)[:count])


def compare(
    items: Sequence[str],
    self_practice: Mapping[str, bool | None],
    responses: Sequence[Response],
    asked: Asked | None,
    decisions: Sequence[bool],
) -> Comparison:
    """The comparison the supporter will see, from the decisions on ``asked.requests()`` (True: shown)."""
    if asked is None or not decisions or not decisions[0]:
        return Comparison(answers=len(responses), shown=False)
    of = {r.id: r for r in responses}
    overall = [of[i] for i in sorted(asked.overall)]
    groups: tuple[GroupView, ...] = ()
    if asked.groups and len(decisions) > 1 and decisions[1]:
        groups = tuple(
            GroupView(g, len(ids), item_views(items, self_practice, [of[i] for i in sorted(ids)]))
            for g, ids in asked.groups
        )
    return Comparison(len(overall), True, item_views(items, self_practice, overall), groups)


T = TypeVar("T")


def shuffled(comments: Sequence[T], seed: int) -> list[T]:
    """Comments in an order that does not follow the answers' order: the seed is drawn once, at close,
    and kept, so the order never changes after (hiding one's text moves nothing)."""
    order = list(comments)
    random.Random(seed).shuffle(order)  # nosec B311  # a reading order, from a seed drawn with secrets
    return order
