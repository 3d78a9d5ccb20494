"""A plan for many 市町村 (issue 17), by hand: existing teams, areas, the gaps prefecture-wide and
their reasons, the hard errors, and a larger seeded prefecture. No Django, no database."""

from __future__ import annotations

import random
from dataclasses import replace

from bansou.domain.forming import Person, Request, RuleInstance, RuleKind, Status, WorkLimit
from bansou.domain.planning import (
    Changes,
    PlanError,
    PlanInstance,
    PlanRequest,
    Reason,
    Supporter,
    Target,
    check,
    lp_relaxation_bound,
    plan_exactly,
    plan_quickly,
)
from tests.domain.test_planning import assert_honest, assert_valid

SAPPORO, HAKODATE, OTARU = "01100", "01202", "01203"


def supporter(key: str, order: int, *rules: str, areas: tuple[str, ...] = (), **kw: object) -> Supporter:
    fields: dict[str, object] = {"basics": True, "capacity": 1, "may_be_core": False}
    fields.update(kw)
    person = Person(key=key, practises=frozenset(rules), order=order, **fields)  # type: ignore[arg-type]
    return Supporter(person, areas=frozenset(areas))


def town(key: str, *c_rules: str, b_rules: tuple[str, ...] = (), current: tuple[str, ...] = ()) -> Target:
    request = Request(b_rules=b_rules, c_rules=c_rules, size_min=1, size_max=2, core_min=0, core_max=1)
    return Target(key, request, frozenset(current))


POOL = (
    supporter("保健師・佐藤", 0, "B:2", "C:1", may_be_core=True, capacity=2),
    supporter("理学療法士・鈴木", 1, "C:4"),
    supporter("行政経験・伊藤", 2, "B:3", may_be_core=True),  # the only B:3, one team this 年度
    supporter("社会福祉士・高橋", 3, "C:1", "C:4"),
    supporter("管理栄養士・田中", 4, "C:9", capacity=2),
)


def test_gaps_prefecture_wide_say_what_to_recruit_for_and_why() -> None:
    targets = (
        town(SAPPORO, "C:1", "C:7", b_rules=("B:3",)),
        town(HAKODATE, "C:4", "C:7", b_rules=("B:3",)),
        town(OTARU, "C:9"),
    )
    outcome = plan_exactly(PlanRequest(targets, POOL))
    assert outcome.plan is not None and outcome.plan.status is Status.OPTIMAL
    assert_valid(PlanRequest(targets, POOL), outcome.plan)
    gaps = {(g.kind, g.rule): g for g in outcome.gaps}
    # nobody practises C:7: unmet in both towns that ask for it
    c7 = gaps[(RuleKind.C, "C:7")]
    assert (c7.targets, c7.missing, c7.reason) == ((SAPPORO, HAKODATE), 2, Reason.NOBODY_PRACTISES)
    # one person practises B:3 and can take one team: the other town goes without
    b3 = gaps[(RuleKind.B, "B:3")]
    assert b3.missing == 1 and b3.reason is Reason.SHORTAGE
    assert set(gaps) == {(RuleKind.C, "C:7"), (RuleKind.B, "B:3")}
    roles = outcome.plan.roles()
    assert roles["行政経験・伊藤"] in (((SAPPORO, True),), ((HAKODATE, True),))
    # the two B:3 instances cannot be met together (one person, one team): a conflict of two
    shared = [c for c in outcome.conflicts if len(c.instances) == 2]
    assert [c.reason for c in shared] == [Reason.SHARED]
    assert {pi.target for pi in shared[0].instances} == {SAPPORO, HAKODATE}
    assert lp_relaxation_bound(PlanRequest(targets, POOL)) <= outcome.plan.objective.unmet


def test_an_existing_team_is_kept_unless_changes_are_allowed() -> None:
    # 伊藤 (the only B:3) is in 函館's team, which needs nothing of them; 札幌 needs B:3
    targets = (
        town(SAPPORO, "C:1", b_rules=("B:3",)),
        town(HAKODATE, "C:4", current=("行政経験・伊藤", "理学療法士・鈴木")),
    )
    keep = plan_exactly(PlanRequest(targets, POOL, changes=Changes.KEEP)).plan
    add = plan_exactly(PlanRequest(targets, POOL, changes=Changes.ADD)).plan
    free = plan_exactly(PlanRequest(targets, POOL, changes=Changes.FREE)).plan
    assert keep is not None and add is not None and free is not None
    assert set(keep.teams[1].members) == {"行政経験・伊藤", "理学療法士・鈴木"}
    assert set(keep.teams[1].kept) == {"行政経験・伊藤", "理学療法士・鈴木"}
    assert {"行政経験・伊藤", "理学療法士・鈴木"} <= set(add.teams[1].members)
    assert keep.objective.unmet == add.objective.unmet == 1  # B:3 in 札幌
    # allowed to change: 伊藤 moves to 札幌 as core, and every rule is met
    assert free.objective.unmet == 0
    assert free.roles()["行政経験・伊藤"] == ((SAPPORO, True),)
    assert "行政経験・伊藤" not in free.teams[1].kept


