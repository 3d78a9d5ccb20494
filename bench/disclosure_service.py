"""The service part of bench/disclosure_audit.py, run by it as a subprocess per database (DATABASE_URL,
DJANGO_SETTINGS_MODULE and BANSOU_VAR_DIR set by it): migrate, load the frameworks, seed the checks,
then for each history time ``services.decide`` warm and cold beside ``queries.totals_of``. Writes
its figures as JSON to ``--out``; progress goes to stderr.

Seeding writes with ``bulk_create`` (as bench/reports.py): users, checks, answers (45 a check) and
standings (from the domain, as ``record_standings`` stores them; ``team_seed.standing_rows``), and
the standings on the nine C labels (the app's own ``checks.services.label_standing_rows``). The
history is written as ``ShownGroup`` rows with ``LedgerState.size`` set to match.

``decide`` records what it shows and commits. To time every decision against the same history, each
one is undone afterwards, untimed: the rows it added deleted, ``LedgerState.size`` set back, and
this process's memory of the ledger put back as it was before (``services._memory``).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import io
import json
import random
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench.disclosure_audit import fresh_groups, history, numbers, persons, stats, timed
from bench.team_seed import chunks, standing_rows


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def set_up() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_frameworks", stdout=quiet)


def make_users(count: int) -> list[Any]:
    from django.contrib.auth.hashers import make_password

    from bansou.accounts.models import User

    unusable = make_password(None)
    return User.objects.bulk_create(
        (
            User(username=f"audit{i:05d}", display_name=f"支援者 {i:05d}", password=unusable)
            for i in range(count)
        ),
        batch_size=1000,
    )


def answered(
    made: list[Any], framework: Any, item_ids: dict[str, int], rng: random.Random
) -> tuple[list[Any], list[Any], list[Any]]:
    """Random answers (45 items, both axes) for each check, and its standings per element and per
    C label, as stored."""
    from bansou.checks.models import CheckAnswer
    from bansou.checks.services import label_standing_rows
    from bansou.domain.scoring import Answer, score

    values = list(framework.scale.values())
    answer_rows: list[Any] = []
    standings: list[Any] = []
    labels: list[Any] = []
    for check in made:
        drawn = {item.code: (rng.choice(values), rng.choice(values)) for item in framework.items()}
        answer_rows += [
            CheckAnswer(check_record_id=check.pk, item_id=item_ids[code], understanding=u, practice=p)
            for code, (u, p) in drawn.items()
        ]
        answers = {code: Answer(u, p) for code, (u, p) in drawn.items()}
        result = score(framework, answers)
        standings += standing_rows(check, result)
        labels += label_standing_rows(check, framework, result)
    return answer_rows, standings, labels


def seed(checks: int, seed: int) -> tuple[list[int], list[tuple[int, ...]], dict[str, Any]]:
    """``checks`` submitted checks, each its own person's, ~10 % of persons with two (as the domain
    part numbers them 1..checks). Returns the check ids in that order, each person's checks, counts."""
    from django.db import transaction
    from django.utils import timezone

    from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding
    from bansou.domain.fiscal_year import fiscal_year_of
    from bansou.frameworks.models import Item
    from bansou.frameworks.queries import current_version, framework_of

    started = time.perf_counter()
    version = current_version()
    framework = framework_of(version)
    item_ids = dict(Item.objects.filter(framework=version).values_list("code", "pk"))
    rng = random.Random(seed)
    shape = persons(list(range(1, checks + 1)), seed)  # the domain part's check numbers
    users = make_users(len(shape))
    owner = {position: users[p] for p, positions in enumerate(shape) for position in positions}
    now = timezone.now()
    ids: list[int] = []
    with transaction.atomic():
        for part in chunks(range(1, checks + 1), 500):
            made = Check.objects.bulk_create(
                Check(
                    owner=owner[position],
                    framework=version,
                    submitted_at=(when := now - datetime.timedelta(days=rng.uniform(1, 730))),
                    fiscal_year=fiscal_year_of(timezone.localdate(when)),
                    draft_public_id=uuid.uuid4(),
                )
                for position in part
            )
            answer_rows, standings, labels = answered(made, framework, item_ids, rng)
            CheckAnswer.objects.bulk_create(answer_rows, batch_size=2000)
            CheckStanding.objects.bulk_create(standings, batch_size=2000)
            CheckLabelStanding.objects.bulk_create(labels, batch_size=2000)
            ids += [check.pk for check in made]
    counts = {
        "checks": Check.objects.count(),
        "answers": CheckAnswer.objects.count(),
        "standings": CheckStanding.objects.count(),
        "label_standings": CheckLabelStanding.objects.count(),
        "persons": len(shape),
        "seconds": round(time.perf_counter() - started, 1),
    }
    people = [tuple(ids[position - 1] for position in positions) for positions in shape]
    return ids, people, counts


