"""A plan request compiled: each target's candidates as forming compiles one team's, and the
scoring of a whole plan (one team per target, people shared through their capacity).

Each target is a forming request over the people who may serve it: its own ``must_in`` and the
current members who stay (``Changes.KEEP``/``ADD``); with ``areas_required``, only the people whose
areas hold the target (and current members who stay); with ``KEEP``, an existing team's current
members only. A person appears as a forming ``Person`` whose ``knows_area``/``supported_before``
say it for that target, and whose ``load`` is the teams held outside the plan.

The candidates are all the people who may serve a target (the exact program needs every one:
no dominance holds across targets, since a person identical to another for one target may be
the only one for another). The heuristic forms each team over fewer: per target, the groups of
people identical for it (``identical``), of which ``search.candidates`` keeps the first few.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bansou.domain.forming.candidates import Compiled, Team, compile_request, problems_of
from bansou.domain.forming.model import Person, Request
from bansou.domain.forming.search import Scored, score
from bansou.domain.planning.model import (
    Changes,
    PlanError,
    PlanObjective,
    PlanProblem,
    PlanRequest,
    Target,
)

Teams = tuple[Team, ...]  # one team per target (indices into that target's candidates)


def kept(plan: PlanRequest, target: Target) -> frozenset[str]:
    """The current members of ``target`` who must stay."""
    return frozenset() if plan.changes is Changes.FREE else target.current


def team_request(plan: PlanRequest, target: Target) -> Request:
    return replace(target.request, must_in=target.request.must_in | kept(plan, target))


def team_pools(plan: PlanRequest) -> list[list[Person]]:
    """Per target, the people who may serve it (in the pool's order), as forming sees them for
    it: with ``KEEP`` an existing team's current members only; with ``areas_required``, those
    whose areas hold it and the current members who stay (found through an index by area, not a
    pass over the pool per target)."""
    pool = plan.pool
    index = {s.key: n for n, s in enumerate(pool)}
    by_area: dict[str, list[int]] = {}
    if plan.areas_required:
        for n, s in enumerate(pool):
            for area in s.areas:
                by_area.setdefault(area, []).append(n)
    found = []
    for target in plan.targets:
        if plan.changes is Changes.KEEP and target.current:
            chosen: Sequence[int] = sorted(index[k] for k in target.current if k in index)
        elif plan.areas_required:
            stay = {index[k] for k in kept(plan, target) if k in index}
            chosen = sorted(stay.union(by_area.get(target.key, ())))
        else:
            chosen = range(len(pool))
        found.append(
            [
                replace(
                    pool[n].person,
                    knows_area=target.key in pool[n].areas,
                    supported_before=target.key in pool[n].supported,
                )
                for n in chosen
            ]
        )
    return found


def problems(plan: PlanRequest) -> tuple[PlanProblem, ...]:
    """The hard errors that leave no plan, as far as each target alone and the places that must
    stay tell (``NO_PLAN`` is the solver's to find)."""
    found: list[PlanProblem] = []
    for keys in ([t.key for t in plan.targets], [s.key for s in plan.pool]):
        for key, n in sorted(Counter(keys).items()):
            if n > 1:
                found.append(PlanProblem(PlanError.DUPLICATE, person=key))
    if found:
        return tuple(found)
    for t, people in zip(plan.targets, team_pools(plan), strict=True):
        found.extend(
            PlanProblem(PlanError.TARGET, target=t.key, problem=p)
            for p in problems_of(people, team_request(plan, t))
        )
    staying = Counter(k for t in plan.targets for k in team_request(plan, t).must_in)
    for s in sorted(plan.pool, key=lambda s: s.key):
        if s.person.load + staying[s.key] > s.person.capacity:
            found.append(PlanProblem(PlanError.OVER_CAPACITY, person=s.key))
    return tuple(found)


Groups = tuple[tuple[int, ...], ...]  # one target's candidates with identical attributes, by order


@dataclass(frozen=True)
class Board:
    plan: PlanRequest
    comps: tuple[Compiled, ...]  # per target, every candidate (no prefilter)
    people: dict[str, Person]  # by key (load: outside the plan)
    groups: tuple[Groups, ...] = ()  # per target (see ``identical``)
    serving: tuple[frozenset[str], ...] = ()  # per target, its candidates' keys
    # the heuristic's teams formed so far, by target and its candidates' places elsewhere
    formed: dict[tuple[int, frozenset[tuple[str, int]]], Team | None] = field(
        default_factory=dict, compare=False
    )

    @property
    def targets(self) -> tuple[Target, ...]:
        return self.plan.targets

    def keys(self, t: int, team: Team) -> tuple[str, ...]:
        return tuple(self.comps[t].people[i].key for i in team)


def identical(comp: Compiled) -> Groups:
    """The candidates grouped by what the target sees of them (B rules as core, C rules, basics,
    core ability, the area and experience it prefers), each group in order. Two people of a group
    with the same load are interchangeable for this team but for the tie-break (see
    ``search.form``)."""
    r = comp.request
    found: dict[tuple[int, int, bool, bool, bool, bool], list[int]] = {}
    for i, p in enumerate(comp.people):
        key = (
            comp.b[i],
            comp.c[i],
            comp.basics[i],
            comp.core_ok[i],
            r.prefer_area and p.knows_area,
            r.prefer_experience and p.supported_before,
        )
        found.setdefault(key, []).append(i)
    return tuple(tuple(g) for g in found.values())


def board_of(plan: PlanRequest) -> Board:
    comps = tuple(
        compile_request(people, team_request(plan, t), reduce=False)
        for t, people in zip(plan.targets, team_pools(plan), strict=True)
    )
    groups = tuple(identical(c) for c in comps)
    serving = tuple(frozenset(p.key for p in c.people) for c in comps)
    return Board(plan, comps, {s.key: s.person for s in plan.pool}, groups, serving)


@dataclass(frozen=True)
class ScoredPlan:
    teams: Teams
    scored: tuple[Scored, ...]
    objective: PlanObjective
    feasible: bool  # every team's hard constraints and every person's capacity

    @property
    def key(self) -> tuple[int, int, int, int, int]:
        return self.objective.key


def places(board: Board, teams: Teams) -> Counter[str]:
    """How many of the plan's teams each person is in."""
    return Counter(k for t, team in enumerate(teams) for k in board.keys(t, team))


def score_plan(board: Board, teams: Teams, known: ScoredPlan | None = None) -> ScoredPlan:
    """The plan's score; the teams ``known`` has already scored are not scored again."""
    scored = tuple(
        known.scored[t] if known is not None and known.teams[t] == team else score(board.comps[t], team)
        for t, team in enumerate(teams)
    )
    count = places(board, teams)
    loads = {k: board.people[k].load + n for k, n in count.items()}
    objective = PlanObjective(
        unmet=sum(s.objective.unmet for s in scored),
        max_load=max(loads.values(), default=0),
        preferred=sum(s.objective.preferred for s in scored),
        places=sum(len(team) for team in teams),
        tie=sum(board.people[k].order * n for k, n in count.items()),
    )
    feasible = all(s.feasible for s in scored) and all(loads[k] <= board.people[k].capacity for k in loads)
    return ScoredPlan(teams, scored, objective, feasible)


def placed_elsewhere(board: Board, teams: Sequence[Team], but: int) -> Counter[str]:
    """Each person's places in the plan's teams other than target ``but`` (the capacity left is
    ``capacity - load - placed``)."""
    return Counter(k for t, team in enumerate(teams) if t != but for k in board.keys(t, team))
