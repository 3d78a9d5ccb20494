"""Forming a support team from an organisation's pool (issue 14): plain Python, no Django.

What "best" means, lexicographically: the hard constraints (size bounds; capacity: load + 1 ≤
capacity for every member; availability; must-in and must-out; core count and eligibility), then
(a) the fewest unmet rule instances (each B rule no core member practises: 1; each C rule:
max(0, needed - holders); each member lacking the basics: 1), (b) the lowest maximum load after
joining, (c) the most preferred members (area / experience, only those asked for), (d) the smaller
team, (e) the earliest people by ``order`` (see ``Objective``).

- ``propose_quickly``: a deterministic heuristic (greedy, then local search); answers at once.
- ``propose_exactly``: the integer program (HiGHS), started from the heuristic's teams, under a
  deterministic work limit, with each level's proof or remaining gap, and the conflicts (irreducible
  sets of rule instances that cannot be met together) when some instance stays unmet.
- ``check``: the hard errors alone.

Both return up to ``alternatives`` proposals, best first, each a different member set. Keys,
orders and rule keys are opaque; the page layer words the enums in Japanese.
"""

from __future__ import annotations

from collections.abc import Sequence

from bansou.domain.forming.candidates import Compiled, Team, compile_request, problems_of
from bansou.domain.forming.exact import Feasibility, WorkLimit, lp_bound, solve
from bansou.domain.forming.explanation import all_instances, explain, pool_reason, quickxplain
from bansou.domain.forming.model import (
    ChosenFor,
    Conflict,
    Explanation,
    HardError,
    LevelResult,
    MemberNote,
    Objective,
    Outcome,
    Person,
    Problem,
    Proposal,
    Reason,
    Request,
    RuleInstance,
    RuleKind,
    Status,
    Uncovered,
)
from bansou.domain.forming.search import Scored, heuristic

__all__ = [
    "ChosenFor",
    "Conflict",
    "Explanation",
    "HardError",
    "LevelResult",
    "MemberNote",
    "Objective",
    "Outcome",
    "Person",
    "Problem",
    "Proposal",
    "Reason",
    "Request",
    "RuleInstance",
    "RuleKind",
    "Status",
    "Uncovered",
    "WorkLimit",
    "check",
    "find_conflicts",
    "lp_relaxation_bound",
    "propose_exactly",
    "propose_quickly",
]


DEFAULT_LIMIT = WorkLimit()


def check(pool: Sequence[Person], request: Request) -> tuple[Problem, ...]:
    """The hard errors that leave no team at all (empty when a team can be formed)."""
    return problems_of(pool, request)


def _proposal(
    comp: Compiled,
    scored: Scored,
    conflicts: Sequence[Conflict] | None,
    status: Status,
    levels: tuple[LevelResult, ...] = (),
) -> Proposal:
    unmet, explanation = explain(comp, scored, conflicts)
    return Proposal(
        members=tuple(comp.people[i].key for i in scored.team),
        core=tuple(comp.people[i].key for i in scored.core),
        objective=scored.objective,
        unmet=unmet,
        explanation=explanation,
        status=status,
        levels=levels,
    )


def _heuristic_teams(comp: Compiled, alternatives: int) -> list[Scored]:
    """Up to ``alternatives`` different teams from the heuristic, best first."""
    found: list[Scored] = []
    for _ in range(alternatives):
        team = heuristic(comp, forbidden=[s.team for s in found])
        if team is None:
            break
        found.append(team)
    return sorted(found, key=lambda s: s.key)


def propose_quickly(pool: Sequence[Person], request: Request, *, alternatives: int = 3) -> Outcome:
    """Up to ``alternatives`` teams from the heuristic, best first (no proof; reasons for what
    stays uncovered only as far as the pool alone tells them)."""
    problems = problems_of(pool, request)
    if problems:
        return Outcome(problems=problems, pool=len(pool))
    comp = compile_request(pool, request, alternatives)
    found = _heuristic_teams(comp, alternatives)
    return Outcome(
        proposals=tuple(_proposal(comp, s, None, Status.HEURISTIC) for s in found),
        candidates=comp.n,
        pool=len(pool),
    )


