"""Forming a team (issue 14): the heuristic and the exact program against a brute-force enumerator.

The enumerator below recomputes everything from the people and the request (every member set, every
core within it), not from the module's masks, so the properties compare two independent readings
of the issue's ordering: hard constraints; (a) unmet rule instances; (b) the highest load after
joining; (c) preferred members; (d) size; (e) the earliest people. No Django, no database.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.forming import (
    ChosenFor,
    HardError,
    Outcome,
    Person,
    Proposal,
    Reason,
    Request,
    RuleInstance,
    RuleKind,
    Status,
    WorkLimit,
    check,
    find_conflicts,
    propose_exactly,
    propose_quickly,
)
from bansou.domain.forming.candidates import Team, compile_request
from bansou.domain.forming.exact import solve
from bansou.domain.forming.search import heuristic

PROPERTY = settings(database=None, max_examples=120, deadline=None)

Key = tuple[int, int, int, int, tuple[int, ...]]


# -- the brute-force reading ----------------------------------------------------------------------


def able(p: Person, r: Request) -> bool:
    return p.available and p.load + 1 <= p.capacity and p.key not in r.must_out


def hard_ok(team: Sequence[Person], r: Request) -> bool:
    keys = {p.key for p in team}
    return (
        r.size_min <= len(team) <= r.size_max
        and r.must_in <= keys
        and all(able(p, r) for p in team)
        and sum(p.may_be_core for p in team) >= r.core_min
    )


def cores(team: Sequence[Person], r: Request) -> Iterable[tuple[Person, ...]]:
    eligible = [p for p in team if p.may_be_core]
    for size in range(r.core_min, min(r.core_max, len(eligible)) + 1):
        yield from combinations(eligible, size)


def meets(team: Sequence[Person], core: Sequence[Person], inst: RuleInstance) -> bool:
    if inst.kind is RuleKind.A:
        return all(p.basics for p in team)
    if inst.kind is RuleKind.B:
        return any(inst.rule in p.practises for p in core)
    return sum(inst.rule in p.practises for p in team) >= inst.nth


def unmet(team: Sequence[Person], r: Request) -> int:
    b_rules, c_rules = list(dict.fromkeys(r.b_rules)), list(dict.fromkeys(r.c_rules))
    best_b = min(
        sum(not any(rule in p.practises for p in core) for rule in b_rules) for core in cores(team, r)
    )
    c = sum(max(0, r.needed - sum(rule in p.practises for p in team)) for rule in c_rules)
    return best_b + c + sum(not p.basics for p in team)


def key_of(team: Sequence[Person], r: Request) -> Key:
    preferred = sum(
        (r.prefer_area and p.knows_area) + (r.prefer_experience and p.supported_before) for p in team
    )
    return (
        unmet(team, r),
        max(p.load + 1 for p in team),
        -preferred,
        len(team),
        tuple(sorted(p.order for p in team)),
    )


def teams(pool: Sequence[Person], r: Request) -> list[tuple[Person, ...]]:
    people = [p for p in pool if able(p, r)]
    found = []
    for size in range(max(r.size_min, 1), r.size_max + 1):
        for team in combinations(people, size):
            if hard_ok(team, r):
                found.append(team)
    return found


def ranked(pool: Sequence[Person], r: Request) -> list[tuple[Key, frozenset[str]]]:
    return sorted((key_of(t, r), frozenset(p.key for p in t)) for t in teams(pool, r))


def satisfiable(pool: Sequence[Person], r: Request, instances: Sequence[RuleInstance]) -> bool:
    return any(all(meets(t, core, i) for i in instances) for t in teams(pool, r) for core in cores(t, r))


def all_instances(r: Request) -> list[RuleInstance]:
    found = [RuleInstance(RuleKind.B, rule) for rule in dict.fromkeys(r.b_rules)]
    for rule in dict.fromkeys(r.c_rules):
        found.extend(RuleInstance(RuleKind.C, rule, n) for n in range(1, r.needed + 1))
    return [*found, RuleInstance(RuleKind.A, "A")]


# -- strategies -----------------------------------------------------------------------------------

NAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田"]
RULES_B = ["B:2", "B:3"]
RULES_C = ["C:1", "C:4", "C:9"]


@st.composite
def problems(draw: st.DrawFn, most: int = 10) -> tuple[list[Person], Request]:
    n = draw(st.integers(3, most))  # the empty pool: a hand-written case
    orders = draw(st.permutations(list(range(n))))
    b_rules = tuple(draw(st.lists(st.sampled_from(RULES_B), max_size=2, unique=True)))
    c_rules = tuple(draw(st.lists(st.sampled_from(RULES_C), max_size=3, unique=True)))
    rules = list(b_rules + c_rules)
    pool = []
    for k in range(n):
        capacity = draw(st.integers(1, 3))
        pool.append(
            Person(
                key=NAMES[k],
                practises=frozenset(draw(st.lists(st.sampled_from(rules), unique=True)))
                if rules
                else frozenset(),
                basics=draw(st.integers(0, 4)) > 0,
                may_be_core=draw(st.booleans()),
                capacity=capacity,
                load=draw(st.integers(0, capacity)),
                available=draw(st.integers(0, 9)) > 0,
                knows_area=draw(st.booleans()),
                supported_before=draw(st.booleans()),
                order=orders[k],
            )
        )
    keys = [p.key for p in pool]
    size_min = draw(st.integers(1, 3))
    size_max = draw(st.integers(size_min, size_min + 2))
    core_min = draw(st.integers(0, 2))
    request = Request(
        b_rules=b_rules,
        c_rules=c_rules,
        needed=draw(st.integers(1, 2)),
        size_min=size_min,
        size_max=size_max,
        core_min=core_min,
        core_max=draw(st.integers(core_min, core_min + 1)),
        must_in=frozenset(draw(st.lists(st.sampled_from(keys), max_size=1))),
        must_out=frozenset(draw(st.lists(st.sampled_from(keys[::-1]), max_size=1))),
        prefer_area=draw(st.booleans()),
        prefer_experience=draw(st.booleans()),
    )
    return pool, request


def by_key(pool: Sequence[Person]) -> dict[str, Person]:
    return {p.key: p for p in pool}


def assert_hard(pool: Sequence[Person], r: Request, proposal: Proposal) -> None:
    people = by_key(pool)
    team = [people[k] for k in proposal.members]
    assert hard_ok(team, r)
    assert all(p.load + 1 <= p.capacity and p.available for p in team)
    assert not (set(proposal.members) & r.must_out)
    core = [people[k] for k in proposal.core]
    assert set(proposal.core) <= set(proposal.members)
    assert all(p.may_be_core for p in core)
    assert r.core_min <= len(core) <= r.core_max
    assert proposal.objective.key == key_of(team, r)
    # the unmet instances listed are exactly those of the proposal's core
    counted = sum(1 for u in proposal.unmet)
    assert counted == proposal.objective.unmet
    for u in proposal.unmet:
        if u.kind is RuleKind.A:
            assert not people[u.person or ""].basics
        else:
            assert not meets(team, core, u)


# -- properties -----------------------------------------------------------------------------------


@PROPERTY
@given(problems())
def test_exact_equals_brute_force_and_alternatives_are_the_next_best(
    case: tuple[list[Person], Request],
) -> None:
    pool, r = case
    ranking = ranked(pool, r)
    outcome = propose_exactly(pool, r)
    assert bool(outcome.problems) == (not ranking)
    if not ranking:
        assert outcome.proposals == ()
        return
    assert [p.status for p in outcome.proposals] == [Status.OPTIMAL] * len(outcome.proposals)
    assert len(outcome.proposals) == min(3, len(ranking))
    for proposal, (key, members) in zip(outcome.proposals, ranking, strict=False):
        assert proposal.objective.key == key
        assert frozenset(proposal.members) == members
        assert_hard(pool, r, proposal)
        assert all(level.proven and level.gap == 0 for level in proposal.levels)
    assert len({frozenset(p.members) for p in outcome.proposals}) == len(outcome.proposals)
    # every rule the pool can meet within the bounds is met
    if satisfiable(pool, r, all_instances(r)):
        assert outcome.proposals[0].unmet == ()


@PROPERTY
@given(problems())
def test_heuristic_is_feasible_and_never_better_than_exact(
    case: tuple[list[Person], Request],
) -> None:
    pool, r = case
    quick = propose_quickly(pool, r)
    exact = propose_exactly(pool, r)
    assert quick.problems == exact.problems
    if quick.problems:
        return
    assert quick.proposals
    for proposal in quick.proposals:
        assert_hard(pool, r, proposal)
        assert proposal.status is Status.HEURISTIC
    assert len({frozenset(p.members) for p in quick.proposals}) == len(quick.proposals)
    assert len(exact.proposals) >= len(quick.proposals)
    for e, q in zip(exact.proposals, quick.proposals, strict=False):
        assert e.objective.key <= q.objective.key


@PROPERTY
@given(problems())
def test_same_input_same_output(case: tuple[list[Person], Request]) -> None:
    pool, r = case
    assert propose_quickly(pool, r) == propose_quickly(list(reversed(pool)), r)
    assert propose_exactly(pool, r) == propose_exactly(pool, r)


@PROPERTY
@given(problems())
def test_hard_errors_exactly_when_no_team_exists(case: tuple[list[Person], Request]) -> None:
    pool, r = case
    assert bool(check(pool, r)) == (not teams(pool, r))


@PROPERTY
@given(problems())
def test_conflicts_are_irreducible_and_explain_what_is_unmet(
    case: tuple[list[Person], Request],
) -> None:
    pool, r = case
    if check(pool, r):
        return
    conflicts, complete = find_conflicts(pool, r)
    assert complete
    everything = all_instances(r)
    if satisfiable(pool, r, everything):
        assert conflicts == ()
        return
    assert conflicts
    seen: set[RuleInstance] = set()
    for conflict in conflicts:
        assert not satisfiable(pool, r, conflict.instances)
        for dropped in conflict.instances:
            rest = [i for i in conflict.instances if i != dropped]
            assert satisfiable(pool, r, rest), (conflict, dropped)
        assert not (seen & set(conflict.instances))
        seen |= set(conflict.instances)
        assert isinstance(conflict.reason, Reason)

    # what the conflicts do not name (nor imply: a higher nth of a ruled-out C rule) can be met
    def implied(i: RuleInstance) -> bool:
        return any(
            i.kind is RuleKind.C and s.kind is RuleKind.C and s.rule == i.rule and s.nth <= i.nth
            for s in seen
        )

    assert satisfiable(pool, r, [i for i in everything if i not in seen and not implied(i)])
    # the exact proposal explains each unmet instance with a reason the search found
    best = propose_exactly(pool, r).proposals[0]
    assert best.unmet
    for uncovered in best.explanation.uncovered:
        assert uncovered.reason is not Reason.NOT_EXAMINED


# -- hand-written cases ---------------------------------------------------------------------------


def person(key: str, order: int, *rules: str, **kw: object) -> Person:
    fields: dict[str, object] = {"basics": True, "capacity": 2, "may_be_core": False}
    fields.update(kw)
    return Person(key=key, practises=frozenset(rules), order=order, **fields)  # type: ignore[arg-type]


TOWN = [
    person("保健師・佐藤", 0, "B:2", "C:1", may_be_core=True, knows_area=True),
    person("理学療法士・鈴木", 1, "C:4", "C:5"),
    person("社会福祉士・高橋", 2, "C:1", "C:5", load=1),
    person("管理栄養士・田中", 3, "C:4"),
    person("行政経験・伊藤", 4, "B:2", "B:3", may_be_core=True, capacity=1, load=1),  # full this 年度
    person("コンサルタント・渡辺", 5, "B:3", "C:8", may_be_core=True, basics=False),
    person("研究者・山本", 6, "C:8", "C:9", available=False),
]
TEAM = Request(
    b_rules=("B:2", "B:3"),
    c_rules=("C:1", "C:4", "C:5", "C:8"),
    needed=1,
    size_min=3,
    size_max=4,
    core_min=1,
    core_max=2,
)


def test_a_team_for_a_town_is_explained() -> None:
    outcome = propose_exactly(TOWN, TEAM)
    best = outcome.proposals[0]
    # 伊藤 is full, 山本 unavailable: B:3 and C:8 only with 渡辺, who lacks the basics (1 unmet)
    assert best.objective.unmet == 1
    assert set(best.members) == {"保健師・佐藤", "理学療法士・鈴木", "コンサルタント・渡辺"}
    assert set(best.core) == {"保健師・佐藤", "コンサルタント・渡辺"}
    notes = {n.key: n for n in best.explanation.members}
    assert notes["コンサルタント・渡辺"].b_rules == ("B:3",)
    assert ChosenFor.CORE_B in notes["コンサルタント・渡辺"].chosen_for
    assert notes["保健師・佐藤"].load_after == 1
    assert dict(best.explanation.b_cover) == {
        "B:2": ("保健師・佐藤",),
        "B:3": ("コンサルタント・渡辺",),
    }
    (uncovered,) = best.explanation.uncovered
    assert uncovered.instance == RuleInstance(RuleKind.A, "A", person="コンサルタント・渡辺")
    assert uncovered.reason is Reason.CONFLICT
    assert best.status is Status.OPTIMAL
    assert outcome.conflicts and outcome.conflicts_complete
    # the basics conflict with B:3 (and with C:8): whoever could practise them lacks the basics;
    # the search names one such set, and the rest (without the basics) can all be met
    (conflict,) = outcome.conflicts
    assert set(conflict.instances) in (
        {RuleInstance(RuleKind.A, "A"), RuleInstance(RuleKind.B, "B:3")},
        {RuleInstance(RuleKind.A, "A"), RuleInstance(RuleKind.C, "C:8")},
    )
    assert conflict.reason is Reason.CONFLICT


def test_nobody_in_the_pool_practises_it() -> None:
    request = replace(TEAM, c_rules=("C:1", "C:7"), b_rules=("B:2",))
    outcome = propose_exactly(TOWN, request)
    best = outcome.proposals[0]
    assert [(u.instance, u.reason) for u in best.explanation.uncovered] == [
        (RuleInstance(RuleKind.C, "C:7"), Reason.NOBODY_PRACTISES)
    ]
    # 山本 practises C:9 but is unavailable
    request = replace(request, c_rules=("C:9",))
    (uncovered,) = propose_exactly(TOWN, request).proposals[0].explanation.uncovered
    assert uncovered.reason is Reason.NOT_ELIGIBLE
    quick = propose_quickly(TOWN, request).proposals[0].explanation.uncovered
    assert [u.reason for u in quick] == [Reason.NOT_ELIGIBLE]


def test_the_size_limit_stops_it() -> None:
    people = [person(f"支援者{i}", i, f"C:{i}") for i in range(1, 5)]
    request = Request(c_rules=("C:1", "C:2", "C:3", "C:4"), size_min=1, size_max=2, core_min=0)
    outcome = propose_exactly(people, request)
    assert outcome.proposals[0].objective.unmet == 2
    (conflict,) = outcome.conflicts
    assert len(conflict.instances) == 3 and conflict.reason is Reason.SIZE_LIMIT
    reasons = {u.reason for u in outcome.proposals[0].explanation.uncovered}
    assert Reason.SIZE_LIMIT in reasons


@pytest.mark.parametrize(
    ("request_", "errors"),
    [
        (Request(size_min=4, size_max=3), {HardError.SIZE_RANGE}),
        (Request(size_min=1, size_max=2, core_min=3, core_max=3), {HardError.CORE_RANGE}),
        (Request(must_in=frozenset({"研究者・山本"})), {HardError.MUST_IN_UNAVAILABLE}),
        (Request(must_in=frozenset({"行政経験・伊藤"})), {HardError.MUST_IN_OVER_CAPACITY}),
        (Request(must_in=frozenset({"誰か"})), {HardError.MUST_IN_UNKNOWN}),
        (
            Request(must_in=frozenset({"保健師・佐藤"}), must_out=frozenset({"保健師・佐藤"})),
            {HardError.MUST_IN_EXCLUDED},
        ),
        (Request(size_min=6, size_max=6), {HardError.TOO_FEW_ELIGIBLE}),
        (Request(core_min=3, core_max=3, size_max=4), {HardError.TOO_FEW_CORE}),
        (Request(needed=0), {HardError.NEEDED_RANGE}),
    ],
)
def test_hard_errors_name_their_cause(request_: Request, errors: set[HardError]) -> None:
    for outcome in (propose_quickly(TOWN, request_), propose_exactly(TOWN, request_)):
        assert {p.error for p in outcome.problems} == errors
        assert outcome.proposals == () and not outcome.ok
    (problem,) = check(TOWN, request_)
    if problem.error.name.startswith("MUST_IN"):
        assert problem.person in request_.must_in


def test_an_empty_pool() -> None:
    assert [p.error for p in check([], TEAM)] == [HardError.EMPTY_POOL]
    assert propose_exactly([], TEAM) == Outcome(problems=check([], TEAM))


def assert_honest(proposal: Proposal) -> None:
    for level in proposal.levels:
        assert level.bound is None or level.bound <= level.value
        assert level.proven == (level.bound == level.value)
        assert level.gap is None or level.gap >= 0
    assert (proposal.status is Status.OPTIMAL) == all(lv.proven for lv in proposal.levels)


@PROPERTY
@given(problems())
def test_a_spent_work_limit_still_gives_valid_teams_and_honest_bounds(
    case: tuple[list[Person], Request],
) -> None:
    pool, r = case
    limited = propose_exactly(pool, r, limit=WorkLimit(nodes=0, conflict_nodes=0))
    if limited.problems:
        return
    quick = propose_quickly(pool, r)
    for e, q in zip(limited.proposals, quick.proposals, strict=False):
        assert e.objective.key <= q.objective.key
    best = ranked(pool, r)[0][0]
    for proposal in limited.proposals:
        assert_hard(pool, r, proposal)
        assert_honest(proposal)
    if limited.proposals[0].status is Status.OPTIMAL:
        assert limited.proposals[0].objective.key == best


def seeded_pool(size: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    rules = [*RULES_B, *RULES_C, "C:5", "C:8"]
    return [
        Person(
            key=f"支援者{k:04}",
            practises=frozenset(rule for rule in rules if rng.random() < 0.25),
            basics=rng.random() < 0.75,
            may_be_core=rng.random() < 0.25,
            capacity=2,
            load=rng.randint(0, 2),
            knows_area=rng.random() < 0.1,
            supported_before=rng.random() < 0.05,
            order=k,
        )
        for k in range(size)
    ]


def test_a_work_limit_reports_what_it_proved() -> None:
    pool = seeded_pool(600, 14)
    request = Request(
        b_rules=tuple(RULES_B),
        c_rules=(*RULES_C, "C:5", "C:8"),
        needed=2,
        size_min=4,
        size_max=6,
        prefer_area=True,
        prefer_experience=True,
    )
    quick = propose_quickly(pool, request).proposals[0]
    full = propose_exactly(pool, request).proposals[0]
    assert full.status is Status.OPTIMAL
    assert full.objective.key <= quick.objective.key
    # no branching at all: still a valid team, no worse than the heuristic's, each level honest
    spent = propose_exactly(pool, request, limit=WorkLimit(nodes=0, conflict_nodes=0))
    for proposal in spent.proposals:
        assert_hard(pool, request, proposal)
        assert_honest(proposal)
    assert quick.objective.key >= spent.proposals[0].objective.key >= full.objective.key


def test_prefilter_keeps_the_best_teams() -> None:
    # 30 interchangeable people and one who practises more: the prefilter keeps few
    people = [person(f"支援者{i:02}", i, "C:1") for i in range(30)]
    people.append(person("専門職", 30, "C:1", "C:4"))
    request = Request(c_rules=("C:1", "C:4"), size_min=2, size_max=2, core_min=0, needed=1)
    compiled = compile_request(people, request, alternatives=3)
    assert compiled.n < len(people)
    outcome = propose_exactly(people, request)
    assert [set(p.members) for p in outcome.proposals] == [
        {"支援者00", "専門職"},
        {"支援者01", "専門職"},
        {"支援者02", "専門職"},
    ]
    full = compile_request(people, request, alternatives=3, reduce=False)
    best = heuristic(full)
    assert best is not None and best.objective.key == outcome.proposals[0].objective.key


@st.composite
def larger(draw: st.DrawFn) -> tuple[list[Person], Request]:
    """Pools of 15-40 people over few rules (so many are alike and the prefilter drops some)."""
    pool, request = draw(problems(most=10))
    extra = draw(st.integers(5, 30))
    rules = list(request.b_rules + request.c_rules)
    for k in range(extra):
        pool.append(
            Person(
                key=f"追加{k:02}",
                practises=frozenset(draw(st.lists(st.sampled_from(rules), unique=True, max_size=2)))
                if rules
                else frozenset(),
                basics=draw(st.booleans()),
                may_be_core=draw(st.booleans()),
                capacity=2,
                load=draw(st.integers(0, 1)),
                knows_area=draw(st.booleans()),
                order=100 + k,
            )
        )
    return pool, replace(request, size_max=min(request.size_max, 4))


def exact_teams(pool: Sequence[Person], r: Request, *, reduce: bool) -> list[Key]:
    comp = compile_request(pool, r, 3, reduce=reduce)
    found: list[Key] = []
    teams: list[Team] = []
    for _ in range(3):
        solved = solve(comp, [], 10_000, forbidden=teams)
        if solved is None:
            break
        assert solved.proven
        found.append(solved.scored.key)
        teams.append(solved.scored.team)
    return found


@settings(database=None, max_examples=40, deadline=None)
@given(larger())
def test_the_prefilter_keeps_the_three_best_teams(case: tuple[list[Person], Request]) -> None:
    pool, r = case
    if check(pool, r):
        return
    assert exact_teams(pool, r, reduce=True) == exact_teams(pool, r, reduce=False)
