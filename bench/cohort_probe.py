"""In-process measurements for bench/cohort_pages.py, on a database bench/cohort_seed.py filled.

Run by bench/cohort_pages.py as ``python -m bench.cohort_probe SEED_JSON`` with DJANGO_SETTINGS_MODULE
and DATABASE_URL set (gunicorn is not running meanwhile). With Django's test client, as the
organiser, it:

- requests the 研修's totals page once with every query captured (``CaptureQueriesContext``) and
  the time inside them (``team_probe.Timer``): the query count, and the SQL of each. That time is
  the time of ``execute`` only: on SQLite a GROUP BY statement does part of its work while its
  rows are fetched, which counts as Python there (the raw SQL loops below fetch, and count it);
- checks what the page computes (``presenters.cohort_results``, and ``queries.totals_of`` for the
  change's two sides) against the totals the seed worked out in Python from the answers it wrote;
- times ``--repeat`` requests (view time, of which SQL), one request query by query, and profiles
  ``--profile`` requests (``team_probe.profile``, with Django's ``SQLiteCursorWrapper.execute``
  counted as the database, not as the ORM);
- takes the page's ``GROUP BY`` statements (the raw SQL aggregate the page needs: two per set of
  totals, ``totals_of``), checks that each returns exactly the expected totals, and runs them again
  and again on database cursors, closed loop: one iteration = every statement executed and its rows
  fetched, as the page does. With ``--clients`` at once (each thread its own connection, as each
  gunicorn worker has: the load generator's concurrency), ``--sql-repeat`` iterations; and with 1
  client (and each statement's own time), ``--sql-repeat-one``. CPU per iteration: this process
  (driver, fetching) plus PostgreSQL's backends;
- explains the first two statements (``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL, ``EXPLAIN QUERY
  PLAN`` on SQLite);
- requests the organiser's 研修 page (the hand-in status of every participant) once, for scale.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import team_probe  # noqa: E402
from bench.check_page import summarize  # noqa: E402
from bench.loadgen import PhaseResult, _Quota  # noqa: E402
from bench.team_pages import postgres_cpu_total  # noqa: E402
from bench.team_probe import Timeline, Timer, index_names, profile, short_sql  # noqa: E402

GROUPS = ("pre", "post", "change_pre", "change_post")  # as bench/cohort_seed.py computes them


def results_path(seed: dict[str, Any]) -> str:
    return f"/cohorts/{seed['cohort']}/results/"


def markers(seed: dict[str, Any]) -> list[str]:
    """What the totals page must contain: both columns with their group sizes, and the change."""
    people = seed["people"]
    found = [f"事前（{people['pre']}人）", f"事後（{people['post']}人）"]
    if seed["change_shown"]:
        found.append('<th scope="colgroup" colspan="2">変化</th>')
    return found


def statement_kind(sql: str) -> str:
    """``items`` (the ``CheckAnswer`` GROUP BY) or ``elements`` (the ``CheckStanding`` one)."""
    table = short_sql(sql).split()[1]
    return {"checks_checkanswer": "items", "checks_checkstanding": "elements"}.get(table, table)


def sql_rows(kind: str, rows: list[tuple[Any, ...]], codes: dict[int, str]) -> Any:
    """A statement's rows in the form of the seed's expected totals (``codes``: item id to code)."""
    if kind == "items":  # item id, people, understood, practised
        return {codes[item]: [people, u, p] for item, people, u, p in rows}
    return sorted([e, bool(u), bool(p), n] for e, u, p, n in rows)  # element, understood, practised, n


def same_totals(totals: Any, expected: dict[str, Any]) -> list[str]:
    """Differences between a ``Totals`` the app computed and the seed's expected totals."""
    from bansou.domain.aggregates import element_count

    problems = []
    items = {code: [c.people, c.understood, c.practised] for code, c in totals.items.items()}
    if items != expected["items"]:
        problems.append(
            f"items differ: {sorted(items.items())[:3]} vs {sorted(expected['items'].items())[:3]}"
        )
    rows: dict[int, list[tuple[bool, bool, int]]] = {}
    for element, u, p, n in expected["elements"]:
        rows.setdefault(element, []).append((u, p, n))
    want = {e: dict(element_count(r).quadrants) for e, r in rows.items()}
    got = {e: dict(count.quadrants) for e, count in totals.elements.items()}
    if got != want:
        problems.append(f"elements differ: {got} vs {want}")
    if totals.people != expected["checks"]:
        problems.append(f"people: {totals.people} vs {expected['checks']}")
    return problems