def propose_exactly(
    pool: Sequence[Person],
    request: Request,
    *,
    alternatives: int = 3,
    limit: WorkLimit = DEFAULT_LIMIT,
) -> Outcome:
    """Up to ``alternatives`` teams from the integer program, best first: the first is the best
    team, the next the best other member set, and so on (each proven, or with its gap per level).
    Each starts from the heuristic's teams (those not already proposed), so the k-th is never
    worse than ``propose_quickly``'s k-th."""
    problems = problems_of(pool, request)
    if problems:
        return Outcome(problems=problems, pool=len(pool))
    comp = compile_request(pool, request, alternatives)
    starts = _heuristic_teams(comp, alternatives)
    solved = []
    teams: list[Team] = []
    for _ in range(alternatives):
        result = solve(comp, starts, limit.nodes, forbidden=teams)
        if result is None:
            break
        solved.append(result)
        teams.append(result.scored.team)
    conflicts: tuple[Conflict, ...] = ()
    complete = True
    if solved and solved[0].scored.objective.unmet > 0:
        conflicts, complete = _conflicts(comp, limit, [s.scored for s in solved])
    proposals = tuple(
        _proposal(
            comp,
            s.scored,
            conflicts if complete or conflicts else None,
            Status.OPTIMAL if s.proven else Status.LIMITED,
            s.levels,
        )
        for s in solved
    )
    return Outcome(
        proposals=proposals,
        conflicts=conflicts,
        conflicts_complete=complete,
        candidates=comp.n,
        pool=len(pool),
    )


def find_conflicts(
    pool: Sequence[Person], request: Request, *, limit: WorkLimit = DEFAULT_LIMIT
) -> tuple[tuple[Conflict, ...], bool]:
    """Disjoint irreducible sets of rule instances that cannot be met together, with their
    reasons, and whether the search was complete (no limit stopped it). Empty when every rule
    instance can be met at once; the hard errors must be absent (see ``check``)."""
    return _conflicts(compile_request(pool, request, 1), limit)


def _conflicts(
    comp: Compiled, limit: WorkLimit, witnesses: Sequence[Scored] = ()
) -> tuple[tuple[Conflict, ...], bool]:
    """Singletons first (what the pool alone rules out, then each instance alone), then
    QuickXplain (Junker, 2004) on the instances left: split them in halves and ask whether a half
    can be dropped while the rest stays impossible, recursively; what it returns is irreducible.
    Repeated on the instances outside the conflicts found, up to the rounds allowed. ``witnesses``
    (teams already found) answer "feasible" without a solve when they meet the instances."""
    found: list[Conflict] = []
    complete = True
    remaining: list[RuleInstance] = []
    ruled_out: set[str] = set()  # C rules with a singleton conflict: higher nth add nothing
    feasible = Feasibility(comp, limit.conflict_nodes)
    for scored in witnesses:
        feasible.witness(scored.team, scored.core)
    for inst in all_instances(comp.request):
        if inst.kind is RuleKind.C and inst.rule in ruled_out:
            continue
        reason = pool_reason(comp, inst)
        if reason is None:
            alone = feasible([inst])
            if alone is None:
                complete = False
            if alone is not False:
                remaining.append(inst)
                continue
            reason = _reason(comp, [inst], feasible)
        found.append(Conflict((inst,), reason))
        if inst.kind is RuleKind.C:
            ruled_out.add(inst.rule)
    for _round in range(limit.conflict_rounds + 1):
        whole = feasible(remaining)
        if whole is True:
            break
        if whole is None or _round == limit.conflict_rounds:
            complete = False
            break
        unknown: list[bool] = []
        core = quickxplain(feasible, [], False, remaining, unknown)
        if unknown and feasible(core) is not False:
            complete = False
            break
        complete = complete and not unknown
        found.append(Conflict(tuple(core), _reason(comp, core, feasible)))
        remaining = [x for x in remaining if x not in core]
    return tuple(found), complete


def _reason(comp: Compiled, core: Sequence[RuleInstance], feasible: Feasibility) -> Reason:
    r = comp.request
    if len(core) == 1:
        reason = pool_reason(comp, core[0])
        if reason is not None:
            return reason
    if feasible(core, size_max=max(r.size_min, comp.n)) is True:
        return Reason.SIZE_LIMIT
    if r.core_max < r.size_max and feasible(core, core_max=r.size_max) is True:
        return Reason.CORE_LIMIT
    return Reason.CONFLICT


def lp_relaxation_bound(pool: Sequence[Person], request: Request) -> float:
    """The LP relaxation's lower bound on level (a), for comparison (benchmark)."""
    return lp_bound(compile_request(pool, request, 1))
