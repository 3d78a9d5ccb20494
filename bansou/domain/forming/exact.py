"""The exact formulation: an integer program over the candidates, solved with HiGHS in stages.

Variables: x_i (member), c_i (core, for people who may be core; c_i ≤ x_i), u_r (B rule r unmet,
binary), v_r (C rule r: missing holders, ≥ 0), L (the maximum load after joining).

    size_min ≤ Σ x ≤ size_max            core_min ≤ Σ c ≤ core_max        x_i = 1 for must-in
    Σ_{i core, practises r} c_i + u_r ≥ 1                  (each B rule)
    Σ_{i practises r} x_i + v_r ≥ needed                   (each C rule)
    L ≥ (load_i + 1) x_i
    (a) unmet = Σ u + Σ v + Σ_{i lacks basics} x_i    (b) L    (c) Σ pref_i x_i    (d) Σ x

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
from dataclasses import dataclass
from typing import Any

import highspy

from bansou.domain.forming.model import LevelResult, RuleInstance, RuleKind
from bansou.domain.forming.search import Compiled, Scored, Team, score

INF = highspy.kHighsInf


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


def _highs(nodes: int) -> Any:
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    for name, value in (
        ("output_flag", False),
        ("threads", 1),
        ("random_seed", 0),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 0.999),  # every stage objective is an integer
        ("mip_max_nodes", nodes),
    ):
        h.setOptionValue(name, value)
    return h


class Program:
    """The integer program of one compiled request, with bounds changed stage by stage."""

    def __init__(self, comp: Compiled, nodes: int, *, relax: bool = False) -> None:
        self.comp = comp
        r = comp.request
        n = comp.n
        self.h = h = _highs(nodes)
        self.x = list(range(n))
        core_people = [i for i in range(n) if comp.core_ok[i]]
        self.c = {i: n + k for k, i in enumerate(core_people)}
        base = n + len(core_people)
        self.u = [base + j for j in range(comp.nb)]
        base += comp.nb
        self.v = [base + j for j in range(comp.nc)]
        self.L = base + comp.nc
        ncol = self.L + 1
        lower = [0.0] * ncol
        upper = [1.0] * ncol
        for j in self.v:
            upper[j] = float(r.needed)
        upper[self.L] = INF
        for i in comp.forced:
            lower[i] = 1.0
        h.addVars(ncol, lower, upper)
        if not relax:
            integer = highspy.HighsVarType.kInteger
            ints = self.x + list(self.c.values()) + self.u
            h.changeColsIntegrality(len(ints), ints, [integer] * len(ints))
        self.rows = 0
        self.size_row = self._row(float(r.size_min), float(r.size_max), dict.fromkeys(self.x, 1.0))
        self.core_row = self._row(float(r.core_min), float(r.core_max), dict.fromkeys(self.c.values(), 1.0))
        for i, k in self.c.items():
            self._row(-INF, 0.0, {k: 1.0, i: -1.0})
        for j in range(comp.nb):
            coef = {self.c[i]: 1.0 for i in core_people if comp.b[i] >> j & 1}
            coef[self.u[j]] = 1.0
            self._row(1.0, INF, coef)
        for j in range(comp.nc):
            coef = {i: 1.0 for i in self.x if comp.c[i] >> j & 1}
            coef[self.v[j]] = 1.0
            self._row(float(r.needed), INF, coef)
        for i in self.x:
            self._row(0.0, INF, {self.L: 1.0, i: -float(comp.load1[i])})
        self.unmet_cost = dict.fromkeys(self.u + self.v, 1.0)
        self.unmet_cost.update({i: 1.0 for i in self.x if not comp.basics[i]})
        self.unmet_row = self._row(-INF, INF, self.unmet_cost)
        self.pref_row = self._row(-INF, INF, {i: float(comp.pref[i]) for i in self.x if comp.pref[i]})
        self.ncol = ncol
        self.z: list[int] = []
        self.last = -1  # the tie-break's last fixed member (an index, i.e. a rank)
        self.fixed_in: list[int] = []
        self.open_x = [True] * n  # False: fixed out by the tie-break

    def _row(self, lo: float, hi: float, coef: dict[int, float]) -> int:
        idx = sorted(coef)
        self.h.addRow(lo, hi, len(idx), idx, [coef[k] for k in idx])
        self.rows += 1
        return self.rows - 1

    def forbid(self, team: Team) -> None:
        """A no-good cut: the exact member set ``team`` is no longer allowed."""
        inside = set(team)
        coef = {i: (1.0 if i in inside else -1.0) for i in self.x}
        self._row(-INF, float(len(team) - 1), coef)

    def set_objective(self, cost: dict[int, float]) -> None:
        total = self.ncol + len(self.z)
        self.h.changeColsCost(total, list(range(total)), [cost.get(k, 0.0) for k in range(total)])

    def admits(self, scored: Scored) -> bool:
        """Does the team meet the tie-break stages' fixings (members in, earlier people out)?"""
        team = set(scored.team)
        return all(i in team for i in self.fixed_in) and not any(not self.open_x[i] for i in team)

    def run(
        self, cost: dict[int, float] | None = None
    ) -> tuple[bool, float | None, float, int, list[float] | None]:
        """(proven optimal, value, bound, nodes, column values) of the current stage.

        With ``cost`` (the stage's objective), the columns are checked against the value the
        solver reports; if they disagree, nothing of the answer is trusted (not proven, no bound,
        no columns). This has not happened without a MIP start (see ``solve``).
        """
        h = self.h
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kSolveError:
            # Seen (rarely) in the tie-break stages: solve once more from scratch, without presolve.
            h.clearSolver()
            h.setOptionValue("presolve", "off")
            h.run()
            h.setOptionValue("presolve", "choose")
            status = h.getModelStatus()
        info = h.getInfo()
        has = info.primal_solution_status == highspy.kSolutionStatusFeasible
        values = list(h.getSolution().col_value) if has else None
        value = info.objective_function_value if has else None
        bound = info.mip_dual_bound
        nodes = max(0, int(info.mip_node_count))  # -1 when presolve settled it
        if status == highspy.HighsModelStatus.kInfeasible:
            return True, None, INF, nodes, None
        proven = status == highspy.HighsModelStatus.kOptimal
        if status == highspy.HighsModelStatus.kSolveError:
            return False, None, -INF, nodes, None
        if cost is not None and values is not None and value is not None:
            got = sum(c * values[k] for k, c in cost.items())
            if abs(got - value) > 1e-6:
                return False, None, -INF, nodes, None
        return proven, value, bound, nodes, values

    def team_of(self, values: Sequence[float]) -> Team:
        return tuple(i for i in self.x if values[i] > 0.5)

    def add_z(self) -> None:
        """The columns and rows of the tie-break stages (z_i ≤ x_i, Σ z = 1)."""
        n = self.comp.n
        start = self.ncol
        self.h.addVars(n, [0.0] * n, [1.0] * n)
        self.z = [start + i for i in range(n)]
        for i in self.x:
            self._row(-INF, 0.0, {self.z[i]: 1.0, i: -1.0})
        self._row(1.0, 1.0, dict.fromkeys(self.z, 1.0))

    def fix(self, col: int, lo: float, hi: float) -> None:
        self.h.changeColBounds(col, lo, hi)

    def fix_first(self, pick: int) -> None:
        """The tie-break's next member: ``pick`` in, everyone between the last one and it out."""
        self.fix(pick, 1.0, 1.0)
        self.fix(self.z[pick], 0.0, 0.0)
        for i in range(self.last + 1, pick):
            if self.open_x[i] and i not in self.fixed_in:
                self.open_x[i] = False
                self.fix(i, 0.0, 0.0)
                self.fix(self.z[i], 0.0, 0.0)
        self.fixed_in.append(pick)
        self.last = pick