def plan_of(cursor: Any, vendor: str, sql: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return [str(row[0]) for row in cursor.fetchall()]
    cursor.execute("EXPLAIN QUERY PLAN " + sql)
    depths: dict[int, int] = {}
    plan = []
    for node, parent, _unused, detail in cursor.fetchall():
        depths[node] = depths.get(parent, -1) + 1
        plan.append("  " * depths[node] + str(detail))
    return plan


def sql_loop(statements: list[str], warmup: int, total: int, clients: int) -> dict[str, Any]:
    """``clients`` threads, each with its own database connection, run all of ``statements`` (and
    fetch their rows) per iteration: ``warmup`` iterations in all, then ``total`` measured ones.
    Latency per iteration as the load generator reports it (``check_page.summarize``), CPU per
    iteration, and with one client each statement's median."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    warm, measured = _Quota(warmup), _Quota(total)
    ready, go = threading.Barrier(clients + 1), threading.Barrier(clients + 1)
    latencies: list[list[float]] = [[] for _ in range(clients)]
    per_statement: list[list[float]] = [[] for _ in statements]
    errors: list[str] = []

    def iteration(cursor: Any, timed: bool) -> None:
        for i, sql in enumerate(statements):
            t0 = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            if timed:
                per_statement[i].append(time.perf_counter() - t0)

    def work(index: int) -> None:
        try:
            with connection.cursor() as cursor:  # this thread's own connection
                while warm.take():
                    iteration(cursor, False)
                ready.wait()
                go.wait()
                while measured.take():
                    t0 = time.perf_counter()
                    iteration(cursor, clients == 1)
                    latencies[index].append(time.perf_counter() - t0)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            ready.abort()
            go.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    with suppress(threading.BrokenBarrierError):
        ready.wait()
    cpu0, pg0, t0 = time.process_time(), postgres_cpu_total() if postgres else 0.0, time.perf_counter()
    with suppress(threading.BrokenBarrierError):
        go.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    pg = postgres_cpu_total() - pg0 if postgres else None
    if errors:
        raise SystemExit(f"raw SQL loop failed: {errors[0]}")
    lat = sorted(x for per in latencies for x in per)
    row = summarize(PhaseResult(len(lat), wall, cpu, lat, []))
    row.update(
        clients=clients,
        statements=len(statements),
        warmup=warmup,
        process_cpu_ms_per_iteration=1000 * cpu / len(lat),
        postgres_cpu_ms_per_iteration=None if pg is None else 1000 * pg / len(lat),
        cpu_ms_per_iteration=1000 * (cpu + (pg or 0.0)) / len(lat),
    )
    if clients == 1:
        row["statement_ms_median"] = [1000 * statistics.median(times) for times in per_statement]
    return row


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seed_json", type=Path)
    parser.add_argument("--repeat", type=int, default=20, help="timed in-process requests of the page")
    parser.add_argument("--profile", type=int, default=10, help="profiled requests of the page (0: none)")
    parser.add_argument("--sql-repeat", type=int, default=100, help="raw SQL iterations, --clients at once")
    parser.add_argument("--sql-repeat-one", type=int, default=30, help="raw SQL iterations, 1 client")
    parser.add_argument("--sql-warmup", type=int, default=5, help="unmeasured iterations of each loop")
    parser.add_argument("--clients", type=int, default=4, help="concurrent raw SQL clients")
    args = parser.parse_args(argv)
    seed = json.loads(args.seed_json.read_text())

    import django

    django.setup()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bansou.accounts.models import User
    from bansou.cohorts import disclosure, presenters, queries
    from bansou.cohorts.models import Cohort
    from bansou.disclosure import queries as disclosure_queries
    from bansou.frameworks.queries import current_version, framework_of
    from bansou.orgs.models import Membership

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(
        User.objects.get(username=seed["organiser"]), backend="django.contrib.auth.backends.ModelBackend"
    )
    path = results_path(seed)
    wanted = markers(seed)

    @contextmanager
    def timed() -> Iterator[Timer]:
        timer = Timer()
        with connection.execute_wrapper(timer):
            yield timer

    def get(url: str) -> Any:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        return response

    get(path)  # first request: per-process caches (framework, templates)
    with CaptureQueriesContext(connection) as captured, timed() as timer:
        t0 = time.perf_counter()
        body = get(path).content.decode()
        view_ms = 1000 * (time.perf_counter() - t0)
    missing = [m for m in wanted if m not in body]
    if missing:
        raise SystemExit(f"{path}: no {missing[0]!r} in the page")
    page_sql = [q["sql"] for q in captured.captured_queries]
    out: dict[str, Any] = {
        "database": connection.vendor,
        "path": path,
        "markers": wanted,
        "page": {
            "queries": len(page_sql),
            "bytes": len(body.encode()),
            "first_view_ms": view_ms,
            "first_sql_ms": 1000 * timer.seconds,
            "sql": page_sql,
            "short": [short_sql(sql) for sql in page_sql],
        },
    }

    # What the page computes must be what the seed wrote.
    cohort = Cohort.objects.select_related("organisation", "framework").get(public_id=seed["cohort"])
    framework = framework_of(current_version())
    expected = seed["expected"]
    organiser = Membership.objects.get(organisation=cohort.organisation).user_id
    context = presenters.cohort_results(disclosure.cohort_totals(cohort, framework, organiser), framework)
    problems: list[str] = []
    if context["has_change"] != seed["change_shown"]:
        problems.append(f"change shown: {context['has_change']}, expected {seed['change_shown']}")
    for column, name in zip(context["columns"], ("pre", "post"), strict=True):
        problems += [f"{name}: {p}" for p in same_totals(column.totals, expected[name])]
    groups = queries.groups_of(cohort)
    for group, name in ((groups.paired_pre, "change_pre"), (groups.paired_post, "change_post")):
        totals = disclosure_queries.totals_of(
            group, framework.scale, disclosure_queries.item_codes(cohort.framework)
        )
        problems += [f"{name}: {p}" for p in same_totals(totals, expected[name])]

    # The raw SQL aggregate: the page's GROUP BY statements, each checked against the seed's totals.
    aggregates = [sql for sql in page_sql if "GROUP BY" in sql]
    # Two per group counted: 事前, 事後, and the change's 事前 of those who did both (its 事後 is 事後
    # itself when everyone with a post-check has a pre-check, and is then counted once).
    if len(aggregates) not in ((6, 8) if seed["change_shown"] else (4,)):
        problems.append(f"{len(aggregates)} GROUP BY statements in the page")
    described = []
    codes = disclosure_queries.item_codes(cohort.framework)
    with connection.cursor() as cursor:
        for i, sql in enumerate(aggregates):
            group, kind = GROUPS[i // 2], statement_kind(sql)
            cursor.execute(sql)
            rows = cursor.fetchall()
            if sql_rows(kind, rows, codes) != expected[group][kind]:
                problems.append(f"statement {i + 1} ({group} {kind}): rows differ from the seed's totals")
            described.append({"group": group, "kind": kind, "rows": len(rows), "sql": sql})
        plans = {
            f"{d['group']} {d['kind']}": plan_of(cursor, connection.vendor, d["sql"]) for d in described[:2]
        }
    if problems:
        raise SystemExit("the page's totals are not the seed's: " + "; ".join(problems[:5]))
    out["verified"] = {"groups": [g for g in GROUPS if g in expected], "statements": len(aggregates)}
    out["aggregates"] = described
    out["plans"] = {key: {"plan": plan, "indexes": index_names(plan)} for key, plan in plans.items()}

    # In-process timing of the page, and one request query by query.
    views, sqls = [], []
    for _ in range(args.repeat):
        with timed() as timer:
            t0 = time.perf_counter()
            get(path)
            views.append(1000 * (time.perf_counter() - t0))
        sqls.append(1000 * timer.seconds)
    out["page"].update(
        repeat=args.repeat,
        view_ms_median=statistics.median(views),
        view_ms_mean=statistics.fmean(views),
        sql_ms_median=statistics.median(sqls),
        sql_ms_mean=statistics.fmean(sqls),
    )
    runs = []
    for _ in range(max(1, args.repeat // 4)):
        timeline = Timeline()
        with connection.execute_wrapper(timeline):
            t0 = time.perf_counter()
            get(path)
            runs.append((timeline.events, t0, time.perf_counter()))
    if len({len(events) for events, _, _ in runs}) == 1:
        steps = []
        for i, (sql, _start, _end) in enumerate(runs[0][0]):
            steps.append(
                {
                    "query": short_sql(sql),
                    "python_ms_before": statistics.median(
                        1000 * (ev[i][1] - (ev[i - 1][2] if i else start)) for ev, start, _ in runs
                    ),
                    "sql_ms": statistics.median(1000 * (ev[i][2] - ev[i][1]) for ev, _, _ in runs),
                }
            )
        after = statistics.median(1000 * (end - ev[-1][2]) for ev, _, end in runs)
        out["page"]["timeline"] = {"steps": steps, "python_ms_after_last": after}
    if args.profile:

        def request_page() -> None:
            get(path)

        # team_probe.category counts Django's SQLiteCursorWrapper.execute (a C method, by the name
        # of a Django class) as "other", charged to its caller, the ORM: here it is the database.
        def category(filename: str, function: str) -> str:
            if "SQLiteCursorWrapper" in function:
                return original_category("", "sqlite3")
            return original_category(filename, function)

        original_category = team_probe.category
        with mock.patch.object(team_probe, "category", category):
            out["page"]["profile"] = profile(
                request_page, args.profile, ("cohort_results", "totals_of", "groups_of")
            )

    # The raw SQL, closed loop on database cursors.
    loops: dict[str, Callable[[], dict[str, Any]]] = {
        "aggregates_n": lambda: sql_loop(aggregates, args.sql_warmup, args.sql_repeat, args.clients),
        "aggregates_1": lambda: sql_loop(aggregates, args.sql_warmup, args.sql_repeat_one, 1),
    }
    out["raw_sql"] = {}
    for key, run in loops.items():
        out["raw_sql"][key] = run()
    connection.close()

    # For scale: the organiser's 研修 page, which lists every participant's hand-ins.
    detail = f"/cohorts/{seed['cohort']}/"
    get(detail)
    with CaptureQueriesContext(connection) as captured:
        t0 = time.perf_counter()
        response = get(detail)
        out["detail_page"] = {
            "path": detail,
            "queries": len(captured),
            "view_ms": 1000 * (time.perf_counter() - t0),
            "bytes": len(response.content),
        }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
