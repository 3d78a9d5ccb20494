"""Fills a freshly migrated database (framework loaded) for bench/cohort_pages.py: one organisation, its
organiser (staff), and one 研修 of ``--participants`` people, each with a pre-check handed in and
most (``--post-share``) with a post-check, both phases closed.

Run as ``python -m bench.cohort_seed --password P [--participants 10000 --post-share 0.95]`` with
DJANGO_SETTINGS_MODULE and DATABASE_URL set. Prints one JSON line at the end: the 研修, the
organiser's account, the totals the page must show (worked out here, in Python, from the answers
written), row counts and timings.

Rows are written with ``bulk_create``, as bench/team_seed.py does (and with its helpers): a check's
``CheckStanding`` rows come from the domain (``standings_of(score(framework, answers))``) field for
field as ``record_standings`` stores them, its ``CheckLabelStanding`` rows (the nine C labels) from
the app's own ``checks.services.label_standing_rows``, both checked at the end against the app's
own functions for a sample of checks (``team_seed.verify_standings``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.team_seed import KANA, chunks, standing_rows, verify_standings  # noqa: E402

ORGANISER_USERNAME = "cohort-organiser"
# The page's four sets of totals, in the order it computes them (bansou.cohorts.presenters):
# 事前 over everyone who handed in a pre-check, 事後 likewise, then 変化 over those who handed in both
# (their pre-checks, then their post-checks).
GROUPS = ("pre", "post", "change_pre", "change_post")


class Expected:
    """Totals of one group of checks, counted as ``bansou.disclosure.queries.totals_of`` groups them."""

    def __init__(self) -> None:
        self.checks = 0
        self.items: dict[str, list[int]] = {}  # code -> [people, understood, practised]
        self.elements: Counter[tuple[int, bool, bool]] = Counter()  # (element, understood, practised)

    def add(self, answers: dict[str, tuple[bool, bool]], standings: list[Any]) -> None:
        self.checks += 1
        for code, (understood, practised) in answers.items():
            row = self.items.setdefault(code, [0, 0, 0])
            row[0] += 1
            row[1] += understood
            row[2] += practised
        for s in standings:
            self.elements[(s.element, s.understood, s.practised)] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "checks": self.checks,
            "items": dict(sorted(self.items.items())),
            "elements": sorted([e, u, p, n] for (e, u, p), n in self.elements.items()),
        }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10000)
    parser.add_argument("--post-share", type=float, default=0.95, help="of participants, with a post-check")
    parser.add_argument("--password", required=True)
    parser.add_argument("--seed", type=int, default=20260501)
    parser.add_argument("--batch", type=int, default=500, help="checks written per bulk_create round")
    parser.add_argument("--verify", type=int, default=200, help="checks whose standings are re-derived")
    args = parser.parse_args(argv)

    import django

    django.setup()

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from bansou.accounts.models import User
    from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding
    from bansou.checks.services import label_standing_rows
    from bansou.checks.services import standing_rows as the_apps_rows

    def record_standings(check: Any, result: Any) -> None:
        CheckStanding.objects.bulk_create(the_apps_rows(check, result))

    from bansou.cohorts.models import Cohort, Participant, Phase, Submission
    from bansou.domain.aggregates import MIN_PEOPLE
    from bansou.domain.fiscal_year import fiscal_year_of
    from bansou.domain.scoring import Answer, score
    from bansou.frameworks.models import Item
    from bansou.frameworks.queries import current_version, framework_of
    from bansou.orgs.models import Membership, Organisation

    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 2)
        return now

    rng = random.Random(args.seed)
    version = current_version()
    framework = framework_of(version)
    scale = framework.scale
    positive = [v for v in scale.values() if scale.is_positive(v)]
    negative = [v for v in scale.values() if not scale.is_positive(v)]
    items = list(framework.items())
    item_ids = dict(Item.objects.filter(framework=version).values_list("code", "pk"))
    groups = sorted({item.element or 0 for item in items})  # 0: items of no element
    password_hash = make_password(args.password)  # hashed once: any account can log in with it

    # The 研修's calendar, in the past so both phases are over: pre-checks 70-46 days ago, the
    # 研修 40-35 days ago, post-checks 34-15 days ago; each phase also closed by the organiser.
    now = timezone.now()
    today = timezone.localdate(now)
    day = datetime.timedelta(days=1)
    pre_deadline, starts_on, ends_on, post_deadline = (today - d * day for d in (45, 40, 35, 14))

    t = time.perf_counter()
    with transaction.atomic():
        org = Organisation.objects.create(name="ベンチ研修センター", kind=Organisation.Kind.OTHER)
        organiser = User.objects.create(
            username=ORGANISER_USERNAME,
            display_name="主催 花子",
            furigana="シュサイ ハナコ",
            password=password_hash,
        )
        Membership.objects.create(organisation=org, user=organiser, role=Membership.Role.STAFF)
        cohort = Cohort.objects.create(
            organisation=org,
            framework=version,
            name="ベンチ 伴走支援者研修",
            fiscal_year=fiscal_year_of(starts_on),
            starts_on=starts_on,
            ends_on=ends_on,
            pre_deadline=pre_deadline,
            post_deadline=post_deadline,
            pre_closed_at=now - 44 * day,
            post_closed_at=now - 13 * day,
            created_by=organiser,
        )
        users = User.objects.bulk_create(
            (
                User(
                    username=f"cohort-p{i:05d}",
                    display_name=f"受講者 {i:05d}",
                    furigana=f"{rng.choice(KANA)} {rng.choice(KANA)}",
                    password=password_hash,
                )
                for i in range(args.participants)
            ),
            batch_size=1000,
        )
        participants = Participant.objects.bulk_create(
            (Participant(cohort=cohort, user=u, number=n) for n, u in enumerate(users, start=1)),
            batch_size=1000,
        )
        Cohort.objects.filter(pk=cohort.pk).update(last_number=len(participants))
    t = lap("users and participants", t)

    # Each person: a level per element (their own base, and how far each element is from it), a
    # little better (or, for some, worse) after the 研修.
    with_post = set(rng.sample(range(len(participants)), round(args.post_share * len(participants))))
    plans: list[tuple[int, str, datetime.datetime, dict[int, float]]] = []  # (index, phase, when, level)
    for i in range(len(participants)):
        base = rng.uniform(0.1, 0.85)
        offsets = {g: rng.uniform(-0.3, 0.3) for g in groups}
        gain = rng.uniform(-0.05, 0.25)
        pre_at = now - datetime.timedelta(days=rng.uniform(46, 70))
        plans.append((i, "pre", pre_at, {g: base + off for g, off in offsets.items()}))
        if i in with_post:
            post_at = now - datetime.timedelta(days=rng.uniform(15, 34))
            level = {g: base + off + gain + rng.uniform(-0.05, 0.05) for g, off in offsets.items()}
            plans.append((i, "post", post_at, level))

    expected = {name: Expected() for name in GROUPS}
    answer_rows = standing_rows_count = label_rows_count = 0
    with transaction.atomic():
        for batch in chunks(plans, args.batch):
            checks = Check.objects.bulk_create(
                Check(
                    owner=users[i],
                    framework=version,
                    submitted_at=when,
                    fiscal_year=fiscal_year_of(timezone.localdate(when)),
                    draft_public_id=uuid.uuid4(),
                )
                for i, _phase, when, _level in batch
            )
            answers_out: list[CheckAnswer] = []
            standings_out: list[CheckStanding] = []
            labels_out: list[CheckLabelStanding] = []
            submissions: list[Submission] = []
            for check, (i, phase, _when, level) in zip(checks, batch, strict=True):
                assert check.pk is not None  # bulk_create returns primary keys on both databases
                answers: dict[str, Answer] = {}
                signs: dict[str, tuple[bool, bool]] = {}
                for item in items:
                    p = min(0.97, max(0.03, level[item.element or 0]))
                    practice = rng.choice(positive if rng.random() < p else negative)
                    u = min(0.98, p + 0.2)
                    understanding = rng.choice(positive if rng.random() < u else negative)
                    answers[item.code] = Answer(understanding, practice)
                    signs[item.code] = (scale.is_positive(understanding), scale.is_positive(practice))
                    answers_out.append(
                        CheckAnswer(
                            check_record_id=check.pk,
                            item_id=item_ids[item.code],
                            understanding=understanding,
                            practice=practice,
                        )
                    )
                result = score(framework, answers)
                standings = standing_rows(check, result)
                standings_out.extend(standings)
                labels_out.extend(label_standing_rows(check, framework, result))
                submissions.append(
                    Submission(participant=participants[i], phase=phase, check_record_id=check.pk)
                )
                expected[phase].add(signs, standings)
                if i in with_post:
                    expected[f"change_{phase}"].add(signs, standings)
            CheckAnswer.objects.bulk_create(answers_out, batch_size=2000)
            CheckStanding.objects.bulk_create(standings_out, batch_size=2000)
            CheckLabelStanding.objects.bulk_create(labels_out, batch_size=2000)
            Submission.objects.bulk_create(submissions, batch_size=1000)
            answer_rows += len(answers_out)
            standing_rows_count += len(standings_out)
            label_rows_count += len(labels_out)
    t = lap("checks, answers, standings and hand-ins", t)

    verified = verify_standings(args.verify, rng, record_standings)
    t = lap("verification", t)
    analyzed = connection.vendor == "postgresql"
    if analyzed:  # what autovacuum does within a minute of such a load: planner statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        t = lap("analyze", t)

    pre_people, post_people = len(participants), len(with_post)
    without_post = pre_people - post_people
    out: dict[str, Any] = {
        "cohort": str(cohort.public_id),
        "cohort_name": cohort.name,
        "organiser": ORGANISER_USERNAME,
        "people": {"pre": pre_people, "post": post_people, "paired": post_people},
        # The page shows 事前 and 事後 (both closed, groups of at least five) and the change unless
        # the paired group would differ from 事前 by 1-4 people (the five-person rule).
        "change_shown": post_people >= MIN_PEOPLE and not 0 < without_post < MIN_PEOPLE,
        "expected": {name: e.as_json() for name, e in expected.items()},
        "counts": {
            "users": User.objects.count(),
            "participants": Participant.objects.filter(cohort=cohort).count(),
            "submissions_pre": Submission.objects.filter(phase=Phase.PRE).count(),
            "submissions_post": Submission.objects.filter(phase=Phase.POST).count(),
            "checks": Check.objects.count(),
            "check_answers": CheckAnswer.objects.count(),
            "check_standings": CheckStanding.objects.count(),
            "check_label_standings": CheckLabelStanding.objects.count(),
        },
        "written": {
            "check_answers": answer_rows,
            "check_standings": standing_rows_count,
            "check_label_standings": label_rows_count,
        },
        "standings_verified": verified,
        "analyzed": analyzed,
        "timings": timings,
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
