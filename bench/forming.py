"""Benchmark of team forming (issue 14): one team proposal from pools of 500, 2,000 and 5,000
supporters, heuristic and exact, beside the LP relaxation's bound in the same run.

Run by hand from the repository root, never by the test suite:  .venv/bin/python bench/forming.py
(see "Team forming" in bench/README.md). No database, no Django: ``bansou.domain.forming`` only.

For each pool size and C target (needed 1 and 2), with seeded random pools:

- **floor**: ``compile_request`` alone (eligibility, the dominance prefilter, the masks): the work
  any proposal does before searching; the nearest limit for the heuristic;
- **heuristic**: ``propose_quickly`` (1 and 3 proposals);
- **exact**: ``propose_exactly`` (1 and 3 proposals) under the default work limit: time, the
  objective, per level the value and the proven bound, nodes, and the conflicts search when
  something stays unmet;
- **LP**: the LP relaxation's bound on level (a) (unmet rule instances), the bound a solver starts
  from, beside the exact solve's proven bound;
- **node limits** at the largest pool: the exact solve of a harder request under 0, 1, 10 and
  1,000 nodes per stage (0: no branching; time, levels proven, gap).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bansou.domain.forming import (  # noqa: E402
    Outcome,
    Person,
    Request,
    WorkLimit,
    lp_relaxation_bound,
    propose_exactly,
    propose_quickly,
)
from bansou.domain.forming.candidates import compile_request  # noqa: E402
from bench.check_page import RESULTS_DIR, machine_info  # noqa: E402

T = TypeVar("T")

B_RULES = ("B:2", "B:3", "B:6", "B:7", "B:9")  # the leaflet's B elements
C_RULES = tuple(f"C:{n}" for n in range(1, 10))  # the nine C labels
# How often a supporter practises each rule: most rules common, a few rare.
POPULARITY = dict.fromkeys(B_RULES + C_RULES, 0.3)
POPULARITY.update({"B:9": 0.04, "C:6": 0.05, "C:9": 0.02, "C:7": 0.12})


def pool_of(size: int, seed: int) -> list[Person]:
    """``size`` supporters: each with a personal level that scales every rule's popularity (so
    some practise many rules, most a few), 75 % with the basics, 25 % who may be core, capacity
    1-3 teams with a load drawn up to it (some full), 92 % available, 10 % who know the area, 3 %
    who supported this 市町村 before."""
    rng = random.Random(seed)
    people = []
    for k in range(size):
        level = rng.betavariate(2, 3) * 2  # mean 0.8
        practises = frozenset(r for r, p in POPULARITY.items() if rng.random() < min(0.95, p * level))
        capacity = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
        people.append(
            Person(
                key=f"supporter-{k:05}",
                practises=practises,
                basics=rng.random() < 0.75,
                may_be_core=rng.random() < 0.25,
                capacity=capacity,
                load=rng.randint(0, capacity),
                available=rng.random() < 0.92,
                knows_area=rng.random() < 0.10,
                supported_before=rng.random() < 0.03,
                order=k,
            )
        )
    rng.shuffle(people)  # the order key is not the list order
    return people


def request_of(needed: int, **kw: Any) -> Request:
    fields: dict[str, Any] = {
        "b_rules": B_RULES,
        "c_rules": C_RULES,
        "needed": needed,
        "size_min": 4,
        "size_max": 6,
        "core_min": 1,
        "core_max": 2,
        "prefer_area": True,
        "prefer_experience": True,
    }
    fields.update(kw)
    return Request(**fields)


def timed(fn: Callable[[], T], repeat: int) -> tuple[T, list[float]]:
    times = []
    result: T | None = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    assert result is not None
    return result, times


def ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 1)


def summary(outcome: Outcome) -> dict[str, Any]:
    best = outcome.proposals[0]
    return {
        "objective": list(best.objective.levels),
        "status": best.status.value,
        "levels": [
            {"level": lv.level, "value": lv.value, "bound": lv.bound, "nodes": lv.nodes} for lv in best.levels
        ],
        "unproven": [lv.level for lv in best.levels if not lv.proven],
        "nodes": sum(lv.nodes for lv in best.levels),
        "proposals": [list(p.objective.levels) for p in outcome.proposals],
        "conflicts": [
            {"instances": [f"{i.kind}:{i.rule}#{i.nth}" for i in c.instances], "reason": c.reason.value}
            for c in outcome.conflicts
        ],
        "candidates": outcome.candidates,
    }


def run_case(size: int, needed: int, seed: int, repeat: int) -> dict[str, Any]:
    pool = pool_of(size, seed)
    request = request_of(needed)
    _, floor = timed(lambda: compile_request(pool, request, 3), repeat)
    _, t_quick1 = timed(lambda: propose_quickly(pool, request, alternatives=1), repeat)
    quick3, t_quick3 = timed(lambda: propose_quickly(pool, request), repeat)
    exact1, t_exact1 = timed(lambda: propose_exactly(pool, request, alternatives=1), repeat)
    exact3, t_exact3 = timed(lambda: propose_exactly(pool, request), repeat)
    lp, t_lp = timed(lambda: lp_relaxation_bound(pool, request), repeat)
    return {
        "pool": size,
        "needed": needed,
        "eligible_candidates": exact1.candidates,
        "ms": {
            "floor_compile_prefilter": ms(floor),
            "heuristic_1": ms(t_quick1),
            "heuristic_3": ms(t_quick3),
            "exact_1": ms(t_exact1),
            "exact_3": ms(t_exact3),
            "lp_relaxation": ms(t_lp),
        },
        "heuristic": summary(quick3),
        "exact": summary(exact3),
        "lp_bound_unmet": round(lp, 3),
    }


def node_limits(size: int, seed: int, limits: list[int]) -> list[dict[str, Any]]:
    """A harder request at the largest pool: needed 3, a team of 5-8, the B rules' core within 2."""
    pool = pool_of(size, seed + 1)
    request = request_of(3, size_min=5, size_max=8)
    rows = []
    for nodes in limits:
        outcome, t = timed(
            lambda nodes=nodes: propose_exactly(pool, request, alternatives=1, limit=WorkLimit(nodes=nodes)),
            1,
        )
        rows.append({"nodes_per_stage": nodes, "ms": ms(t), **summary(outcome)})
    return rows


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| pool | n | candidates | floor ms | heuristic ms (1 / 3) | exact ms (1 / 3) | LP ms "
        "| heuristic (a,b,c,d) | exact (a,b,c,d) | exact proven | nodes | LP bound (a) |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|",
    ]
    for r in results:
        e, h = r["exact"], r["heuristic"]
        proven = "all levels" if not e["unproven"] else "not: " + ", ".join(e["unproven"])
        t = r["ms"]
        lines.append(
            f"| {r['pool']:,} | {r['needed']} | {r['eligible_candidates']} "
            f"| {t['floor_compile_prefilter']} | {t['heuristic_1']} / {t['heuristic_3']} "
            f"| {t['exact_1']} / {t['exact_3']} | {t['lp_relaxation']} "
            f"| {tuple(h['objective'])} | {tuple(e['objective'])} | {proven} "
            f"| {e['nodes']} | {r['lp_bound_unmet']} |"
        )
    return "\n".join(lines)


