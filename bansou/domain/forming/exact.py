"""Solving the integer program (see ``program``) with HiGHS in stages, and the feasibility checks
of the conflict search.

Lexicographic objective in stages: minimise (a), then fix it (a row's bound) and minimise (b), and
so on; (e), the sorted orders, position by position: with z_i ≤ x_i, Σ z = 1, minimise Σ rank_i z_i
(the earliest member not yet fixed), fix that member in and everyone earlier out, repeat until the
team is full. Every stage objective is an integer, so a stage is proven when the solver's bound,
rounded up, equals the value of the best team known.

The heuristic's teams start the search, but through our own bookkeeping, not the solver's MIP
start: each stage's answer is the best of the teams known that meet the levels fixed so far (the
heuristic's, and every team the solver returned), so it is never worse than the heuristic's, and a
tie-break position the best known team already holds earliest is not solved at all. HiGHS 1.16's
MIP start (``setSolution`` before re-running the modified program) was tried first and dropped:
in the property tests it sometimes handed back the start's columns with another team's value, or
the previous stage's value and bound as "optimal" (tests/domain/test_forming.py found both).

The work limit is deterministic: a node limit per stage, one thread, a fixed seed, no clock. When it
stops a stage, that level is fixed at the best value found (the team stays feasible) and the level
is reported with the solver's bound: not proven, and by how much at most it could improve.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import highspy

from bansou.domain.forming.candidates import Compiled, Team
from bansou.domain.forming.model import LevelResult, RuleInstance, RuleKind
from bansou.domain.forming.program import INF, Program
from bansou.domain.forming.search import Scored, score


@dataclass(frozen=True)
class WorkLimit:
    """Deterministic limits: branch-and-bound nodes per stage, and per feasibility check of the
    conflict search (with at most ``conflict_rounds`` disjoint conflicts sought)."""

    nodes: int = 1000
    conflict_nodes: int = 200
    conflict_rounds: int = 3


@dataclass(frozen=True)
class Solved:
    scored: Scored
    levels: tuple[LevelResult, ...]

    @property
    def proven(self) -> bool:
        return all(level.proven for level in self.levels)


def level_result(name: str, value: int, bound: float, nodes: int) -> LevelResult:
    """A stage's result: the solver's bound rounded up (every stage objective is an integer),
    never above the value; proven when they meet; None when the solver had no bound."""
    if not math.isfinite(bound):
        return LevelResult(level=name, value=value, bound=None, proven=False, nodes=nodes)
    b = min(value, math.ceil(bound - 1e-6))
    return LevelResult(level=name, value=value, bound=b, proven=b == value, nodes=nodes)


def solve(
    comp: Compiled, starts: Sequence[Scored], nodes: int, forbidden: Sequence[Team] = ()
) -> Solved | None:
    """The lexicographically best team not in ``forbidden``, from the best of ``starts`` (feasible
    teams; those in ``forbidden`` are ignored), so never worse than any of them. None when no team
    was found (none exists, or the limit stopped the first stage before it found one)."""
    prog = Program(comp, nodes)
    for team in forbidden:
        prog.forbid(team)
    banned = set(forbidden)
    stages = _Stages(comp, prog, banned, [s for s in starts if s.feasible and s.team not in banned])
    if not stages.start():
        return None
    size = _fix_levels(stages)
    _tie_break(stages, size)
    best = min(stages.known, key=lambda s: s.key)
    return Solved(best, tuple(stages.levels))


@dataclass
class _Stages:
    """One ``solve`` under way: its program, the teams found so far that meet every level fixed so
    far (``known``), and the results of the stages run."""

    comp: Compiled
    prog: Program
    banned: set[Team]
    known: list[Scored]
    levels: list[LevelResult] = field(default_factory=list)

    def start(self) -> bool:
        """Set level (a)'s objective; with no team known, ask the solver for one (False: none)."""
        prog = self.prog
        prog.set_objective(prog.unmet_cost)
        if self.known:
            return True
        values = prog.run()[4]
        if values is None:
            return False
        found = score(self.comp, prog.team_of(values))
        if not found.feasible:
            return False
        self.known.append(found)
        return True

    def stage(self, name: str, cost: dict[int, float], value_of: Callable[[Scored], int]) -> Scored:
        """Minimise ``cost``; the best known team by ``value_of`` (the solver's, if it is one)."""
        prog = self.prog
        prog.set_objective(cost)
        proven, value, bound, used, values = prog.run(cost)
        if values is not None:
            found = score(self.comp, prog.team_of(values))
            if found.feasible and found.team not in self.banned and prog.admits(found):
                self.known.append(found)
        best = min(self.known, key=lambda s: (value_of(s), s.key))
        if proven and value is not None:
            bound = value  # the solver's optimum: our value must reach it to count as proven
        self.levels.append(level_result(name, value_of(best), bound, used))
        return best

    def keep(self, meets: Callable[[Scored], bool]) -> None:
        """Forget the known teams that miss a level just fixed."""
        self.known[:] = [s for s in self.known if meets(s)]


