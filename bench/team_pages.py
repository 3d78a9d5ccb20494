"""Benchmark of the team map and the pool search (issue 3), on SQLite and on PostgreSQL.

Run by hand from the repository root, never by the test suite:  .venv/bin/python -m bench.team_pages
(see "Team map and pool (issue 3)" in bench/README.md). It uses the machinery of
bench/check_page.py (databases, gunicorn, login, load generator, CPU accounting) on other data:
bench/team_seed.py fills the database, bench/team_probe.py measures in-process.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import probes  # noqa: E402
from bench.check_page import (  # noqa: E402
    HOST,
    PASSWORD,
    RESULTS_DIR,
    Browser,
    Get,
    Options,
    app_env,
    fmt,
    gunicorn,
    log,
    machine_info,
    measure,
    postgres_database,
    ratio,
    run_quiet,
    server_cpu,
)
from bench.loadgen import Request, Scenario, Workers  # noqa: E402
from bench.team_probe import pages  # noqa: E402

BASELINE = "minimal_db"
ENDPOINTS = (  # (key, label), in the order they run
    ("minimal", "minimal view GET /bench/minimal/ (no query)"),
    ("minimal_db", "minimal view + 1 query GET /bench/minimal-db/"),
    ("team_map", "team map GET /teams/<id>/ (member)"),
    ("org_pool", "pool GET /teams/pool/<org id>/?elements=4&fiscal_year=Y (staff)"),
    ("team_pool", "team pool GET /teams/<id>/pool/?elements=4 (staff)"),
)
SHOWN_ORDER = ("team_map", "org_pool", "team_pool", "minimal_db", "minimal")


@dataclass(frozen=True)
class TeamOptions:
    requests: int
    warmup: int
    concurrency: int
    workers: int
    supporters: int
    teams: int
    checks: int
    logins: int
    repeat: int
    profile: int


def postgres_cpu_total() -> float:
    """CPU seconds used so far by PostgreSQL, ended processes included: every live ``postgres``
    process's own time, plus what the postmaster collected from the children it reaped.

    Needed because a backend that ends during a phase takes its CPU with it from the live-process
    count that ``check_page.measure`` makes: with ``CONN_MAX_AGE=60`` the workers reconnect once a
    minute, so a phase longer than that loses the CPU of the backends closed in it.
    """
    total = 0.0
    live = set(probes.processes_named("postgres"))
    for pid in live:
        fields = probes._stat_fields(pid)
        if fields is None:
            continue
        total += (int(fields[11]) + int(fields[12])) / probes.TICK  # utime + stime
        if int(fields[1]) not in live:  # the postmaster: its reaped children's cutime + cstime
            total += (int(fields[13]) + int(fields[14])) / probes.TICK
    return total


class GetWith(Get):
    """A GET whose answer must contain every one of ``markers``."""

    def __init__(self, path: str, headers: dict[str, str], markers: list[bytes]) -> None:
        super().__init__(path, headers, marker=markers[0])
        self.markers = markers

    def check(self, status: int, body: bytes) -> str | None:
        problem = super().check(status, body)
        missing = [m for m in self.markers if m not in body]
        if problem is None and missing:
            return f"GET {self.request.path}: no {missing[0].decode()!r} in {body[:200]!r}"
        return problem


class Rotate:
    """One worker's requests: each of ``gets`` in turn, starting at ``start``."""

    def __init__(self, gets: list[Get], start: int) -> None:
        self.gets, self.next = gets, start
        self.current = gets[start % len(gets)]

    def next_request(self) -> Request:
        self.current = self.gets[self.next % len(self.gets)]
        self.next += 1
        return self.current.next_request()

    def check(self, status: int, body: bytes) -> str | None:
        return self.current.check(status, body)


