"""The plan's heuristic: forming's heuristic per target in turn (each team formed with the capacity
the others leave), then improving rounds, every step deterministic.

- Greedy: the targets in their order, each team formed by ``forming.search.heuristic`` over the
  people with capacity left (the places that must stay are counted from the start, so nobody's
  last place is taken from a team that needs them). A target left with no team moves to the front
  and the greedy starts again (at most once per target).
- Rounds: each team formed again with the others fixed; then, for a team with unmet rules, the
  (at most ``MAX_RELEASES``) other teams holding the most people who bring what it misses and
  have no capacity left are released (back to its places that must
  stay), this team formed first and the other after. A change is kept only when the whole plan's
  objective strictly improves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from bansou.domain.forming.candidates import Team, compile_request
from bansou.domain.forming.explanation import unmet_of
from bansou.domain.forming.model import Person, RuleKind
from bansou.domain.forming.search import heuristic
from bansou.domain.planning.board import Board, ScoredPlan, Teams, placed_elsewhere, score_plan

# Improving rounds stop after this many (each strictly improves the plan, so they end anyway).
MAX_ROUNDS = 20
# Per team with unmet rules and round, the other teams released for it: those holding the most of
# the people who could help it first (the rounds' cost grows with the targets, not their square).
MAX_RELEASES = 3


def candidates(board: Board, teams: Teams, t: int, *, dominance: bool = True) -> list[Person]:
    """The people forming's heuristic considers for target ``t``: those with capacity left once
    the others' places are counted (as their load), and of each group of identical people
    (``board.identical``) with the same load, only the first ``size_max`` (and anyone who must
    be in; with ``dominance`` False, all of them). Safe for the team: a person dropped has
    ``size_max`` earlier people, identical but for the order, with the same load, so at least one
    of them is outside any team that holds the person and takes their place for a strictly
    better team (forming's prefilter argument, which would drop them too;
    ``tests/domain/test_planning_solver.py`` checks it by brute force)."""
    comp = board.comps[t]
    placed = placed_elsewhere(board, teams, t)
    most = comp.request.size_max if dominance else comp.n
    forced = set(comp.forced)
    people: list[Person] = []
    for group in board.groups[t]:
        seen: Counter[int] = Counter()
        for i in group:
            p = comp.people[i]
            load = p.load + placed[p.key]
            if i not in forced and (load >= p.capacity or seen[load] >= most):
                continue
            seen[load] += 1
            people.append(replace(p, load=load) if load != p.load else p)
    return people


def form(board: Board, teams: Teams, t: int) -> Team | None:
    """Target ``t``'s team by forming's heuristic, the others' places counted in the loads.
    Remembered (``board.formed``) by what it depends on: the places its candidates hold in the
    other teams; the rounds ask the same again for most targets."""
    comp = board.comps[t]
    serving = board.serving[t]
    seen = frozenset((k, n) for k, n in placed_elsewhere(board, teams, t).items() if k in serving)
    if (t, seen) in board.formed:
        return board.formed[(t, seen)]
    sub = compile_request(candidates(board, teams, t), comp.request)
    found = heuristic(sub)
    team = (
        None if found is None or not found.feasible else comp.team_of(sub.people[i].key for i in found.team)
    )
    board.formed[(t, seen)] = team
    return team


def _greedy(board: Board, order: list[int]) -> Teams | int:
    """The greedy's teams, or the target it could not form a team for."""
    teams: list[Team] = [board.comps[t].forced for t in range(len(board.comps))]
    for t in order:
        team = form(board, tuple(teams), t)
        if team is None:
            return t
        teams[t] = team
    return tuple(teams)


def greedy(board: Board) -> Teams | None:
    order = list(range(len(board.comps)))
    for _ in range(len(order)):
        found = _greedy(board, order)
        if not isinstance(found, int):
            return found
        if order[0] == found:
            return None
        order.remove(found)
        order.insert(0, found)
    return None


def _try(board: Board, current: ScoredPlan, teams: list[Team]) -> ScoredPlan:
    candidate = score_plan(board, tuple(teams), current)
    if candidate.feasible and candidate.key < current.key:
        return candidate
    return current


def _reform(board: Board, current: ScoredPlan) -> ScoredPlan:
    """Each team formed again with the others fixed."""
    for t in range(len(board.comps)):
        team = form(board, current.teams, t)
        if team is not None:
            current = _try(board, current, [*current.teams[:t], team, *current.teams[t + 1 :]])
    return current


def _helpers(board: Board, current: ScoredPlan, t: int) -> set[str]:
    """The people who may serve target ``t``, bring something its team misses and have no
    capacity left (one who has some could join without releasing anyone)."""
    comp = board.comps[t]
    missing = unmet_of(comp, current.scored[t])
    rules = {i.rule for i in missing if i.kind is not RuleKind.A}
    basics = any(i.kind is RuleKind.A for i in missing)
    placed = placed_elsewhere(board, current.teams, t)
    return {
        p.key
        for p in comp.people
        if (p.practises & rules or (basics and p.basics)) and p.load + placed[p.key] >= p.capacity
    }


def _release(board: Board, current: ScoredPlan) -> ScoredPlan:
    """For each team with unmet rules: release another team that holds someone who could help it,
    form this one, then the other."""
    for t in range(len(board.comps)):
        if current.scored[t].objective.unmet == 0:
            continue
        helpers = _helpers(board, current, t)
        held = [(-len(helpers.intersection(board.keys(u, team))), u) for u, team in enumerate(current.teams)]
        for _, u in sorted(h for h in held if h[0] < 0 and h[1] != t)[:MAX_RELEASES]:
            teams = list(current.teams)
            teams[u] = board.comps[u].forced
            first = form(board, tuple(teams), t)
            if first is None:
                continue
            teams[t] = first
            second = form(board, tuple(teams), u)
            if second is None:
                continue
            teams[u] = second
            current = _try(board, current, teams)
    return current


def plan_heuristic(board: Board) -> ScoredPlan | None:
    """The heuristic's plan; None when the greedy found none (the exact search may)."""
    teams = greedy(board)
    if teams is None:
        return None
    current = score_plan(board, teams)
    if not current.feasible:
        return None
    for _ in range(MAX_ROUNDS):
        better = _release(board, _reform(board, current))
        if better.key == current.key:
            break
        current = better
    return current
