"""A plan for many 市町村 (issue 17): the heuristic and the exact program against a brute force.

The brute force below reads the request again from the people and the targets (every team of each
target, every core within it, every combination of teams that keeps each person within their
capacity), not from the module's masks, so the properties compare two independent readings of the
ordering: hard constraints; (a) unmet rule instances over all teams; (b) the highest load over the
people placed; (c) preferred places; (d) places; (e) the sum of the placed people's orders.
No Django, no database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.forming import Person, Request, RuleInstance, RuleKind, Status, WorkLimit
from bansou.domain.planning import (
    Changes,
    Plan,
    PlanError,
    PlanInstance,
    PlanRequest,
    Reason,
    Supporter,
    Target,
    check,
    find_conflicts,
    lp_relaxation_bound,
    plan_exactly,
    plan_quickly,
)

PROPERTY = settings(database=None, max_examples=80, deadline=None)
Key = tuple[int, int, int, int, int]

# -- the brute-force reading ----------------------------------------------------------------------


def kept(plan: PlanRequest, t: Target) -> frozenset[str]:
    return frozenset() if plan.changes is Changes.FREE else t.current


def may_serve(plan: PlanRequest, t: Target, s: Supporter) -> bool:
    p, r = s.person, t.request
    if plan.changes is Changes.KEEP and t.current and s.key not in t.current:
        return False
    if plan.areas_required and t.key not in s.areas and s.key not in kept(plan, t):
        return False
    return p.available and p.load + 1 <= p.capacity and s.key not in r.must_out


@dataclass(frozen=True)
class Option:
    """One team of one target: its members, what it meets under each core, its levels."""

    members: frozenset[str]
    met: tuple[frozenset[RuleInstance], ...]  # per core: the instances met (A without person)
    unmet: int
    preferred: int
    orders: int


def instances(r: Request) -> list[RuleInstance]:
    found = [RuleInstance(RuleKind.B, rule) for rule in dict.fromkeys(r.b_rules)]
    for rule in dict.fromkeys(r.c_rules):
        found.extend(RuleInstance(RuleKind.C, rule, n) for n in range(1, r.needed + 1))
    return [*found, RuleInstance(RuleKind.A, "A")]


def option(team: Sequence[Supporter], t: Target) -> Option | None:
    r = t.request
    eligible = [s for s in team if s.person.may_be_core]
    if len(eligible) < r.core_min:
        return None
    cores = [
        core
        for size in range(r.core_min, min(r.core_max, len(eligible)) + 1)
        for core in combinations(eligible, size)
    ]
    met = []
    for core in cores:
        met.append(
            frozenset(
                i
                for i in instances(r)
                if (i.kind is RuleKind.A and all(s.person.basics for s in team))
                or (i.kind is RuleKind.B and any(i.rule in s.person.practises for s in core))
                or (i.kind is RuleKind.C and sum(i.rule in s.person.practises for s in team) >= i.nth)
            )
        )
    b = list(dict.fromkeys(r.b_rules))
    best_b = min(sum(not any(rule in s.person.practises for s in core) for rule in b) for core in cores)
    c = sum(
        max(0, r.needed - sum(rule in s.person.practises for s in team)) for rule in dict.fromkeys(r.c_rules)
    )
    preferred = sum(
        (r.prefer_area and t.key in s.areas) + (r.prefer_experience and t.key in s.supported) for s in team
    )
    return Option(
        members=frozenset(s.key for s in team),
        met=tuple(met),
        unmet=best_b + c + sum(not s.person.basics for s in team),
        preferred=preferred,
        orders=sum(s.person.order for s in team),
    )


def options(plan: PlanRequest, t: Target) -> list[Option]:
    r = t.request
    people = [s for s in plan.pool if may_serve(plan, t, s)]
    forced = r.must_in | kept(plan, t)
    found = []
    for size in range(max(r.size_min, 1), r.size_max + 1):
        for team in combinations(people, size):
            if forced <= {s.key for s in team}:
                o = option(team, t)
                if o is not None:
                    found.append(o)
    return found


def plans(plan: PlanRequest) -> Iterator[tuple[Option, ...]]:
    """Every combination of teams within the people's capacity."""
    people = {s.key: s.person for s in plan.pool}
    for combo in product(*(options(plan, t) for t in plan.targets)):
        count = Counter(k for o in combo for k in o.members)
        if all(people[k].load + n <= people[k].capacity for k, n in count.items()):
            yield combo


