"""Solving the plan's program (see ``program``) in stages, as forming's ``exact`` does for one team:
minimise (a), fix it at the best value known, then (b) (by feasibility: see ``program``), and so
on to (e). Each stage's answer is
the best of the plans known that meet the levels fixed so far (the heuristic's, and every plan the
solver returned, scored by ``board.score_plan``), so the exact plan is never worse than the
heuristic's. The work limit is forming's: a node limit per stage, one thread, a fixed seed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import highspy

from bansou.domain.forming.candidates import compile_request
from bansou.domain.forming.exact import Feasibility, level_result
from bansou.domain.forming.model import LevelResult, RuleInstance, RuleKind
from bansou.domain.forming.program import INF
from bansou.domain.planning.board import Board, ScoredPlan, Teams, board_of, score_plan
from bansou.domain.planning.model import PlanInstance
from bansou.domain.planning.program import PlanProgram
from bansou.domain.planning.search import candidates

LEVELS: tuple[tuple[str, Callable[[ScoredPlan], int]], ...] = (
    ("a", lambda s: s.objective.unmet),
    ("b", lambda s: s.objective.max_load),
    ("c", lambda s: -s.objective.preferred),
    ("d", lambda s: s.objective.places),
    ("e", lambda s: s.objective.tie),
)

Run = tuple[bool, float | None, float, int, list[float] | None]


def run(h: object, cost: dict[int, float] | None) -> Run:
    """(proven optimal, value, bound, nodes, column values) of the current stage; an answer whose
    columns disagree with the reported value is not trusted (as forming's ``Program.run``)."""
    hs: highspy.Highs = h  # type: ignore[assignment]
    hs.run()
    status = hs.getModelStatus()
    if status == highspy.HighsModelStatus.kSolveError:
        hs.clearSolver()
        hs.setOptionValue("presolve", "off")
        hs.run()
        hs.setOptionValue("presolve", "choose")
        status = hs.getModelStatus()
    info = hs.getInfo()
    nodes = max(0, int(info.mip_node_count))
    if status == highspy.HighsModelStatus.kInfeasible:
        return True, None, INF, nodes, None
    if status == highspy.HighsModelStatus.kSolveError:
        return False, None, -INF, nodes, None
    has = info.primal_solution_status == highspy.kSolutionStatusFeasible
    values = list(hs.getSolution().col_value) if has else None
    value = info.objective_function_value if has else None
    if cost is not None and values is not None and value is not None and not _agrees(cost, values, value):
        return False, None, -INF, nodes, None
    return status == highspy.HighsModelStatus.kOptimal, value, info.mip_dual_bound, nodes, values


def _agrees(cost: dict[int, float], values: Sequence[float], value: float) -> bool:
    return abs(sum(c * values[k] for k, c in cost.items()) - value) <= 1e-6


@dataclass(frozen=True)
class Solved:
    plan: ScoredPlan
    levels: tuple[LevelResult, ...]

    @property
    def proven(self) -> bool:
        return all(level.proven for level in self.levels)


def _first(board: Board, prog: PlanProgram) -> ScoredPlan | bool:
    """A plan from the solver (no start known): the plan, False (none exists) or True (unknown)."""
    prog.set_objective(prog.costs["a"])
    proven, _value, _bound, _nodes, values = run(prog.h, None)
    if values is None:
        return not proven
    found = score_plan(board, prog.teams_of(values))
    return found if found.feasible else True


def solve(board: Board, start: ScoredPlan | None, nodes: int) -> Solved | bool:
    """The lexicographically best plan, never worse than ``start``; False when no plan exists,
    True when the work limit stopped the solver before it found one."""
    prog = PlanProgram(board, nodes)
    known = [start] if start is not None and start.feasible else []
    if not known:
        first = _first(board, prog)
        if isinstance(first, bool):
            return first
        known.append(first)
    levels: list[LevelResult] = []
    for name, value_of in LEVELS:
        if name == "b":
            known, level = _load_stage(board, prog, known)
            levels.append(level)
            continue
        cost = prog.costs[name]
        if name == "c" and not cost:
            continue
        prog.set_objective(cost)
        proven, value, bound, used, values = run(prog.h, cost)
        if values is not None:
            found = score_plan(board, prog.teams_of(values))
            if found.feasible:
                known.append(found)
        best = value_of(min(known, key=lambda s: (value_of(s), s.key)))
        if proven and value is not None:
            bound = value
        levels.append(level_result(name, best, bound, used))
        prog.bound_level(name, float(best))
        known = [s for s in known if value_of(s) <= best]
    return Solved(min(known, key=lambda s: s.key), tuple(levels))


def load_floor(board: Board) -> int:
    """A lower bound on level (b): 1 (every team has a member), and each person's load plus the
    places that must stay."""
    staying: dict[str, int] = {}
    for comp in board.comps:
        for i in comp.forced:
            key = comp.people[i].key
            staying[key] = staying.get(key, 0) + 1
    return max([1, *(board.people[k].load + n for k, n in staying.items())])


def _load_stage(
    board: Board, prog: PlanProgram, known: list[ScoredPlan]
) -> tuple[list[ScoredPlan], LevelResult]:
    """Level (b) by feasibility: can every person placed stay within k = best - 1 (then k - 1,
    ...)? A plan found lowers the best; "no" proves it; the work limit leaves the floor as bound.
    The level is then fixed at the best (``PlanProgram.cap_load``)."""
    best = min(s.objective.max_load for s in known)
    floor = min(best, load_floor(board))
    bound = floor
    nodes = 0
    prog.set_objective({})
    while best - 1 >= floor:
        prog.cap_load(best - 1)
        proven, _value, _bound, used, values = run(prog.h, None)
        nodes += used
        found = None if values is None else score_plan(board, prog.teams_of(values))
        if found is not None and found.feasible and found.objective.max_load < best:
            known.append(found)
            best = found.objective.max_load
            continue
        if values is None and proven:  # none within best - 1
            bound = best
        break
    else:
        bound = best  # the floor reached
    prog.cap_load(best)
    known = [s for s in known if s.objective.max_load <= best]
    return known, level_result("b", best, float(bound), nodes)


def part_of(board: Board, teams: Teams, targets: Sequence[int]) -> Board:
    """The plan of ``targets`` only, the places the other teams of ``teams`` hold counted as
    the people's load (so that any plan of these, with those teams, keeps every capacity)."""
    inside = set(targets)
    placed = Counter(k for u, team in enumerate(teams) if u not in inside for k in board.keys(u, team))
    plan = board.plan
    serving = frozenset().union(*(board.serving[t] for t in targets))
    pool = tuple(
        replace(s, person=replace(s.person, load=s.person.load + placed[s.key])) if placed[s.key] else s
        for s in plan.pool
        if s.key in serving
    )
    return board_of(replace(plan, targets=tuple(plan.targets[t] for t in targets), pool=pool))


class PlanFeasibility:
    """Can some plan meet a set of plan instances (and every hard constraint)? One program, its
    bounds set per question and put back after."""

    def __init__(self, board: Board, nodes: int, *, alone: bool = True) -> None:
        """``alone`` False: without the question to each target alone (asked already)."""
        self.board = board
        self.ask_alone = alone
        self.prog = PlanProgram(board, nodes)
        self.prog.set_objective({})
        self.index = {t.key: n for n, t in enumerate(board.targets)}
        self.witnesses: list[ScoredPlan] = []
        self.nodes = nodes
        self.alone: dict[int, Feasibility] = {}  # per target, built when first asked

    def _met(self, plan: ScoredPlan, required: Sequence[PlanInstance]) -> bool:
        for pi in required:
            t = self.index[pi.target]
            comp, team, core = self.board.comps[t], plan.teams[t], plan.scored[t].core
            inst = pi.instance
            if inst.kind is RuleKind.A:
                ok = all(comp.basics[i] for i in team)
            elif inst.kind is RuleKind.B:
                j = comp.request.b.index(inst.rule)
                ok = any(comp.b[i] >> j & 1 for i in core)
            else:
                j = comp.request.c.index(inst.rule)
                ok = sum(1 for i in team if comp.c[i] >> j & 1) >= inst.nth
            if not ok:
                return False
        return True

    def _require(self, required: Sequence[PlanInstance]) -> list[tuple[int, float, float]]:
        """Fix the columns' bounds that ask for ``required``; the bounds to put back."""
        prog = self.prog
        undo: list[tuple[int, float, float]] = []
        for pi in required:
            t = self.index[pi.target]
            comp, inst = self.board.comps[t], pi.instance
            if inst.kind is RuleKind.A:
                fixes = [(prog.x[t][i], 0.0, 1.0, 0.0) for i in range(comp.n) if not comp.basics[i]]
            elif inst.kind is RuleKind.B:
                fixes = [(prog.u[t][comp.request.b.index(inst.rule)], 0.0, 1.0, 0.0)]
            else:
                needed = float(comp.request.needed)
                fixes = [(prog.v[t][comp.request.c.index(inst.rule)], 0.0, needed, needed - inst.nth)]
            for col, lo, hi, new_hi in fixes:
                undo.append((col, lo, hi))
                prog.h.changeColBounds(col, lo, min(new_hi, hi))
        return undo

    def _alone(self, required: Sequence[PlanInstance]) -> bool:
        """Does some target's team alone fail its part of ``required`` (so that no plan meets
        it)? Forming's program of that one target: far smaller than the plan's."""
        by_target: dict[int, list[RuleInstance]] = {}
        for pi in required:
            by_target.setdefault(self.index[pi.target], []).append(pi.instance)
        for t, insts in sorted(by_target.items()):
            if t not in self.alone:
                self.alone[t] = Feasibility(self.board.comps[t], self.nodes)
            if self.alone[t](insts) is False:
                return True
        return False

    def _repair(self, required: Sequence[PlanInstance]) -> bool:
        """Does a known plan, the teams of the targets ``required`` asks of formed again (the
        other teams' places counted as load), meet it? One target: forming's program; several:
        the plan's program over those targets only. Far smaller than the whole plan's."""
        targets = sorted({self.index[pi.target] for pi in required})
        if not self.witnesses or len(targets) == len(self.board.comps):
            return False
        teams = self.witnesses[0].teams
        if len(targets) == 1:
            people = candidates(self.board, teams, targets[0], dominance=False)
            sub = compile_request(people, self.board.comps[targets[0]].request, reduce=False)
            return Feasibility(sub, self.nodes)([pi.instance for pi in required]) is True
        part = PlanFeasibility(part_of(self.board, teams, targets), self.nodes, alone=False)
        return part(required) is True

    def __call__(self, required: Sequence[PlanInstance]) -> bool | None:
        """True or False; None when the work limit stopped the solver before it knew."""
        if any(self._met(w, required) for w in self.witnesses):
            return True
        for pi in required:  # a member who must stay lacks the basics
            comp = self.board.comps[self.index[pi.target]]
            if pi.instance.kind is RuleKind.A and any(not comp.basics[i] for i in comp.forced):
                return False
        if self.ask_alone and self._alone(required):
            return False
        if self._repair(required):
            return True
        undo = self._require(required)
        try:
            h = self.prog.h
            h.run()
            if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
                return False
            if h.getInfo().primal_solution_status == highspy.kSolutionStatusFeasible:
                found = score_plan(self.board, self.prog.teams_of(list(h.getSolution().col_value)))
                if found.feasible:
                    self.witnesses.append(found)
                return True
            return None
        finally:
            for col, lo, hi in reversed(undo):
                self.prog.h.changeColBounds(col, lo, hi)


def lp_bound(board: Board) -> float:
    """The LP relaxation's bound on level (a), the fewest unmet rule instances over all teams."""
    prog = PlanProgram(board, 1, relax=True)
    prog.set_objective(prog.costs["a"])
    prog.h.run()
    return float(prog.h.getInfo().objective_function_value)
