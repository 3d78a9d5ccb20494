"""The exact formulation: an integer program over the candidates, in HiGHS (solved in stages by
``exact``).

Variables: x_i (member), c_i (core, for people who may be core; c_i ≤ x_i), u_r (B rule r unmet,
binary), v_r (C rule r: missing holders, ≥ 0), L (the maximum load after joining).

    size_min ≤ Σ x ≤ size_max            core_min ≤ Σ c ≤ core_max        x_i = 1 for must-in
    Σ_{i core, practises r} c_i + u_r ≥ 1                  (each B rule)
    Σ_{i practises r} x_i + v_r ≥ needed                   (each C rule)
    L ≥ (load_i + 1) x_i
    (a) unmet = Σ u + Σ v + Σ_{i lacks basics} x_i    (b) L    (c) Σ pref_i x_i    (d) Σ x

The tie-break stages add z_i ≤ x_i, Σ z = 1 (see ``Program.add_z``). The no-good cuts of the
alternatives, and the bounds each stage fixes, are changed on the same program.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import highspy
from highspy._core import _Highs

from bansou.domain.forming.candidates import Compiled, Team
from bansou.domain.forming.search import Scored

INF = highspy.kHighsInf


def new_highs(nodes: int) -> Any:
    """A HiGHS instance with our options, set before any other call so that nothing is printed.

    Not ``highspy.Highs()``: its constructor enables highspy's Python callbacks, a HiGHS call made
    while ``output_flag`` still has its default (true), so the first one in a process writes HiGHS's
    two-line banner to stdout, and the constructor takes no options. The class it wraps,
    ``highspy._core._Highs`` (typed in highspy's stubs), has every method used here; we use no
    callbacks. ``tests/domain/test_forming_quiet.py`` checks that a fresh process prints nothing, so
    that a highspy upgrade that moves the class or the banner is noticed.
    """
    h = _Highs()
    for name, value in (
        ("output_flag", False),  # first: any other call would write the banner
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
        self.h = h = new_highs(nodes)
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
        no columns). This has not happened without a MIP start (see ``exact.solve``).
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