def _fix_levels(stages: _Stages) -> int:
    """Stages (a) to (d), each fixed at its best value once found; the team size (d)."""
    comp, prog, r = stages.comp, stages.prog, stages.comp.request
    # (a) unmet
    a = stages.stage("a", prog.unmet_cost, lambda s: s.objective.unmet).objective.unmet
    prog.h.changeRowBounds(prog.unmet_row, -INF, float(a))
    stages.keep(lambda s: s.objective.unmet <= a)
    # (b) maximum load
    b = stages.stage("b", {prog.L: 1.0}, lambda s: s.objective.max_load).objective.max_load
    prog.fix(prog.L, 0.0, float(b))
    for i in prog.x:
        if comp.load1[i] > b:
            prog.open_x[i] = False
    stages.keep(lambda s: s.objective.max_load <= b)
    # (c) preferences (maximised: minimise the negation)
    if r.prefer_area or r.prefer_experience:
        cost = {i: -float(comp.pref[i]) for i in prog.x if comp.pref[i]}
        c = stages.stage("c", cost, lambda s: -s.objective.preferred).objective.preferred
        prog.h.changeRowBounds(prog.pref_row, float(c), INF)
        stages.keep(lambda s: s.objective.preferred >= c)
    # (d) size
    d = stages.stage("d", dict.fromkeys(prog.x, 1.0), lambda s: s.objective.size).objective.size
    prog.h.changeRowBounds(prog.size_row, float(d), float(d))
    stages.keep(lambda s: s.objective.size == d)
    return d


def _tie_break(stages: _Stages, size: int) -> None:
    """Stage (e): the earliest members, position by position, each fixed once found."""
    comp, prog = stages.comp, stages.prog
    prog.add_z()
    for position in range(1, size + 1):
        last = prog.last

        def first(s: Scored, last: int = last) -> int:
            return min(i for i in s.team if i > last)

        current = min(stages.known, key=lambda s: s.key)
        earliest = min(i for i in range(last + 1, comp.n) if prog.open_x[i])
        if first(current) == earliest:  # nobody earlier is left: no search needed
            pick = earliest
            stages.levels.append(LevelResult(f"e{position}", pick, pick, True, 0))
        else:
            cost = {prog.z[i]: float(i) for i in range(comp.n)}
            pick = first(stages.stage(f"e{position}", cost, first))
        prog.fix_first(pick)
        stages.keep(prog.admits)


