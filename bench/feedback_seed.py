"""Fills a database for bench/feedback_pages.py: a supporter with a submitted check, an open feedback
request with many single-use links (their codes printed, for the benchmark's raters), and a closed
request with ``--answers`` answers and comments (the comparison page).

Run as ``python -m bench.feedback_seed --links N --answers M --password P`` with DJANGO_SETTINGS_MODULE
and DATABASE_URL set, after migrate and load_frameworks. Everything goes through the app's services.
Prints one JSON line.
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
    parser.add_argument("--links", type=int, default=300)
    parser.add_argument("--answers", type=int, default=50)
    parser.add_argument("--password", required=True)
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args(argv)

    import django

    django.setup()

    from django.utils import timezone

    from bansou.accounts.models import User
    from bansou.checks.access import Holder
    from bansou.checks.services import get_or_start_draft, save_cells, submit_draft
    from bansou.domain.feedback import Mark, RaterGroup
    from bansou.feedback import services
    from bansou.feedback.models import FeedbackRequest
    from bansou.frameworks.queries import current_version, framework_of
    from tests.conftest import all_edits

    started = time.perf_counter()
    rng = random.Random(args.seed)
    version = current_version()
    framework = framework_of(version)
    user = User.objects.create_user(
        username="bench-supporter", password=args.password, display_name="佐藤 花子"
    )
    holder = Holder(user_id=user.pk)
    draft = get_or_start_draft(holder=holder, version=version)
    values = framework.scale.values()
    save_cells(draft=draft, edits=all_edits(framework, lambda code, axis: rng.choice(values)))
    submit_draft(draft=draft, holder=holder)
    items = [i.code for i in framework.items() if i.element == 9]
    closes_on = timezone.localdate() + datetime.timedelta(days=14)

    def request(links: dict[RaterGroup, int]) -> tuple[FeedbackRequest, list[str]]:
        made, issued = services.make_request(
            owner=user,
            version=version,
            framework=framework,
            items=items,
            message="率直に教えてください。",
            closes_on=closes_on,
            links=links,
        )
        return made, [i.code for i in issued]

    open_request, codes = request({RaterGroup.MUNICIPAL: args.links})
    third = args.answers // 3
    closed, closed_codes = request(
        {RaterGroup.MUNICIPAL: args.answers - 2 * third, RaterGroup.TEAMMATE: third, RaterGroup.OTHER: third}
    )
    for n, code in enumerate(closed_codes):
        found = services.find_link(code)
        assert found.invitation is not None
        marks = {c: rng.choice(list(Mark)) for c in items}
        comments = {c: f"会議で住民の声を引き出していた（{n}）" for c in items if rng.random() < 0.2}
        services.answer(found.invitation, marks, comments)
    services.close(closed, early=True)
    print(
        json.dumps(
            {
                "supporter": user.username,
                "open": str(open_request.public_id),
                "closed": str(closed.public_id),
                "codes": codes,
                "items": len(items),
                "answers": args.answers,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
