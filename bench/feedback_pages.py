"""Benchmark of the feedback pages (issue 16): the public answer form's GET and POST through gunicorn,
beside the minimal view of the same stack measured in the same run, and the supporter's comparison
page over a request with 50 answers.

Run by hand from the repository root, never by the test suite:  .venv/bin/python -m bench.feedback_pages
(see "Feedback pages" in bench/README.md). It uses the machinery of bench/check_page.py (databases,
gunicorn, login, load generator, CPU accounting); bench/feedback_seed.py fills the database.

Each rater session is made untimed before the measured phases (the start page, then the code posted);
every measured POST uses a session of its own, since a link takes one answer. The requests carry an
``X-Forwarded-For`` address of their own, from a proxy the server trusts (``TRUSTED_PROXIES``), so that
the per-address limit, meant for the many municipal staff behind one LGWAN address, does not stop a
benchmark that comes from one address.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import secrets
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
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
from bench.loadgen import Request, Scenario  # noqa: E402
from bench.proposal_page import default_server, run_phase  # noqa: E402

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_addresses = itertools.count(1)
_lock = threading.Lock()


def address() -> str:
    with _lock:
        n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Rater:
    """One rater's browser with its code exchanged for a session (untimed)."""

    def __init__(self, port: int, code: str) -> None:
        self.browser = Browser(port)
        self.address = address()
        status, _, page = self.browser.request("GET", "/f/", headers={"X-Forwarded-For": self.address})
        token = TOKEN.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"GET /f/: HTTP {status}")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "code": code}).encode()
        status, headers, _ = self.browser.request("POST", "/f/", body, self.headers("/f/", form=True))
        self.path = str(headers.get("Location", ""))  # /f/answer/<key>/: the key of this browser's link
        if status != 302 or not self.path.startswith("/f/answer/"):
            raise RuntimeError(f"POST /f/: HTTP {status} {self.path}")
        status, _, page = self.browser.request("GET", self.path, headers=self.headers(self.path))
        token = TOKEN.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"GET /f/answer/: HTTP {status}")
        self.token = token.group(1).decode()
        self.items = re.findall(rb'name="mark_([^"]+)"', page)

    def headers(self, referer: str, *, form: bool = False) -> dict[str, str]:
        found = {
            "User-Agent": "bansou-bench",
            "Cookie": self.browser.cookie_header(),
            "Origin": self.browser.origin,
            "Referer": f"{self.browser.origin}{referer}",
            "X-Forwarded-For": self.address,
        }
        return found | ({"Content-Type": "application/x-www-form-urlencoded"} if form else {})

    def answer_body(self) -> bytes:
        data = {"csrfmiddlewaretoken": self.token}
        for n, code in enumerate(dict.fromkeys(c.decode() for c in self.items)):
            data[f"mark_{code}"] = ("seen", "not_yet", "unknown")[n % 3]
            data[f"comment_{code}"] = "住民の声を丁寧に聞いていた" if n == 0 else ""
        return urllib.parse.urlencode(data).encode()


class Answers:
    """Answer POSTs, each by a rater session of its own: 302 to the thanks page."""

    def __init__(self, raters: list[Rater]) -> None:
        self.requests = iter(
            [Request("POST", r.path, r.answer_body(), r.headers(r.path, form=True)) for r in raters]
        )
        self.lock = threading.Lock()

    def next_request(self) -> Request:
        with self.lock:
            return next(self.requests)

    def check(self, status: int, body: bytes) -> str | None:
        return None if status == 302 else f"POST answer: HTTP {status}: {body[:300]!r}"


