"""Fills a freshly migrated database (framework loaded) with realistic data, through the app's services.

Run by bench/check_page.py as ``python -m bench.seed --users N --username U --password P`` with
DJANGO_SETTINGS_MODULE and DATABASE_URL set; prints one JSON line at the end: the benchmark
user's draft and the state of each of its cells, plus row counts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--seed", type=int, default=20250401)
    args = parser.parse_args(argv)

    import django

    django.setup()

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from bansou.accounts.models import User
    from bansou.checks.access import Holder
    from bansou.checks.models import Check, CheckAnswer, Draft, DraftCell
    from bansou.checks.services import get_or_start_draft, save_cells, submit_draft
    from bansou.domain.drafts import Edit
    from bansou.domain.framework import Axis
    from bansou.frameworks.queries import current_version, framework_of

    started = time.perf_counter()
    rng = random.Random(args.seed)
    version = current_version()
    framework = framework_of(version)
    codes = framework.item_codes()
    values = framework.scale.values()
    now = timezone.now()

    def history(user_id: int) -> Draft:
        """Two submitted checks (about a year apart) and an open draft about half answered."""
        holder = Holder(user_id=user_id)
        for days_ago in (rng.randint(380, 420), rng.randint(10, 60)):
            when = now - datetime.timedelta(days=days_ago, minutes=rng.randint(0, 600))
            draft = get_or_start_draft(holder=holder, version=version)
            edits = [Edit(code, axis, rng.choice(values), 0) for code in codes for axis in Axis]
            save_cells(draft=draft, edits=edits, now=when)
            submit_draft(draft=draft, holder=holder, now=when)
        draft = get_or_start_draft(holder=holder, version=version)
        answered = [
            Edit(code, axis, rng.choice(values), 0) for code in codes for axis in Axis if rng.random() < 0.5
        ]
        if answered:
            save_cells(draft=draft, edits=answered, now=now - datetime.timedelta(hours=rng.randint(1, 48)))
        return draft

    others = User.objects.bulk_create(
        User(
            username=f"supporter{i:04d}",
            display_name=f"支援者 {i:04d}",
            furigana="シエンシャ",
            password=make_password(None),  # unusable: nobody logs in as them, and no hashing cost
        )
        for i in range(args.users)
    )
    for user in others:
        with transaction.atomic():
            history(user.pk)

    bench_user = User.objects.create_user(
        username=args.username, password=args.password, display_name="計測 太郎", furigana="ケイソク タロウ"
    )
    with transaction.atomic():
        draft = history(bench_user.pk)

    order = {(code, axis.value): i for i, (code, axis) in enumerate((c, a) for c in codes for a in Axis)}
    cells = sorted(
        DraftCell.objects.filter(draft=draft).values_list("item_code", "axis", "value", "revision"),
        key=lambda row: order[(row[0], row[1])],
    )
    out = {
        "draft": str(draft.public_id),
        "cells": [{"item": i, "axis": a, "value": v, "revision": r} for i, a, v, r in cells],
        "scale": list(values),
        "counts": {
            "users": User.objects.count(),
            "checks": Check.objects.count(),
            "check_answers": CheckAnswer.objects.count(),
            "drafts": Draft.objects.count(),
            "draft_cells": DraftCell.objects.count(),
        },
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