def test_areas_when_required() -> None:
    pool = (
        supporter("保健師・佐藤", 0, "C:1", areas=(SAPPORO,)),
        supporter("社会福祉士・高橋", 1, "C:4", areas=(HAKODATE,)),
    )
    targets = (town(SAPPORO, "C:4"), town(HAKODATE, "C:1"))
    free = plan_exactly(PlanRequest(targets, pool)).plan
    assert free is not None and free.objective.unmet == 0  # areas ignored: each goes where needed
    bound = plan_exactly(PlanRequest(targets, pool, areas_required=True)).plan
    assert bound is not None and bound.objective.unmet == 2
    assert bound.roles() == {"保健師・佐藤": ((SAPPORO, False),), "社会福祉士・高橋": ((HAKODATE, False),)}


def test_hard_errors() -> None:
    twice = (*POOL, POOL[0])
    assert [p.error for p in check(PlanRequest((town(SAPPORO),), twice))] == [PlanError.DUPLICATE]
    # 鈴木 stays in two existing teams with room for one
    targets = (town(SAPPORO, current=("理学療法士・鈴木",)), town(HAKODATE, current=("理学療法士・鈴木",)))
    problems = check(PlanRequest(targets, POOL, changes=Changes.ADD))
    assert [(p.error, p.person) for p in problems] == [(PlanError.OVER_CAPACITY, "理学療法士・鈴木")]
    # each town alone has a team of two, not all three at once (five places, four people free)
    big = Request(size_min=2, size_max=2, core_min=0)
    three = tuple(Target(key, big) for key in (SAPPORO, HAKODATE, OTARU))
    pool = tuple(replace(s, person=replace(s.person, capacity=1)) for s in POOL)
    assert check(PlanRequest(three, pool)) == ()
    outcome = plan_exactly(PlanRequest(three, pool))
    assert outcome.plan is None and [p.error for p in outcome.problems] == [PlanError.NO_PLAN]
    assert plan_quickly(PlanRequest(three, pool)).plan is None
    # a town no one may serve
    alone = check(PlanRequest((Target(SAPPORO, Request(size_min=6, size_max=6)),), POOL))
    assert [(p.error, p.target) for p in alone] == [(PlanError.TARGET, SAPPORO)]


def test_a_member_who_must_stay_and_lacks_the_basics() -> None:
    pool = (*POOL, supporter("研究者・山本", 5, "C:9", basics=False))
    targets = (town(SAPPORO, "C:9", current=("研究者・山本",)),)
    outcome = plan_exactly(PlanRequest(targets, pool, changes=Changes.ADD))
    assert outcome.plan is not None
    (team,) = outcome.plan.teams
    assert team.unmet == (RuleInstance(RuleKind.A, "A", person="研究者・山本"),)
    assert [u.reason for u in team.uncovered] == [Reason.MUST_IN]
    assert outcome.conflicts[0].instances == (PlanInstance(SAPPORO, RuleInstance(RuleKind.A, "A")),)


def seeded(people: int, towns: int, seed: int) -> PlanRequest:
    rng = random.Random(seed)
    rules = ["B:2", "B:3", "C:1", "C:4", "C:5", "C:8", "C:9"]
    keys = [f"{1100 + k:05}" for k in range(towns)]
    pool = tuple(
        Supporter(
            Person(
                key=f"支援者{k:04}",
                practises=frozenset(r for r in rules if rng.random() < 0.2),
                basics=rng.random() < 0.8,
                may_be_core=rng.random() < 0.3,
                capacity=rng.randint(1, 3),
                load=rng.randint(0, 1),
                order=k,
            ),
            areas=frozenset(rng.sample(keys, 2)),
            supported=frozenset(rng.sample(keys, 1)) if rng.random() < 0.1 else frozenset(),
        )
        for k in range(people)
    )
    targets = tuple(
        Target(
            key,
            Request(
                b_rules=tuple(rng.sample(rules[:2], rng.randint(1, 2))),
                c_rules=tuple(rng.sample(rules[2:], 3)),
                needed=rng.randint(1, 2),
                size_min=3,
                size_max=5,
                prefer_area=True,
                prefer_experience=True,
            ),
        )
        for key in keys
    )
    return PlanRequest(targets, pool)


def test_a_larger_prefecture() -> None:
    request = seeded(60, 8, 17)
    quick = plan_quickly(request)
    exact = plan_exactly(request)
    assert quick.plan is not None and exact.plan is not None
    assert_valid(request, quick.plan)
    assert_valid(request, exact.plan)
    assert_honest(exact.plan)
    assert exact.plan.objective.key <= quick.plan.objective.key
    assert lp_relaxation_bound(request) <= exact.plan.objective.unmet + 1e-6
    spent = plan_exactly(request, limit=WorkLimit(nodes=0, conflict_nodes=0)).plan
    assert spent is not None
    assert_valid(request, spent)
    assert_honest(spent)
    assert quick.plan.objective.key >= spent.objective.key >= exact.plan.objective.key
    assert plan_exactly(request) == exact
