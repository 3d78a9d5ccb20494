"""Benchmark of the organisation's dashboard (issue 17): GET /dashboard/<org id>/ by a 職員 through
gunicorn, at 300 teams of the 年度 (and 300 of the year before) and a pool of a few thousand, beside the
minimal view of the same stack measured in the same run.

Run by hand from the repository root, never by the test suite:  .venv/bin/python -m bench.dashboard_page
(see "The dashboard" in bench/README.md). It uses the machinery of bench/check_page.py (databases,
gunicorn, login, load generator, CPU accounting); bench/team_seed.py fills the database (an
organisation, its pool, its teams of this 年度, thousands of checks with their standings) and
bench/dashboard_seed.py adds the consents to staff reading the verdicts and the year before.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.check_page import (  # noqa: E402
    PASSWORD,
    RESULTS_DIR,
    Browser,
    Get,
    Options,
    app_env,
    gunicorn,
    log,
    machine_info,
    postgres_database,
    run_quiet,
)
from bench.loadgen import Scenario  # noqa: E402
from bench.proposal_page import default_server, run_phase  # noqa: E402

MARKER = "チームの判定（区分 A・B・C）".encode()


def seed(kind: str, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    py = sys.executable
    t0 = time.perf_counter()
    run_quiet([py, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run_quiet([py, "manage.py", "load_frameworks"], env)
    sizes = ["--supporters", str(args.supporters), "--teams", str(args.teams), "--checks", str(args.checks)]
    out = run_quiet([py, "-m", "bench.team_seed", *sizes, "--password", PASSWORD, "--verify", "20"], env)
    seeded: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    out = run_quiet([py, "-m", "bench.dashboard_seed", "--organisation", seeded["organisation"]], env)
    seeded["dashboard"] = json.loads(out.strip().splitlines()[-1])
    log(f"[{kind}] seeded in {time.perf_counter() - t0:.0f} s: {seeded['counts']} {seeded['dashboard']}")
    return seeded


def through_gunicorn(
    kind: str, env: dict[str, str], tmp: Path, seeded: dict[str, Any], opts: Options
) -> dict[str, Any]:
    postgres, n = kind == "postgresql", opts.concurrency
    rows: dict[str, Any] = {}
    with gunicorn(env, opts.workers, tmp / f"gunicorn-{kind}.log") as (port, master_pid):
        plain = {"User-Agent": "bansou-bench"}
        for key, path in (("minimal", "/bench/minimal/"), ("minimal_db", "/bench/minimal-db/")):
            gets: list[Scenario] = [Get(path, plain, exact=b"ok") for _ in range(n)]
            rows[key] = run_phase(port, master_pid, gets, opts, postgres)
        staff = Browser(port)
        page = f"/dashboard/{seeded['organisation']}/"
        staff.log_in(seeded["staff"], PASSWORD, page)
        headers = {"User-Agent": "bansou-bench", "Cookie": staff.cookie_header()}
        rows["dashboard"] = run_phase(
            port, master_pid, [Get(page, headers, marker=MARKER) for _ in range(n)], opts, postgres
        )
        for key, row in rows.items():
            log(
                f"[{kind}] {key}: p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, "
                f"{row.get('failures', 0)} failures"
            )
    return rows


def bench_database(kind: str, url: str, tmp: Path, opts: Options, args: argparse.Namespace) -> dict[str, Any]:
    env = app_env(url, tmp / "var", secret_key=secrets.token_urlsafe(50))
    seeded = seed(kind, env, args)
    return {
        "database": kind,
        "seed": {k: v for k, v in seeded.items() if k != "logins"},
        "gunicorn": through_gunicorn(kind, env, tmp, seeded, opts),
    }


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| database | measured | n | p50 ms | p99 ms | p50 / minimal | gunicorn CPU ms/req |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        rows = result["gunicorn"]
        floor = rows["minimal"]["p50_ms"]
        title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
        teams = result["seed"]["dashboard"]
        for label, key in (
            (
                f"GET /dashboard/<org>/ ({teams['teams_this_year']} + {teams['teams_year_before']} teams, "
                f"pool {result['seed']['counts']['in_pool']})",
                "dashboard",
            ),
            ("minimal view", "minimal"),
            ("minimal view + 1 query", "minimal_db"),
        ):
            row = rows[key]
            cpu = row.get("gunicorn_cpu_ms_per_req")
            lines.append(
                f"| {title} | {label} | {row['requests']} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
                f"| {row['p50_ms'] / floor:.1f} | {'' if cpu is None else f'{cpu:.1f}'} |"
            )
    return "\n".join(lines)


def run(args: argparse.Namespace, opts: Options, tmp: Path) -> tuple[list[dict[str, Any]], list[str]]:
    results, errors = [], []
    run_quiet(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        app_env(f"sqlite:///{tmp / 'static.sqlite3'}", tmp / "var", secret_key="collectstatic"),
    )
    for kind in args.databases.split(","):
        try:
            if kind == "sqlite":
                url = f"sqlite:///{tmp / 'bansou.sqlite3'}"
                results.append(
                    {**bench_database(kind, url, tmp, opts, args), "version": sqlite3.sqlite_version}
                )
            else:
                with postgres_database(args.pg_server, args.pg_database) as (url, version):
                    results.append({**bench_database(kind, url, tmp, opts, args), "version": version})
        except Exception as exc:  # report it, and go on
            errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            log(f"[{kind}] FAILED: {exc}")
    return results, errors


def main(argv: list[str]) -> int:
    databases, server = default_server()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default=databases, help="sqlite and/or postgresql")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=2, help="load generator threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--teams", type=int, default=300, help="teams of the 年度 (as many the year before)")
    parser.add_argument("--supporters", type=int, default=3000, help="people in the pool")
    parser.add_argument("--checks", type=int, default=12000, help="their checks, over two years")
    parser.add_argument("--pg-server", default=server)
    parser.add_argument("--pg-database", default="bansou_bench_dashboard")
    args = parser.parse_args(argv)
    opts = Options(args.requests, args.warmup, args.concurrency, 0, args.workers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    machine = machine_info()
    log(f"machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}")
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-dashboard-"))
    try:
        results, errors = run(args, opts, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n## bansou dashboard — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
    print(
        f"Machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}; "
        f"commit {machine['commit']}.\n"
    )
    if results:
        print(table(results))
    failed = bool(errors)
    for result in results:
        for key, row in result["gunicorn"].items():
            for sample in row["failure_samples"][:5]:
                print(f"  failure ({result['database']}, {key}): {sample}")
            failed = failed or row["failures"] > 0
    for error in errors:
        print(f"ERROR {error}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"dashboard_page-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(
        json.dumps(
            {"benchmark": "dashboard_page", "machine": machine, "results": results, "errors": errors},
            ensure_ascii=False,
            indent=1,
        )
    )
    log(f"results written to {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
