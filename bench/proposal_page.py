"""Benchmark of the team proposal pages (issue 14): asking for the heuristic proposal over a pool of
5,000 supporters, through gunicorn, beside its nearest limits measured in the same run.

Run by hand from the repository root, never by the test suite:  .venv/bin/python -m bench.proposal_page
(see "Team proposal pages" in bench/README.md). It uses the machinery of bench/check_page.py
(databases, gunicorn, login, load generator, CPU accounting); bench/team_seed.py and
bench/proposal_seed.py fill the database, bench/proposal_probe.py measures in-process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass
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
    run_quiet,
)
from bench.loadgen import Request, Scenario, Workers  # noqa: E402
from bench.proposal_probe import form_data  # noqa: E402
from bench.team_pages import GetWith, postgres_cpu_total  # noqa: E402

PROPOSAL = re.compile(r"^/proposals/[0-9a-f-]{36}/([0-9a-f-]{36})/$")


@dataclass(frozen=True)
class Opts:
    requests: int  # measured POSTs asking for a proposal
    warmup: int
    page_requests: int  # measured GETs of the detail page and of the minimal views
    exact: int  # exact solves through gunicorn (each on a fresh proposal)
    concurrency: int
    workers: int
    repeat: int  # in-process timings


class PostForm:
    """A form POST that must answer 302 to a proposal's page (a proposal was made)."""

    def __init__(self, path: str, headers: dict[str, str], body: bytes) -> None:
        self.request = Request("POST", path, body, headers)

    def next_request(self) -> Request:
        return self.request

    def check(self, status: int, body: bytes) -> str | None:
        if status != 302:
            return f"POST {self.request.path}: HTTP {status}: {body[:300]!r}"
        return None


class Session:
    """The staff's logged-in browser: the headers its requests carry, and single requests."""

    def __init__(self, port: int, username: str) -> None:
        self.browser = Browser(port)
        self.browser.log_in(username, PASSWORD, "/")
        self.cookie = self.browser.cookie_header()
        self.origin = self.browser.origin

    def headers(self, referer: str, **extra: str) -> dict[str, str]:
        return {
            "User-Agent": "bansou-bench",
            "Cookie": self.cookie,
            "Origin": self.origin,
            "Referer": f"{self.origin}{referer}",
            "X-CSRFToken": self.browser.cookies["csrftoken"],
            **extra,
        }

    def form_body(self, data: dict[str, str]) -> bytes:
        return urllib.parse.urlencode(
            {**data, "csrfmiddlewaretoken": self.browser.cookies["csrftoken"]}
        ).encode()

    def propose(self, path: str, body: bytes) -> str:
        """Asks for one proposal (untimed); its public id."""
        headers = self.headers(path, **{"Content-Type": "application/x-www-form-urlencoded"})
        status, response, data = self.browser.request("POST", path, body, headers)
        match = PROPOSAL.match(urllib.parse.urlsplit(response.get("Location", "")).path)
        if status != 302 or match is None:
            raise RuntimeError(f"POST {path}: HTTP {status} {response.get('Location')}: {data[:300]!r}")
        return match.group(1)


