"""Benchmark of the plan across many 市町村 (issue 17): 60 targets from pools of 2,000 and 5,000
supporters, heuristic and exact, beside the LP relaxation's bound, all in the same run.

Run by hand from the repository root, never by the test suite:  .venv/bin/python bench/planning_solver.py
(see "Plan across 市町村" in bench/README.md). No database, no Django: ``bansou.domain.planning``
only, on the seeded instances of ``bench/planning_instances.py``.

For each pool size: the candidates (people who may serve each target, summed), then

- **heuristic**: ``plan_quickly``, its time and objective (a, b, c, d, e);
  every time is given as wall / CPU seconds of this process (the machine may be shared);
- **exact**: ``plan_exactly`` under the default work limit: time (the heuristic's start and the
  conflict search included), status, objective, and per level the value and the proven gap
  (value - bound; "?" when the limit stopped the level before the solver had a bound);
- **LP**: the LP relaxation's bound on level (a) and its time.

``--anywhere`` also runs each size with areas as a preference only (every person a candidate of
every target: about 17 times the candidates; the exact solve is then far beyond a web request).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from datetime import UTC
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bansou.domain.planning import (  # noqa: E402
    PlanOutcome,
    PlanRequest,
    lp_relaxation_bound,
    plan_exactly,
    plan_quickly,
)
from bansou.domain.planning.board import board_of  # noqa: E402
from bench.check_page import RESULTS_DIR, machine_info  # noqa: E402
from bench.planning_instances import prefecture  # noqa: E402


def timed(fn: Any) -> tuple[Any, str]:
    """The result and "wall s / CPU s" (the CPU time of this process: what the run would take
    on a quiet machine, everything here being single-threaded)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, f"{time.perf_counter() - start:.2f} / {time.process_time() - cpu:.2f}"


def objective(outcome: PlanOutcome) -> list[int] | None:
    return None if outcome.plan is None else list(outcome.plan.objective.key)


def run_case(request: PlanRequest) -> dict[str, Any]:
    candidates = sum(c.n for c in board_of(request).comps)
    quick, t_quick = timed(lambda: plan_quickly(request))
    exact, t_exact = timed(lambda: plan_exactly(request))
    lp, t_lp = timed(lambda: lp_relaxation_bound(request))
    plan = exact.plan
    return {
        "targets": len(request.targets),
        "pool": len(request.pool),
        "areas_required": request.areas_required,
        "candidates": candidates,
        "heuristic": {"s": t_quick, "objective": objective(quick)},
        "exact": {
            "s": t_exact,
            "status": None if plan is None else plan.status.value,
            "objective": objective(exact),
            "levels": [] if plan is None else [[lv.level, lv.value, lv.gap, lv.nodes] for lv in plan.levels],
            "problems": [p.error.value for p in exact.problems],
            "conflicts": len(exact.conflicts),
            "conflicts_complete": exact.conflicts_complete,
        },
        "lp": {"s": t_lp, "bound_a": round(lp, 3)},
    }


def gaps_text(levels: list[list[Any]]) -> str:
    return " ".join(f"{name}:{'?' if gap is None else gap}" for name, _value, gap, _nodes in levels)


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| pool | areas | candidates | heuristic s (wall / CPU) | heuristic (a,b,-c,d,e) "
        "| exact s (wall / CPU) | status | exact (a,b,-c,d,e) | proven gap per level | LP bound (a) "
        "| LP s (wall / CPU) |",
        "|---:|---|---:|---:|---|---:|---|---|---|---:|---:|",
    ]
    for r in results:
        h, e, lp = r["heuristic"], r["exact"], r["lp"]
        h_obj = "none" if h["objective"] is None else tuple(h["objective"])
        e_obj = "none: " + ",".join(e["problems"]) if e["objective"] is None else tuple(e["objective"])
        lines.append(
            f"| {r['pool']:,} | {'required' if r['areas_required'] else 'anywhere'} | {r['candidates']:,} "
            f"| {h['s']} | {h_obj} | {e['s']} | {e['status']} | {e_obj} | {gaps_text(e['levels'])} "
            f"| {lp['bound_a']} | {lp['s']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="2000,5000")
    parser.add_argument("--targets", type=int, default=60)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--anywhere", action="store_true", help="also areas as a preference only")
    args = parser.parse_args()
    started = time.perf_counter()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        for required in (True, False) if args.anywhere else (True,):
            where = "required" if required else "anywhere"
            print(f"{args.targets} targets, pool {size:,}, areas {where} ...", flush=True)
            request = prefecture(args.targets, size, args.seed + size, areas_required=required)
            results.append(run_case(request))
    print()
    print(table(results))
    machine = machine_info()
    print(
        f"\nmachine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}; "
        f"Python {machine['python']}; {time.perf_counter() - started:.0f} s"
    )
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"planning_solver-{stamp}.json"
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=1))
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
