"""Checking a request, the prefilter, evaluating a team, the heuristic and the explanations.

Internally people are indices into the prefiltered candidates, sorted by ``order`` (so an index
is also a rank: the lower, the earlier preferred). A team is a tuple of indices in increasing order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

from bansou.domain.forming.model import (
    ChosenFor,
    Conflict,
    Explanation,
    HardError,
    MemberNote,
    Objective,
    Person,
    Problem,
    Reason,
    Request,
    RuleInstance,
    RuleKind,
    Uncovered,
)

Team = tuple[int, ...]
Key = tuple[int, int, int, int, tuple[int, ...]]

# Local search stops after this many improving moves (each strictly improves the objective, so it
# ends anyway; the cap bounds the time on adversarial input and keeps the result deterministic).
MAX_MOVES = 200


def eligible(person: Person, request: Request) -> bool:
    """May join under the hard constraints: available, not full this 年度, not excluded."""
    return person.available and person.eligible_load and person.key not in request.must_out


def problems_of(pool: Sequence[Person], request: Request) -> tuple[Problem, ...]:
    """The hard errors that make every team impossible; empty when some team meets them all.

    Complete: with none of these, a team exists (the must-in people, then core-eligible people up
    to core_min, then anyone eligible up to size_min; the checks below say each step fits).
    """
    found: list[Problem] = []
    if not pool:
        return (Problem(HardError.EMPTY_POOL),)
    r = request
    if r.size_min < 1 or r.size_min > r.size_max:
        found.append(Problem(HardError.SIZE_RANGE))
    if r.needed < 1:
        found.append(Problem(HardError.NEEDED_RANGE))
    if r.core_min < 0 or r.core_min > r.core_max or r.core_min > r.size_max:
        found.append(Problem(HardError.CORE_RANGE))
    by_key = {p.key: p for p in pool}
    for key in sorted(r.must_in):
        person = by_key.get(key)
        if person is None:
            found.append(Problem(HardError.MUST_IN_UNKNOWN, person=key))
        elif key in r.must_out:
            found.append(Problem(HardError.MUST_IN_EXCLUDED, person=key))
        elif not person.available:
            found.append(Problem(HardError.MUST_IN_UNAVAILABLE, person=key))
        elif not person.eligible_load:
            found.append(Problem(HardError.MUST_IN_OVER_CAPACITY, person=key, count=person.load))
    if found:
        return tuple(found)
    if len(r.must_in) > r.size_max:
        found.append(Problem(HardError.TOO_MANY_MUST_IN, count=len(r.must_in)))
    able = [p for p in pool if eligible(p, r)]
    if len(able) < r.size_min:
        found.append(Problem(HardError.TOO_FEW_ELIGIBLE, count=len(able)))
    forced_core = sum(1 for p in able if p.key in r.must_in and p.may_be_core)
    free_core = sum(1 for p in able if p.key not in r.must_in and p.may_be_core)
    reachable = forced_core + min(free_core, max(0, r.size_max - len(r.must_in)))
    if reachable < r.core_min:
        found.append(Problem(HardError.TOO_FEW_CORE, count=reachable))
    return tuple(found)


@dataclass(frozen=True)
class Compiled:
    """The request over the candidates, as bit masks (bit j of ``b``/``c``: the j-th B/C rule)."""

    request: Request
    people: tuple[Person, ...]  # candidates, sorted by order
    b: tuple[int, ...]  # B rules practised, only for people who may be core
    c: tuple[int, ...]
    c_bits: tuple[tuple[int, ...], ...]  # the C rule indices each person practises
    basics: tuple[bool, ...]
    core_ok: tuple[bool, ...]
    load1: tuple[int, ...]
    pref: tuple[int, ...]
    forced: tuple[int, ...]
    nb: int
    nc: int
    pool: tuple[Person, ...]  # the whole pool (for reasons)

    @property
    def n(self) -> int:
        return len(self.people)

    def team_of(self, keys: Iterable[str]) -> Team:
        index = {p.key: i for i, p in enumerate(self.people)}
        return tuple(sorted(index[k] for k in keys))


def _masks(person: Person, request: Request) -> tuple[int, int]:
    b = 0
    if person.may_be_core:
        for j, rule in enumerate(request.b):
            if rule in person.practises:
                b |= 1 << j
    c = 0
    for j, rule in enumerate(request.c):
        if rule in person.practises:
            c |= 1 << j
    return b, c


def _pref(person: Person, request: Request) -> int:
    return int(request.prefer_area and person.knows_area) + int(
        request.prefer_experience and person.supported_before
    )


def prefilter(able: Sequence[Person], request: Request, alternatives: int) -> list[Person]:
    """The people who can be in one of the ``alternatives`` best teams; the others are dropped.

    Say q *dominates* p when q is eligible, comes earlier (lower order), practises every requested
    rule p practises (B rules counted only for people who may be core), has the basics if p has,
    may be core if p may, knows the area / supported before if p does (when asked), and has a load
    no higher than p's. Swapping p for a q outside the team keeps every hard constraint (q takes
    p's core role if p had one), meets every rule instance p helped meet, keeps or lowers the
    maximum load, keeps or raises the preferences, keeps the size and makes the tie-break strictly
    better. So if p has at least ``size_max + k - 1`` dominators and is in a team T, at least k of
    them are outside T, and the k swaps give k different teams, each strictly better than T: T is
    not among the k best. Keeping the people with fewer dominators keeps the k best teams (and
    every team that meets a set of rules, if any does, by the same swaps). Must-in people are
    always kept.
    """
    people = sorted(able, key=lambda p: p.order)
    threshold = request.size_max + max(1, alternatives) - 1
    nbits = len(request.b) + len(request.c) + 4
    if len(people) <= threshold or nbits > 62:
        return people
    masks = np.zeros(len(people), dtype=np.int64)
    loads = np.zeros(len(people), dtype=np.int64)
    for i, p in enumerate(people):
        b, c = _masks(p, request)
        flags = (
            int(p.basics)
            | int(p.may_be_core) << 1
            | int(request.prefer_area and p.knows_area) << 2
            | int(request.prefer_experience and p.supported_before) << 3
        )
        masks[i] = flags | (b << 4) | (c << (4 + len(request.b)))
        loads[i] = p.load
    kept = []
    for i, p in enumerate(people):
        if i < threshold or p.key in request.must_in:
            kept.append(p)
            continue
        m = masks[i]
        dominators = np.count_nonzero(((masks[:i] & m) == m) & (loads[:i] <= loads[i]))
        if dominators < threshold:
            kept.append(p)
    return kept


def compile_request(
    pool: Sequence[Person], request: Request, alternatives: int = 1, *, reduce: bool = True
) -> Compiled:
    able = [p for p in pool if eligible(p, request)]
    people = prefilter(able, request, alternatives) if reduce else sorted(able, key=lambda p: p.order)
    bs, cs, bits = [], [], []
    for p in people:
        b, c = _masks(p, request)
        bs.append(b)
        cs.append(c)
        bits.append(tuple(j for j in range(len(request.c)) if c >> j & 1))
    return Compiled(
        request=request,
        people=tuple(people),
        b=tuple(bs),
        c=tuple(cs),
        c_bits=tuple(bits),
        basics=tuple(p.basics for p in people),
        core_ok=tuple(p.may_be_core for p in people),
        load1=tuple(p.load + 1 for p in people),
        pref=tuple(_pref(p, request) for p in people),
        forced=tuple(i for i, p in enumerate(people) if p.key in request.must_in),
        nb=len(request.b),
        nc=len(request.c),
        pool=tuple(pool),
    )


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


def unmet_of(comp: Compiled, scored: Scored) -> tuple[RuleInstance, ...]:
    r = comp.request
    team, core = scored.team, scored.core
    found: list[RuleInstance] = []
    for j, rule in enumerate(r.b):
        if not any(comp.b[i] >> j & 1 for i in core):
            found.append(RuleInstance(RuleKind.B, rule))
    for j, rule in enumerate(r.c):
        holders = sum(1 for i in team if comp.c[i] >> j & 1)
        found.extend(RuleInstance(RuleKind.C, rule, nth) for nth in range(holders + 1, r.needed + 1))
    for i in team:
        if not comp.basics[i]:
            found.append(RuleInstance(RuleKind.A, "A", person=comp.people[i].key))
    return tuple(found)


def pool_reason(comp: Compiled, instance: RuleInstance) -> Reason | None:
    """A reason read from the pool alone (no search), or None when the pool could meet it alone."""
    r = comp.request
    pool = comp.pool
    if instance.kind is RuleKind.A:
        if instance.person is not None and instance.person in r.must_in:
            return Reason.MUST_IN
        with_basics = sum(1 for p in pool if p.basics and eligible(p, r))
        return Reason.TOO_FEW_WITH_BASICS if with_basics < r.size_min else None
    practisers = [p for p in pool if instance.rule in p.practises]
    able = [p for p in practisers if eligible(p, r)]
    if instance.kind is RuleKind.B:
        if not practisers:
            return Reason.NOBODY_PRACTISES
        if not able:
            return Reason.NOT_ELIGIBLE
        if not any(p.may_be_core for p in able):
            return Reason.NOT_CORE
        return Reason.CORE_LIMIT if r.core_max < 1 else None
    if len(practisers) < instance.nth:
        return Reason.NOBODY_PRACTISES
    if len(able) < instance.nth:
        return Reason.NOT_ELIGIBLE
    return Reason.SIZE_LIMIT if r.size_max < instance.nth else None


def _matches(conflict_instance: RuleInstance, unmet: RuleInstance) -> bool:
    if conflict_instance.kind is not unmet.kind:
        return False
    if unmet.kind is RuleKind.A:
        return True
    if unmet.kind is RuleKind.C:
        return conflict_instance.rule == unmet.rule and conflict_instance.nth <= unmet.nth
    return conflict_instance.rule == unmet.rule


def explain(
    comp: Compiled, scored: Scored, conflicts: Sequence[Conflict] | None
) -> tuple[tuple[RuleInstance, ...], Explanation]:
    """The unmet instances and the explanation; ``conflicts`` None when none were sought."""
    r = comp.request
    team, core = scored.team, scored.core
    keys = {i: comp.people[i].key for i in team}
    b_cover = tuple((rule, tuple(keys[i] for i in core if comp.b[i] >> j & 1)) for j, rule in enumerate(r.b))
    holders = [tuple(i for i in team if comp.c[i] >> j & 1) for j in range(comp.nc)]
    c_cover = tuple((rule, tuple(keys[i] for i in holders[j])) for j, rule in enumerate(r.c))
    notes = []
    for i in team:
        p = comp.people[i]
        chosen: list[ChosenFor] = []
        if i in comp.forced:
            chosen.append(ChosenFor.MUST_IN)
        is_core = i in core
        mine_b = tuple(rule for j, rule in enumerate(r.b) if is_core and comp.b[i] >> j & 1)
        if is_core:
            others = 0
            for o in core:
                if o != i:
                    others |= comp.b[o]
            if comp.b[i] & ~others:
                chosen.append(ChosenFor.CORE_B)
            else:
                chosen.append(ChosenFor.CORE_ROLE)
        if any(len(holders[j]) <= r.needed for j in comp.c_bits[i]):
            chosen.append(ChosenFor.ONLY_C)
        if p.basics:
            chosen.append(ChosenFor.BASICS)
        if r.prefer_area and p.knows_area:
            chosen.append(ChosenFor.AREA)
        if r.prefer_experience and p.supported_before:
            chosen.append(ChosenFor.EXPERIENCE)
        if not set(chosen) - {ChosenFor.BASICS}:
            chosen.append(ChosenFor.SIZE)
        notes.append(
            MemberNote(
                key=p.key,
                core=is_core,
                b_rules=mine_b,
                c_rules=tuple(rule for rule in r.c if rule in p.practises),
                basics=p.basics,
                load_after=p.load + 1,
                knows_area=p.knows_area,
                supported_before=p.supported_before,
                chosen_for=tuple(chosen),
            )
        )
    unmet = unmet_of(comp, scored)
    uncovered = []
    for inst in unmet:
        reason = pool_reason(comp, inst)
        if reason is None:
            if conflicts is None:
                reason = Reason.NOT_EXAMINED
            else:
                reason = next(
                    (c.reason for c in conflicts if any(_matches(x, inst) for x in c.instances)),
                    Reason.TRADE_OFF,
                )
        uncovered.append(Uncovered(inst, reason))
    explanation = Explanation(
        members=tuple(notes), b_cover=b_cover, c_cover=c_cover, uncovered=tuple(uncovered)
    )
    return unmet, explanation


def all_instances(request: Request) -> tuple[RuleInstance, ...]:
    """Every rule instance a conflict can name (the A instance: every member has the basics)."""
    found = [RuleInstance(RuleKind.B, rule) for rule in request.b]
    for rule in request.c:
        found.extend(RuleInstance(RuleKind.C, rule, nth) for nth in range(1, request.needed + 1))
    found.append(RuleInstance(RuleKind.A, "A"))
    return tuple(found)


def meets(comp: Compiled, scored: Scored, instances: Iterable[RuleInstance]) -> bool:
    """Does this team meet every instance (A without person: every member has the basics)?"""
    team, core = scored.team, scored.core
    for inst in instances:
        if inst.kind is RuleKind.A:
            if not all(comp.basics[i] for i in team):
                return False
        elif inst.kind is RuleKind.B:
            j = comp.request.b.index(inst.rule)
            if not any(comp.b[i] >> j & 1 for i in core):
                return False
        else:
            j = comp.request.c.index(inst.rule)
            if sum(1 for i in team if comp.c[i] >> j & 1) < inst.nth:
                return False
    return True
