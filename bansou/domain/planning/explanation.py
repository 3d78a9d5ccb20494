"""What a plan leaves unmet and why: per team (forming's reading of one team, with the plan's own
reason ``SHARED``), the conflicts over the whole plan (irreducible sets of plan instances that no
plan meets together, by forming's approach: singletons first, then QuickXplain), and the gaps
prefecture-wide, by rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bansou.domain.forming.candidates import Compiled
from bansou.domain.forming.exact import Feasibility
from bansou.domain.forming.explanation import (
    all_instances,
    covers_unmet,
    meets,
    pool_reason,
    quickxplain,
    unmet_of,
)
from bansou.domain.forming.model import RuleInstance, RuleKind
from bansou.domain.planning.board import Board, ScoredPlan
from bansou.domain.planning.exact import PlanFeasibility
from bansou.domain.planning.model import Conflict, Gap, PlanInstance, Reason, TeamPlan, Uncovered


def _pool_reason(comp: Compiled, inst: RuleInstance) -> Reason | None:
    found = pool_reason(comp, inst)
    return None if found is None else Reason(found.value)


def team_plans(board: Board, plan: ScoredPlan, conflicts: Sequence[Conflict] | None) -> tuple[TeamPlan, ...]:
    """Each target's team as the plan forms it; ``conflicts`` None when none were sought."""
    found = []
    for t, target in enumerate(board.targets):
        comp, scored = board.comps[t], plan.scored[t]
        unmet = unmet_of(comp, scored)
        met = tuple(i for i in all_instances(comp.request) if meets(comp, scored, [i]))
        uncovered = tuple(Uncovered(inst, _unmet_reason(comp, target.key, inst, conflicts)) for inst in unmet)
        members = board.keys(t, scored.team)
        found.append(
            TeamPlan(
                target=target.key,
                members=members,
                core=board.keys(t, scored.core),
                met=met,
                unmet=unmet,
                uncovered=uncovered,
                kept=tuple(k for k in members if k in target.current),
            )
        )
    return tuple(found)


def _unmet_reason(
    comp: Compiled, target: str, inst: RuleInstance, conflicts: Sequence[Conflict] | None
) -> Reason:
    reason = _pool_reason(comp, inst)
    if reason is not None:
        return reason
    if conflicts is None:
        return Reason.NOT_EXAMINED
    return next(
        (
            c.reason
            for c in conflicts
            if any(x.target == target and covers_unmet(x.instance, inst) for x in c.instances)
        ),
        Reason.TRADE_OFF,
    )


def every_instance(board: Board) -> list[PlanInstance]:
    return [
        PlanInstance(t.key, i)
        for t, c in zip(board.targets, board.comps, strict=True)
        for i in all_instances(c.request)
    ]


def _singletons(
    board: Board, feasible: PlanFeasibility, nodes: int, found: list[Conflict]
) -> tuple[list[PlanInstance], bool]:
    """The instances no plan meets even alone (as conflicts), and those left."""
    remaining: list[PlanInstance] = []
    complete = True
    ruled_out: set[tuple[str, str]] = set()  # (target, C rule): higher nth add nothing
    comps = dict(zip((t.key for t in board.targets), board.comps, strict=True))
    for pi in every_instance(board):
        inst = pi.instance
        if inst.kind is RuleKind.C and (pi.target, inst.rule) in ruled_out:
            continue
        reason = _pool_reason(comps[pi.target], inst)
        if reason is None:
            alone = feasible([pi])
            if alone is None:
                complete = False
            if alone is not False:
                remaining.append(pi)
                continue
            reason = conflict_reason(board, [pi], nodes)
        found.append(Conflict((pi,), reason))
        if inst.kind is RuleKind.C:
            ruled_out.add((pi.target, inst.rule))
    return remaining, complete