def limits_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| nodes per stage | ms | objective (a,b,c,d) | levels not proven (value / bound) |",
        "|---:|---:|---|---|",
    ]
    for r in rows:
        open_levels = [lv for lv in r["levels"] if lv["level"] in r["unproven"]]
        text = ", ".join(f"{lv['level']} {lv['value']} / {lv['bound']}" for lv in open_levels) or "none"
        lines.append(f"| {r['nodes_per_stage']} | {r['ms']} | {tuple(r['objective'])} | {text} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="500,2000,5000")
    parser.add_argument("--needed", default="1,2")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure (median)")
    parser.add_argument("--limits", default="0,1,10,1000", help="node limits tried at the largest pool")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    started = time.perf_counter()
    results = []
    for size in sizes:
        for needed in (int(n) for n in args.needed.split(",")):
            print(f"pool {size:,}, needed {needed} ...", flush=True)
            results.append(run_case(size, needed, args.seed + size, args.repeat))
    limits = node_limits(max(sizes), args.seed, [int(n) for n in args.limits.split(",")])
    print()
    print(table(results))
    print()
    print(limits_table(limits))
    machine = machine_info()
    print(
        f"\nmachine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}; "
        f"Python {machine['python']}; {time.perf_counter() - started:.0f} s"
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"forming-{stamp}.json"
    out.write_text(json.dumps({"machine": machine, "results": results, "limits": limits}, indent=1))
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
