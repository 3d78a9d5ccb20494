"""In-process measurements for bench/proposal_page.py: the nearest limits of the proposal page.

Run as ``python -m bench.proposal_probe SEED_JSON`` with DJANGO_SETTINGS_MODULE and DATABASE_URL set
(gunicorn is not running meanwhile). For the organisation, 市町村 and request the page is asked for:

- ``forming_pool`` (``bansou.proposals.pool``: the pool as the optimiser sees it, ten queries and
  the Python that builds the people), timed ``--repeat`` times;
- the pool's raw SQL reads alone: the statements ``forming_pool`` runs (captured once), executed on
  a database cursor with every row fetched, ``--repeat`` times;
- ``propose_quickly`` alone on that pool (the heuristic the POST runs), ``--repeat`` times, and
  ``propose_exactly`` alone, ``--exact`` times;
- the POST view itself through Django's test client (no HTTP, no gunicorn), ``--views`` times: each
  must redirect to a new proposal.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# What the benchmark asks for (the form's fields; the 市町村 and 年度 come from the seed).
ASKED: dict[str, int | bool] = {
    "size_min": 4,
    "size_max": 6,
    "core_min": 1,
    "core_max": 2,
    "needed": 1,
    "prefer_area": True,
    "prefer_experience": True,
}


def form_data(municipality: str, fiscal_year: int) -> dict[str, str]:
    """The POST body of ``proposals:new`` (without the CSRF token)."""
    data = {"municipality": municipality, "fiscal_year": str(fiscal_year)}
    for key, value in ASKED.items():
        if value is True:
            data[key] = "on"
        elif value is not False:
            data[key] = str(value)
    return data


def timings(run: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """Milliseconds of ``repeat`` calls of ``run`` (after one untimed call): median, p99 (nearest rank:
    the slowest below 100 calls), min, and the last call's result."""
    result = run()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    rank = min(len(times), max(1, -(-99 * len(times) // 100)))
    return {
        "n": repeat,
        "p50_ms": statistics.median(times),
        "p99_ms": times[rank - 1],
        "min_ms": times[0],
        "result": result,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seed_json", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--exact", type=int, default=2)
    parser.add_argument("--views", type=int, default=5)
    args = parser.parse_args(argv)
    seed = json.loads(args.seed_json.read_text())

    import django

    django.setup()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bansou.domain import forming
    from bansou.frameworks.queries import current_version, framework_of
    from bansou.orgs.models import Organisation
    from bansou.places.models import Municipality
    from bansou.proposals.pool import forming_pool, rule_keys
    from bansou.proposals.services import Asked

    org = Organisation.objects.get(public_id=seed["organisation"])
    municipality = Municipality.objects.get(lgcode=seed["municipality"])
    framework = framework_of(current_version())
    fiscal_year = seed["fiscal_year"]
    asked = Asked(
        municipality=municipality,
        fiscal_year=fiscal_year,
        size_min=int(ASKED["size_min"]),
        size_max=int(ASKED["size_max"]),
        core_min=int(ASKED["core_min"]),
        core_max=int(ASKED["core_max"]),
        needed=int(ASKED["needed"]),
        must_in=(),
        must_out=(),
        prefer_area=bool(ASKED["prefer_area"]),
        prefer_experience=bool(ASKED["prefer_experience"]),
    )
    request = asked.request(*rule_keys(framework))

    def pool() -> Any:
        return forming_pool(org.pk, framework, municipality, fiscal_year, timezone.localdate())

    with CaptureQueriesContext(connection) as captured:
        the_pool = pool()
    statements = [q["sql"] for q in captured.captured_queries]

    def raw() -> int:
        rows = 0
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                rows += len(cursor.fetchall())
        return rows

    out: dict[str, Any] = {"database": connection.vendor, "pool_size": len(the_pool.people)}
    built = timings(pool, args.repeat)
    built.pop("result")
    out["forming_pool"] = {**built, "queries": len(statements)}
    sql = timings(raw, args.repeat)
    rows = sql.pop("result")
    out["raw_sql"] = {**sql, "rows": rows, "statements": len(statements)}
    quick = timings(lambda: forming.propose_quickly(the_pool.people, request), args.repeat)
    outcome = summary(quick.pop("result"))
    out["propose_quickly"] = {**quick, **outcome}
    exact = timings(lambda: forming.propose_exactly(the_pool.people, request), max(1, args.exact))
    outcome = summary(exact.pop("result"))
    out["propose_exactly"] = {**exact, **outcome}
    out["view"] = view_timings(seed, args.views)
    print(json.dumps(out, ensure_ascii=False))


def summary(outcome: Any) -> dict[str, Any]:
    return {
        "ok": outcome.ok,
        "proposals": len(outcome.proposals),
        "candidates": outcome.candidates,
        "pool": outcome.pool,
        "sizes": [len(p.members) for p in outcome.proposals],
    }


def view_timings(seed: dict[str, Any], repeat: int) -> dict[str, Any]:
    """The POST of ``proposals:new`` through the test client as the organisation's staff: ms."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bansou.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(
        User.objects.get(username=seed["staff"]), backend="django.contrib.auth.backends.ModelBackend"
    )
    path = reverse("proposals:new", args=[seed["organisation"]])
    data = form_data(seed["municipality"], seed["fiscal_year"])

    def post() -> int:
        response = client.post(path, data)
        if response.status_code != 302:
            raise SystemExit(f"POST {path}: HTTP {response.status_code}: {response.content[:300]!r}")
        return 0

    executed: list[str] = []

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        post()
    found = timings(post, repeat)
    found.pop("result")
    return {**found, "queries": len(executed)}


if __name__ == "__main__":
    main(sys.argv[1:])