def _level(name: str, value: int, bound: float, nodes: int) -> LevelResult:
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
    # the teams found so far that meet every level fixed so far
    known = [s for s in starts if s.feasible and s.team not in banned]
    levels: list[LevelResult] = []

    def stage(name: str, cost: dict[int, float], value_of: Callable[[Scored], int]) -> Scored:
        prog.set_objective(cost)
        proven, value, bound, used, values = prog.run(cost)
        if values is not None:
            found = score(comp, prog.team_of(values))
            if found.feasible and found.team not in banned and prog.admits(found):
                known.append(found)
        best = min(known, key=lambda s: (value_of(s), s.key))
        if proven and value is not None:
            bound = value  # the solver's optimum: our value must reach it to count as proven
        levels.append(_level(name, value_of(best), bound, used))
        return best

    r = comp.request
    # (a) unmet
    prog.set_objective(prog.unmet_cost)
    if not known:
        values = prog.run()[4]
        if values is None:
            return None
        found = score(comp, prog.team_of(values))
        if not found.feasible:
            return None
        known.append(found)
    a = stage("a", prog.unmet_cost, lambda s: s.objective.unmet).objective.unmet
    prog.h.changeRowBounds(prog.unmet_row, -INF, float(a))
    known[:] = [s for s in known if s.objective.unmet <= a]
    # (b) maximum load
    b = stage("b", {prog.L: 1.0}, lambda s: s.objective.max_load).objective.max_load
    prog.fix(prog.L, 0.0, float(b))
    for i in prog.x:
        if comp.load1[i] > b:
            prog.open_x[i] = False
    known[:] = [s for s in known if s.objective.max_load <= b]
    # (c) preferences (maximised: minimise the negation)
    if r.prefer_area or r.prefer_experience:
        cost = {i: -float(comp.pref[i]) for i in prog.x if comp.pref[i]}
        c = stage("c", cost, lambda s: -s.objective.preferred).objective.preferred
        prog.h.changeRowBounds(prog.pref_row, float(c), INF)
        known[:] = [s for s in known if s.objective.preferred >= c]
    # (d) size
    d = stage("d", dict.fromkeys(prog.x, 1.0), lambda s: s.objective.size).objective.size
    prog.h.changeRowBounds(prog.size_row, float(d), float(d))
    known[:] = [s for s in known if s.objective.size == d]
    # (e) the earliest members, position by position
    prog.add_z()
    for position in range(1, d + 1):
        last = prog.last

        def first(s: Scored, last: int = last) -> int:
            return min(i for i in s.team if i > last)

        current = min(known, key=lambda s: s.key)
        earliest = min(i for i in range(last + 1, comp.n) if prog.open_x[i])
        if first(current) == earliest:  # nobody earlier is left: no search needed
            pick = earliest
            levels.append(LevelResult(f"e{position}", pick, pick, True, 0))
        else:
            cost = {prog.z[i]: float(i) for i in range(comp.n)}
            pick = first(stage(f"e{position}", cost, first))
        prog.fix_first(pick)
        known[:] = [s for s in known if prog.admits(s)]
    best = min(known, key=lambda s: s.key)
    return Solved(best, tuple(levels))


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
        comp, prog, r = self.comp, self.prog, self.comp.request
        relaxed = size_max is not None or core_max is not None
        if not relaxed and any(self._met(t, c, required) for t, c in self.witnesses):
            return True
        h = prog.h
        undo: list[tuple[int, float, float]] = []

        def fix(col: int, lo: float, hi: float, was: tuple[float, float]) -> None:
            undo.append((col, *was))
            prog.fix(col, lo, hi)

        most: dict[int, int] = {}
        for inst in required:
            if inst.kind is RuleKind.A:
                if any(not comp.basics[i] for i in comp.forced):
                    return False
                most[-1] = 1
            elif inst.kind is RuleKind.B:
                most[-2 - r.b.index(inst.rule)] = 1
            else:
                j = r.c.index(inst.rule)
                most[j] = max(most.get(j, 0), inst.nth)
        for key, nth in most.items():
            if key == -1:
                for i in prog.x:
                    if not comp.basics[i]:
                        fix(i, 0.0, 0.0, (0.0, 1.0))
            elif key <= -2:
                fix(prog.u[-2 - key], 0.0, 0.0, (0.0, 1.0))
            else:
                fix(prog.v[key], 0.0, float(r.needed - nth), (0.0, float(r.needed)))
        if size_max is not None:
            h.changeRowBounds(prog.size_row, float(r.size_min), float(size_max))
        if core_max is not None:
            h.changeRowBounds(prog.core_row, float(r.core_min), float(core_max))
        try:
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
        finally:
            for col, lo, hi in undo:
                prog.fix(col, lo, hi)
            h.changeRowBounds(prog.size_row, float(r.size_min), float(r.size_max))
            h.changeRowBounds(prog.core_row, float(r.core_min), float(r.core_max))


def lp_bound(comp: Compiled) -> float:
    """The LP relaxation's bound on level (a), the fewest unmet rule instances."""
    prog = Program(comp, 1, relax=True)
    prog.set_objective(prog.unmet_cost)
    prog.h.run()
    return float(prog.h.getInfo().objective_function_value)
