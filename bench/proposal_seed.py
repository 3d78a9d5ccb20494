"""Gives every supporter of the pool bench/team_seed.py made a supporter profile, for
bench/proposal_page.py, and picks the 市町村 the proposals are asked for.

Run as ``python -m bench.proposal_seed TEAM_SEED_JSON`` with DJANGO_SETTINGS_MODULE and DATABASE_URL
set, after ``bench.team_seed`` (which wrote the organisation, its pool, the checks each person shares
with it with their ``CheckStanding`` and ``CheckLabelStanding`` rows — A and C labels — and teams for
the load and experience). Everything here goes through the app's own services
(``bansou.profiles.services``: ``save_profile``, ``add_municipality``, ``add_unavailable``), one
person at a time, in one transaction. Prints one JSON line: the 市町村, counts and timings.

The profiles: 1-3 都道府県 (the organisation's own for half of the people), 1-3 professions, the
中核推進役・調整役 role for a quarter, capacity 1-3 teams (5:3:2); one in eight also names 市町村 of
the organisation's 都道府県 (one in three of them the one asked for); one in twelve is unavailable
now, one in twenty was unavailable earlier in the year.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("team_seed_json", type=Path)
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args(argv)
    team_seed = json.loads(args.team_seed_json.read_text())

    import django

    django.setup()

    from django.db import transaction
    from django.utils import timezone

    from bansou.domain.professions import PROFESSIONS
    from bansou.orgs.models import Membership, Organisation
    from bansou.places.models import Municipality, Prefecture
    from bansou.profiles import services
    from bansou.profiles.models import SupporterProfile, Unavailability
    from bansou.teams.models import Team

    started = time.perf_counter()
    rng = random.Random(args.seed)
    org = Organisation.objects.select_related("prefecture").get(public_id=team_seed["organisation"])
    home = org.prefecture
    assert home is not None
    prefectures = list(Prefecture.objects.order_by("code"))
    nearby = list(Municipality.objects.filter(prefecture=home, active=True).order_by("lgcode"))
    asked = _asked_municipality(org.pk, home.code, team_seed["fiscal_year"], Team, Municipality)
    today = timezone.localdate()
    codes = [code for code, _ in PROFESSIONS]
    members = list(
        Membership.objects.filter(organisation=org, in_pool=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    with transaction.atomic():
        for user_id in members:
            chosen = set(rng.sample(prefectures, rng.randint(1, 3)))
            if rng.random() < 0.5:
                chosen.add(home)
            services.save_profile(
                user_id=user_id,
                prefectures=sorted(chosen, key=lambda p: p.code),
                professions=rng.sample(codes, rng.randint(1, 3)),
                profession_note="",
                core_role=rng.random() < 0.25,
                capacity=rng.choices((1, 2, 3), (5, 3, 2))[0],
            )
            if rng.random() < 1 / 8:
                for place in rng.sample(nearby, rng.randint(1, 2)):
                    services.add_municipality(user_id=user_id, municipality=place)
                if rng.random() < 1 / 3:
                    services.add_municipality(user_id=user_id, municipality=asked)
            if rng.random() < 1 / 12:
                start = today - datetime.timedelta(days=rng.randint(0, 60))
                end = today + datetime.timedelta(days=rng.randint(1, 200))
                services.add_unavailable(user_id=user_id, start=start, end=end)
            elif rng.random() < 1 / 20:
                end = today - datetime.timedelta(days=rng.randint(1, 60))
                services.add_unavailable(user_id=user_id, start=end - datetime.timedelta(days=30), end=end)
    out: dict[str, Any] = {
        "municipality": asked.lgcode,
        "municipality_name": str(asked),
        "teams_there": Team.objects.filter(municipality=asked, organisation=org).count(),
        "counts": {
            "profiles": SupporterProfile.objects.count(),
            "core_role": SupporterProfile.objects.filter(core_role=True).count(),
            "with_municipalities": SupporterProfile.objects.filter(municipalities__isnull=False)
            .distinct()
            .count(),
            "naming_the_asked_one": SupporterProfile.objects.filter(municipalities=asked).count(),
            "unavailability": Unavailability.objects.count(),
        },
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(out, ensure_ascii=False))


def _asked_municipality(org_id: int, home: str, fiscal_year: int, team: Any, municipality: Any) -> Any:
    """A 市町村 of the organisation's 都道府県 one of its teams served in an earlier 年度 if there is one
    (so that "supported before" means something), else one it serves now, else its first 市町村."""
    teams = team.objects.filter(organisation_id=org_id).select_related("municipality").order_by("pk")
    for candidates in (
        teams.filter(municipality__prefecture_id=home, fiscal_year__lt=fiscal_year),
        teams.filter(municipality__prefecture_id=home),
        teams,
    ):
        first = candidates.first()
        if first is not None:
            return first.municipality
    return municipality.objects.filter(prefecture_id=home, active=True).order_by("lgcode").first()


if __name__ == "__main__":
    main(sys.argv[1:])
