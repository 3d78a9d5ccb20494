"""The pool as team forming sees it: everyone selection may consider for the organisation (in its pool,
sharing a check with it: ``teams.selection.pool_profiles``), each as a ``domain.forming.Person`` made
of the standings of the check they share with the organisation and of their supporter profile
(``teams.pool_people``, which the plan across 市町村 uses too). Ten queries, whatever the pool's size.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date

from bansou.domain.forming import Person
from bansou.domain.framework import Framework
from bansou.orgs.models import Membership
from bansou.places.models import Municipality
from bansou.sharing import queries as sharing_queries
from bansou.teams.pool_people import (
    CORE_ROLE,
    NO_STANDINGS,
    Standings,
    knows,
    person_of,
    rule_keys,
    standings_of,
    start_day,
)
from bansou.teams.selection import PoolProfile, pool_profiles, profiles_of

__all__ = ["CORE_ROLE", "FormingPool", "Standings", "forming_pool", "pool_choices", "rule_keys"]


@dataclass(frozen=True)
class FormingPool:
    people: tuple[Person, ...]  # by フリガナ; ``key`` is the user id as text
    profiles: dict[str, PoolProfile]  # by key
    standings: dict[str, Standings]  # by key
    start: date  # the day availability is judged on

    def name(self, key: str) -> str:
        profile = self.profiles.get(key)
        return profile.display_name if profile else "（人材プールを離れた人）"


def forming_pool(
    organisation_id: int,
    framework: Framework,
    municipality: Municipality,
    fiscal_year: int,
    today: date,
    only: Collection[int] | None = None,
) -> FormingPool:
    """The people of the pool as the optimiser sees them for a team in ``municipality`` in
    ``fiscal_year`` (``only``: those of these user ids who are still in the pool, to show a proposal).
    Ten queries."""
    if only is None:
        profiles = pool_profiles(organisation_id, fiscal_year)
    else:
        found = profiles_of(organisation_id, only, fiscal_year)
        profiles = sorted(found.values(), key=lambda p: (p.furigana, p.display_name, p.user_id))
    standings = standings_of(organisation_id, framework, only)
    start = start_day(fiscal_year, today)
    people = tuple(
        replace(
            person_of(
                profile,
                standings.get(profile.user_id) or NO_STANDINGS,
                framework,
                order=order,
                start=start,
            ),
            knows_area=knows(profile, municipality.lgcode, municipality.prefecture_id),
            supported_before=any(s.lgcode == municipality.lgcode for s in profile.experience),
        )
        for order, profile in enumerate(profiles)
    )
    return FormingPool(
        people=people,
        profiles={str(p.user_id): p for p in profiles},
        standings={str(k): v for k, v in standings.items()},
        start=start,
    )


def pool_choices(organisation_id: int) -> list[tuple[int, str]]:
    """(user id, 「名前（フリガナ）」) of everyone selection may consider, by フリガナ. One query."""
    sharing = sharing_queries.organisation_shares(organisation_id).values("owner_id")
    rows = (
        Membership.objects.filter(organisation_id=organisation_id, in_pool=True, user_id__in=sharing)
        .select_related("user")
        .only("user_id", "user__display_name", "user__furigana", "user__username")
        .order_by("user__furigana", "user__display_name", "user_id")
    )
    return [(m.user_id, f"{m.user}（{m.user.furigana}）" if m.user.furigana else str(m.user)) for m in rows]
