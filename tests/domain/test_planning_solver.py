"""The plan's solver at scale (issue 17): the candidate reduction of the heuristic is safe, the
gaps' SHORTAGE reads areas, and the benchmark's instances are valid and seeded. No Django."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.forming import Person, Request, RuleKind, WorkLimit
from bansou.domain.forming.candidates import compile_request
from bansou.domain.forming.search import Key, score
from bansou.domain.planning import Changes, PlanRequest, Reason, Supporter, Target, plan_exactly, plan_quickly
from bansou.domain.planning.board import board_of
from bansou.domain.planning.search import candidates
from bench.planning_instances import prefecture
from tests.domain.test_planning import assert_honest, assert_valid

PROPERTY = settings(database=None, max_examples=60, deadline=None)
TOWNS = ("01202", "01203")
PROFILES = (  # few kinds of people, so that many are identical for a target
    (frozenset({"B:2", "C:1"}), True, True),
    (frozenset({"C:1", "C:4"}), True, False),
    (frozenset({"C:4"}), False, False),
    (frozenset({"B:2"}), True, True),
)


def best_team(people: list[Person], request: Request) -> Key | None:
    """The best team's key by brute force over every team of ``people``."""
    comp = compile_request(people, request, reduce=False)
    keys = [
        s.key
        for size in range(request.size_min, request.size_max + 1)
        for team in combinations(range(comp.n), size)
        if (s := score(comp, team)).feasible
    ]
    return min(keys, default=None)


@st.composite
def crowded(draw: st.DrawFn) -> tuple[PlanRequest, tuple[tuple[int, ...], ...]]:
    """A plan request with many identical people, and a plan's teams (indices per target) to
    count as places taken elsewhere."""
    n = draw(st.integers(4, 11))
    orders = draw(st.permutations(list(range(n))))
    pool = []
    for i in range(n):
        practises, basics, core = draw(st.sampled_from(PROFILES))
        capacity = draw(st.integers(1, 2))
        person = Person(
            key=f"p{i:02}",
            practises=practises,
            basics=basics,
            may_be_core=core,
            capacity=capacity,
            load=draw(st.integers(0, capacity - 1)),
            order=orders[i],
        )
        areas = frozenset(draw(st.lists(st.sampled_from(TOWNS), unique=True, min_size=1)))
        pool.append(Supporter(person, areas))
    size_max = draw(st.integers(1, 3))
    targets = tuple(
        Target(
            town,
            Request(
                b_rules=("B:2",),
                c_rules=("C:1", "C:4"),
                size_min=1,
                size_max=size_max,
                core_min=draw(st.integers(0, 1)),
                core_max=1,
                prefer_area=draw(st.booleans()),
            ),
        )
        for town in TOWNS
    )
    request = PlanRequest(targets, tuple(pool), Changes.FREE, areas_required=draw(st.booleans()))
    taken = tuple(
        tuple(sorted(draw(st.lists(st.integers(0, n - 1), unique=True, max_size=size_max)))) for _ in TOWNS
    )
    return request, taken


@PROPERTY
@given(crowded())
def test_the_heuristics_candidates_keep_the_best_team(
    case: tuple[PlanRequest, tuple[tuple[int, ...], ...]],
) -> None:
    """Per target, the best team over the reduced candidates equals the best over every person
    with capacity left (the others' places counted as load), by brute force."""
    request, taken = case
    board = board_of(request)
    teams = tuple(tuple(i for i in team if i < board.comps[t].n) for t, team in enumerate(taken))
    for t in range(len(board.comps)):
        comp = board.comps[t]
        placed = dict.fromkeys(board.people, 0)
        for u, team in enumerate(teams):
            if u != t:
                for k in board.keys(u, team):
                    placed[k] += 1
        everyone = [
            Person(**{**p.__dict__, "load": p.load + placed[p.key]})
            for p in comp.people
            if p.load + placed[p.key] < p.capacity
        ]
        reduced = candidates(board, teams, t)
        assert {p.key for p in reduced} <= {p.key for p in everyone}
        assert best_team(reduced, comp.request) == best_team(everyone, comp.request)


def test_shortage_counts_only_those_who_may_serve_the_area() -> None:
    sapporo, hakodate, otaru = "01100", "01202", "01203"

    def person(key: str, order: int, *rules: str, core: bool = False) -> Person:
        return Person(key=key, practises=frozenset(rules), basics=True, may_be_core=core, order=order)

    ask = Request(b_rules=("B:3",), size_min=1, size_max=2, core_min=0, core_max=1)
    targets = (Target(sapporo, ask), Target(hakodate, ask))
    pool = (
        Supporter(person("伊藤", 0, "B:3", core=True), frozenset({sapporo})),
        Supporter(person("山田", 1, "B:3", core=True), frozenset({otaru})),  # serves no target asking
        Supporter(person("鈴木", 2), frozenset({hakodate})),
    )
    outcome = plan_exactly(PlanRequest(targets, pool, Changes.FREE, areas_required=True))
    (gap,) = outcome.gaps
    assert (gap.kind, gap.rule, gap.targets) == (RuleKind.B, "B:3", (hakodate,))
    assert gap.reason is Reason.SHORTAGE  # two practisers in the pool, one who may serve these towns
    # 山田 may serve 函館 too: enough practisers, and the plan meets both
    near = tuple(Supporter(s.person, s.areas | {hakodate}) if s.key == "山田" else s for s in pool)
    assert plan_exactly(PlanRequest(targets, near, Changes.FREE, areas_required=True)).gaps == ()


def test_the_benchmarks_instances_are_seeded_and_valid() -> None:
    request = prefecture(6, 80, 3)
    assert request == prefecture(6, 80, 3) and request != prefecture(6, 80, 4)
    assert len(request.targets) == 6 and len(request.pool) == 80
    assert all(1 <= len(s.areas) <= 6 for s in request.pool)
    quick = plan_quickly(request)
    exact = plan_exactly(request, limit=WorkLimit(nodes=200))
    assert quick.plan is not None and exact.plan is not None
    assert_valid(request, quick.plan)
    assert_valid(request, exact.plan)
    assert_honest(exact.plan)
    assert exact.plan.objective.key <= quick.plan.objective.key


def test_people_identical_for_one_target_are_not_interchangeable_for_the_plan() -> None:
    """Why the exact program keeps every candidate: 佐藤 and 鈴木 are identical for 札幌 (one
    place), but only 佐藤 may serve 函館; keeping only the earlier of the two for 札幌 (what a
    per-target dominance would keep) would leave 函館 without the rule."""
    sapporo, hakodate = "01100", "01202"
    one = Request(c_rules=("C:1",), size_min=1, size_max=1, core_min=0, core_max=0)
    sato = Person(key="佐藤", practises=frozenset({"C:1"}), basics=True, order=0)
    suzuki = Person(key="鈴木", practises=frozenset({"C:1"}), basics=True, order=1)
    pool = (Supporter(sato, frozenset({sapporo, hakodate})), Supporter(suzuki, frozenset({sapporo})))
    request = PlanRequest((Target(sapporo, one), Target(hakodate, one)), pool, Changes.FREE, True)
    for outcome in (plan_quickly(request), plan_exactly(request)):
        assert outcome.plan is not None and outcome.plan.objective.unmet == 0
        assert outcome.plan.roles() == {"佐藤": ((hakodate, False),), "鈴木": ((sapporo, False),)}
