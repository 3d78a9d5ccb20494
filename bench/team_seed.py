"""Fills a freshly migrated database (framework loaded) for bench/team_pages.py: one organisation, its
pool of supporters, teams for municipalities in one 年度, and thousands of submitted checks.

Run as ``python -m bench.team_seed --password P [--supporters 2000 --teams 300 --checks 10000]`` with
DJANGO_SETTINGS_MODULE and DATABASE_URL set. Prints one JSON line at the end: the organisation, the
staff account, the teams and members the benchmark logs in as, row counts and timings.

Rows are written with ``bulk_create`` (the app's services would take minutes for 10,000 checks), but
what is written is what the app writes: a check's ``CheckStanding`` rows come from the domain
(``standings_of(score(framework, answers))``) field for field as ``record_standings`` stores them,
its ``CheckLabelStanding`` rows (its standings on the nine C labels, which the pool searches by
label) from the app's own ``checks.services.label_standing_rows``, and at the end, for a sample of
checks, the app's own functions are run again in a rolled-back transaction and must give exactly
the rows stored.
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
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bansou.checks.models import Check, CheckStanding
    from bansou.domain.scoring import Result

T = TypeVar("T")

# Japanese family names in katakana, so that フリガナ (the pool's last sort key) varies.
KANA = (
    "アオキ",
    "イトウ",
    "ウエダ",
    "エンドウ",
    "オガワ",
    "カトウ",
    "キムラ",
    "クボ",
    "ケンモチ",
    "コバヤシ",
    "サトウ",
    "シミズ",
    "スズキ",
    "セキ",
    "ソノダ",
    "タナカ",
    "チバ",
    "ツジ",
    "テラダ",
    "ナカムラ",
    "ノグチ",
    "ハヤシ",
    "ヒラノ",
    "フジタ",
    "ホンダ",
    "マツモト",
    "ミウラ",
    "ムラカミ",
    "モリ",
    "ヤマダ",
    "ヨシダ",
    "ワタナベ",
)
ROLE_WEIGHTS = {  # how often each role is given to a non-lead member
    "core_promoter": 2,
    "coordinator": 3,
    "advisor": 4,
    "prefecture_staff": 2,
    "municipal_staff": 3,
    "other": 1,
}
STAFF_USERNAME = "team-staff"


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def spread(total: int, people: int, low: int, high: int, rng: random.Random) -> list[int]:
    """``people`` counts between ``low`` and ``high`` adding up to ``total`` (about total/people each)."""
    if not low * people <= total <= high * people:
        raise ValueError(f"cannot give {total} checks to {people} people, {low}-{high} each")
    counts = [rng.randint(low, high) for _ in range(people)]
    while (diff := sum(counts) - total) != 0:
        i = rng.randrange(people)
        if diff > 0 and counts[i] > low:
            counts[i] -= 1
        elif diff < 0 and counts[i] < high:
            counts[i] += 1
    return counts


def standing_rows(check: Check, result: Result) -> list[CheckStanding]:
    """The rows ``bansou.checks.services.record_standings`` stores for ``check`` (verified at the end)."""
    from bansou.checks.models import CheckStanding
    from bansou.domain.coverage import standings_of

    return [
        CheckStanding(
            check_record=check,
            element=number,
            understood_count=standing.understanding.count,
            practised_count=standing.practice.count,
            total=standing.practice.total,
            understood=standing.understood,
            practised=standing.practised,
        )
        for number, standing in standings_of(result).items()
    ]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--supporters", type=int, default=2000)
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--checks", type=int, default=10000)
    parser.add_argument("--logins", type=int, default=8, help="teams (and one member each) to log in as")
    parser.add_argument("--fewest", type=int, default=3, help="fewest checks a supporter submitted")
    parser.add_argument("--most", type=int, default=7, help="most checks a supporter submitted")
    parser.add_argument("--password", required=True)
    parser.add_argument("--seed", type=int, default=20260401)
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

    from bansou.domain.fiscal_year import fiscal_year_of
    from bansou.domain.scoring import Answer, score
    from bansou.frameworks.models import Item
    from bansou.frameworks.queries import current_version, framework_of
    from bansou.orgs.models import Membership, Organisation
    from bansou.places.models import Municipality, Prefecture
    from bansou.places.services import load_bundled_municipalities
    from bansou.sharing.models import CheckShare
    from bansou.teams.models import Team, TeamMember
    from bansou.teams.presenters import team_label

    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 2)
        return now

    rng = random.Random(args.seed)
    t = time.perf_counter()
    loaded = load_bundled_municipalities()
    t = lap("municipalities", t)

    version = current_version()
    framework = framework_of(version)
    scale = framework.scale
    yes = min(v for v in scale.values() if scale.is_positive(v))
    no = max(v for v in scale.values() if not scale.is_positive(v))
    items = list(framework.items())
    item_ids = dict(Item.objects.filter(framework=version).values_list("code", "pk"))
    groups = sorted({item.element or 0 for item in items})  # 0: items of no element (tier A, labels)
    now = timezone.now()
    fiscal_year = fiscal_year_of(timezone.localdate(now))
    # Every account gets the same password (hashed once), so any of them can log in.
    password_hash = make_password(args.password)

    with transaction.atomic():
        prefecture = Prefecture.objects.order_by("code").first()
        org = Organisation.objects.create(
            name="ベンチ県 地域包括ケア推進課",
            kind=Organisation.Kind.PREFECTURE,
            prefecture=prefecture,
        )
        supporters = User.objects.bulk_create(
            (
                User(
                    username=f"team-supporter{i:04d}",
                    display_name=f"支援者 {i:04d}",
                    furigana=f"{rng.choice(KANA)} {rng.choice(KANA)}",
                    password=password_hash,
                    roles=[rng.choice(list(ROLE_WEIGHTS))],
                )
                for i in range(args.supporters)
            ),
            batch_size=500,
        )
        staff = User.objects.create(
            username=STAFF_USERNAME,
            display_name="職員 花子",
            furigana="ショクイン ハナコ",
            password=password_hash,
        )
        Membership.objects.bulk_create(
            [
                Membership(organisation=org, user=u, role=Membership.Role.SUPPORTER, in_pool=True)
                for u in supporters
            ]
            + [Membership(organisation=org, user=staff, role=Membership.Role.STAFF, in_pool=False)],
            batch_size=500,
        )
    t = lap("users and memberships", t)

    # Checks: about args.checks / args.supporters each (--fewest to --most), spread over two years,
    # getting better with time.
    counts = spread(args.checks, len(supporters), args.fewest, args.most, rng)
    plans: list[tuple[User, datetime.datetime, dict[int, float]]] = []
    for user, n in zip(supporters, counts, strict=True):
        base = rng.uniform(0.1, 0.85)
        offsets = {group: rng.uniform(-0.3, 0.3) for group in groups}
        days = sorted(rng.sample(range(1, 730), n), reverse=True)  # oldest first
        for k, days_ago in enumerate(days):
            when = now - datetime.timedelta(days=days_ago, minutes=rng.randint(0, 600))
            level = {g: min(0.97, max(0.03, base + off + 0.04 * k - 0.05)) for g, off in offsets.items()}
            plans.append((user, when, level))
    checks_of: dict[int, list[Check]] = {u.pk: [] for u in supporters}
    answer_rows = standing_rows_count = label_rows_count = 0
    with transaction.atomic():
        for batch in chunks(plans, 500):
            checks = Check.objects.bulk_create(
                Check(
                    owner=user,
                    framework=version,
                    submitted_at=when,
                    fiscal_year=fiscal_year_of(timezone.localdate(when)),
                    draft_public_id=uuid.uuid4(),
                )
                for user, when, _level in batch
            )
            answers_out: list[CheckAnswer] = []
            standings_out: list[CheckStanding] = []
            labels_out: list[CheckLabelStanding] = []
            for check, (user, _when, level) in zip(checks, batch, strict=True):
                assert check.pk is not None  # bulk_create returns primary keys on both databases
                checks_of[user.pk].append(check)
                answers: dict[str, Answer] = {}
                for item in items:
                    p = level[item.element or 0]
                    practice = yes if rng.random() < p else no
                    understanding = yes if rng.random() < min(0.98, p + 0.2) else no
                    answers[item.code] = Answer(understanding, practice)
                    answers_out.append(
                        CheckAnswer(
                            check_record=check,
                            item_id=item_ids[item.code],
                            understanding=understanding,
                            practice=practice,
                        )
                    )
                result = score(framework, answers)
                standings_out.extend(standing_rows(check, result))
                labels_out.extend(label_standing_rows(check, framework, result))
            CheckAnswer.objects.bulk_create(answers_out, batch_size=2000)
            CheckStanding.objects.bulk_create(standings_out, batch_size=2000)
            CheckLabelStanding.objects.bulk_create(labels_out, batch_size=2000)
            answer_rows += len(answers_out)
            standing_rows_count += len(standings_out)
            label_rows_count += len(labels_out)
    t = lap("checks, answers and standings", t)

    def shared_check(user_id: int) -> Check | None:
        """None (常に最新) seven times in ten, else one of the person's checks."""
        return None if rng.random() < 0.7 else rng.choice(checks_of[user_id])

    with transaction.atomic():
        CheckShare.objects.bulk_create(
            (CheckShare(owner=u, organisation=org, check_record=shared_check(u.pk)) for u in supporters),
            batch_size=500,
        )
        places = list(
            Municipality.objects.filter(active=True).order_by("lgcode").values_list("lgcode", flat=True)
        )
        chosen = sorted(rng.sample(places, args.teams))
        teams = Team.objects.bulk_create(
            Team(
                municipality_id=code,
                fiscal_year=fiscal_year,
                name=f"第{rng.randint(1, 3)}チーム" if rng.random() < 0.2 else "",
                organisation=org,
                needed=rng.choice((1, 1, 2)),
            )
            for code in chosen
        )
        members: list[TeamMember] = []
        team_shares: list[CheckShare] = []
        for team in teams:
            size = rng.randint(3, 8)
            for position, user in enumerate(rng.sample(supporters, size)):
                if position == 0:
                    roles = [rng.choice(("core_promoter", "coordinator"))]
                else:
                    k = 1 if rng.random() < 0.7 else 2
                    roles = sorted(set(rng.choices(list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values()), k=k)))
                members.append(
                    TeamMember(team=team, user=user, roles=roles, is_lead=position == 0, affiliation=org)
                )
                if position == 0 or rng.random() < 0.85:  # most members share with the team
                    team_shares.append(CheckShare(owner=user, team=team, check_record=shared_check(user.pk)))
        TeamMember.objects.bulk_create(members, batch_size=500)
        CheckShare.objects.bulk_create(team_shares, batch_size=500)
    t = lap("teams, members and shares", t)

    verified = verify_standings(args.verify, rng, record_standings)
    t = lap("verification", t)
    analyzed = connection.vendor == "postgresql"
    if analyzed:  # what autovacuum does within a minute of such a load: planner statistics
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        t = lap("analyze", t)

    # The teams to log in to: sizes from small to large, each with its lead (who shares with it).
    sizes = Counter(m.team_id for m in members)
    by_size = sorted(teams, key=lambda team: (sizes[team.pk], team.pk))
    step = max(1, len(by_size) // max(1, args.logins))
    picked = by_size[step // 2 :: step][: args.logins]
    team_ids = [team.pk for team in picked]
    logins = []
    for team in Team.objects.filter(pk__in=team_ids).select_related("municipality__prefecture"):
        lead = next(m for m in members if m.team_id == team.pk and m.is_lead)
        logins.append(
            {
                "team": str(team.public_id),
                "label": team_label(team),
                "members": sizes[team.pk],
                "username": lead.user.username,
            }
        )
    logins.sort(key=lambda row: (row["members"], row["team"]))

    out: dict[str, Any] = {
        "organisation": str(org.public_id),
        "fiscal_year": fiscal_year,
        "staff": STAFF_USERNAME,
        "logins": logins,
        "municipalities": loaded.created,
        "counts": {
            "supporters": len(supporters),
            "users": User.objects.count(),
            "in_pool": Membership.objects.filter(organisation=org, in_pool=True).count(),
            "teams": Team.objects.count(),
            "team_members": TeamMember.objects.count(),
            "checks": Check.objects.count(),
            "check_answers": CheckAnswer.objects.count(),
            "check_standings": CheckStanding.objects.count(),
            "check_label_standings": CheckLabelStanding.objects.count(),
            "org_shares": CheckShare.objects.filter(organisation=org).count(),
            "org_shares_latest": CheckShare.objects.filter(organisation=org, check_record=None).count(),
            "team_shares": CheckShare.objects.filter(team__isnull=False).count(),
            "team_shares_latest": CheckShare.objects.filter(team__isnull=False, check_record=None).count(),
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


def verify_standings(sample: int, rng: random.Random, record_standings: Any) -> int:
    """Runs the app's ``record_standings`` (and its ``label_standing_rows``) again for ``sample``
    checks, on answers read back from the database, in a transaction that is rolled back; its rows
    must be the ones stored, per element and per C label. Returns how many checks were compared."""
    from django.db import transaction

    from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding
    from bansou.checks.services import label_standing_rows
    from bansou.domain.scoring import Answer, score
    from bansou.frameworks.queries import framework_of

    counts = ("understood_count", "practised_count", "total", "understood", "practised")

    def rows(check_ids: Iterable[int]) -> list[tuple[Any, ...]]:
        elements = CheckStanding.objects.filter(check_record_id__in=list(check_ids))
        labels = CheckLabelStanding.objects.filter(check_record_id__in=list(check_ids))
        return list(
            elements.order_by("check_record_id", "element").values_list("check_record_id", "element", *counts)
        ) + list(labels.order_by("check_record_id", "label").values_list("check_record_id", "label", *counts))

    ids = list(Check.objects.values_list("pk", flat=True))
    picked = sorted(rng.sample(ids, min(sample, len(ids))))
    stored = rows(picked)
    with transaction.atomic():
        CheckStanding.objects.filter(check_record_id__in=picked).delete()
        CheckLabelStanding.objects.filter(check_record_id__in=picked).delete()
        for check in Check.objects.filter(pk__in=picked).select_related("framework"):
            answers = {
                code: Answer(u, p)
                for code, u, p in CheckAnswer.objects.filter(check_record=check).values_list(
                    "item__code", "understanding", "practice"
                )
            }
            framework = framework_of(check.framework)
            result = score(framework, answers)
            record_standings(check, result)
            CheckLabelStanding.objects.bulk_create(label_standing_rows(check, framework, result))
        again = rows(picked)
        transaction.set_rollback(True)
    labelled = CheckLabelStanding.objects.filter(check_record_id__in=picked).exists()
    if again != stored or not stored or not labelled:
        raise SystemExit(f"standing rows differ from the app's for checks {picked[:10]}…")
    return len(picked)


if __name__ == "__main__":
    main(sys.argv[1:])