def key_of(plan: PlanRequest, combo: Sequence[Option]) -> Key:
    people = {s.key: s.person for s in plan.pool}
    count = Counter(k for o in combo for k in o.members)
    return (
        sum(o.unmet for o in combo),
        max((people[k].load + n for k, n in count.items()), default=0),
        -sum(o.preferred for o in combo),
        sum(len(o.members) for o in combo),
        sum(o.orders for o in combo),
    )


def satisfiable(plan: PlanRequest, required: Sequence[PlanInstance]) -> bool:
    index = {t.key: n for n, t in enumerate(plan.targets)}
    asked = [frozenset(pi.instance for pi in required if index[pi.target] == n) for n in range(len(index))]
    return any(
        all(any(need <= met for met in o.met) for o, need in zip(combo, asked, strict=True))
        for combo in plans(plan)
    )


def every_instance(plan: PlanRequest) -> list[PlanInstance]:
    return [PlanInstance(t.key, i) for t in plan.targets for i in instances(t.request)]


# -- strategies -----------------------------------------------------------------------------------

NAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
TOWNS = ["01202", "01203", "01204"]
RULES_B = ["B:2", "B:3"]
RULES_C = ["C:1", "C:4", "C:9"]


@st.composite
def requests(draw: st.DrawFn, most: int = 8, most_of_three: int = 6) -> PlanRequest:
    """Up to 3 towns; up to ``most`` people (``most_of_three`` with 3 towns)."""
    k = draw(st.integers(1, 3))
    towns = TOWNS[:k]
    n = draw(st.integers(3, most if k < 3 else most_of_three))
    orders = draw(st.permutations(list(range(n))))
    keys = NAMES[:n]
    rules = RULES_B + RULES_C
    pool = []
    for i in range(n):
        capacity = draw(st.integers(1, 3))
        person = Person(
            key=keys[i],
            practises=frozenset(draw(st.lists(st.sampled_from(rules), unique=True, max_size=3))),
            basics=draw(st.integers(0, 4)) > 0,
            may_be_core=draw(st.booleans()),
            capacity=capacity,
            load=draw(st.integers(0, capacity - 1)) if draw(st.integers(0, 9)) else capacity,
            available=draw(st.integers(0, 14)) > 0,
            order=orders[i],
        )
        areas = frozenset(draw(st.lists(st.sampled_from(towns), unique=True)))
        supported = frozenset(draw(st.lists(st.sampled_from(towns), unique=True, max_size=1)))
        pool.append(Supporter(person, areas, supported))
    targets = tuple(draw(target(town, keys, 3 if k < 3 else 2)) for town in towns)
    return PlanRequest(
        targets=targets,
        pool=tuple(pool),
        changes=draw(st.sampled_from(list(Changes))),
        areas_required=draw(st.booleans()),
    )


@st.composite
def target(draw: st.DrawFn, town: str, keys: list[str], largest: int) -> Target:
    size_min = draw(st.integers(1, 2))
    core_min = draw(st.integers(0, 1))
    request = Request(
        b_rules=tuple(draw(st.lists(st.sampled_from(RULES_B), unique=True, max_size=2))),
        c_rules=tuple(draw(st.lists(st.sampled_from(RULES_C), unique=True, max_size=2))),
        needed=draw(st.integers(1, 2)),
        size_min=size_min,
        size_max=draw(st.integers(size_min, max(size_min, largest))),
        core_min=core_min,
        core_max=draw(st.integers(core_min, core_min + 1)),
        must_out=frozenset(draw(st.lists(st.sampled_from(keys), max_size=1))),
        prefer_area=draw(st.booleans()),
        prefer_experience=draw(st.booleans()),
    )
    existing = draw(st.integers(0, 2)) == 0  # a third of the targets have a team already
    current = (
        frozenset(draw(st.lists(st.sampled_from(keys), unique=True, max_size=2))) if existing else frozenset()
    )
    return Target(town, request, current)


# -- what every plan must keep --------------------------------------------------------------------