def find_conflicts(
    board: Board, nodes: int, rounds: int, witnesses: Sequence[ScoredPlan] = ()
) -> tuple[tuple[Conflict, ...], bool]:
    """Disjoint irreducible sets of plan instances no plan meets together, and whether the search
    was complete (no limit stopped it)."""
    feasible = PlanFeasibility(board, nodes)
    feasible.witnesses.extend(w for w in witnesses if w.feasible)
    found: list[Conflict] = []
    remaining, complete = _singletons(board, feasible, nodes, found)
    for round_ in range(rounds + 1):
        whole = feasible(remaining)
        if whole is True:
            break
        if whole is None or round_ == rounds:
            complete = False
            break
        unknown: list[bool] = []
        core = quickxplain(feasible, [], False, remaining, unknown)
        if unknown and feasible(core) is not False:
            complete = False
            break
        complete = complete and not unknown
        found.append(Conflict(tuple(core), conflict_reason(board, core, nodes)))
        remaining = [x for x in remaining if x not in core]
    return tuple(found), complete


def conflict_reason(board: Board, core: Sequence[PlanInstance], nodes: int) -> Reason:
    """SHARED when each team alone meets its part; else forming's reading of the one team."""
    by_target: dict[str, list[RuleInstance]] = {}
    for pi in core:
        by_target.setdefault(pi.target, []).append(pi.instance)
    comps = dict(zip((t.key for t in board.targets), board.comps, strict=True))
    alone = {key: Feasibility(comps[key], nodes) for key in by_target}
    if all(alone[key](insts) is True for key, insts in by_target.items()):
        return Reason.SHARED
    if len(by_target) > 1:
        return Reason.CONFLICT
    ((key, insts),) = by_target.items()
    comp, r = comps[key], comps[key].request
    if len(insts) == 1:
        reason = _pool_reason(comp, insts[0])
        if reason is not None:
            return reason
    if alone[key](insts, size_max=max(r.size_min, comp.n)) is True:
        return Reason.SIZE_LIMIT
    if r.core_max < r.size_max and alone[key](insts, core_max=r.size_max) is True:
        return Reason.CORE_LIMIT
    return Reason.CONFLICT


def gaps(board: Board, teams: Sequence[TeamPlan]) -> tuple[Gap, ...]:
    """The plan's unmet instances by rule, prefecture-wide, each with its reason."""
    grouped: dict[tuple[RuleKind, str], list[tuple[str, Reason]]] = {}
    for team in teams:
        for u in team.uncovered:
            grouped.setdefault((u.instance.kind, u.instance.rule), []).append((team.target, u.reason))
    found = []
    for (kind, rule), seen in sorted(grouped.items()):
        reason = _gap_reason(board, kind, rule) or Counter(r for _, r in seen).most_common(1)[0][0]
        targets = tuple(dict.fromkeys(t for t, _ in seen))
        found.append(Gap(kind, rule, targets, len(seen), reason))
    return tuple(found)


def _gap_reason(board: Board, kind: RuleKind, rule: str) -> Reason | None:
    """The pool's reason for a rule across the prefecture: nobody practises it, nobody who does
    can take a team, (B) nobody who does may be core, or the spare capacity of those who do and
    may serve some target asking for it (its area, when areas are required; not excluded) is
    short of what those targets ask."""
    people = list(board.people.values())
    able = [p for p in people if p.available and p.load < p.capacity]
    if kind is RuleKind.A:
        holders = [p for p in able if p.basics]
        asking = list(board.comps)
        demand = sum(c.request.size_min for c in asking)
    else:
        if not any(rule in p.practises for p in people):
            return Reason.NOBODY_PRACTISES
        holders = [p for p in able if rule in p.practises]
        if not holders:
            return Reason.NOT_ELIGIBLE
        if kind is RuleKind.B:
            holders = [p for p in holders if p.may_be_core]
            if not holders:
                return Reason.NOT_CORE
            asking = [c for c in board.comps if rule in c.request.b]
            demand = len(asking)
        else:
            asking = [c for c in board.comps if rule in c.request.c]
            demand = sum(c.request.needed for c in asking)
    serving = {p.key for c in asking for p in c.people}
    if sum(p.capacity - p.load for p in holders if p.key in serving) < demand:
        return Reason.SHORTAGE
    return None