def write_history(groups: list[frozenset[int]]) -> None:
    """The history as the service records it: the rows, and ``LedgerState.size`` to match."""
    from bansou.disclosure import services
    from bansou.disclosure.models import LedgerState, ShownGroup

    ShownGroup.objects.all().delete()
    ShownGroup.objects.bulk_create(
        (ShownGroup(digest=services._digest(g), checks=sorted(g)) for g in groups), batch_size=100
    )
    state, _ = LedgerState.objects.get_or_create(pk=1)
    state.size = len(groups)
    state.save(update_fields=["size"])


class Undo:
    """Puts the history and this process's memory back as they were when it was made."""

    def __init__(self) -> None:
        from bansou.disclosure import services
        from bansou.disclosure.models import LedgerState, ShownGroup

        self.last = ShownGroup.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.size = LedgerState.objects.get(pk=1).size
        self.memory = services._memory

    def __call__(self) -> None:
        from bansou.disclosure import services
        from bansou.disclosure.models import LedgerState, ShownGroup

        ShownGroup.objects.filter(pk__gt=self.last).delete()
        LedgerState.objects.filter(pk=1).update(size=self.size)
        services._memory = self.memory


def measure_history(
    n: int, ids: list[int], knower: tuple[int, ...], args: Any, context: Any
) -> dict[str, Any]:
    """With a history of ``n``: after catching up (a withheld request), warm and cold decisions of
    fresh groups, each beside ``totals_of`` for the same group."""
    from bansou.disclosure import services
    from bansou.domain.aggregates import MIN_PEOPLE

    write_history(history(ids, n, args.seed))
    services._memory = services._Memory()
    viewer = context["viewer"]
    t0 = time.perf_counter()
    services.decide([[frozenset(ids[:3])]], viewer, minimum=MIN_PEOPLE)  # too few: records nothing
    if services._memory.size != n:
        raise RuntimeError(f"caught up to {services._memory.size}, not {n}")
    log(f"[service] history of {n}: caught up in {time.perf_counter() - t0:.1f} s")
    undo = Undo()
    row: dict[str, Any] = {"history": n, "catch_up_s": round(time.perf_counter() - t0, 2), "sizes": {}}
    for size in args.sizes:
        row["sizes"][size] = part = one_size(size, ids, knower, args, context, undo)
        medians = ", ".join(f"{k} {v['median_ms']:,.1f} ms" for k, v in part.items() if k != "outcomes")
        log(f"[service] history of {n}, groups of {size}: {medians}")
    return row


def one_size(
    size: int, ids: list[int], knower: tuple[int, ...], args: Any, context: Any, undo: Undo
) -> dict[str, Any]:
    """Fresh groups of ``size``: the first ``args.warm`` decided warm, each followed by its
    ``totals_of``; the first ``args.cold`` decided cold (memory reset first). Each decision undone."""
    from bansou.disclosure import queries, services
    from bansou.domain.aggregates import MIN_PEOPLE

    times: dict[str, list[float]] = {"warm": [], "cold": [], "totals_of": []}
    outcomes: dict[str, Counter[str]] = {"warm": Counter(), "cold": Counter()}
    groups = fresh_groups(ids, size, max(args.warm, args.cold), knower, args.seed + size)
    for i, group in enumerate(groups):
        kinds = [k for k, count in (("warm", args.warm), ("cold", args.cold)) if i < count]
        for kind in kinds:
            if kind == "cold":
                services._memory = services._Memory()  # a restart: nothing in memory
            ask = functools.partial(services.decide, [[group]], context["viewer"], minimum=MIN_PEOPLE)
            seconds, decided = timed(ask)
            undo()
            times[kind].append(seconds)
            outcomes[kind][str(decided[0] or "shown")] += 1
        if "warm" in kinds:
            count = functools.partial(queries.totals_of, group, context["scale"], context["codes"])
            seconds, totals = timed(count)
            times["totals_of"].append(seconds)
            if totals.people != size:
                raise RuntimeError(f"totals of {totals.people} people for a group of {size}")
    return {k: stats(t) for k, t in times.items() if t} | {
        "outcomes": {k: dict(c) for k, c in outcomes.items()}
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=10000)
    parser.add_argument("--histories", type=numbers, default=[10, 100, 500])
    parser.add_argument("--sizes", type=numbers, default=[30, 1000])
    parser.add_argument("--warm", type=int, default=10)
    parser.add_argument("--cold", type=int, default=2)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    set_up()
    from django.db import connection

    from bansou.accounts.models import User
    from bansou.disclosure import queries
    from bansou.frameworks.queries import current_version, framework_of

    log(f"[service] {connection.vendor}: migrated, seeding {args.checks:,} checks")
    ids, people, counts = seed(args.checks, args.seed)
    if connection.vendor == "postgresql":  # what autovacuum does within a minute of such a load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(f"[service] seeded: {counts}")
    version = current_version()
    context = {
        "viewer": User.objects.create(username="audit-viewer", display_name="閲覧者").pk,  # no checks
        "scale": framework_of(version).scale,
        "codes": queries.item_codes(version),
    }
    knower = next(checks for checks in people if len(checks) == 2)
    histories = [measure_history(n, ids, knower, args, context) for n in args.histories]
    result = {"seed": counts, "vendor": connection.vendor, "histories": histories}
    args.out.write_text(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
