"""Benchmark of the disclosure audit (issue 12): the time to decide one new group with histories of
10, 100 and 500 shown groups over 10,000 checks, beside the time of the totals' SQL.

Run by hand from the repository root, never by the test suite:  .venv/bin/python bench/disclosure_audit.py
(see "Disclosure audit" in bench/README.md). Two parts:

1. the domain, in this process, no database: ``Ledger().with_groups`` (what a new app server does
   once), ``Ledger.with_groups`` for one more group, and ``disclose`` for fresh groups, with an empty
   viewer and with a viewer who knows two checks;
2. the service, in a subprocess per database (bench/disclosure_service.py): 10,000 checks with their
   answers and standings, the history as ``ShownGroup`` rows, then ``services.decide`` warm (this
   process already caught up) and cold (memory reset: a restart rebuilding from the rows), beside
   ``queries.totals_of`` for the same group — the nearest limit.

The histories and groups are drawn by the same seeded functions in both parts.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import json
import math
import os
import random
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.check_page import RESULTS_DIR, app_env, log, machine_info, postgres_database  # noqa: E402

LARGE_SHARE = 0.15  # of the shown groups, overviews (200-2,000 checks); the rest 研修 (10-60)
TWO_CHECK_SHARE = 0.10  # of the persons, those with two checks


# --- the data, drawn the same way in both parts ----------------------------------------------------


def history(ids: Sequence[int], n: int, seed: int) -> list[frozenset[int]]:
    """``n`` shown groups over ``ids``: mostly 10-60 checks (研修), some 200-2,000 (overviews). The
    first ``n`` of one sequence: the history of 100 begins with the history of 10."""
    rng = random.Random(seed)
    groups = []
    for _ in range(n):
        size = rng.randint(200, 2000) if rng.random() < LARGE_SHARE else rng.randint(10, 60)
        groups.append(frozenset(rng.sample(ids, min(size, len(ids)))))
    return groups


def persons(ids: Sequence[int], seed: int) -> list[tuple[int, ...]]:
    """The checks of each person: each check its own person, ~10 % of persons with two checks."""
    rng = random.Random(seed)
    shuffled = list(ids)
    rng.shuffle(shuffled)
    doubles = round(len(ids) * TWO_CHECK_SHARE / (1 + TWO_CHECK_SHARE))
    pairs = [(shuffled[2 * i], shuffled[2 * i + 1]) for i in range(doubles)]
    return pairs + [(c,) for c in shuffled[2 * doubles :]]


def fresh_groups(
    ids: Sequence[int], size: int, count: int, known: tuple[int, ...], seed: int
) -> list[frozenset[int]]:
    """``count`` random groups of ``size`` checks, each containing the ``known`` ones."""
    rng = random.Random(seed)
    rest = [c for c in ids if c not in known]
    return [frozenset(rng.sample(rest, size - len(known))) | frozenset(known) for _ in range(count)]


# --- timing ----------------------------------------------------------------------------------------


def stats(seconds: Sequence[float]) -> dict[str, Any]:
    """Median and p95 (nearest rank) in ms, and the raw times."""
    ordered = sorted(seconds)
    rank = min(max(1, math.ceil(0.95 * len(ordered))), len(ordered))
    return {
        "n": len(ordered),
        "median_ms": 1000 * statistics.median(ordered),
        "p95_ms": 1000 * ordered[rank - 1],
        "times_ms": [round(1000 * s, 3) for s in seconds],
    }


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = step()
    return time.perf_counter() - t0, value


def repeated(step: Callable[[], Any], budget: float = 2.0, most: int = 20) -> tuple[list[float], Any]:
    """Runs ``step`` at least once, then again while the runs so far took under ``budget`` s; the
    times, and what the last run returned."""
    times: list[float] = []
    value = None
    while not times or (sum(times) < budget and len(times) < most):
        seconds, value = timed(step)
        times.append(seconds)
    return times, value


# --- 1. the domain -----------------------------------------------------------------------------------


def basis_entries(ledger: Any) -> int:
    return sum(len(row) for row in ledger.basis.rows.values())


def domain_part(args: argparse.Namespace) -> list[dict[str, Any]]:
    from bansou.domain.aggregates import Ledger

    ids = list(range(1, args.checks + 1))
    people = persons(ids, args.seed)
    owner_of = {check: person for person, checks in enumerate(people, 1) for check in checks}
    knower = next(checks for checks in people if len(checks) == 2)
    results = []
    for n in args.histories:
        groups = history(ids, n, args.seed)
        build, ledger = repeated(functools.partial(Ledger().with_groups, groups))
        log(f"[domain] history of {n}: built in {1000 * min(build):,.0f} ms, rank {ledger.basis.rank}")
        row = {"history": n, "build": stats(build), "rank": ledger.basis.rank}
        row |= {"basis_entries": basis_entries(ledger), "sizes": {}}
        for size in args.sizes:
            row["sizes"][size] = decisions(ledger, ids, size, owner_of, knower, args)
            log(f"[domain] history of {n}, groups of {size}: {brief(row['sizes'][size])}")
        results.append(row)
    return results


def decisions(
    ledger: Any, ids: Sequence[int], size: int, owner_of: dict[int, int], knower: tuple[int, ...], args: Any
) -> dict[str, Any]:
    """One group more, then ``disclose`` with an empty viewer and with one who knows two of its
    checks (their own), for ``args.decisions`` fresh groups, interleaved."""
    from bansou.domain.aggregates import Audience, Request, disclose

    times: dict[str, list[float]] = {"with_groups": [], "empty": [], "known": []}
    outcomes: dict[str, Counter[str]] = {"empty": Counter(), "known": Counter()}
    viewers = {"empty": Audience(), "known": Audience((frozenset(knower),))}
    for group in fresh_groups(ids, size, args.decisions, knower, args.seed + size):
        times["with_groups"].append(timed(functools.partial(ledger.with_groups, [group]))[0])
        for name, viewer in viewers.items():
            ask = functools.partial(disclose, [Request((group,))], ledger, audience=viewer, owner_of=owner_of)
            seconds, (decided, _ledger) = timed(ask)
            decision = decided[0]
            times[name].append(seconds)
            outcomes[name][str(decision or "shown")] += 1
    return {name: stats(t) for name, t in times.items()} | {
        "outcomes": {name: dict(c) for name, c in outcomes.items()}
    }


def brief(row: dict[str, Any]) -> str:
    return ", ".join(f"{k} {row[k]['median_ms']:,.1f} ms" for k in ("with_groups", "empty", "known"))


# --- 2. the service, one subprocess per database ------------------------------------------------------


def service_part(kind: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        if kind == "sqlite":
            url, version = f"sqlite:///{tmp / 'bansou.sqlite3'}", sqlite3.sqlite_version
        else:
            url, version = stack.enter_context(postgres_database(args.pg_server, args.pg_database))
        env = app_env(url, tmp / f"var-{kind}", secret_key=secrets.token_urlsafe(50))
        out = tmp / f"service-{kind}.json"
        options = [
            *("--checks", str(args.checks), "--seed", str(args.seed), "--out", str(out)),
            *("--histories", ",".join(map(str, args.histories))),
            *("--sizes", ",".join(map(str, args.sizes))),
            *("--warm", str(args.warm), "--cold", str(args.cold)),
        ]
        cmd = [sys.executable, "-m", "bench.disclosure_service", *options]
        done = subprocess.run(cmd, cwd=ROOT, env=env, check=False)  # its progress goes to our terminal
        if done.returncode != 0:
            raise RuntimeError(f"[{kind}] bench.disclosure_service failed ({done.returncode})")
        result: dict[str, Any] = json.loads(out.read_text())
        return result | {"database": kind, "database_version": version}


# --- the tables ------------------------------------------------------------------------------------


def ms(s: dict[str, Any]) -> str:
    return f"{s['median_ms']:,.1f} | {s['p95_ms']:,.1f} | {s['n']}"


def domain_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| history | measured | group | median ms | p95 ms | runs | decisions |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        n = row["history"]
        lines.append(
            f"| {n} | `Ledger().with_groups` from scratch (rank {row['rank']}, "
            f"{row['basis_entries']:,} basis entries) | | {ms(row['build'])} | |"
        )
        for size, part in row["sizes"].items():
            lines.append(
                f"| {n} | `Ledger.with_groups` one more group | {size} | {ms(part['with_groups'])} | |"
            )
            for name, label in (("empty", "empty viewer"), ("known", "viewer knowing 2 of its checks")):
                outcomes = ", ".join(f"{k} {v}" for k, v in part["outcomes"][name].items())
                lines.append(f"| {n} | `disclose`, {label} | {size} | {ms(part[name])} | {outcomes} |")
    return "\n".join(lines)


def service_table(result: dict[str, Any]) -> str:
    lines = [
        "| history | measured | group | median ms | p95 ms | runs | / totals_of (median) | decisions |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["histories"]:
        n = row["history"]
        for size, part in row["sizes"].items():
            limit = part["totals_of"]["median_ms"]
            lines.append(
                f"| {n} | **`queries.totals_of`** (the limit) | {size} | {ms(part['totals_of'])} | 1 | |"
            )
            for name, label in (("warm", "`decide`, warm"), ("cold", "`decide`, cold (rebuilds)")):
                ratio = part[name]["median_ms"] / limit if limit else float("nan")
                outcomes = ", ".join(f"{k} {v}" for k, v in part["outcomes"][name].items())
                lines.append(f"| {n} | {label} | {size} | {ms(part[name])} | {ratio:,.1f} | {outcomes} |")
    return "\n".join(lines)


def machine_line(machine: dict[str, Any], databases: dict[str, str]) -> str:
    dbs = ", ".join(f"{'SQLite' if k == 'sqlite' else 'PostgreSQL'} {v}" for k, v in databases.items())
    return (
        f"{machine['cpu_model']}; {machine['nproc']} CPUs (nproc), {machine['memory']}; Linux "
        f"{machine['kernel']}; Python {machine['python']}, Django {machine['django']}"
        f"{', ' + dbs if dbs else ''}; commit {(machine['commit'] or '?')[:10]}"
    )


def report(result: dict[str, Any], machine: dict[str, Any], args: argparse.Namespace) -> str:
    databases = {k: result[k]["database_version"] for k in ("sqlite", "postgresql") if k in result}
    when = f"{datetime.datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    parts = [
        f"\n## Disclosure audit — {when}, {result['seconds']:.0f} s\n",
        f"Machine: {machine_line(machine, databases)}; {args.checks:,} checks.\n",
    ]
    if "domain" in result:
        parts.append(f"### Domain (no database; {args.decisions} fresh groups each)\n")
        parts.append(domain_table(result["domain"]) + "\n")
    for kind in databases:
        seeded = result[kind]["seed"]
        name = "SQLite" if kind == "sqlite" else "PostgreSQL"
        parts.append(
            f"### Service on {name} ({seeded['checks']:,} checks, {seeded['answers']:,} answers, "
            f"{seeded['standings']:,} standings, seeded in {seeded['seconds']} s)\n"
        )
        parts.append(service_table(result[kind]) + "\n")
    return "\n".join(parts)


# --- main ------------------------------------------------------------------------------------------


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parts", default="domain,sqlite,postgresql", help="of domain, sqlite, postgresql")
    parser.add_argument("--checks", type=int, default=10000, help="check ids the groups are drawn from")
    parser.add_argument("--histories", type=numbers, default=[10, 100, 500], help="shown groups before")
    parser.add_argument("--sizes", type=numbers, default=[30, 1000], help="sizes of the new group")
    parser.add_argument("--decisions", type=int, default=20, help="domain: fresh groups per history and size")
    parser.add_argument("--warm", type=int, default=10, help="service: warm decisions per history and size")
    parser.add_argument("--cold", type=int, default=2, help="service: cold decisions per history and size")
    parser.add_argument("--seed", type=int, default=20261201, help="random seed of the histories and groups")
    parser.add_argument("--pg-server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--pg-database", default="bansou_bench_audit", help="database made and dropped")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    if unknown := set(args.parts) - {"domain", "sqlite", "postgresql"}:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    if min(args.sizes) < 5 or max(args.sizes) > args.checks:
        parser.error("group sizes must be between 5 and --checks")
    return args


def main(argv: list[str]) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: drop the database, remove tmp
    started = time.perf_counter()
    machine = machine_info()
    if not machine["commit"]:  # a git worktree: .git is a file, which machine_info does not follow
        rev = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        machine["commit"] = rev.stdout.strip() or None
    result: dict[str, Any] = {"options": {k: v for k, v in vars(args).items() if k != "pg_server"}}
    if "domain" in args.parts:
        result["domain"] = domain_part(args)
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-audit-"))
    try:
        for kind in (k for k in ("sqlite", "postgresql") if k in args.parts):
            result[kind] = service_part(kind, args, tmp)
    finally:
        if args.keep_tmp:
            log(f"temporary files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(report(result, machine, args))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"disclosure_audit-{datetime.datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    document = {"benchmark": "disclosure_audit", "machine": machine, "cpu_count": os.cpu_count(), **result}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
