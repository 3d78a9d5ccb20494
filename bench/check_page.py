"""Benchmark of the check sheet page and its autosave endpoint, on SQLite and on PostgreSQL.

Run by hand from the repository root, never by the test suite:  .venv/bin/python bench/check_page.py
(see bench/README.md for what it does and how to read what it prints).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import probes  # noqa: E402
from bench.loadgen import PhaseResult, Request, Scenario, Workers  # noqa: E402

HOST = "127.0.0.1"
USERNAME = "bench-user"
PASSWORD = "bench-Pass-7q4w!x"  # a throwaway account in a throwaway database
RESULTS_DIR = ROOT / "bench" / "results"
# Settings read from the environment that would change what is measured: the run sets its own.
SCRUBBED_ENV = (
    "ALLOWED_HOSTS",
    "BANSOU_DEBUG",
    "BANSOU_FRAMEWORK",
    "BANSOU_PLAIN_STATIC",
    "BANSOU_SIGNUP",
    "CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
)
ENDPOINTS = (  # (key, label); run in this order, shown in the order of the brief (a)-(d)
    ("minimal", "(c) minimal view GET /bench/minimal/"),
    ("minimal_db", "(d) minimal DB view GET /bench/minimal-db/"),
    ("sheet", "(a) check sheet GET /checks/drafts/<uuid>/"),
    ("autosave", "(b) autosave POST /checks/drafts/<uuid>/autosave/"),
)
SHOWN_ORDER = ("sheet", "autosave", "minimal", "minimal_db")


def log(message: str) -> None:
    print(message, flush=True)


# --- the processes and databases this run makes (and removes) ------------------------------------


def run_quiet(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def gunicorn_bin() -> str:
    for candidate in (ROOT / ".venv" / "bin" / "gunicorn", Path(sys.executable).parent / "gunicorn"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("gunicorn")
    if found is None:
        raise RuntimeError("gunicorn not found (make the venv: make run or make bench)")
    return found


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workers: int, log_path: Path) -> Iterator[tuple[int, int]]:
    """Starts gunicorn on a free loopback port; yields (port, master pid); stops it afterwards."""
    port = free_port()
    cmd = [gunicorn_bin(), "config.wsgi", "--workers", str(workers), "--bind", f"{HOST}:{port}"]
    if "--no-control-socket" in run_quiet([cmd[0], "--help"], env):
        cmd.append("--no-control-socket")  # gunicorn 24+: else it takes ~/.gunicorn/gunicorn.ctl
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_until_serving(proc, port, workers, log_path)
        yield port, proc.pid
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
                proc.wait()


def wait_until_serving(proc: subprocess.Popen[bytes], port: int, workers: int, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}):\n{log_path.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/bench/minimal/")
            ready = conn.getresponse().status == 200
            conn.close()
        except OSError:
            ready = False
        if ready and len(probes.children_of(proc.pid)) >= workers:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not start serving:\n{log_path.read_text()[-3000:]}")


@contextlib.contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[tuple[str, str]]:
    """A fresh database (any left by an interrupted run is dropped first); dropped at the end."""
    import psycopg
    from psycopg import sql

    def admin() -> psycopg.Connection[Any]:
        return psycopg.connect(f"{server_url}/postgres", autocommit=True, connect_timeout=5)

    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with admin() as conn:
        conn.execute(drop)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        row = conn.execute("SHOW server_version").fetchone()
        version = str(row[0]) if row else "?"
    try:
        yield f"{server_url}/{name}", version
    finally:
        with admin() as conn:
            conn.execute(drop)
        log(f"[postgresql] dropped database {name}")


# --- talking to the app --------------------------------------------------------------------------


class Browser:
    """Just enough of a browser to log in: one connection and a cookie jar."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        sent = {"Cookie": self.cookie_header()} if self.cookies else {}
        sent.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return response.status, response.headers, data

    def log_in(self, username: str, password: str, next_path: str) -> None:
        status, _, page = self.request("GET", "/accounts/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"login page: HTTP {status}, no CSRF token")
        form = {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
        form["next"] = next_path
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body=urllib.parse.urlencode(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies or "csrftoken" not in self.cookies:
            raise RuntimeError(f"login failed: HTTP {status}, cookies {sorted(self.cookies)}")


def revisions_on_page(page: bytes) -> dict[tuple[str, str], int]:
    """What the sheet shows: the revision of every cell (as the page's script reads them)."""
    found = re.findall(rb'data-item="([^"]+)" data-axis="([^"]+)" data-revision="(\d+)"', page)
    return {(item.decode(), axis.decode()): int(rev) for item, axis, rev in found}


class Get:
    def __init__(
        self, path: str, headers: dict[str, str], *, exact: bytes | None = None, marker: bytes = b""
    ) -> None:
        self.request = Request("GET", path, headers=headers)
        self.exact, self.marker = exact, marker

    def next_request(self) -> Request:
        return self.request

    def check(self, status: int, body: bytes) -> str | None:
        if status != 200:
            return f"GET {self.request.path}: HTTP {status}: {body[:200]!r}"
        if (self.exact is not None and body != self.exact) or self.marker not in body:
            return f"GET {self.request.path}: unexpected body {body[:200]!r}"
        return None


class Autosave:
    """Writes one cell, alternating its value, each time on the revision the last save returned."""

    def __init__(self, path: str, headers: dict[str, str], cell: dict[str, Any], scale: list[int]) -> None:
        self.path, self.headers, self.scale = path, headers, scale
        self.item, self.axis = str(cell["item"]), str(cell["axis"])
        self.value: int | None = cell["value"]
        self.revision: int = int(cell["revision"])
        self.first_revision = self.revision
        self.sending: int | None = None
        self.saved = 0

    def next_request(self) -> Request:
        at = self.scale.index(self.value) + 1 if self.value in self.scale else 0
        self.sending = self.scale[at % len(self.scale)]
        edit = {"item": self.item, "axis": self.axis, "value": self.sending, "base_revision": self.revision}
        return Request("POST", self.path, json.dumps({"edits": [edit]}).encode(), self.headers)

    def check(self, status: int, body: bytes) -> str | None:
        where = f"autosave {self.item}/{self.axis} (value {self.sending} on revision {self.revision})"
        if status != 200:
            return f"{where}: HTTP {status}: {body[:200]!r}"
        try:
            (result,) = json.loads(body)["results"]
        except (ValueError, KeyError, TypeError):
            return f"{where}: unexpected body {body[:200]!r}"
        expected = (self.item, self.axis, "saved", self.sending, self.revision + 1)
        got = (result["item"], result["axis"], result["outcome"], result["value"], result["revision"])
        self.value, self.revision = result["value"], result["revision"]  # what the server now has
        if got != expected:
            return f"{where}: got {got}"
        self.saved += 1
        return None


# --- one database --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    requests: int
    warmup: int
    concurrency: int
    users: int
    workers: int


def app_env(database_url: str, var_dir: Path, secret_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        BANSOU_VAR_DIR=str(var_dir),
        BANSOU_MODE="local",
        SECRET_KEY=secret_key,
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    )
    return env


def measure(
    workers: Workers, master_pid: int, opts: Options, *, postgres: bool, after_warmup: Callable[[], None]
) -> dict[str, Any]:
    """A warm-up phase, then the measured phase, with the CPU used meanwhile by each party."""
    warm = workers.run(opts.warmup)
    after_warmup()
    pids = probes.children_of(master_pid)
    gunicorn0 = probes.cpu_of(pids)
    pg0 = probes.cpu_of(probes.processes_named("postgres")) if postgres else {}
    machine0 = probes.MachineCpu.now()
    res = workers.run(opts.requests)
    machine1 = probes.MachineCpu.now()
    gunicorn1 = probes.cpu_of(probes.children_of(master_pid))
    pg1 = probes.cpu_of(probes.processes_named("postgres")) if postgres else {}
    # A worker that was replaced meanwhile would make this wrong: then it is not reported.
    worker_cpu = (
        sum(gunicorn1[p] - gunicorn0[p] for p in pids) if gunicorn0.keys() == gunicorn1.keys() else None
    )
    # Backends started meanwhile count from zero; one that ended meanwhile is missed (rare).
    pg_cpu = sum(cpu - pg0.get(pid, 0.0) for pid, cpu in pg1.items()) if postgres else None
    busy, capacity = machine1.busy - machine0.busy, machine1.total - machine0.total
    row = summarize(res)

    def per_request(seconds: float | None) -> float | None:
        return None if seconds is None else 1000 * seconds / res.requests

    other = None
    if worker_cpu is not None and capacity:
        other = 100 * (busy - worker_cpu - (pg_cpu or 0.0) - res.client_cpu_seconds) / capacity
    row.update(
        warmup_failures=len(warm.failures),
        gunicorn_cpu_ms_per_req=per_request(worker_cpu),
        postgres_cpu_ms_per_req=per_request(pg_cpu),
        loadgen_cpu_ms_per_req=per_request(res.client_cpu_seconds),
        machine_busy_pct=100 * busy / capacity if capacity else None,
        other_cpu_pct=other,
    )
    return row


def summarize(res: PhaseResult) -> dict[str, Any]:
    lat = res.latencies
    return {
        "requests": res.requests,
        "failures": len(res.failures),
        "failure_samples": res.failures[:50],
        "wall_s": round(res.wall_seconds, 3),
        "rps": res.rps,
        "mean_ms": 1000 * sum(lat) / len(lat) if lat else None,
        "p50_ms": 1000 * res.percentile(50),
        "p90_ms": 1000 * res.percentile(90),
        "p99_ms": 1000 * res.percentile(99),
        "max_ms": 1000 * lat[-1] if lat else None,
    }


def bench_database(kind: str, database_url: str, db_version: str, tmp: Path, opts: Options) -> dict[str, Any]:
    env = app_env(database_url, tmp / "var", secret_key=secrets.token_urlsafe(50))
    py = sys.executable
    t0 = time.perf_counter()
    run_quiet([py, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run_quiet([py, "manage.py", "load_frameworks"], env)
    log(
        f"[{kind}] migrated, frameworks loaded ({time.perf_counter() - t0:.1f} s); seeding {opts.users} users"
    )
    out = run_quiet(
        [py, "-m", "bench.seed", "--users", str(opts.users), "--username", USERNAME, "--password", PASSWORD],
        env,
    )
    seed = json.loads(out.strip().splitlines()[-1])
    log(f"[{kind}] seeded in {seed['seconds']} s: {seed['counts']}")
    if len(seed["cells"]) < opts.concurrency:
        raise RuntimeError("more load workers than cells to write")

    sheet_path = f"/checks/drafts/{seed['draft']}/"
    result: dict[str, Any] = {
        "database": kind,
        "database_version": db_version,
        "data": seed["counts"],
        "draft": seed["draft"],
        "endpoints": {},
    }
    with gunicorn(env, opts.workers, tmp / f"gunicorn-{kind}.log") as (port, master_pid):
        log(f"[{kind}] gunicorn ({opts.workers} workers) on {HOST}:{port}, pid {master_pid}")
        browser = Browser(port)
        browser.log_in(USERNAME, PASSWORD, sheet_path)
        status, _, page = browser.request("GET", sheet_path)
        if status != 200:
            raise RuntimeError(f"sheet page: HTTP {status}")
        shown = revisions_on_page(page)
        cells = seed["cells"][: opts.concurrency]
        for cell in cells:  # the page shows what the seed left
            if shown.get((cell["item"], cell["axis"])) != cell["revision"]:
                raise RuntimeError(f"page and database disagree on {cell}")

        base = {"Cookie": browser.cookie_header(), "User-Agent": "bansou-bench", "Accept": "*/*"}
        post = dict(
            base,
            **{
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": browser.cookies["csrftoken"],
                "Origin": browser.origin,
                "Referer": browser.origin + sheet_path,
            },
        )
        marker = f'data-draft="{seed["draft"]}"'.encode()
        autosavers = [Autosave(sheet_path + "autosave/", post, cell, seed["scale"]) for cell in cells]
        scenarios: dict[str, list[Scenario]] = {
            "minimal": [Get("/bench/minimal/", base, exact=b"ok") for _ in range(opts.concurrency)],
            "minimal_db": [Get("/bench/minimal-db/", base, exact=b"ok") for _ in range(opts.concurrency)],
            "sheet": [Get(sheet_path, base, marker=marker) for _ in range(opts.concurrency)],
            "autosave": list(autosavers),
        }
        saved_before_phase = [0]  # writes answered "saved" before the measured phase

        def note_saved() -> None:
            saved_before_phase[0] = sum(a.saved for a in autosavers)

        for key, label in ENDPOINTS:
            workers = Workers(HOST, port, scenarios[key])
            try:
                row = measure(
                    workers, master_pid, opts, postgres=kind == "postgresql", after_warmup=note_saved
                )
                row = {"label": label, **row}
                if key == "autosave":
                    row["saved"] = sum(a.saved for a in autosavers) - saved_before_phase[0]
            finally:
                workers.close()
            result["endpoints"][key] = row
            log(
                f"[{kind}] {label}: {row['rps']:.1f} req/s, p50 {row['p50_ms']:.2f} ms, "
                f"p99 {row['p99_ms']:.2f} ms, {row['failures']} failures"
            )

        # The page shows exactly the revisions the autosave workers were told, nothing lost or extra.
        status, _, page = browser.request("GET", sheet_path)
        shown = revisions_on_page(page)
        mismatches = [
            f"{a.item}/{a.axis}: page r{shown.get((a.item, a.axis))}, load generator r{a.revision}, "
            f"r{a.first_revision} + {a.saved} saves"
            for a in autosavers
            if not shown.get((a.item, a.axis)) == a.revision == a.first_revision + a.saved
        ]
        result["autosave_check"] = {
            "cells": [f"{a.item}/{a.axis}" for a in autosavers],
            "writes_saved_in_total": sum(a.saved for a in autosavers),
            "final_revisions": {f"{a.item}/{a.axis}": a.revision for a in autosavers},
            "consistent_with_page": status == 200 and not mismatches,
            "mismatches": mismatches,
        }
        gunicorn_log = (tmp / f"gunicorn-{kind}.log").read_text(errors="replace")
        result["gunicorn_log_tail"] = gunicorn_log[-2000:]
    minimal = result["endpoints"]["minimal"]
    for row in result["endpoints"].values():
        row["server_cpu_ms_per_req"] = server_cpu(row)
        row["rps_vs_minimal"] = ratio(row["rps"], minimal["rps"])
        row["p50_vs_minimal"] = ratio(row["p50_ms"], minimal["p50_ms"])
        row["server_cpu_vs_minimal"] = ratio(row["server_cpu_ms_per_req"], server_cpu(minimal))
    return result


def server_cpu(row: dict[str, Any]) -> float | None:
    """CPU per request of the application and its database (gunicorn workers + PostgreSQL)."""
    if row["gunicorn_cpu_ms_per_req"] is None:
        return None
    return float(row["gunicorn_cpu_ms_per_req"] + (row["postgres_cpu_ms_per_req"] or 0.0))


def ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


# --- reporting -----------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 2, suffix: str = "", na: str = "n/a") -> str:
    return na if value is None else f"{value:.{digits}f}{suffix}"


def markdown_table(result: dict[str, Any], opts: Options) -> str:
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[result["database"]]
    data = result["data"]
    lines = [
        f"### {title} {result['database_version']}",
        "",
        f"gunicorn {opts.workers} sync workers; {opts.concurrency} concurrent clients; "
        f"{opts.requests} requests per endpoint after {opts.warmup} warm-up; data: {data['users']} users, "
        f"{data['checks']} checks, {data['drafts']} drafts ({data['draft_cells']} cells).",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | req/s vs minimal | p50 vs minimal "
        "| gunicorn CPU ms/req | postgres CPU ms/req | server CPU vs minimal | other load | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key in SHOWN_ORDER:
        row = result["endpoints"][key]
        lines.append(
            f"| {row['label']} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
            f"| {fmt(row['rps_vs_minimal'])} | {fmt(row['p50_vs_minimal'])} "
            f"| {fmt(row['gunicorn_cpu_ms_per_req'])} | {fmt(row['postgres_cpu_ms_per_req'], na='—')} "
            f"| {fmt(row['server_cpu_vs_minimal'])} | {fmt(row['other_cpu_pct'], 0, '%')} "
            f"| {row['failures']} / {row['requests']} |"
        )
    check = result["autosave_check"]
    saved = result["endpoints"]["autosave"].get("saved", 0)
    loadgen = [row["loadgen_cpu_ms_per_req"] for row in result["endpoints"].values()]
    lines += [
        "",
        f"Load generator CPU: {min(loadgen):.2f}-{max(loadgen):.2f} ms per request (same machine).",
        f"Autosave: {saved} of {result['endpoints']['autosave']['requests']} measured writes answered "
        f'"saved" with the next revision; final revisions '
        f"{'match' if check['consistent_with_page'] else 'DO NOT match'} the sheet page "
        f"({', '.join(f'{k}: r{v}' for k, v in check['final_revisions'].items())}).",
    ]
    return "\n".join(lines)


def machine_info() -> dict[str, Any]:
    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    mem = next(
        (
            line.split(":")[1].strip()
            for line in Path("/proc/meminfo").read_text().splitlines()
            if "MemTotal" in line
        ),
        "?",
    )
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": probes.cpu_model(),
        "memory": mem,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "psycopg": version("psycopg"),
        "sqlite": sqlite3.sqlite_version,
        "commit": git_head(),
    }


def git_head() -> str | None:
    """The checked-out commit, read from .git (git itself is not run)."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0]
    except OSError:
        pass
    return None


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per endpoint")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured requests per endpoint first")
    parser.add_argument("--concurrency", type=int, default=4, help="load generator threads")
    parser.add_argument("--users", type=int, default=200, help="other users to create, each with history")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--pg-server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL"
    )
    parser.add_argument("--pg-database", default="bansou_bench", help="database made and dropped")
    parser.add_argument(
        "--keep-tmp", action="store_true", help="keep the temporary directory (logs, SQLite file)"
    )
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.databases.split(",") if k.strip()]
    if not kinds or set(kinds) - {"sqlite", "postgresql"}:
        parser.error("--databases takes sqlite and/or postgresql")
    opts = Options(args.requests, args.warmup, args.concurrency, args.users, args.workers)

    # SIGTERM unwinds like Ctrl-C, so gunicorn is stopped and the database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    machine = machine_info()
    log(
        f"machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}; "
        f"Python {machine['python']}, Django {machine['django']}, gunicorn {machine['gunicorn']}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bansou-bench-"))
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
        f"## bansou check page benchmark — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"Machine: nproc={machine['nproc']}, {machine['cpu_model']}, {machine['memory']}, "
        f"Linux {machine['kernel']}; Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']}. Load generator on the same machine (loopback).\n"
    )
    failed = bool(errors)
    for result in results:
        print(markdown_table(result, opts))
        print()
        for key in SHOWN_ORDER:
            row = result["endpoints"][key]
            for sample in row["failure_samples"][:10]:
                print(f"  failure ({result['database']}, {key}): {sample}")
            failed = failed or row["failures"] > 0 or row["warmup_failures"] > 0
        check = result["autosave_check"]
        failed = failed or not check["consistent_with_page"]
        for mismatch in check["mismatches"]:
            print(f"  autosave mismatch ({result['database']}): {mismatch}")
    for error in errors:
        print(f"ERROR {error}")

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"check_page-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    document = {
        "benchmark": "check_page",
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
