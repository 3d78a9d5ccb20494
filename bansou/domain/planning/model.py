"""The model of a plan for many 市町村 at once (配置計画): the targets, the pool, the plan.

Built on forming's model: a target's team is asked for by a ``forming.Request`` (its B rules, its
C labels and how many members should practise each, the size and core bounds, must-in/out,
preferences), and a person is a ``forming.Person`` (standings, basics, core-role ability, capacity,
availability), with what only a plan across 市町村 needs: the 市町村 they can serve and those they
supported before. Rule instances are forming's ``RuleInstance``; a plan names them with the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bansou.domain.forming.model import LevelResult, Person, Problem, Request, RuleInstance, RuleKind, Status


@dataclass(frozen=True)
class Supporter:
    """One person of the pool: ``person.load`` counts the teams they hold this 年度 *outside* the
    plan (their current place in a target's existing team is counted by the plan itself);
    ``person.knows_area`` and ``person.supported_before`` are ignored: ``areas`` and ``supported``
    say them per 市町村 (keys as the targets')."""

    person: Person
    areas: frozenset[str] = frozenset()
    supported: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        return self.person.key


@dataclass(frozen=True)
class Target:
    """One 市町村 to support: the team it should have, and its existing team's members (if any)."""

    key: str
    request: Request
    current: frozenset[str] = frozenset()


class Changes(StrEnum):
    """What the plan may do to an existing team."""

    KEEP = "keep"  # nothing: its members stay, nobody joins
    ADD = "add"  # its members stay; others may join (up to size_max)
    FREE = "free"  # anything: its members may be moved or removed


@dataclass(frozen=True)
class PlanRequest:
    """The 市町村 to support, the pool, and what the plan may change. With ``areas_required``,
    nobody is placed in a 市町村 outside their ``areas`` (an existing member who stays excepted);
    without it, an area is a preference (a target's ``request.prefer_area``), as in forming."""

    targets: tuple[Target, ...]
    pool: tuple[Supporter, ...]
    changes: Changes = Changes.KEEP
    areas_required: bool = False


class Reason(StrEnum):
    """Why a rule instance stays unmet: forming's reasons (read for the target: the people who may
    serve it) and the plan's own."""

    NOBODY_PRACTISES = "nobody_practises"
    NOT_ELIGIBLE = "not_eligible"
    NOT_CORE = "not_core"
    TOO_FEW_WITH_BASICS = "too_few_with_basics"
    MUST_IN = "must_in"
    SIZE_LIMIT = "size_limit"
    CORE_LIMIT = "core_limit"
    CONFLICT = "conflict"
    TRADE_OFF = "trade_off"
    NOT_EXAMINED = "not_examined"
    SHARED = "shared"  # each team alone could meet them; together they need more of the same people
    SHORTAGE = "shortage"  # gaps: the eligible practisers' spare capacity is less than the teams ask


class PlanError(StrEnum):
    """Why no plan exists (``PlanProblem.problem`` says a target's own hard error)."""

    TARGET = "target"  # one target alone has no team (``problem`` says why)
    DUPLICATE = "duplicate"  # two targets, or two people, with the same key
    OVER_CAPACITY = "over_capacity"  # a person's existing places that must stay exceed their capacity
    NO_PLAN = "no_plan"  # each target alone has a team, but not all of them at once
    UNDECIDED = "undecided"  # the work limit stopped the solver before it found a plan


@dataclass(frozen=True)
class PlanProblem:
    error: PlanError
    target: str | None = None
    person: str | None = None
    problem: Problem | None = None


@dataclass(frozen=True, order=True)
class PlanInstance:
    """One rule instance of one target's team."""

    target: str
    instance: RuleInstance


@dataclass(frozen=True)
class Uncovered:
    instance: RuleInstance
    reason: Reason


@dataclass(frozen=True)
class PlanObjective:
    """The lexicographic objective of a plan (compare ``key``; smaller is better): (a) unmet rule
    instances over all teams; (b) the highest load over people placed (teams outside the plan plus
    places in it); (c) preferred places (area / experience, where the target asks), maximised;
    (d) places in all; (e) the sum of the placed people's orders, per place (earlier people)."""

    unmet: int
    max_load: int
    preferred: int
    places: int
    tie: int

    @property
    def key(self) -> tuple[int, int, int, int, int]:
        return (self.unmet, self.max_load, -self.preferred, self.places, self.tie)


@dataclass(frozen=True)
class TeamPlan:
    target: str
    members: tuple[str, ...]  # by order
    core: tuple[str, ...]
    met: tuple[RuleInstance, ...]  # A met: no person (every member has the basics)
    unmet: tuple[RuleInstance, ...]
    uncovered: tuple[Uncovered, ...]
    kept: tuple[str, ...]  # current members who stay


@dataclass(frozen=True)
class Conflict:
    """Plan instances that cannot all be met together; drop any one and the rest can."""

    instances: tuple[PlanInstance, ...]
    reason: Reason


@dataclass(frozen=True)
class Gap:
    """What no plan fills, prefecture-wide, for one rule: the targets it stays unmet in, how many
    instances in all, and why (the pool's reason first, else the one most of its instances have)."""

    kind: RuleKind
    rule: str
    targets: tuple[str, ...]
    missing: int
    reason: Reason


@dataclass(frozen=True)
class Plan:
    teams: tuple[TeamPlan, ...]  # in the targets' order
    objective: PlanObjective
    status: Status = Status.HEURISTIC
    levels: tuple[LevelResult, ...] = ()

    def roles(self) -> dict[str, tuple[tuple[str, bool], ...]]:
        """person → ((target, core), ...), for everyone placed."""
        found: dict[str, list[tuple[str, bool]]] = {}
        for team in self.teams:
            for key in team.members:
                found.setdefault(key, []).append((team.target, key in team.core))
        return {k: tuple(v) for k, v in sorted(found.items())}


@dataclass(frozen=True)
class PlanOutcome:
    problems: tuple[PlanProblem, ...] = ()
    plan: Plan | None = None
    gaps: tuple[Gap, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    conflicts_complete: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems
