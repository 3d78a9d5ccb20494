"""The plan's integer program in HiGHS (solved in stages by ``exact``): forming's program once
per target, the targets tied together by the people's capacity.

Variables, per target t: x_it (person i of t's candidates placed in t), c_it (core, c ≤ x), u_rt
(B rule r unmet), v_rt (C rule r: missing holders); n_p (person p's places).

    per target: size_min ≤ Σ_i x_it ≤ size_max    core_min ≤ Σ_i c_it ≤ core_max    x_it = 1 must stay
                Σ_{i core, practises r} c_it + u_rt ≥ 1      Σ_{i practises r} x_it + v_rt ≥ needed
    per person p: n_p = Σ_t x_pt, 0 ≤ n_p ≤ capacity_p - load_p
    (a) Σ u + Σ v + Σ_{lacks basics} x   (c) Σ pref x   (d) Σ x   (e) Σ order_p x_pt

Level (b), the highest load over people placed, has no column: "at most k" is a bound on each
n_p (k - load_p, and x_pt = 0 when load_p ≥ k), so ``exact`` asks for k = best - 1, best - 2, ...
as feasibility questions (see ``cap_load``). A column L with a row L ≥ n_p + load_p x_pt per
place, minimised, was tried first: the same answers, but its stage took 20 times the others' time
at 60 targets × 5,000 people (bench/planning_solver.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import highspy

from bansou.domain.forming.candidates import Team
from bansou.domain.forming.program import INF, new_highs
from bansou.domain.planning.board import Board, Teams


class PlanProgram:
    """The integer program of one plan, with bounds changed stage by stage."""

    def __init__(self, board: Board, nodes: int, *, relax: bool = False) -> None:
        """``relax``: the LP relaxation (level (a)'s bound)."""
        self.board = board
        self.h: Any = new_highs(nodes)
        self.ncol = 0
        self.rows = 0
        self.x: list[list[int]] = []  # per target, per candidate
        self.c: list[dict[int, int]] = []  # per target: candidate -> core column
        self.u: list[list[int]] = []
        self.v: list[list[int]] = []
        self.integer: list[int] = []
        for t in range(len(board.comps)):
            self._columns(t)
        if not relax and self.integer:
            kind = highspy.HighsVarType.kInteger
            self.h.changeColsIntegrality(len(self.integer), self.integer, [kind] * len(self.integer))
        for t in range(len(board.comps)):
            self._team_rows(t)
        self.n: dict[str, int] = {}  # person -> places column
        self._people_rows()
        self.costs = self._costs()
        self.level_rows = {name: self._row(-INF, INF, cost) for name, cost in self.costs.items()}

    def _add(self, n: int, lo: float, hi: float, *, integer: bool = False) -> list[int]:
        self.h.addVars(n, [lo] * n, [hi] * n)
        cols = list(range(self.ncol, self.ncol + n))
        self.ncol += n
        if integer:
            self.integer.extend(cols)
        return cols

    def _row(self, lo: float, hi: float, coef: dict[int, float]) -> int:
        idx = sorted(coef)
        self.h.addRow(lo, hi, len(idx), idx, [coef[k] for k in idx])
        self.rows += 1
        return self.rows - 1

    def _columns(self, t: int) -> None:
        comp = self.board.comps[t]
        x = self._add(comp.n, 0.0, 1.0, integer=True)
        for i in comp.forced:
            self.h.changeColBounds(x[i], 1.0, 1.0)
        core = [i for i in range(comp.n) if comp.core_ok[i]]
        self.x.append(x)
        self.c.append(dict(zip(core, self._add(len(core), 0.0, 1.0, integer=True), strict=True)))
        self.u.append(self._add(comp.nb, 0.0, 1.0, integer=True))
        self.v.append(self._add(comp.nc, 0.0, float(comp.request.needed)))

    def _team_rows(self, t: int) -> None:
        comp, x, c, r = self.board.comps[t], self.x[t], self.c[t], self.board.comps[t].request
        self._row(float(r.size_min), float(r.size_max), dict.fromkeys(x, 1.0))
        self._row(float(r.core_min), float(r.core_max), dict.fromkeys(c.values(), 1.0))
        for i, k in c.items():
            self._row(-INF, 0.0, {k: 1.0, x[i]: -1.0})
        for j in range(comp.nb):
            coef = {k: 1.0 for i, k in c.items() if comp.b[i] >> j & 1}
            coef[self.u[t][j]] = 1.0
            self._row(1.0, INF, coef)
        for j in range(comp.nc):
            coef = {x[i]: 1.0 for i in range(comp.n) if comp.c[i] >> j & 1}
            coef[self.v[t][j]] = 1.0
            self._row(float(r.needed), INF, coef)

    def places_of(self) -> dict[str, list[int]]:
        """Each person's x columns, over the targets."""
        found: dict[str, list[int]] = {}
        for t, comp in enumerate(self.board.comps):
            for i, p in enumerate(comp.people):
                found.setdefault(p.key, []).append(self.x[t][i])
        return found

    def _people_rows(self) -> None:
        """n_p = Σ_t x_pt within the capacity left."""
        people = self.board.people
        for key, cols in sorted(self.places_of().items()):
            p = people[key]
            (n,) = self._add(1, 0.0, float(p.capacity - p.load))
            self.n[key] = n
            coef = dict.fromkeys(cols, -1.0)
            coef[n] = 1.0
            self._row(0.0, 0.0, coef)

    def cap_load(self, most: int | None) -> None:
        """Level (b) at most ``most``: each person's places within ``most - load`` (None: within
        their capacity only)."""
        people = self.board.people
        keys = sorted(self.n)
        upper = []
        for key in keys:
            p = people[key]
            hi = p.capacity - p.load
            upper.append(float(max(0, min(hi, most - p.load) if most is not None else hi)))
        cols = [self.n[k] for k in keys]
        self.h.changeColsBounds(len(cols), cols, [0.0] * len(cols), upper)

    def _costs(self) -> dict[str, dict[int, float]]:
        b = self.board
        unmet: dict[int, float] = {}
        pref: dict[int, float] = {}
        size: dict[int, float] = {}
        tie: dict[int, float] = {}
        for t, comp in enumerate(b.comps):
            unmet.update(dict.fromkeys(self.u[t] + self.v[t], 1.0))
            for i, col in enumerate(self.x[t]):
                if not comp.basics[i]:
                    unmet[col] = 1.0
                if comp.pref[i]:
                    pref[col] = -float(comp.pref[i])
                size[col] = 1.0
                if comp.people[i].order:
                    tie[col] = float(comp.people[i].order)
        return {"a": unmet, "c": pref, "d": size, "e": tie}

    def set_objective(self, cost: dict[int, float]) -> None:
        self.h.changeColsCost(self.ncol, list(range(self.ncol)), [cost.get(k, 0.0) for k in range(self.ncol)])

    def bound_level(self, name: str, hi: float) -> None:
        """Fix a level at ``hi`` at most (the program's sense: level (c) negated)."""
        if name == "b":
            self.cap_load(int(hi))
        else:
            self.h.changeRowBounds(self.level_rows[name], -INF, hi)

    def teams_of(self, values: Sequence[float]) -> Teams:
        return tuple(tuple(i for i, col in enumerate(x) if values[col] > 0.5) for x in self.x)

    def cores_of(self, values: Sequence[float]) -> tuple[Team, ...]:
        return tuple(tuple(i for i, col in c.items() if values[col] > 0.5) for c in self.c)