def assert_valid(request: PlanRequest, plan: Plan) -> None:
    """The hard constraints, read from the request (not from the module)."""
    by_key = {s.key: s for s in request.pool}
    count = Counter(k for team in plan.teams for k in team.members)
    for key, n in count.items():
        p = by_key[key].person
        assert p.available
        assert p.load + n <= p.capacity, (key, n)
    assert [team.target for team in plan.teams] == [t.key for t in request.targets]
    for t, team in zip(request.targets, plan.teams, strict=True):
        r, members = t.request, set(team.members)
        assert r.size_min <= len(members) <= r.size_max
        assert set(team.core) <= members and r.core_min <= len(team.core) <= r.core_max
        assert all(by_key[k].person.may_be_core for k in team.core)
        assert not members & r.must_out
        assert all(may_serve(request, t, by_key[k]) or k in kept(request, t) for k in members)
        # a member of an existing team is never moved or removed unless the request allows it
        if request.changes is not Changes.FREE:
            assert t.current <= members and set(team.kept) == set(t.current)
        if request.changes is Changes.KEEP and t.current:
            assert members == set(t.current)
    assert plan.objective.unmet == sum(len(team.unmet) for team in plan.teams)


def assert_honest(plan: Plan) -> None:
    for level in plan.levels:
        assert level.bound is None or level.bound <= level.value
        assert level.proven == (level.bound == level.value)
    assert (plan.status is Status.OPTIMAL) == all(level.proven for level in plan.levels)


def best(request: PlanRequest) -> Key | None:
    return min((key_of(request, combo) for combo in plans(request)), default=None)


# -- properties -----------------------------------------------------------------------------------


@PROPERTY
@given(requests(most=10, most_of_three=10))
def test_exact_equals_brute_force(request: PlanRequest) -> None:
    expected = best(request)
    outcome = plan_exactly(request)
    assert (outcome.plan is None) == (expected is None) == bool(outcome.problems)
    if outcome.plan is None:
        errors = {p.error for p in outcome.problems}
        assert errors <= {PlanError.TARGET, PlanError.OVER_CAPACITY, PlanError.NO_PLAN}
        return
    assert outcome.plan.objective.key == expected
    assert outcome.plan.status is Status.OPTIMAL
    assert_valid(request, outcome.plan)
    assert_honest(outcome.plan)
    if satisfiable(request, every_instance(request)):
        assert outcome.plan.objective.unmet == 0 and outcome.gaps == ()


@PROPERTY
@given(requests())
def test_heuristic_keeps_every_hard_constraint_and_exact_is_never_worse(request: PlanRequest) -> None:
    quick = plan_quickly(request)
    exact = plan_exactly(request)
    if quick.problems:
        assert quick.problems == exact.problems
        return
    if quick.plan is None:  # the greedy found no plan; the exact search says whether one exists
        return
    assert quick.plan.status is Status.HEURISTIC
    assert_valid(request, quick.plan)
    assert exact.plan is not None
    assert exact.plan.objective.key <= quick.plan.objective.key
    assert lp_relaxation_bound(request) <= exact.plan.objective.unmet + 1e-6


@PROPERTY
@given(requests())
def test_same_input_same_plan(request: PlanRequest) -> None:
    reversed_pool = PlanRequest(request.targets, request.pool[::-1], request.changes, request.areas_required)
    assert plan_quickly(request) == plan_quickly(reversed_pool)
    assert plan_exactly(request) == plan_exactly(request) == plan_exactly(reversed_pool)


@PROPERTY
@given(requests())
def test_conflicts_are_minimal_and_explain_what_is_unmet(request: PlanRequest) -> None:
    if check(request) or best(request) is None:
        return
    conflicts, complete = find_conflicts(request)
    assert complete
    everything = every_instance(request)
    if satisfiable(request, everything):
        assert conflicts == ()
        return
    assert conflicts
    seen: set[PlanInstance] = set()
    for conflict in conflicts:
        assert not satisfiable(request, conflict.instances)
        for dropped in conflict.instances:
            assert satisfiable(request, [i for i in conflict.instances if i != dropped]), (conflict, dropped)
        assert not seen & set(conflict.instances)
        seen |= set(conflict.instances)
    outcome = plan_exactly(request)
    assert outcome.plan is not None and outcome.conflicts == conflicts
    for team in outcome.plan.teams:
        assert all(u.reason is not Reason.NOT_EXAMINED for u in team.uncovered)


@PROPERTY
@given(requests())
def test_a_spent_work_limit_still_gives_a_valid_plan_no_worse_than_the_heuristic(
    request: PlanRequest,
) -> None:
    limited = plan_exactly(request, limit=WorkLimit(nodes=0, conflict_nodes=0))
    quick = plan_quickly(request)
    if limited.plan is None:
        assert limited.problems
        return
    assert_valid(request, limited.plan)
    assert_honest(limited.plan)
    if quick.plan is not None:
        assert limited.plan.objective.key <= quick.plan.objective.key