class Feasibility:
    """Can some team meet a set of rule instances (and every hard constraint)? One program, its
    bounds set per question and put back after, so a conflict search builds it once."""

    def __init__(self, comp: Compiled, nodes: int) -> None:
        self.comp = comp
        self.prog = Program(comp, nodes)
        self.prog.set_objective({})
        self.witnesses: list[tuple[frozenset[int], tuple[int, ...]]] = []

    def witness(self, team: Team, core: Team) -> None:
        """A team known to meet the hard constraints, with its core."""
        self.witnesses.append((frozenset(team), tuple(core)))

    def _met(self, team: frozenset[int], core: tuple[int, ...], required: Sequence[RuleInstance]) -> bool:
        comp, r = self.comp, self.comp.request
        for inst in required:
            if inst.kind is RuleKind.A:
                if not all(comp.basics[i] for i in team):
                    return False
            elif inst.kind is RuleKind.B:
                j = r.b.index(inst.rule)
                if not any(comp.b[i] >> j & 1 for i in core):
                    return False
            else:
                j = r.c.index(inst.rule)
                if sum(1 for i in team if comp.c[i] >> j & 1) < inst.nth:
                    return False
        return True

    def __call__(
        self,
        required: Sequence[RuleInstance],
        *,
        size_max: int | None = None,
        core_max: int | None = None,
    ) -> bool | None:
        """True or False; None when the work limit stopped the solver before it knew.
        ``size_max``/``core_max`` relax a bound for this question."""
        r, h = self.comp.request, self.prog.h
        relaxed = size_max is not None or core_max is not None
        if not relaxed and any(self._met(t, c, required) for t, c in self.witnesses):
            return True
        most = self._most(required)
        if most is None:
            return False
        undo = self._require(most)
        if size_max is not None:
            h.changeRowBounds(self.prog.size_row, float(r.size_min), float(size_max))
        if core_max is not None:
            h.changeRowBounds(self.prog.core_row, float(r.core_min), float(core_max))
        try:
            return self._ask(relaxed)
        finally:
            self._restore(undo)

    def _most(self, required: Sequence[RuleInstance]) -> dict[int, int] | None:
        """What ``required`` asks, per rule: -1 the basics, -2 - j the j-th B rule, j the j-th C
        rule (with the most holders asked). None when the must-in people alone rule it out."""
        comp, r = self.comp, self.comp.request
        most: dict[int, int] = {}
        for inst in required:
            if inst.kind is RuleKind.A:
                if any(not comp.basics[i] for i in comp.forced):
                    return None
                most[-1] = 1
            elif inst.kind is RuleKind.B:
                most[-2 - r.b.index(inst.rule)] = 1
            else:
                j = r.c.index(inst.rule)
                most[j] = max(most.get(j, 0), inst.nth)
        return most

    def _require(self, most: dict[int, int]) -> list[tuple[int, float, float]]:
        """Fix the columns' bounds that ask for ``most``; the bounds to put back."""
        comp, prog, r = self.comp, self.prog, self.comp.request
        undo: list[tuple[int, float, float]] = []

        def fix(col: int, lo: float, hi: float, was: tuple[float, float]) -> None:
            undo.append((col, *was))
            prog.fix(col, lo, hi)

        for key, nth in most.items():
            if key == -1:
                for i in prog.x:
                    if not comp.basics[i]:
                        fix(i, 0.0, 0.0, (0.0, 1.0))
            elif key <= -2:
                fix(prog.u[-2 - key], 0.0, 0.0, (0.0, 1.0))
            else:
                fix(prog.v[key], 0.0, float(r.needed - nth), (0.0, float(r.needed)))
        return undo

    def _ask(self, relaxed: bool) -> bool | None:
        """Run the solver on the bounds set; a team found is kept as a witness (unless relaxed)."""
        prog, h = self.prog, self.prog.h
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            return False
        if h.getInfo().primal_solution_status == highspy.kSolutionStatusFeasible:
            if not relaxed:
                values = h.getSolution().col_value
                team = prog.team_of(values)
                core = tuple(i for i, k in prog.c.items() if values[k] > 0.5)
                self.witness(team, core)
            return True
        return None

    def _restore(self, undo: Sequence[tuple[int, float, float]]) -> None:
        """Put back the bounds ``_require`` fixed, and the size and core rows'."""
        prog, r = self.prog, self.comp.request
        for col, lo, hi in undo:
            prog.fix(col, lo, hi)
        prog.h.changeRowBounds(prog.size_row, float(r.size_min), float(r.size_max))
        prog.h.changeRowBounds(prog.core_row, float(r.core_min), float(r.core_max))


def lp_bound(comp: Compiled) -> float:
    """The LP relaxation's bound on level (a), the fewest unmet rule instances."""
    prog = Program(comp, 1, relax=True)
    prog.set_objective(prog.unmet_cost)
    prog.h.run()
    return float(prog.h.getInfo().objective_function_value)