def seed(kind: str, env: dict[str, str], links: int, answers: int) -> dict[str, Any]:
    py = sys.executable
    t0 = time.perf_counter()
    run_quiet([py, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run_quiet([py, "manage.py", "load_frameworks"], env)
    args = ["--links", str(links), "--answers", str(answers), "--password", PASSWORD]
    out = run_quiet([py, "-m", "bench.feedback_seed", *args], env)
    seeded: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    log(f"[{kind}] seeded in {time.perf_counter() - t0:.0f} s: {links} links, {answers} answers")
    return seeded


def through_gunicorn(
    kind: str, env: dict[str, str], tmp: Path, seeded: dict[str, Any], opts: Options
) -> dict[str, Any]:
    postgres, n = kind == "postgresql", opts.concurrency
    rows: dict[str, Any] = {}
    codes = list(seeded["codes"])
    with gunicorn(env, opts.workers, tmp / f"gunicorn-{kind}.log") as (port, master_pid):
        plain = {"User-Agent": "bansou-bench"}
        for key, path in (("minimal", "/bench/minimal/"), ("minimal_db", "/bench/minimal-db/")):
            gets: list[Scenario] = [Get(path, plain, exact=b"ok") for _ in range(n)]
            rows[key] = run_phase(port, master_pid, gets, opts, postgres)
        form_raters = [Rater(port, codes.pop()) for _ in range(n)]
        gets = [Get(r.path, r.headers(r.path), marker=b'name="mark_') for r in form_raters]
        rows["answer_get"] = run_phase(port, master_pid, gets, opts, postgres)
        t0 = time.perf_counter()
        raters = [Rater(port, codes.pop()) for _ in range(opts.requests + opts.warmup)]
        log(f"[{kind}] {len(raters)} rater sessions made in {time.perf_counter() - t0:.0f} s (untimed)")
        posts = Answers(raters)
        rows["answer_post"] = run_phase(port, master_pid, [posts] * n, opts, postgres)
        supporter = Browser(port)
        closed = f"/feedback/{seeded['closed']}/"
        supporter.log_in(seeded["supporter"], PASSWORD, closed)
        headers = {"User-Agent": "bansou-bench", "Cookie": supporter.cookie_header()}
        gets = [Get(closed, headers, marker="自分も周りも認める強み".encode()) for _ in range(n)]
        rows["comparison"] = run_phase(port, master_pid, gets, opts, postgres)
        for key, row in rows.items():
            log(
                f"[{kind}] {key}: p50 {row['p50_ms']:.1f} ms, p99 {row['p99_ms']:.1f} ms, "
                f"{row.get('failures', 0)} failures"
            )
    return rows


def bench_database(kind: str, url: str, tmp: Path, opts: Options, answers: int) -> dict[str, Any]:
    env = app_env(url, tmp / "var", secret_key=secrets.token_urlsafe(50))
    env["TRUSTED_PROXIES"] = "127.0.0.1/32"
    seeded = seed(kind, env, opts.requests + opts.warmup + opts.concurrency + 5, answers)
    return {
        "database": kind,
        "seed": {k: v for k, v in seeded.items() if k != "codes"},
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
        for label, key in (
            ("GET /f/answer/<key>/ (the public answer form)", "answer_get"),
            ("POST /f/answer/<key>/ (one answer, each by its own link)", "answer_post"),
            (f"GET the comparison ({result['seed']['answers']} answers)", "comparison"),
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
    parser.add_argument("--answers", type=int, default=50, help="answers of the closed request")
    parser.add_argument("--pg-server", default=server)
    parser.add_argument("--pg-database", default="bansou_bench_feedback")
    args = parser.parse_args(argv)
    opts = Options(args.requests, args.warmup, args.concurrency, 0, args.workers)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    machine = machine_info()
    log(f"machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}")
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-feedback-"))
    results, errors = [], []
    try:
        run_quiet(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            app_env(f"sqlite:///{tmp / 'static.sqlite3'}", tmp / "var", secret_key="collectstatic"),
        )
        for kind in args.databases.split(","):
            try:
                if kind == "sqlite":
                    url = f"sqlite:///{tmp / 'bansou.sqlite3'}"
                    results.append(
                        {
                            **bench_database(kind, url, tmp, opts, args.answers),
                            "version": sqlite3.sqlite_version,
                        }
                    )
                else:
                    with postgres_database(args.pg_server, args.pg_database) as (url, version):
                        results.append(
                            {**bench_database(kind, url, tmp, opts, args.answers), "version": version}
                        )
            except Exception as exc:  # report it, and go on
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")
                log(f"[{kind}] FAILED: {exc}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n## bansou feedback pages — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
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
    path = RESULTS_DIR / f"feedback_pages-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(
        json.dumps(
            {"benchmark": "feedback_pages", "machine": machine, "results": results, "errors": errors},
            ensure_ascii=False,
            indent=1,
        )
    )
    log(f"results written to {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