def seed_database(kind: str, env: dict[str, str], tmp: Path, size: int) -> dict[str, Any]:
    py = sys.executable
    t0 = time.perf_counter()
    run_quiet([py, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run_quiet([py, "manage.py", "load_frameworks"], env)
    team_args = ["--supporters", str(size), "--checks", str(2 * size), "--fewest", "1", "--most", "3"]
    team_args += ["--teams", str(max(20, size // 10)), "--logins", "1", "--password", PASSWORD]
    out = run_quiet([py, "-m", "bench.team_seed", *team_args], env)
    seed = json.loads(out.strip().splitlines()[-1])
    team_path = tmp / f"team-seed-{kind}-{size}.json"
    team_path.write_text(json.dumps(seed, ensure_ascii=False))
    out = run_quiet([py, "-m", "bench.proposal_seed", str(team_path)], env)
    seed["profiles"] = json.loads(out.strip().splitlines()[-1])
    seed["municipality"] = seed["profiles"]["municipality"]
    seed["seconds_in_all"] = round(time.perf_counter() - t0, 1)
    log(
        f"[{kind} {size}] seeded in {seed['seconds_in_all']} s ({seed['counts']['checks']} checks, "
        f"{seed['counts']['check_label_standings']} label standings, "
        f"{seed['profiles']['counts']['profiles']} profiles); "
        f"asking for {seed['profiles']['municipality_name']}"
    )
    return seed


def run_phase(
    port: int, master_pid: int, scenarios: list[Scenario], opts: Options, postgres: bool
) -> dict[str, Any]:
    """``measure`` with PostgreSQL's CPU counted as in bench/team_pages.py (ended backends included)."""
    workers = Workers(HOST, port, scenarios, timeout=120.0)
    marks: list[float] = []
    try:
        row = measure(
            workers,
            master_pid,
            opts,
            postgres=postgres,
            after_warmup=lambda: marks.append(postgres_cpu_total() if postgres else 0.0),
        )
    finally:
        workers.close()
    if postgres:
        row["postgres_cpu_ms_per_req"] = 1000 * (postgres_cpu_total() - marks[0]) / row["requests"]
    return row


def through_gunicorn(
    kind: str, env: dict[str, str], tmp: Path, seed: dict[str, Any], opts: Opts
) -> dict[str, Any]:
    postgres, n = kind == "postgresql", opts.concurrency
    new_path = f"/proposals/{seed['organisation']}/"
    rows: dict[str, Any] = {}
    with gunicorn(env, opts.workers, tmp / f"gunicorn-{kind}.log") as (port, master_pid):
        staff = Session(port, seed["staff"])
        body = staff.form_body(form_data(seed["municipality"], seed["fiscal_year"]))
        post_headers = staff.headers(new_path, **{"Content-Type": "application/x-www-form-urlencoded"})
        light = Options(opts.page_requests, max(10, opts.page_requests // 10), n, 0, opts.workers)
        heavy = Options(opts.requests, opts.warmup, n, 0, opts.workers)
        plain = {"User-Agent": "bansou-bench"}
        for key, path in (("minimal", "/bench/minimal/"), ("minimal_db", "/bench/minimal-db/")):
            gets: list[Scenario] = [Get(path, plain, exact=b"ok") for _ in range(n)]
            rows[key] = run_phase(port, master_pid, gets, light, postgres)
        posts: list[Scenario] = [PostForm(new_path, post_headers, body) for _ in range(n)]
        rows["new"] = run_phase(port, master_pid, posts, heavy, postgres)
        quick = staff.propose(new_path, body)
        detail = f"{new_path}{quick}/"
        markers = [b'id="exact-form"', b'id="alt-1"']
        gets = [GetWith(detail, staff.headers(detail), markers) for _ in range(n)]
        rows["detail"] = run_phase(port, master_pid, gets, light, postgres)
        rows["exact"], solved = exact_solves(staff, new_path, body, opts.exact)
        detail = f"{new_path}{solved}/"
        gets = [GetWith(detail, staff.headers(detail), [b'id="alt-1"']) for _ in range(n)]
        rows["detail_exact"] = run_phase(port, master_pid, gets, light, postgres)
        for key, row in rows.items():
            log(
                f"[{kind}] {key}: p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, "
                f"{row.get('failures', 0)} failures of {row['requests']}"
            )
    return rows


def exact_solves(staff: Session, new_path: str, body: bytes, count: int) -> tuple[dict[str, Any], str]:
    """``count`` exact solves, one at a time, each on a proposal asked for just before (untimed)."""
    times, failures, last = [], [], ""
    for _ in range(count):
        last = staff.propose(new_path, body)
        path = f"{new_path}{last}/exact/"
        headers = staff.headers(f"{new_path}{last}/", Accept="application/json")
        t0 = time.perf_counter()
        status, _, data = staff.browser.request("POST", path, b"", headers)
        times.append(1000 * (time.perf_counter() - t0))
        if status != 200 or json.loads(data or b"{}") != {"done": True}:
            failures.append(f"POST {path}: HTTP {status}: {data[:200]!r}")
    times.sort()
    row = {
        "requests": count,
        "failures": len(failures),
        "failure_samples": failures,
        "warmup_failures": 0,
        "p50_ms": statistics.median(times),
        "p99_ms": times[-1],
        "min_ms": times[0],
        "all_ms": times,
    }
    return row, last


def bench_size(kind: str, url: str, tmp: Path, size: int, opts: Opts) -> dict[str, Any]:
    env = app_env(url, tmp / "var", secret_key=secrets.token_urlsafe(50))
    seed = seed_database(kind, env, tmp, size)
    seed_path = tmp / f"seed-{kind}-{size}.json"
    seed_path.write_text(json.dumps(seed, ensure_ascii=False))
    t0 = time.perf_counter()
    args = [
        "--repeat",
        str(opts.repeat),
        "--exact",
        str(min(3, opts.exact)),
        "--views",
        str(min(10, opts.repeat)),
    ]
    out = run_quiet([sys.executable, "-m", "bench.proposal_probe", str(seed_path), *args], env)
    probe = json.loads(out.strip().splitlines()[-1])
    log(
        f"[{kind} {size}] in-process ({time.perf_counter() - t0:.0f} s): pool {probe['pool_size']} people, "
        f"forming_pool {probe['forming_pool']['p50_ms']:.1f} ms, "
        f"raw SQL {probe['raw_sql']['p50_ms']:.1f} ms, "
        f"propose_quickly {probe['propose_quickly']['p50_ms']:.1f} ms, view {probe['view']['p50_ms']:.1f} ms"
    )
    rows = through_gunicorn(kind, env, tmp, seed, opts)
    return {"database": kind, "size": size, "seed": seed, "probe": probe, "gunicorn": rows}


# --- reporting -----------------------------------------------------------------------------------


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| database | pool | measured | n | p50 ms | p99 ms | p50 / floor | gunicorn CPU ms/req |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        probe, rows = result["probe"], result["gunicorn"]
        floor = probe["forming_pool"]["p50_ms"] + probe["propose_quickly"]["p50_ms"]
        shown = [
            ("POST new: the heuristic proposal (gunicorn)", rows["new"]),
            ("  in-process: the POST view (test client)", probe["view"]),
            ("  in-process: forming_pool", probe["forming_pool"]),
            (f"  in-process: its raw SQL ({probe['raw_sql']['statements']} statements)", probe["raw_sql"]),
            ("  in-process: propose_quickly", probe["propose_quickly"]),
            ("GET detail, quick proposal (gunicorn)", rows["detail"]),
            ("GET detail, exact proposal (gunicorn)", rows["detail_exact"]),
            ("POST exact, one solve (gunicorn, one at a time)", rows["exact"]),
            ("  in-process: propose_exactly", probe["propose_exactly"]),
            ("minimal view (gunicorn)", rows["minimal"]),
            ("minimal view + 1 query (gunicorn)", rows["minimal_db"]),
        ]
        title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
        for label, row in shown:
            n = row.get("requests", row.get("n"))
            lines.append(
                f"| {title} | {result['size']:,} | {label} | {n} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
                f"| {row['p50_ms'] / floor:.2f} | {fmt(row.get('gunicorn_cpu_ms_per_req'), 1, na='')} |"
            )
        lines.append(
            f"| {title} | {result['size']:,} | floor: forming_pool + propose_quickly (medians) | "
            f"| {floor:.1f} | | 1.00 | |"
        )
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------------


def default_server() -> tuple[str, str]:
    """(databases, PostgreSQL server URL): PostgreSQL when DATABASE_URL names one (its server only: the
    benchmark makes and drops its own database there), else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urllib.parse.urlsplit(url)
        return "postgresql", urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    return "sqlite", "postgres://postgres@127.0.0.1:5432"


def parse(argv: list[str]) -> tuple[argparse.Namespace, Opts]:
    databases, server = default_server()
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add = parser.add_argument
    add(
        "--databases",
        default=databases,
        help="sqlite and/or postgresql (default: postgresql if DATABASE_URL)",
    )
    add("--sizes", default="5000", help="pool sizes, comma-separated (e.g. 500,2000,5000)")
    add("--requests", type=int, default=50, help="measured POSTs asking for a proposal, per size")
    add("--warmup", type=int, default=3, help="unmeasured POSTs first")
    add("--page-requests", type=int, default=200, help="measured GETs per page (detail, minimal views)")
    add("--exact", type=int, default=5, help="exact solves through gunicorn, one at a time")
    add("--concurrency", type=int, default=1, help="load generator threads")
    add("--workers", type=int, default=2, help="gunicorn workers")
    add("--repeat", type=int, default=20, help="in-process timed calls")
    add("--pg-server", default=server, help="PostgreSQL server URL")
    add("--pg-database", default="bansou_bench_proposals", help="database made and dropped")
    add("--keep-tmp", action="store_true", help="keep the temporary directory (logs, SQLite files)")
    args = parser.parse_args(argv)
    if set(args.databases.split(",")) - {"sqlite", "postgresql"}:
        parser.error("--databases takes sqlite and/or postgresql")
    opts = Opts(
        args.requests,
        args.warmup,
        args.page_requests,
        args.exact,
        args.concurrency,
        args.workers,
        args.repeat,
    )
    return args, opts


def main(argv: list[str]) -> int:
    args, opts = parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop gunicorn, drop the database
    started = time.perf_counter()
    machine = machine_info()
    log(f"machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}")
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-proposals-"))
    results: list[dict[str, Any]] = []
    errors: list[str] = []
    try:
        run_quiet(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            app_env(f"sqlite:///{tmp / 'static.sqlite3'}", tmp / "var", secret_key="collectstatic"),
        )
        for kind in args.databases.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                t0 = time.perf_counter()
                try:
                    if kind == "sqlite":
                        url = f"sqlite:///{tmp / f'bansou-{size}.sqlite3'}"
                        results.append(
                            {**bench_size(kind, url, tmp, size, opts), "version": sqlite3.sqlite_version}
                        )
                    else:
                        with postgres_database(args.pg_server, args.pg_database) as (url, version):
                            results.append({**bench_size(kind, url, tmp, size, opts), "version": version})
                except Exception as exc:  # report it, and go on
                    errors.append(f"{kind} {size}: {type(exc).__name__}: {exc}")
                    log(f"[{kind} {size}] FAILED: {exc}")
                log(f"[{kind} {size}] done in {time.perf_counter() - t0:.0f} s")
    finally:
        if args.keep_tmp:
            log(f"temporary files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return report(results, errors, machine, opts, started)


def report(
    results: list[dict[str, Any]], errors: list[str], machine: dict[str, Any], opts: Opts, started: float
) -> int:
    print()
    print(
        f"## bansou team proposal pages — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}, "
        f"Linux {machine['kernel']}; Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']}, SQLite {machine['sqlite']}; commit {machine['commit']}.\n"
    )
    if results:
        print(table(results))
    failed = bool(errors)
    for result in results:
        for key, row in result["gunicorn"].items():
            for sample in row["failure_samples"][:10]:
                print(f"  failure ({result['database']} {result['size']}, {key}): {sample}")
            failed = failed or row["failures"] > 0 or row["warmup_failures"] > 0
    for error in errors:
        print(f"ERROR {error}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"proposal_page-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    document = {
        "benchmark": "proposal_page",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "options": asdict(opts),
        "results": results,
        "errors": errors,
        "seconds": round(time.perf_counter() - started, 1),
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {path.relative_to(ROOT)} (total {document['seconds']:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
