"""A plan for many 市町村 at once (配置計画, issue 17): plain Python, no Django.

One team per target (市町村), from one pool, for one 年度. What "best" means is forming's ordering
applied to the whole plan: the hard constraints (each team's size and core bounds, its must-in and
must-out, the current members who must stay; each person's capacity over the plan's teams and the
teams they hold outside it; availability; areas when required), then (a) the fewest unmet rule
instances over all teams, (b) the lowest maximum load over the people placed, (c) the most
preferred places, (d) the fewest places, (e) the earliest people (see ``PlanObjective``).

- ``plan_quickly``: the deterministic heuristic (forming's heuristic per team, then improving rounds).
- ``plan_exactly``: the integer program (HiGHS), started from the heuristic's plan, under a
  deterministic work limit, with each level's proof or gap; the conflicts (irreducible sets of
  plan instances no plan meets together) when some instance stays unmet.
- ``check``: the hard errors each target alone, and the places that must stay, reveal.
- ``lp_relaxation_bound``: the LP relaxation's bound on level (a), for the benchmark.

Both plans come with the gaps prefecture-wide: what stays unmet, by rule (B element, C label, A
basics), in which targets, and why: the input to recruiting and to 研修 planning.
"""

from __future__ import annotations

from bansou.domain.forming.exact import WorkLimit
from bansou.domain.forming.model import LevelResult, Status
from bansou.domain.planning.board import Board, ScoredPlan, board_of, problems
from bansou.domain.planning.exact import lp_bound, solve
from bansou.domain.planning.explanation import find_conflicts as _find_conflicts
from bansou.domain.planning.explanation import gaps, team_plans
from bansou.domain.planning.model import (
    Changes,
    Conflict,
    Gap,
    Plan,
    PlanError,
    PlanInstance,
    PlanObjective,
    PlanOutcome,
    PlanProblem,
    PlanRequest,
    Reason,
    Supporter,
    Target,
    TeamPlan,
    Uncovered,
)
from bansou.domain.planning.search import plan_heuristic

__all__ = [
    "Changes",
    "Conflict",
    "Gap",
    "Plan",
    "PlanError",
    "PlanInstance",
    "PlanObjective",
    "PlanOutcome",
    "PlanProblem",
    "PlanRequest",
    "Reason",
    "Supporter",
    "Target",
    "TeamPlan",
    "Uncovered",
    "WorkLimit",
    "candidate_count",
    "check",
    "find_conflicts",
    "lp_relaxation_bound",
    "plan_exactly",
    "plan_quickly",
]

DEFAULT_LIMIT = WorkLimit()


def check(request: PlanRequest) -> tuple[PlanProblem, ...]:
    """The hard errors that leave no plan, as far as each target alone tells (``NO_PLAN``, all
    targets at once, is found by ``plan_exactly``)."""
    return problems(request)


def _outcome(
    board: Board,
    scored: ScoredPlan,
    conflicts: tuple[Conflict, ...] | None,
    complete: bool,
    status: Status,
    levels: tuple[LevelResult, ...] = (),
) -> PlanOutcome:
    teams = team_plans(board, scored, conflicts)
    plan = Plan(teams=teams, objective=scored.objective, status=status, levels=levels)
    return PlanOutcome(
        plan=plan, gaps=gaps(board, teams), conflicts=conflicts or (), conflicts_complete=complete
    )


def plan_quickly(request: PlanRequest) -> PlanOutcome:
    """The heuristic's plan (no proof; reasons only as far as the pool tells them). No plan and
    no problem when the heuristic found none (``plan_exactly`` may)."""
    found = problems(request)
    if found:
        return PlanOutcome(problems=found)
    board = board_of(request)
    scored = plan_heuristic(board)
    if scored is None:
        return PlanOutcome()
    return _outcome(board, scored, None, True, Status.HEURISTIC)


def plan_exactly(request: PlanRequest, *, limit: WorkLimit = DEFAULT_LIMIT) -> PlanOutcome:
    """The best plan the integer program finds from the heuristic's (never worse than it), with
    each level proven or its gap, and the conflicts that explain what stays unmet."""
    found = problems(request)
    if found:
        return PlanOutcome(problems=found)
    board = board_of(request)
    solved = solve(board, plan_heuristic(board), limit.nodes)
    if isinstance(solved, bool):
        error = PlanError.UNDECIDED if solved else PlanError.NO_PLAN
        return PlanOutcome(problems=(PlanProblem(error),))
    conflicts: tuple[Conflict, ...] = ()
    complete = True
    if solved.plan.objective.unmet > 0:
        conflicts, complete = _find_conflicts(
            board, limit.conflict_nodes, limit.conflict_rounds, [solved.plan]
        )
    status = Status.OPTIMAL if solved.proven else Status.LIMITED
    return _outcome(
        board, solved.plan, conflicts if complete or conflicts else None, complete, status, solved.levels
    )


def find_conflicts(
    request: PlanRequest, *, limit: WorkLimit = DEFAULT_LIMIT
) -> tuple[tuple[Conflict, ...], bool]:
    """Disjoint irreducible sets of plan instances that no plan meets together, and whether the
    search was complete; the hard errors must be absent (see ``check``)."""
    return _find_conflicts(board_of(request), limit.conflict_nodes, limit.conflict_rounds)


def candidate_count(request: PlanRequest) -> int:
    """How many (person, target) pairs the plan chooses among: the size of the exact program, which
    grows with it (a page refuses the exact plan above a limit it states)."""
    return sum(c.n for c in board_of(request).comps)


def lp_relaxation_bound(request: PlanRequest) -> float:
    """The LP relaxation's lower bound on level (a), for comparison (benchmark)."""
    return lp_bound(board_of(request))
