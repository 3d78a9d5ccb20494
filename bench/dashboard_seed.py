"""Adds to what bench/team_seed.py wrote what the dashboard reads beside it: consent to staff reading
the teams' verdicts (from most members), and the year before — each team carried back one 年度 with the
same members and shares, so the previous 年度's column counts as many teams.

Run as ``python -m bench.dashboard_seed --organisation <public id> [--consent 0.8]`` after
bench.team_seed, with DJANGO_SETTINGS_MODULE and DATABASE_URL set. Prints one JSON line of counts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from typing import Any


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisation", required=True)
    parser.add_argument("--consent", type=float, default=0.8, help="share of team shares consenting")
    parser.add_argument("--seed", type=int, default=20260402)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection, transaction

    from bansou.sharing.models import CheckShare
    from bansou.teams.models import Team, TeamMember

    started = time.perf_counter()
    rng = random.Random(args.seed)
    with transaction.atomic():
        teams = list(Team.objects.filter(organisation__public_id=args.organisation).order_by("pk"))
        shares = list(CheckShare.objects.filter(team__in=teams).order_by("pk"))
        consenting = [s.pk for s in shares if rng.random() < args.consent]
        CheckShare.objects.filter(pk__in=consenting).update(verdicts_to_staff=True)
        before = Team.objects.bulk_create(
            Team(
                municipality_id=t.municipality_id,
                fiscal_year=t.fiscal_year - 1,
                name=t.name,
                organisation_id=t.organisation_id,
                needed=t.needed,
            )
            for t in teams
        )
        carried = dict(zip((t.pk for t in teams), before, strict=True))
        members = TeamMember.objects.filter(team__in=teams)
        TeamMember.objects.bulk_create(
            (
                TeamMember(team=carried[m.team_id], user_id=m.user_id, roles=m.roles, is_lead=m.is_lead)
                for m in members
            ),
            batch_size=500,
        )
        CheckShare.objects.bulk_create(
            (
                CheckShare(
                    owner_id=s.owner_id,
                    team=carried[s.team_id],  # type: ignore[index]  # a team share
                    check_record_id=s.check_record_id,
                    verdicts_to_staff=s.verdicts_to_staff or s.pk in consenting,
                )
                for s in shares
            ),
            batch_size=500,
        )
    if connection.vendor == "postgresql":  # planner statistics for the rows added, as autovacuum would
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    out: dict[str, Any] = {
        "teams_this_year": len(teams),
        "teams_year_before": len(before),
        "team_shares_consenting": len(consenting),
        "team_shares": len(shares),
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