def bench_database(
    kind: str, database_url: str, db_version: str, tmp: Path, opts: TeamOptions
) -> dict[str, Any]:
    env = app_env(database_url, tmp / "var", secret_key=secrets.token_urlsafe(50))
    py = sys.executable
    t0 = time.perf_counter()
    run_quiet([py, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run_quiet([py, "manage.py", "load_frameworks"], env)
    log(
        f"[{kind}] migrated, frameworks loaded ({time.perf_counter() - t0:.1f} s); seeding "
        f"{opts.supporters} supporters, {opts.teams} teams, {opts.checks} checks"
    )
    out = run_quiet(
        [
            py,
            "-m",
            "bench.team_seed",
            "--password",
            PASSWORD,
            "--supporters",
            str(opts.supporters),
            "--teams",
            str(opts.teams),
            "--checks",
            str(opts.checks),
            "--logins",
            str(opts.logins),
        ],
        env,
    )
    seed = json.loads(out.strip().splitlines()[-1])
    seed_path = tmp / f"seed-{kind}.json"
    seed_path.write_text(json.dumps(seed, ensure_ascii=False))
    log(f"[{kind}] seeded in {seed['seconds']} s {seed['timings']}: {seed['counts']}")

    t0 = time.perf_counter()
    probe_args = ["--repeat", str(opts.repeat), "--profile", str(opts.profile)]
    out = run_quiet([py, "-m", "bench.team_probe", str(seed_path), *probe_args], env)
    probe = json.loads(out.strip().splitlines()[-1])
    log(
        f"[{kind}] in-process ({time.perf_counter() - t0:.1f} s): "
        + ", ".join(
            f"{key} {page['queries']} queries {page['view_ms_median']:.1f} ms"
            for key, page in probe["pages"].items()
        )
        + f"; pool query {probe['pool_query']['rows']} rows"
    )

    targets = pages(seed)
    expected: dict[str, list[bytes]] = {}  # path -> what the page must contain
    labels = {f"/teams/{row['team']}/": row["label"] for row in seed["logins"]}
    for key, page in probe["pages"].items():
        for target in page["targets"]:
            if key == "team_map":  # the team, and the map a member sees
                expected[target["path"]] = [
                    f"<h1>{labels[target['path']]}</h1>".encode(),
                    b'<table class="team-map">',
                ]
            elif key.endswith("pool"):  # as many people found as in-process, and a page of them
                if target["found"] is None or not target["shown"]:
                    raise RuntimeError(f"{target['path']}: nobody found in-process")
                expected[target["path"]] = [f"{target['found']}人 見つかりました".encode()]

    result: dict[str, Any] = {
        "database": kind,
        "database_version": db_version,
        "seed": seed,
        "probe": probe,
        "endpoints": {},
    }
    with gunicorn(env, opts.workers, tmp / f"gunicorn-{kind}.log") as (port, master_pid):
        log(f"[{kind}] gunicorn ({opts.workers} workers) on {HOST}:{port}, pid {master_pid}")
        headers: dict[str | None, dict[str, str]] = {None: {"User-Agent": "bansou-bench", "Accept": "*/*"}}
        for username in sorted({user for rows in targets.values() for _, user in rows if user}):
            browser = Browser(port)
            browser.log_in(username, PASSWORD, "/")
            headers[username] = dict(headers[None], Cookie=browser.cookie_header())
        targets["minimal"] = [("/bench/minimal/", None)]
        postgres = kind == "postgresql"
        measure_opts = Options(opts.requests, opts.warmup, opts.concurrency, opts.supporters, opts.workers)
        for key, label in ENDPOINTS:
            gets = [
                Get(path, headers[user], exact=b"ok")
                if key.startswith("minimal")
                else GetWith(path, headers[user], expected[path])
                for path, user in targets[key]
            ]
            scenarios: list[Scenario] = [Rotate(gets, i) for i in range(opts.concurrency)]
            workers = Workers(HOST, port, scenarios)
            pg_at_start: list[float] = []

            def mark(marks: list[float] = pg_at_start) -> None:
                marks.append(postgres_cpu_total() if postgres else 0.0)

            try:
                row = measure(
                    workers,
                    master_pid,
                    measure_opts,
                    postgres=postgres,
                    after_warmup=mark,
                )
            finally:
                workers.close()
            if postgres:
                pg_seconds = postgres_cpu_total() - pg_at_start[0]
                live_only = row["postgres_cpu_ms_per_req"] or 0.0
                row["postgres_cpu_ms_per_req_live_only"] = live_only
                row["postgres_cpu_ms_per_req"] = 1000 * pg_seconds / row["requests"]
                if row["other_cpu_pct"] is not None:  # what measure() counted as "other"
                    missed = pg_seconds - live_only * row["requests"] / 1000
                    row["other_cpu_pct"] -= 100 * missed / (row["wall_s"] * (os.cpu_count() or 1))
            row = {"label": label, "paths": len(gets), **row}
            result["endpoints"][key] = row
            log(
                f"[{kind}] {label}: {row['rps']:.1f} req/s, p50 {row['p50_ms']:.2f} ms, "
                f"p99 {row['p99_ms']:.2f} ms, {row['failures']} failures"
            )
        result["gunicorn_log_tail"] = (tmp / f"gunicorn-{kind}.log").read_text(errors="replace")[-2000:]
    base = result["endpoints"][BASELINE]
    for row in result["endpoints"].values():
        row["server_cpu_ms_per_req"] = server_cpu(row)
        row["rps_vs_baseline"] = ratio(row["rps"], base["rps"])
        row["p50_vs_baseline"] = ratio(row["p50_ms"], base["p50_ms"])
        row["server_cpu_vs_baseline"] = ratio(row["server_cpu_ms_per_req"], server_cpu(base))
    return result


# --- reporting -----------------------------------------------------------------------------------


def markdown(result: dict[str, Any], opts: TeamOptions) -> str:
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
    counts, probe = result["seed"]["counts"], result["probe"]
    pool = probe["pool_query"]
    lines = [
        f"### {title} {result['database_version']}",
        "",
        f"gunicorn {opts.workers} sync workers; {opts.concurrency} concurrent clients; "
        f"{opts.requests} requests per page after {opts.warmup} warm-up. Data: {counts['supporters']} "
        f"supporters in the pool ({counts['org_shares_latest']} sharing 常に最新), {counts['teams']} teams, "
        f"{counts['team_members']} members ({counts['team_shares']} sharing with their team), "
        f"{counts['checks']} checks, {counts['check_answers']} answers, {counts['check_standings']} "
        f"standings, {counts.get('check_label_standings', 0)} C label standings.",
        "",
        "| page | SQL queries | req/s | p50 ms | p99 ms | req/s vs baseline | p50 vs baseline "
        "| gunicorn CPU ms/req | postgres CPU ms/req | server CPU vs baseline | other load | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in SHOWN_ORDER:
        row = result["endpoints"][key]
        queries = probe["pages"][key]["queries"] if key in probe["pages"] else 0
        label = row["label"] + (" — baseline" if key == BASELINE else "")
        lines.append(
            f"| {label} | {queries} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
            f"| {fmt(row['rps_vs_baseline'])} | {fmt(row['p50_vs_baseline'])} "
            f"| {fmt(row['gunicorn_cpu_ms_per_req'])} | {fmt(row['postgres_cpu_ms_per_req'], na='—')} "
            f"| {fmt(row['server_cpu_vs_baseline'])} | {fmt(row['other_cpu_pct'], 0, '%')} "
            f"| {row['failures']} / {row['requests']} |"
        )
    lines += [
        "",
        f"In-process (Django test client, median of {opts.repeat} requests; SQL = time inside the "
        "database calls):",
        "",
        "| page | SQL queries | view ms | of which SQL ms | SQL share | people found |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for key in ("team_map", "org_pool", "team_pool", "minimal_db"):
        page = probe["pages"][key]
        found = sorted({t["found"] for t in page["targets"] if t["found"] is not None})
        shown = "—" if not found else (str(found[0]) if len(found) == 1 else f"{found[0]}-{found[-1]}")
        share = page["sql_ms_median"] / page["view_ms_median"] if page["view_ms_median"] else None
        lines.append(
            f"| {key} | {page['queries']} | {page['view_ms_median']:.1f} | {page['sql_ms_median']:.1f} "
            f"| {fmt(share and 100 * share, 0, '%')} | {shown} |"
        )
    lines += [
        "",
        f"Pool main query (CheckStanding, element 4, practised, over the shared checks of the pool): "
        f"{pool['rows']} rows ({pool['people']} people); indexes in its plan: "
        f"{', '.join(pool['indexes']) or 'none'}.",
    ]
    for key in ("team_map", "org_pool"):
        prof = probe["pages"][key].get("profile")
        if prof:
            parts = ", ".join(
                f"{name} {ms:.1f}" for name, ms in prof["ms_per_request_by_category"].items() if ms >= 0.5
            )
            lines.append(
                f"Profile of {key} ({prof['requests']} requests, {prof['total_ms_per_request']:.1f} ms "
                f"per request under cProfile), ms per request: {parts}."
            )
    timeline = probe["pages"]["org_pool"].get("timeline")
    if timeline:
        lines += [
            "",
            "One pool request, query by query (in-process, medians; Python = the time since the "
            "previous query ended: reading its rows, building objects, preparing this query):",
            "",
            "| # | query | Python ms before | SQL ms |",
            "|---:|---|---:|---:|",
        ]
        for i, step in enumerate(timeline["steps"], 1):
            lines.append(f"| {i} | {step['query']} | {step['python_ms_before']:.2f} | {step['sql_ms']:.2f} |")
        lines.append(f"| | after the last query (rendering) | {timeline['python_ms_after_last']:.2f} | |")
    if result["database"] == "postgresql":
        lines += ["", "EXPLAIN (ANALYZE, BUFFERS) of the pool's main query:", "", "```"]
        lines += pool["plan"]
        lines += ["```"]
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured requests per page first")
    parser.add_argument("--concurrency", type=int, default=4, help="load generator threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--supporters", type=int, default=2000, help="people in the organisation's pool")
    parser.add_argument("--teams", type=int, default=300, help="teams, 3-8 members each")
    parser.add_argument("--checks", type=int, default=10000, help="submitted checks (3-7 per supporter)")
    parser.add_argument("--logins", type=int, default=8, help="teams (and members) the requests rotate over")
    parser.add_argument("--repeat", type=int, default=40, help="in-process timed requests per page")
    parser.add_argument("--profile", type=int, default=40, help="in-process profiled requests per page")
    parser.add_argument(
        "--pg-server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL"
    )
    parser.add_argument("--pg-database", default="bansou_bench_teams", help="database made and dropped")
    parser.add_argument(
        "--keep-tmp", action="store_true", help="keep the temporary directory (logs, SQLite file)"
    )
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    if not kinds or set(kinds) - {"sqlite", "postgresql"}:
        parser.error("--databases takes sqlite and/or postgresql")
    opts = TeamOptions(
        args.requests,
        args.warmup,
        args.concurrency,
        args.workers,
        args.supporters,
        args.teams,
        args.checks,
        args.logins,
        args.repeat,
        args.profile,
    )

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop gunicorn, drop the database
    started = time.perf_counter()
    machine = machine_info()
    log(
        f"machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}; "
        f"Python {machine['python']}, Django {machine['django']}, gunicorn {machine['gunicorn']}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-teams-"))
    results: list[dict[str, Any]] = []
    errors: list[str] = []
    try:
        sqlite_url = f"sqlite:///{tmp / 'bansou.sqlite3'}"
        run_quiet(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            app_env(sqlite_url, tmp / "var", secret_key="collectstatic"),
        )
        for kind in kinds:
            t0 = time.perf_counter()
            try:
                if kind == "sqlite":
                    results.append(bench_database(kind, sqlite_url, sqlite3.sqlite_version, tmp, opts))
                else:
                    with postgres_database(args.pg_server, args.pg_database) as (url, version):
                        results.append(bench_database(kind, url, version, tmp, opts))
            except Exception as exc:  # report it, and go on with the other database
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                log(f"[{kind}] FAILED: {exc}")
            log(f"[{kind}] done in {time.perf_counter() - t0:.0f} s")
    finally:
        if args.keep_tmp:
            log(f"temporary files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(
        f"## bansou team map and pool benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}, "
        f"Linux {machine['kernel']}; Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']}. Load generator on the same machine (loopback).\n"
    )
    failed = bool(errors)
    for result in results:
        print(markdown(result, opts))
        print()
        for key, row in result["endpoints"].items():
            for sample in row["failure_samples"][:10]:
                print(f"  failure ({result['database']}, {key}): {sample}")
            failed = failed or row["failures"] > 0 or row["warmup_failures"] > 0
    for error in errors:
        print(f"ERROR {error}")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"team_pages-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    document = {
        "benchmark": "team_pages",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "options": vars(opts),
        "results": results,
        "errors": errors,
        "seconds": round(time.perf_counter() - started, 1),
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {path.relative_to(ROOT)} (total {document['seconds']:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
