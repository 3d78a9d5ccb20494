"""The pool as the plan across 市町村 sees it: everyone selection may consider for the organisation
(``teams.pool_people``, as for one team's proposal), each a ``planning.Supporter`` whose load is the
teams they hold in the 年度 *outside* the plan's existing teams, and their open offers there (a plan
accepted but not yet answered), whose areas are the plan's 市町村 their profile names (or whose
都道府県 it names), and who supported those of the plan's 市町村 they were in a team of the
organisation for. A fixed number of queries, whatever the pool's size or the
number of 市町村.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from bansou.domain.framework import Framework
from bansou.domain.planning import Supporter
from bansou.teams.models import Offer, Team, TeamMember
from bansou.teams.pool_people import NO_STANDINGS, Standings, knows, person_of, standings_of, start_day
from bansou.teams.selection import PoolProfile, pool_profiles, profiles_of


@dataclass(frozen=True)
class PlanPool:
    supporters: tuple[Supporter, ...]  # by フリガナ; keys are user ids as text
    profiles: dict[str, PoolProfile]  # by key
    standings: dict[str, Standings]  # by key
    members: dict[int, tuple[tuple[int, bool], ...]]  # existing team id → (user id, is lead), all members
    start: date

    def name(self, key: str) -> str:
        profile = self.profiles.get(key)
        return profile.display_name if profile else "（人材プールを離れた人）"

    def current(self, team_id: int | None) -> frozenset[str]:
        """The existing team's members who are in the pool (those the plan may keep or move)."""
        if team_id is None:
            return frozenset()
        return frozenset(str(u) for u, _lead in self.members.get(team_id, ()) if str(u) in self.profiles)


def existing_teams(
    organisation_id: int, fiscal_year: int, lgcodes: Iterable[str] | None = None
) -> dict[str, Team]:
    """団体コード → the organisation's team for it in the 年度 (the oldest, if several; archived teams
    left out). One query."""
    teams = Team.objects.filter(organisation_id=organisation_id, fiscal_year=fiscal_year, archived_at=None)
    if lgcodes is not None:
        teams = teams.filter(municipality_id__in=list(lgcodes))
    found: dict[str, Team] = {}
    for team in teams.select_related("municipality__prefecture").order_by("created_at", "pk"):
        found.setdefault(team.municipality_id, team)
    return found


def offered(fiscal_year: int, team_ids: Collection[int], only: Collection[int] | None) -> dict[int, int]:
    """User id → their open offers on the 年度's teams (not archived, outside the plan's existing teams):
    a plan accepted but not yet answered holds those places. One query."""
    found = Offer.objects.filter(
        answered_at__isnull=True, team__archived_at__isnull=True, team__fiscal_year=fiscal_year
    ).exclude(team_id__in=list(team_ids))
    if only is not None:
        found = found.filter(user_id__in=list(only))
    return dict(found.values("user_id").annotate(n=Count("pk")).values_list("user_id", "n"))


def plan_pool(
    organisation_id: int,
    framework: Framework,
    fiscal_year: int,
    today: date,
    *,
    lgcodes: Collection[str],
    team_ids: Collection[int],
    only: Collection[int] | None = None,
) -> PlanPool:
    """The pool for a plan over ``lgcodes`` whose existing teams are ``team_ids`` (``only``: those of
    these user ids still in the pool, to show a plan). Twelve queries."""
    if only is None:
        profiles = pool_profiles(organisation_id, fiscal_year)
    else:
        found = profiles_of(organisation_id, only, fiscal_year)
        profiles = sorted(found.values(), key=lambda p: (p.furigana, p.display_name, p.user_id))
    standings = standings_of(organisation_id, framework, only)
    members: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for team_id, user_id, lead in TeamMember.objects.filter(team_id__in=list(team_ids)).values_list(
        "team_id", "user_id", "is_lead"
    ):
        members[team_id].append((user_id, lead))
    inside = Counter(user for seats in members.values() for user, _lead in seats)
    asked = offered(fiscal_year, team_ids, only)
    start = start_day(fiscal_year, today)
    supporters = tuple(
        Supporter(
            person=person_of(
                profile,
                standings.get(profile.user_id) or NO_STANDINGS,
                framework,
                order=order,
                start=start,
                load=max(0, profile.load - inside[profile.user_id]) + asked.get(profile.user_id, 0),
            ),
            areas=frozenset(code for code in lgcodes if knows(profile, code, code[:2])),
            supported=frozenset(s.lgcode for s in profile.experience) & frozenset(lgcodes),
        )
        for order, profile in enumerate(profiles)
    )
    return PlanPool(
        supporters=supporters,
        profiles={str(p.user_id): p for p in profiles},
        standings={str(k): v for k, v in standings.items()},
        members={k: tuple(v) for k, v in members.items()},
        start=start,
    )
