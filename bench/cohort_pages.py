"""Benchmark of the organiser's totals page of a 研修 (issue 4), on SQLite and on PostgreSQL.

Run by hand from the repository root, never by the test suite:  .venv/bin/python -m bench.cohort_pages
(see "研修 totals (issue 4)" in bench/README.md). A 研修 of 10,000 participants with pre- and
post-checks; the page through gunicorn (p50/p99), side by side with the nearest limit measured in
the same run: the raw SQL aggregate the page needs (its own GROUP BY statements, run on database
cursors), and the minimal views through the same stack. It uses the machinery of
bench/check_page.py and bench/team_pages.py (databases, gunicorn, login, load generator, CPU
accounting); bench/cohort_seed.py fills the database, bench/cohort_probe.py measures in-process.
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
from bench.loadgen import Scenario, Workers  # noqa: E402
from bench.team_pages import GetWith, postgres_cpu_total  # noqa: E402

ENDPOINTS = (  # (key, label), in the order they run
    ("minimal", "minimal view GET /bench/minimal/ (no query)"),
    ("minimal_db", "minimal view + 1 query GET /bench/minimal-db/"),
    ("results", "研修 totals GET /cohorts/<id>/results/ (organiser)"),
)
SHOWN_ORDER = ("results", "minimal_db", "minimal")
RAW = (  # (key in the probe's raw_sql, label)
    ("aggregates_n", "the page's GROUP BY statements, {n} clients"),
    ("aggregates_1", "the page's GROUP BY statements, 1 client"),
)
DATABASE_NAMES = {"sqlite": "sqlite", "postgres": "postgresql", "postgresql": "postgresql"}


@dataclass(frozen=True)
class CohortOptions:
    requests: int
    warmup: int
    concurrency: int
    workers: int
    participants: int
    post_share: float
    repeat: int
    profile: int
    sql_repeat: int
    sql_repeat_one: int
    sql_warmup: int


def bench_database(
    kind: str, database_url: str, db_version: str, tmp: Path, opts: CohortOptions
) -> dict[str, Any]:
    env = app_env(database_url, tmp / "var", secret_key=secrets.token_urlsafe(50))
    py = sys.executable
    t0 = time.perf_counter()
    run_quiet([py, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run_quiet([py, "manage.py", "load_frameworks"], env)
    log(
        f"[{kind}] migrated, frameworks loaded ({time.perf_counter() - t0:.1f} s); seeding a 研修 of "
        f"{opts.participants} participants ({opts.post_share:.0%} with a post-check)"
    )
    seed_args = ["--participants", str(opts.participants), "--post-share", str(opts.post_share)]
    out = run_quiet([py, "-m", "bench.cohort_seed", "--password", PASSWORD, *seed_args], env)
    seed = json.loads(out.strip().splitlines()[-1])
    seed_path = tmp / f"seed-{kind}.json"
    seed_path.write_text(json.dumps(seed, ensure_ascii=False))
    log(f"[{kind}] seeded in {seed['seconds']} s {seed['timings']}: {seed['counts']}")

    t0 = time.perf_counter()
    probe_args = [
        *("--repeat", str(opts.repeat), "--profile", str(opts.profile)),
        *("--sql-repeat", str(opts.sql_repeat), "--sql-repeat-one", str(opts.sql_repeat_one)),
        *("--sql-warmup", str(opts.sql_warmup)),
        *("--clients", str(opts.concurrency)),
    ]
    out = run_quiet([py, "-m", "bench.cohort_probe", str(seed_path), *probe_args], env)
    probe = json.loads(out.strip().splitlines()[-1])
    raw = probe["raw_sql"]
    log(
        f"[{kind}] in-process ({time.perf_counter() - t0:.1f} s): page {probe['page']['queries']} queries, "
        f"{probe['page']['view_ms_median']:.1f} ms (SQL {probe['page']['sql_ms_median']:.1f}); raw SQL "
        + ", ".join(f"{key} p50 {row['p50_ms']:.1f} ms" for key, row in raw.items())
    )

    result: dict[str, Any] = {
        "database": kind,
        "database_version": db_version,
        "seed": seed,
        "probe": probe,
        "endpoints": {},
    }
    page_path = probe["path"]
    targets = {"minimal": "/bench/minimal/", "minimal_db": "/bench/minimal-db/", "results": page_path}
    with gunicorn(env, opts.workers, tmp / f"gunicorn-{kind}.log") as (port, master_pid):
        log(f"[{kind}] gunicorn ({opts.workers} workers) on {HOST}:{port}, pid {master_pid}")
        anonymous = {"User-Agent": "bansou-bench", "Accept": "*/*"}
        browser = Browser(port)
        browser.log_in(seed["organiser"], PASSWORD, page_path)
        organiser = dict(anonymous, Cookie=browser.cookie_header())
        postgres = kind == "postgresql"
        measure_opts = Options(opts.requests, opts.warmup, opts.concurrency, opts.participants, opts.workers)
        for key, label in ENDPOINTS:
            scenarios: list[Scenario] = [
                Get(targets[key], anonymous, exact=b"ok")
                if key.startswith("minimal")
                else GetWith(targets[key], organiser, [m.encode() for m in probe["markers"]])
                for _ in range(opts.concurrency)
            ]
            workers = Workers(HOST, port, scenarios, timeout=120.0)
            pg_at_start: list[float] = []

            def mark(marks: list[float] = pg_at_start) -> None:
                marks.append(postgres_cpu_total() if postgres else 0.0)

            try:
                row = measure(workers, master_pid, measure_opts, postgres=postgres, after_warmup=mark)
            finally:
                workers.close()
            if postgres:  # as bench/team_pages.py: count the backends that ended during the phase too
                pg_seconds = postgres_cpu_total() - pg_at_start[0]
                live_only = row["postgres_cpu_ms_per_req"] or 0.0
                row["postgres_cpu_ms_per_req_live_only"] = live_only
                row["postgres_cpu_ms_per_req"] = 1000 * pg_seconds / row["requests"]
                if row["other_cpu_pct"] is not None:
                    missed = pg_seconds - live_only * row["requests"] / 1000
                    row["other_cpu_pct"] -= 100 * missed / (row["wall_s"] * (os.cpu_count() or 1))
            row = {"label": label, "path": targets[key], **row}
            result["endpoints"][key] = row
            log(
                f"[{kind}] {label}: {row['rps']:.1f} req/s, p50 {row['p50_ms']:.2f} ms, "
                f"p99 {row['p99_ms']:.2f} ms, {row['failures']} failures"
            )
        result["gunicorn_log_tail"] = (tmp / f"gunicorn-{kind}.log").read_text(errors="replace")[-2000:]

    page, base = result["endpoints"]["results"], result["endpoints"]["minimal_db"]
    for row in result["endpoints"].values():
        row["server_cpu_ms_per_req"] = server_cpu(row)
    result["ratios"] = {
        "page_p50_vs_raw_p50_same_clients": ratio(page["p50_ms"], raw["aggregates_n"]["p50_ms"]),
        "page_p99_vs_raw_p99_same_clients": ratio(page["p99_ms"], raw["aggregates_n"]["p99_ms"]),
        "page_p50_vs_raw_p50_one_client": ratio(page["p50_ms"], raw["aggregates_1"]["p50_ms"]),
        "inprocess_view_vs_raw_p50_one_client": ratio(
            probe["page"]["view_ms_median"], raw["aggregates_1"]["p50_ms"]
        ),
        "page_server_cpu_vs_raw_cpu": ratio(
            page["server_cpu_ms_per_req"], raw["aggregates_n"]["cpu_ms_per_iteration"]
        ),
        "page_p50_vs_minimal_db_p50": ratio(page["p50_ms"], base["p50_ms"]),
    }
    return result


# --- reporting -----------------------------------------------------------------------------------


def markdown(result: dict[str, Any], opts: CohortOptions) -> str:
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
    seed, probe, ratios = result["seed"], result["probe"], result["ratios"]
    counts, people, page = seed["counts"], seed["people"], probe["page"]
    n = opts.concurrency
    lines = [
        f"### {title} {result['database_version']}",
        "",
        f"gunicorn {opts.workers} sync workers; {n} concurrent clients; {opts.requests} requests per "
        f"page after {opts.warmup} warm-up. Data: a 研修 of {counts['participants']} participants, "
        f"{people['pre']} pre-checks and {people['post']} post-checks handed in ({people['paired']} both), "
        f"both phases closed; {counts['checks']} checks, {counts['check_answers']} answers, "
        f"{counts['check_standings']} standings, {counts.get('check_label_standings', 0)} C label standings.",
        "",
        "Through gunicorn:",
        "",
        "| request | SQL queries | req/s | p50 ms | p99 ms | gunicorn CPU ms/req | postgres CPU ms/req "
        "| server CPU ms/req | other load | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    queries = {"results": page["queries"], "minimal_db": 1, "minimal": 0}
    for key in SHOWN_ORDER:
        row = result["endpoints"][key]
        lines.append(
            f"| {row['label']} | {queries[key]} | {row['rps']:.1f} "
            f"| {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
            f"| {fmt(row['gunicorn_cpu_ms_per_req'])} | {fmt(row['postgres_cpu_ms_per_req'], na='—')} "
            f"| {fmt(row['server_cpu_ms_per_req'])} | {fmt(row['other_cpu_pct'], 0, '%')} "
            f"| {row['failures']} / {row['requests']} |"
        )
    lines += [
        "",
        f"Raw SQL on database cursors (closed loop after {opts.sql_warmup} warm-up iterations; one "
        "iteration = every statement executed and its rows fetched; CPU = this process + PostgreSQL):",
        "",
        "| raw SQL | statements | iterations | iterations/s | p50 ms | p99 ms | CPU ms/iteration |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in RAW:
        row = probe["raw_sql"][key]
        lines.append(
            f"| {label.format(n=row['clients'])} | {row['statements']} | {row['requests']} "
            f"| {row['rps']:.1f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
            f"| {row['cpu_ms_per_iteration']:.2f} |"
        )
    statements = probe["raw_sql"]["aggregates_1"]["statement_ms_median"]
    per_statement = ", ".join(
        f"{a['group']} {a['kind']} {ms:.1f}" for a, ms in zip(probe["aggregates"], statements, strict=True)
    )
    lines += [
        "",
        f"**Page p50 / raw SQL p50: {fmt(ratios['page_p50_vs_raw_p50_same_clients'])}** ({n} clients each; "
        f"p99: {fmt(ratios['page_p99_vs_raw_p99_same_clients'])}); against the raw SQL with 1 client: "
        f"{fmt(ratios['page_p50_vs_raw_p50_one_client'])}; in-process view (1 request at a time) / raw SQL "
        f"(1 client): {fmt(ratios['inprocess_view_vs_raw_p50_one_client'])}; server CPU per page / CPU per "
        f"raw iteration: {fmt(ratios['page_server_cpu_vs_raw_cpu'])}; page p50 / minimal view + 1 query: "
        f"{fmt(ratios['page_p50_vs_minimal_db_p50'], 1)}.",
        "",
        f"In-process (test client, median of {page['repeat']} requests): {page['view_ms_median']:.1f} ms, "
        f"of which SQL (inside execute) {page['sql_ms_median']:.1f} ms; {page['queries']} queries "
        f"({', '.join(page['short'])}); {page['bytes']:,} bytes of HTML. Each GROUP BY statement alone "
        f"(ms, median, 1 client): {per_statement}.",
    ]
    timeline = page.get("timeline")
    if timeline:
        python = sum(s["python_ms_before"] for s in timeline["steps"]) + timeline["python_ms_after_last"]
        sql = sum(s["sql_ms"] for s in timeline["steps"])
        lines.append(
            f"One request query by query: SQL (inside execute) {sql:.1f} ms, the rest {python:.1f} ms (of "
            f"which {timeline['python_ms_after_last']:.1f} after the last query: building the tables, "
            "rendering)."
            + (
                " On SQLite a GROUP BY statement does part of its work while its rows are fetched, "
                "after execute: compare the view with the raw SQL loop (1 client) instead."
                if result["database"] == "sqlite"
                else ""
            )
        )
    prof = page.get("profile")
    if prof:
        parts = ", ".join(
            f"{name} {ms:.1f}" for name, ms in prof["ms_per_request_by_category"].items() if ms >= 0.5
        )
        lines.append(
            f"Profile ({prof['requests']} requests, {prof['total_ms_per_request']:.1f} ms per request "
            f"under cProfile), ms per request: {parts}."
        )
    for key, plan in probe["plans"].items():
        lines.append(f"Plan of the {key} statement: indexes {', '.join(plan['indexes']) or 'none'}.")
    detail = probe["detail_page"]
    lines.append(
        f"For scale, the organiser's 研修 page (every participant's hand-ins), once in-process: "
        f"{detail['view_ms']:.0f} ms, {detail['queries']} queries, {detail['bytes']:,} bytes."
    )
    if result["database"] == "postgresql":
        for key, plan in probe["plans"].items():
            lines += ["", f"EXPLAIN (ANALYZE, BUFFERS) of the {key} statement:", "", "```"]
            lines += plan["plan"]
            lines += ["```"]
    return "\n".join(lines)


def summary(results: list[dict[str, Any]], opts: CohortOptions) -> str:
    n = opts.concurrency
    lines = [
        f"### Summary: {opts.participants} participants, page through gunicorn vs the raw SQL it needs",
        "",
        f"| database | page p50 ms | page p99 ms | raw SQL p50 ms ({n} clients) | raw SQL p99 ms | "
        "page / raw SQL (p50) | raw SQL p50 ms (1 client) | page / raw SQL 1 client (p50) | queries |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        page, raw = result["endpoints"]["results"], result["probe"]["raw_sql"]
        ratios = result["ratios"]
        lines.append(
            f"| {result['database']} {result['database_version']} "
            f"| {page['p50_ms']:.1f} | {page['p99_ms']:.1f} "
            f"| {raw['aggregates_n']['p50_ms']:.1f} | {raw['aggregates_n']['p99_ms']:.1f} "
            f"| {fmt(ratios['page_p50_vs_raw_p50_same_clients'])} | {raw['aggregates_1']['p50_ms']:.1f} "
            f"| {fmt(ratios['page_p50_vs_raw_p50_one_client'])} | {result['probe']['page']['queries']} |"
        )
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgres")
    parser.add_argument("--participants", type=int, default=10000, help="participants of the 研修")
    parser.add_argument("--post-share", type=float, default=0.95, help="of them, with a post-check")
    parser.add_argument("--requests", type=int, default=100, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests per page first")
    parser.add_argument(
        "--concurrency", type=int, default=4, help="load generator threads (and raw SQL clients)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--repeat", type=int, default=10, help="in-process timed requests of the page")
    parser.add_argument("--profile", type=int, default=3, help="in-process profiled requests (0: none)")
    parser.add_argument(
        "--sql-repeat", type=int, default=100, help="raw SQL iterations, --concurrency clients at once"
    )
    parser.add_argument("--sql-repeat-one", type=int, default=30, help="raw SQL iterations, 1 client")
    parser.add_argument(
        "--sql-warmup", type=int, default=5, help="unmeasured iterations of each raw SQL loop"
    )
    parser.add_argument(
        "--pg-server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL"
    )
    parser.add_argument("--pg-database", default="bansou_bench_cohorts", help="database made and dropped")
    parser.add_argument(
        "--keep-tmp", action="store_true", help="keep the temporary directory (logs, SQLite file)"
    )
    args = parser.parse_args(argv)
    names = [k.strip() for k in args.databases.split(",") if k.strip()]
    if not names or set(names) - set(DATABASE_NAMES):
        parser.error("--databases takes sqlite and/or postgres (or postgresql)")
    kinds = list(dict.fromkeys(DATABASE_NAMES[name] for name in names))
    if not 0 <= args.post_share <= 1 or round(args.participants * args.post_share) < 5:
        parser.error("--post-share is between 0 and 1, of --participants at least 5 (else no 事後 totals)")
    opts = CohortOptions(
        args.requests,
        args.warmup,
        args.concurrency,
        args.workers,
        args.participants,
        args.post_share,
        args.repeat,
        args.profile,
        args.sql_repeat,
        args.sql_repeat_one,
        args.sql_warmup,
    )

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop gunicorn, drop the database
    started = time.perf_counter()
    machine = machine_info()
    log(
        f"machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}; "
        f"Python {machine['python']}, Django {machine['django']}, gunicorn {machine['gunicorn']}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-cohorts-"))
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
        f"## bansou 研修 totals benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
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
    if results:
        print(summary(results, opts))
        print()
    for error in errors:
        print(f"ERROR {error}")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"cohort_pages-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    document = {
        "benchmark": "cohort_pages",
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
