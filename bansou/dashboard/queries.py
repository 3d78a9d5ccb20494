"""Reads of the dashboard: the organisation's teams of two 年度, the 市町村 without one, the pool's load,
and the pool's totals through the disclosure service. A fixed number of queries whatever the number of
teams, 市町村 and people."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bansou.cohorts import queries as cohort_queries
from bansou.disclosure.services import Figure, show
from bansou.domain.framework import Framework
from bansou.frameworks.queries import current_version
from bansou.orgs.models import Organisation
from bansou.places.models import Municipality
from bansou.sharing.queries import pool_members
from bansou.teams.models import Team, TeamMember

LOAD_BUCKETS = (0, 1, 2, 3)  # 3: three teams or more


def teams_of(organisation: Organisation, years: Sequence[int]) -> QuerySet[Team]:
    """The teams the organisation runs in ``years`` (archived or not), by 年度 and 市町村."""
    return Team.objects.filter(organisation=organisation, fiscal_year__in=list(years)).order_by(
        "fiscal_year", "municipality_id", "pk"
    )


def prefectures_of(organisation: Organisation, teams: Iterable[Team]) -> list[str]:
    """The organisation's own 都道府県, or (an organisation without one) those of its teams' 市町村."""
    if organisation.prefecture_id is not None:
        return [organisation.prefecture_id]
    return sorted({team.municipality.prefecture_id for team in teams})


@dataclass(frozen=True)
class Places:
    """The 市町村 listed (active, without the wards of 政令指定都市) and, for each ward of their
    都道府県 (active or not), the 団体コード of its city: a team for a ward covers its city."""

    listed: list[Municipality]
    city_of: dict[str, str]

    def counted_as(self, lgcode: str) -> str:
        return self.city_of.get(lgcode, lgcode)


def municipalities_in(prefectures: Sequence[str]) -> Places:
    """The 市町村 of the 都道府県 as the dashboard counts them. The list has no link from a ward to
    its city; the ward's name begins with it (「札幌市中央区」), as ``places.sources`` reads the
    official list: the longest 政令指定都市 of the same 都道府県 that begins the name. A ward whose city
    is not found is listed itself rather than dropped. One query."""
    if not prefectures:
        return Places([], {})
    rows = list(
        Municipality.objects.filter(prefecture_id__in=list(prefectures))
        .filter(Q(active=True) | Q(kind=Municipality.Kind.WARD))
        .select_related("prefecture")
        .order_by("lgcode")
    )
    cities = [m for m in rows if m.kind == Municipality.Kind.DESIGNATED_CITY]
    city_of: dict[str, str] = {}
    listed = []
    for m in rows:
        if m.kind == Municipality.Kind.WARD:
            found = [c for c in cities if c.prefecture_id == m.prefecture_id and m.name.startswith(c.name)]
            if found:
                city_of[m.lgcode] = max(found, key=lambda c: len(c.name)).lgcode
                continue
        if m.active:
            listed.append(m)
    return Places(listed, city_of)


def loads(organisation: Organisation, years: Sequence[int]) -> dict[int, Counter[int]]:
    """Per 年度, how many people of the pool are in 0, 1, 2, 3 or more teams of that 年度 (any
    organisation's: a person's capacity is theirs). Counts of teams, not of checks. Two queries."""
    in_pool = pool_members(organisation.pk)
    size = in_pool.count()
    seats = (
        TeamMember.objects.filter(user_id__in=in_pool, team__fiscal_year__in=list(years))
        .values("user_id", "team__fiscal_year")
        .annotate(n=Count("team_id", distinct=True))
        .values_list("team__fiscal_year", "n")
        .order_by()
    )
    found: dict[int, Counter[int]] = {year: Counter() for year in years}
    for year, n in seats:
        found[year][min(n, LOAD_BUCKETS[-1])] += 1
    for counts in found.values():
        counts[0] = size - sum(counts.values())
    return found


def pool_figures(
    organisation: Organisation, years: Sequence[int], framework: Framework, viewer_id: int
) -> list[Figure]:
    """Per 年度, the totals over the checks of that 年度 the pool's people share with the organisation
    (one each: ``cohorts.queries.overview_group``), per element and per label, as the disclosure
    service lets the organisation's staff see them."""
    version = current_version()
    groups = [cohort_queries.overview_group(organisation, y, version, pool_only=True) for y in years]
    figures = show(
        [(group,) for group in groups],
        viewer_id=viewer_id,
        framework=framework,
        version=version,
        audience=cohort_queries.staff_of(organisation.pk),
        typed_by=lambda checks: cohort_queries.typed_by(organisation.pk, sorted(checks)),
        shown_to=organisation.pk,
        labels=True,
        items=False,  # the page reads the element and label standings only
    )
    return [figure for (figure,) in figures]
