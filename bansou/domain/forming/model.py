"""The model of team forming: people, a request, proposals and the reasons given with them.

Plain data (frozen dataclasses, enums); the search is in ``search`` (evaluation, prefilter,
heuristic, explanations) and ``exact`` (the integer program). Rule keys are opaque strings to the
optimiser ("B:2" for B element 2, "C:<label>" for a C label); the page layer maps them to words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Person:
    """One supporter of the pool as the optimiser sees them.

    ``order`` is the stable tie-break (e.g. the index in the フリガナ-sorted pool): the lower, the
    earlier a person is preferred when everything else is equal. Keys and orders must be unique.
    """

    key: str
    practises: frozenset[str] = frozenset()
    basics: bool = False
    may_be_core: bool = False
    capacity: int = 1
    load: int = 0
    available: bool = True
    knows_area: bool = False
    supported_before: bool = False
    order: int = 0

    @property
    def eligible_load(self) -> bool:
        """Can take one more team this 年度 (load + 1 ≤ capacity)."""
        return self.load + 1 <= self.capacity


@dataclass(frozen=True)
class Request:
    """One team to form: the rules it should meet and the hard bounds it must meet.

    B: each rule of ``b_rules`` should be practised by some core member; C: each rule of
    ``c_rules`` by at least ``needed`` members; A: every member should have the basics. Duplicate
    rule keys count once.
    """

    b_rules: tuple[str, ...] = ()
    c_rules: tuple[str, ...] = ()
    needed: int = 1
    size_min: int = 1
    size_max: int = 6
    core_min: int = 1
    core_max: int = 2
    must_in: frozenset[str] = frozenset()
    must_out: frozenset[str] = frozenset()
    prefer_area: bool = False
    prefer_experience: bool = False

    @property
    def b(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.b_rules))

    @property
    def c(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.c_rules))


class RuleKind(StrEnum):
    A = "A"  # every member understands every A label (one instance per member lacking it)
    B = "B"  # some core member practises the rule
    C = "C"  # at least ``nth`` members practise the rule (instances nth = 1..needed)


@dataclass(frozen=True, order=True)
class RuleInstance:
    """One countable unit of the objective's level (a).

    A unmet in a proposal names the member who lacks the basics (``person``); in a conflict, the A
    instance has no person and means "every member has the basics".
    """

    kind: RuleKind
    rule: str = ""
    nth: int = 1
    person: str | None = None


@dataclass(frozen=True)
class Objective:
    """The lexicographic objective of one team (compare with ``key``; smaller is better).

    (a) ``unmet`` rule instances; (b) ``max_load`` after joining (max of load + 1); (c)
    ``preferred``: members who know the area plus members who supported before, each counted only
    when the request asks for it (maximised); (d) ``size``; (e) ``tie``: the members' orders, sorted
    (for teams of equal size: the team holding the earliest person the other lacks wins).
    """

    unmet: int
    max_load: int
    preferred: int
    size: int
    tie: tuple[int, ...]

    @property
    def key(self) -> tuple[int, int, int, int, tuple[int, ...]]:
        return (self.unmet, self.max_load, -self.preferred, self.size, self.tie)

    @property
    def levels(self) -> tuple[int, int, int, int]:
        """Levels (a) to (d) as the integer program minimises them (c negated)."""
        return (self.unmet, self.max_load, -self.preferred, self.size)


class HardError(StrEnum):
    """Why no team can be formed at all (hard constraints); the page words them in Japanese."""

    EMPTY_POOL = "empty_pool"
    SIZE_RANGE = "size_range"  # size_min < 1 or size_min > size_max
    NEEDED_RANGE = "needed_range"  # needed < 1
    CORE_RANGE = "core_range"  # core_min < 0, core_min > core_max or core_min > size_max
    MUST_IN_UNKNOWN = "must_in_unknown"  # not in the pool
    MUST_IN_EXCLUDED = "must_in_excluded"  # both must-in and must-out
    MUST_IN_UNAVAILABLE = "must_in_unavailable"
    MUST_IN_OVER_CAPACITY = "must_in_over_capacity"
    TOO_MANY_MUST_IN = "too_many_must_in"  # more must-in people than size_max
    TOO_FEW_ELIGIBLE = "too_few_eligible"  # fewer eligible people than size_min
    TOO_FEW_CORE = "too_few_core"  # core_min core-eligible people cannot be in the team


@dataclass(frozen=True)
class Problem:
    """One hard error; ``person`` names the must-in person concerned, ``count`` what was found."""

    error: HardError
    person: str | None = None
    count: int | None = None


class Reason(StrEnum):
    """Why a rule instance stays uncovered (or why a set of instances cannot be met together)."""

    NOBODY_PRACTISES = "nobody_practises"  # nobody in the pool (fewer than nth people, for C)
    NOT_ELIGIBLE = "not_eligible"  # those who do are unavailable, full this 年度 or excluded
    NOT_CORE = "not_core"  # B: those who do (and could join) may not take the core role
    TOO_FEW_WITH_BASICS = "too_few_with_basics"  # A: fewer eligible people with basics than needed
    MUST_IN = "must_in"  # A: a must-in member lacks the basics
    SIZE_LIMIT = "size_limit"  # meeting them together needs more members than size_max
    CORE_LIMIT = "core_limit"  # ... more core members than core_max
    CONFLICT = "conflict"  # they exclude each other otherwise (e.g. basics against practice)
    TRADE_OFF = "trade_off"  # could be met alone; left for better coverage elsewhere
    NOT_EXAMINED = "not_examined"  # the quick proposal did not check (the exact one does)


class ChosenFor(StrEnum):
    """Why a member is in the proposal (several may apply)."""

    MUST_IN = "must_in"
    CORE_B = "core_b"  # as core member, the only one covering some B rule
    ONLY_C = "only_c"  # needed for some C rule (without them, fewer holders than needed)
    BASICS = "basics"  # has the basics (counts toward A)
    AREA = "area"  # knows the area (asked for)
    EXPERIENCE = "experience"  # supported this 市町村 before (asked for)
    CORE_ROLE = "core_role"  # takes a core role the team needs (core_min)
    SIZE = "size"  # fills the team up to size_min


@dataclass(frozen=True)
class MemberNote:
    key: str
    core: bool
    b_rules: tuple[str, ...]  # B rules this member covers as core
    c_rules: tuple[str, ...]  # requested C rules this member practises
    basics: bool
    load_after: int
    knows_area: bool
    supported_before: bool
    chosen_for: tuple[ChosenFor, ...]


@dataclass(frozen=True)
class Uncovered:
    instance: RuleInstance
    reason: Reason


@dataclass(frozen=True)
class Explanation:
    members: tuple[MemberNote, ...]
    b_cover: tuple[tuple[str, tuple[str, ...]], ...]  # B rule -> core members practising it
    c_cover: tuple[tuple[str, tuple[str, ...]], ...]  # C rule -> members practising it
    uncovered: tuple[Uncovered, ...]


class Status(StrEnum):
    HEURISTIC = "heuristic"  # no bound sought
    OPTIMAL = "optimal"  # every level proven
    LIMITED = "limited"  # the work limit stopped some level before its proof


@dataclass(frozen=True)
class LevelResult:
    """One stage of the exact solve: the value reached and the solver's proven bound for it.

    ``value`` and ``bound`` are in the program's sense (minimised; level (c) negated, level (e)
    the rank of the member fixed at that position). ``proven`` when bound == value; ``bound`` is
    None when the work limit stopped the solver before it had one (nothing is proven then).
    """

    level: str  # "a", "b", "c", "d", "e1", "e2", ...
    value: int
    bound: int | None
    proven: bool
    nodes: int

    @property
    def gap(self) -> int | None:
        """How much better this level could at most be (None: unknown)."""
        return None if self.bound is None else self.value - self.bound


@dataclass(frozen=True)
class Proposal:
    members: tuple[str, ...]  # sorted by order
    core: tuple[str, ...]
    objective: Objective
    unmet: tuple[RuleInstance, ...]
    explanation: Explanation
    status: Status = Status.HEURISTIC
    levels: tuple[LevelResult, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """Rule instances that cannot all be met together, irreducible: drop any one and the rest can."""

    instances: tuple[RuleInstance, ...]
    reason: Reason


@dataclass(frozen=True)
class Outcome:
    problems: tuple[Problem, ...] = ()  # non-empty: nothing can be formed, no proposals
    proposals: tuple[Proposal, ...] = ()  # best first; each differs from the others in a member
    conflicts: tuple[Conflict, ...] = ()  # disjoint irreducible sets explaining level (a)
    conflicts_complete: bool = True  # False when a limit stopped the search for more conflicts
    candidates: int = 0  # people left after the prefilter
    pool: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems
