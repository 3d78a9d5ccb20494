"""In-process measurements for bench/team_pages.py, on a database bench/team_seed.py filled.

Run by bench/team_pages.py as ``python -m bench.team_probe SEED_JSON`` with DJANGO_SETTINGS_MODULE
and DATABASE_URL set (gunicorn is not running meanwhile). Through Django's test client, as the
people the load generator logs in as, it gives for each page:

- the SQL queries of one request (``CaptureQueriesContext``), and the time spent in them (a
  ``connection.execute_wrapper`` around every execute: the database's work and the transfer of
  the rows; turning rows into objects is Python and counted outside);
- the in-process time of the view, over ``--repeat`` requests, split into SQL and the rest, and
  a timeline of one request (medians of ``--repeat`` / 4): each query's SQL time and the Python
  time before it;
- for the pool: how many rows its main query (the ``CheckStanding`` search) returns, its plan
  (``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite) and the
  indexes the plan names, and how many people each page says it found;
- a cProfile of ``--profile`` requests of each page, with the time grouped by where it goes.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

POOL_QUERY_TABLE = "checks_checkstanding"  # the pool's main query is the one that reads standings
POOL_ELEMENTS = "4"
FOCUS = {  # functions whose callees the profile lists
    "team_map": ("team_context", "shared_checks"),
    "org_pool": ("_pool", "pool_candidates"),
    "team_pool": ("pool_candidates",),
}
FOUND = re.compile(r"(\d+)人 見つかりました")


def pages(seed: dict[str, Any]) -> dict[str, list[tuple[str, str | None]]]:
    """Page key to the (path, username) pairs requested, in rotation; None: not logged in."""
    org, fiscal_year, staff = seed["organisation"], seed["fiscal_year"], seed["staff"]
    logins = seed["logins"]
    return {
        "team_map": [(f"/teams/{row['team']}/", row["username"]) for row in logins],
        "org_pool": [(f"/teams/pool/{org}/?elements={POOL_ELEMENTS}&fiscal_year={fiscal_year}", staff)],
        "team_pool": [(f"/teams/{row['team']}/pool/?elements={POOL_ELEMENTS}", staff) for row in logins],
        "minimal_db": [("/bench/minimal-db/", None)],
    }


class Timer:
    """Wraps every SQL execute: how many, and the seconds spent in them."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - t0
            self.count += 1


class Timeline:
    """Wraps every SQL execute and records when it started and ended, with its SQL."""

    def __init__(self) -> None:
        self.events: list[tuple[str, float, float]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.events.append((sql, t0, time.perf_counter()))


def short_sql(sql: str) -> str:
    """``SELECT … FROM "table" …`` shortened to what a reader needs to tell the queries apart."""
    table = "?"
    for match in re.finditer(r'\bFROM "(\w+)"', sql):  # the outermost FROM, not a subquery's
        if sql.count("(", 0, match.start()) == sql.count(")", 0, match.start()):
            table = match.group(1)
            break
    params = sql.count("%s") + sql.count("?")
    return f"{sql.split()[0]} {table}" + (f" ({params} parameters)" if params > 20 else "")


def index_names(plan: list[str]) -> list[str]:
    """The indexes a plan (PostgreSQL or SQLite) says it uses, in order of first mention."""
    found: list[str] = []
    patterns = (
        r"Index (?:Only )?Scan(?: Backward)? using (\S+) on",
        r"Bitmap Index Scan on (\S+)",
        r"USING (?:COVERING )?INDEX (\S+)",
        r"USING (?:INTEGER )?PRIMARY KEY",
    )
    for line in plan:
        for pattern in patterns:
            for match in re.finditer(pattern, line):
                name = match.group(1) if match.groups() else match.group(0)
                if name not in found:
                    found.append(name)
    return found


def category(filename: str, function: str) -> str:
    """Where a profiled function's own time goes."""
    if "sqlite3" in function or "psycopg" in filename or "psycopg" in function:
        return "database (driver, waiting for the server)"
    if "/django/db/" in filename:
        return "Django ORM (django.db)"
    if "/django/template" in filename or "/templatetags/" in filename:
        return "templates"
    if "/bansou/domain/" in filename:
        return "bansou.domain (scoring, coverage)"
    if "/bansou/" in filename:
        return "bansou (views, queries, presenters, forms)"
    if "/django/" in filename:
        return "Django (request, middleware, forms, i18n…)"
    return "other (Python built-ins, stdlib)"


def profile(run: Callable[[], None], requests: int, focus: tuple[str, ...] = ()) -> dict[str, Any]:
    """Profiles ``requests`` calls of ``run``. The own time of built-ins and the standard library
    is charged to the category of their callers (a list sort called by the ORM is the ORM's), so
    that "other" is only what Python-level code outside Django and the app calls for itself."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, dict[Any, Any]]]
    raw = stats.stats  # type: ignore[attr-defined]
    other = category("", "")
    by_category: dict[str, float] = {}
    for (filename, _line, function), (_cc, _nc, tottime, _ct, callers) in raw.items():
        key = category(filename, function)
        if key == other and callers:
            charged = 0.0
            for (c_file, _c_line, c_function), caller_stats in callers.items():
                c_key = category(c_file, c_function)
                share = caller_stats[2] if isinstance(caller_stats, tuple) else 0.0
                by_category[c_key] = by_category.get(c_key, 0.0) + share
                charged += share
            by_category[other] = by_category.get(other, 0.0) + max(0.0, tottime - charged)
            continue
        by_category[key] = by_category.get(key, 0.0) + tottime
    total = sum(by_category.values())
    text = {}
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(25)
        text[order] = out.getvalue()
    for name in focus:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative").print_callees(rf"\({name}\)")
        text[f"callees of {name}"] = out.getvalue()
    return {
        "requests": requests,
        "total_ms_per_request": 1000 * total / requests,
        "ms_per_request_by_category": {
            k: 1000 * v / requests for k, v in sorted(by_category.items(), key=lambda kv: -kv[1])
        },
        "top": text,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seed_json", type=Path)
    parser.add_argument("--repeat", type=int, default=40, help="timed requests per page")
    parser.add_argument("--profile", type=int, default=40, help="profiled requests per page (0: none)")
    args = parser.parse_args(argv)
    seed = json.loads(args.seed_json.read_text())

    import django

    django.setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bansou.accounts.models import User

    clients: dict[str | None, Client] = {}

    def client_of(username: str | None) -> Client:
        if username not in clients:
            client = Client(HTTP_HOST="127.0.0.1")
            if username is not None:
                user = User.objects.get(username=username)
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            clients[username] = client
        return clients[username]

    @contextmanager
    def timed() -> Iterator[Timer]:
        timer = Timer()
        with connection.execute_wrapper(timer):
            yield timer

    out: dict[str, Any] = {"database": connection.vendor, "pages": {}}
    pool_sql: str | None = None
    for key, targets in pages(seed).items():
        for path, username in targets:  # first requests: per-process caches (framework, templates)
            response = client_of(username).get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} as {username}: HTTP {response.status_code}")
        per_target: list[dict[str, Any]] = []
        for path, username in targets:  # once each, with every query captured
            with CaptureQueriesContext(connection) as captured, timed() as timer:
                t0 = time.perf_counter()
                response = client_of(username).get(path)
                seconds = time.perf_counter() - t0
            body = response.content.decode()
            found = FOUND.search(body)
            per_target.append(
                {
                    "path": path,
                    "user": username,
                    "status": response.status_code,
                    "queries": len(captured),
                    "sql_ms": 1000 * timer.seconds,
                    "view_ms": 1000 * seconds,
                    "bytes": len(response.content),
                    "found": int(found.group(1)) if found else None,
                    "shown": body.count('<th scope="row">') if key.endswith("pool") else None,
                    "sql": [q["sql"][:300] for q in captured.captured_queries],
                }
            )
            if key == "org_pool" and pool_sql is None:
                pool_sql = next(
                    (q["sql"] for q in captured.captured_queries if POOL_QUERY_TABLE in q["sql"]), None
                )
        views, sqls = [], []
        for i in range(args.repeat):  # timed, the test client's overhead included
            path, username = targets[i % len(targets)]
            client = client_of(username)
            with timed() as timer:
                t0 = time.perf_counter()
                client.get(path)
                views.append(1000 * (time.perf_counter() - t0))
            sqls.append(1000 * timer.seconds)
        counts = sorted({t["queries"] for t in per_target})
        out["pages"][key] = {
            "targets": per_target,
            "queries": counts[0] if len(counts) == 1 else f"{counts[0]}-{counts[-1]}",
            "queries_max": counts[-1],
            "view_ms_mean": statistics.fmean(views),
            "view_ms_median": statistics.median(views),
            "sql_ms_mean": statistics.fmean(sqls),
            "sql_ms_median": statistics.median(sqls),
            "repeat": args.repeat,
        }
        if args.profile and key != "minimal_db":

            def run(targets: list[tuple[str, str | None]] = targets, n: list[int] = [0]) -> None:  # noqa: B006
                path, username = targets[n[0] % len(targets)]
                n[0] += 1
                client_of(username).get(path)

            out["pages"][key]["profile"] = profile(run, args.profile, FOCUS.get(key, ()))

    for key, targets in pages(seed).items():  # where one request's time goes, query by query
        path, username = targets[0]
        runs = []
        for _ in range(max(1, args.repeat // 4)):
            timeline = Timeline()
            with connection.execute_wrapper(timeline):
                t0 = time.perf_counter()
                client_of(username).get(path)
                t1 = time.perf_counter()
            runs.append((timeline.events, t0, t1))
        if len({len(events) for events, _, _ in runs}) != 1:
            continue  # not the same queries each time: no average
        steps = []
        for i, (sql, _start, _end) in enumerate(runs[0][0]):
            sql_ms = statistics.median(1000 * (ev[i][2] - ev[i][1]) for ev, _, _ in runs)
            before = statistics.median(1000 * (ev[i][1] - (ev[i - 1][2] if i else t0)) for ev, t0, _ in runs)
            steps.append({"query": short_sql(sql), "python_ms_before": before, "sql_ms": sql_ms})
        tail = statistics.median(1000 * (t1 - (ev[-1][2] if ev else t0)) for ev, t0, t1 in runs)
        out["pages"][key]["timeline"] = {"path": path, "steps": steps, "python_ms_after_last": tail}

    if pool_sql is None:
        raise SystemExit("no CheckStanding query in the pool page")
    with connection.cursor() as cursor:
        cursor.execute(pool_sql)
        rows = cursor.fetchall()
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + pool_sql)
            plan = [str(row[0]) for row in cursor.fetchall()]
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + pool_sql)
            depths: dict[int, int] = {}
            plan = []
            for node, parent, _unused, detail in cursor.fetchall():
                depths[node] = depths.get(parent, -1) + 1
                plan.append("  " * depths[node] + str(detail))
    out["pool_query"] = {
        "sql": pool_sql,
        "rows": len(rows),
        "people": len({row[0] for row in rows}),
        "plan": plan,
        "indexes": index_names(plan),
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
