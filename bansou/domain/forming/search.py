"""Evaluating a team and the heuristic (greedy, then local search) over the compiled candidates
(see ``candidates``: people are indices, a team a tuple of them in increasing order).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from bansou.domain.forming.candidates import Compiled, Team
from bansou.domain.forming.model import Objective

Key = tuple[int, int, int, int, tuple[int, ...]]

# Local search stops after this many improving moves (each strictly improves the objective, so it
# ends anyway; the cap bounds the time on adversarial input and keeps the result deterministic).
MAX_MOVES = 200


@lru_cache(maxsize=65536)
def _best_core(masks: tuple[int, ...], core_min: int, core_max: int) -> tuple[int, tuple[int, ...]]:
    """(covered B rules, positions in ``masks``) of the canonical core among the core-eligible
    members (masks in order): the most B rules covered with at most core_max, then the fewest core
    members (at least core_min), then the earliest people."""
    k = min(core_max, len(masks))
    everything = 0
    for m in masks:
        everything |= m
    best = 0
    for combo in combinations(masks, k):
        cov = 0
        for m in combo:
            cov |= m
        best = max(best, cov.bit_count())
        if best == everything.bit_count():
            break
    for size in range(max(core_min, 0), k + 1):
        if size == 0:
            if best == 0:
                return 0, ()
            continue
        for combo_idx in combinations(range(len(masks)), size):
            cov = 0
            for i in combo_idx:
                cov |= masks[i]
            if cov.bit_count() == best:
                return best, combo_idx
    return best, tuple(range(k))  # unreachable: size k reaches best


@dataclass(frozen=True)
class Scored:
    team: Team
    core: Team
    objective: Objective
    feasible: bool  # hard constraints (size, core_min, must-in)

    @property
    def key(self) -> Key:
        return self.objective.key


def score(comp: Compiled, team: Team) -> Scored:
    r = comp.request
    ce = tuple(i for i in team if comp.core_ok[i])
    covered, positions = _best_core(tuple(comp.b[i] for i in ce), r.core_min, r.core_max)
    core = tuple(ce[p] for p in positions)
    unmet = comp.nb - covered
    if comp.nc:
        holders = [0] * comp.nc
        for i in team:
            for j in comp.c_bits[i]:
                holders[j] += 1
        unmet += sum(max(0, r.needed - h) for h in holders)
    unmet += sum(1 for i in team if not comp.basics[i])
    objective = Objective(
        unmet=unmet,
        max_load=max((comp.load1[i] for i in team), default=0),
        preferred=sum(comp.pref[i] for i in team),
        size=len(team),
        tie=tuple(comp.people[i].order for i in team),
    )
    feasible = (
        r.size_min <= len(team) <= r.size_max
        and len(ce) >= r.core_min
        and all(f in team for f in comp.forced)
    )
    return Scored(team, core, objective, feasible)


def _with(team: Team, add: int | None = None, drop: int | None = None) -> Team:
    members = [i for i in team if i != drop]
    if add is not None:
        members.append(add)
    return tuple(sorted(members))


def heuristic(comp: Compiled, forbidden: Collection[Team] = ()) -> Scored | None:
    """Greedy on the objective, then best-improvement local search (add, drop, swap); a team in
    ``forbidden`` is never returned (for alternatives). None when every team found is forbidden."""
    r = comp.request
    team: Team = tuple(comp.forced)
    outside = [i for i in range(comp.n) if i not in team]

    def deficit(t: Team) -> int:
        return max(0, r.core_min - sum(1 for i in t if comp.core_ok[i]))

    # Greedy fill up to the hard minimums: core roles first, then the size, by marginal objective.
    # (Growing further is the local search's "add" move.)
    while len(team) < r.size_min or deficit(team) > 0:
        need_core = deficit(team) >= r.size_max - len(team)
        others = [i for i in outside if i not in team and (comp.core_ok[i] or not need_core)]
        if not others:
            break
        pick = min(
            _adds(comp, team, others, check_core=False),
            key=lambda a: (deficit((*team, a[0])), a[1], a[0]),
        )[0]
        team = _with(team, add=pick)
    current = score(comp, team)
    forbid = set(forbidden)
    if current.team in forbid or not current.feasible:
        current = _best_move(comp, current, outside, forbid, must_improve=False) or current
        if current.team in forbid or not current.feasible:
            return None
    moves = 0
    while moves < MAX_MOVES:
        move = _best_move(comp, current, outside, forbid, must_improve=True)
        if move is None:
            # Stuck: try the pair exchange (two members out, the best two greedily back in),
            # which finds what needs two changes at once (a core member for a rare B rule).
            move = _pair_exchange(comp, current, outside, forbid)
            if move is None:
                break
        current = move
        moves += 1
    return current


def _pair_exchange(
    comp: Compiled, current: Scored, outside: Sequence[int], forbid: set[Team]
) -> Scored | None:
    """The best strictly better team reached by dropping two non-forced members and refilling
    greedily (by the levels of each add) to the same size."""
    free = [i for i in current.team if i not in comp.forced]
    best: Scored | None = None
    for d1, d2 in combinations(free, 2):
        team = tuple(i for i in current.team if i not in (d1, d2))
        for _ in range(2):
            others = [i for i in outside if i not in team and i not in (d1, d2)]
            if not others:
                break
            pick = min(_adds(comp, team, others, check_core=False), key=lambda a: (a[1], a[0]))[0]
            team = _with(team, add=pick)
        scored = score(comp, team)
        if not scored.feasible or team in forbid or scored.key >= current.key:
            continue
        if best is None or scored.key < best.key:
            best = scored
    return best


def _best_move(
    comp: Compiled, current: Scored, outside: Sequence[int], forbid: set[Team], *, must_improve: bool
) -> Scored | None:
    """The best feasible team one add, drop or swap away (strictly better than ``current`` when
    ``must_improve``), not in ``forbid``. Adds and swaps are scored incrementally from the team
    without the dropped member; the winner is scored in full."""
    r = comp.request
    team = current.team
    members = set(team)
    free = [i for i in team if i not in comp.forced]
    others = [i for i in outside if i not in members]
    best_key: Key | None = current.key if must_improve else None
    best_team: Team | None = None

    def offer(levels: tuple[int, int, int, int], t: Team) -> None:
        nonlocal best_key, best_team
        if best_key is not None and levels > best_key[:4]:
            return
        if t in forbid:
            return
        k = (*levels, tuple(comp.people[i].order for i in t))
        if best_key is None or k < best_key:
            best_key, best_team = k, t

    drops: list[int | None] = [None, *free]
    for d in drops:
        base = tuple(i for i in team if i != d)
        if d is not None and len(base) >= r.size_min:
            dropped = score(comp, base)
            if dropped.feasible:
                offer(dropped.objective.levels, base)
        if len(base) >= r.size_max:
            continue
        for i, levels in _adds(comp, base, others, check_core=True):
            if best_key is not None and levels > best_key[:4]:
                continue
            offer(levels, tuple(sorted((*base, i))))
    if best_team is None:
        return None
    return score(comp, best_team)


def _adds(
    comp: Compiled, base: Team, others: Sequence[int], *, check_core: bool
) -> Iterator[tuple[int, tuple[int, int, int, int]]]:
    """(person, levels (a)-(d) of ``base`` plus that person) for each of ``others``, computed
    incrementally; with ``check_core``, only those whose team has core_min core-eligible people."""
    r = comp.request
    holders = [0] * comp.nc
    for i in base:
        for j in comp.c_bits[i]:
            holders[j] += 1
    c_unmet = sum(max(0, r.needed - h) for h in holders)
    a_unmet = sum(1 for i in base if not comp.basics[i])
    ce = tuple(i for i in base if comp.core_ok[i])
    covered = _best_core(tuple(comp.b[i] for i in ce), r.core_min, r.core_max)[0]
    top = max((comp.load1[i] for i in base), default=0)
    pref = sum(comp.pref[i] for i in base)
    size = len(base) + 1
    for i in others:
        if comp.core_ok[i]:
            if check_core and len(ce) + 1 < r.core_min:
                continue
            masks = tuple(comp.b[k] for k in sorted((*ce, i)))
            cov = _best_core(masks, r.core_min, r.core_max)[0]
        else:
            if check_core and len(ce) < r.core_min:
                continue
            cov = covered
        gain = sum(1 for j in comp.c_bits[i] if holders[j] < r.needed)
        unmet = comp.nb - cov + c_unmet - gain + a_unmet + (0 if comp.basics[i] else 1)
        yield i, (unmet, max(top, comp.load1[i]), -(pref + comp.pref[i]), size)
