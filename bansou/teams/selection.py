"""Reads for selecting people from an organisation's pool: each person's supporter profile (their own
words, ``bansou.profiles``), their load in a 年度, and their experience with the organisation's teams.

A profile is read here only for people in the organisation's pool (``Membership.in_pool``); outside it
nobody of the organisation sees it. Every function costs a fixed number of queries, whatever the
number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from bansou.orgs.models import Membership
from bansou.profiles.models import SupporterProfile, Unavailability
from bansou.sharing import queries as sharing_queries
from bansou.teams.models import TeamMember

DEFAULT_CAPACITY = 1  # what the profile's form starts from, for someone who has not filled it in


@dataclass(frozen=True)
class Served:
    """A team of the organisation the person was in: its 市町村 and 年度."""

    lgcode: str
    municipality: str  # 「東京都 千代田区」
    fiscal_year: int


@dataclass(frozen=True)
class PoolProfile:
    """One person of the pool as selection sees them. ``filled``: they saved a profile (otherwise the
    profile's fields are empty, ``core_role`` False and ``capacity`` ``DEFAULT_CAPACITY``)."""

    user_id: int
    membership_id: int
    display_name: str
    furigana: str
    filled: bool
    prefectures: tuple[tuple[str, str], ...]  # (都道府県コード, 都道府県名), in code order
    municipalities: tuple[tuple[str, str], ...]  # (団体コード, 「東京都 千代田区」), in code order
    professions: tuple[str, ...]  # codes of bansou.domain.professions
    profession_note: str
    core_role: bool  # can take the 中核推進役・調整役 role
    capacity: int  # teams per 年度
    unavailable: tuple[tuple[date, date], ...]  # (first day, last day), by first day
    load: int  # teams they are in in the 年度 asked about (any organisation's)
    experience: tuple[Served, ...]  # the organisation's teams they were in, newest 年度 first

    @property
    def over_capacity(self) -> bool:
        return self.load >= self.capacity

    def available_on(self, day: date) -> bool:
        return not any(start <= day <= end for start, end in self.unavailable)


Users = Collection[int] | QuerySet[Any]  # user ids, or a subquery of them (``values("user_id")``)


def _ids(user_ids: Users) -> Any:
    """A subquery stays one (a pool of thousands is not sent as thousands of parameters)."""
    return user_ids if isinstance(user_ids, QuerySet) else list(user_ids)


def experience(organisation_id: int, user_ids: Users) -> dict[int, list[Served]]:
    """User id to the (市町村, 年度) of the organisation's teams they were in, newest 年度 first (every
    年度, this one included; a team they left is not remembered). One query."""
    found: dict[int, list[Served]] = defaultdict(list)
    rows = (
        TeamMember.objects.filter(team__organisation_id=organisation_id, user_id__in=_ids(user_ids))
        .order_by("user_id", "-team__fiscal_year", "team__municipality_id", "team_id")
        .values_list(
            "user_id",
            "team__municipality_id",
            "team__municipality__prefecture__name",
            "team__municipality__name",
            "team__fiscal_year",
        )
    )
    for user_id, lgcode, prefecture, name, fiscal_year in rows:
        served = Served(lgcode, f"{prefecture} {name}", fiscal_year)
        if served not in found[user_id]:  # two teams for one 市町村 in one 年度 are one experience
            found[user_id].append(served)
    return dict(found)


def loads(user_ids: Users, fiscal_year: int) -> dict[int, int]:
    """User id to the number of teams (of any organisation) they are in in ``fiscal_year``. One query."""
    return dict(
        TeamMember.objects.filter(user_id__in=_ids(user_ids), team__fiscal_year=fiscal_year)
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )


def profiles_of(organisation_id: int, user_ids: Collection[int], fiscal_year: int) -> dict[int, PoolProfile]:
    """User id to the pool profile of those of ``user_ids`` who are in the organisation's pool (the
    others are left out), with their load in ``fiscal_year``. Seven queries."""
    memberships = Membership.objects.filter(
        organisation_id=organisation_id, in_pool=True, user_id__in=list(user_ids)
    )
    return _profiles(organisation_id, memberships, fiscal_year)


def pool_profiles(organisation_id: int, fiscal_year: int) -> list[PoolProfile]:
    """Everyone selection may consider for the organisation: in its pool and sharing a check with it,
    by フリガナ, with their profile, their load in ``fiscal_year`` and their experience with the
    organisation's teams. Seven queries, whatever the pool's size."""
    sharing = sharing_queries.organisation_shares(organisation_id).values("owner_id")
    memberships = Membership.objects.filter(
        organisation_id=organisation_id, in_pool=True, user_id__in=sharing
    )
    found = _profiles(organisation_id, memberships, fiscal_year)
    return sorted(found.values(), key=lambda p: (p.furigana, p.display_name, p.user_id))


def _profiles(
    organisation_id: int, memberships: QuerySet[Membership], fiscal_year: int
) -> dict[int, PoolProfile]:
    people = memberships.values_list(
        "user_id", "pk", "user__display_name", "user__username", "user__furigana"
    )
    ids = memberships.values("user_id")  # a subquery in each read below
    profiles = {
        row[0]: row[1:]
        for row in SupporterProfile.objects.filter(user_id__in=ids).values_list(
            "user_id", "professions", "profession_note", "core_role", "capacity"
        )
    }
    prefectures, municipalities, unavailable = _places_and_periods(ids)
    load = loads(ids, fiscal_year)
    served = experience(organisation_id, ids)
    found = {}
    for user_id, membership_id, display_name, username, furigana in people:
        profile = profiles.get(user_id)
        professions, note, core_role, capacity = profile or ((), "", False, DEFAULT_CAPACITY)
        found[user_id] = PoolProfile(
            user_id=user_id,
            membership_id=membership_id,
            display_name=display_name or username,
            furigana=furigana,
            filled=profile is not None,
            prefectures=tuple((code, name) for code, name in prefectures.get(user_id, [])),
            municipalities=tuple((code, f"{p} {n}") for code, p, n in municipalities.get(user_id, [])),
            professions=tuple(professions),
            profession_note=note,
            core_role=core_role,
            capacity=capacity,
            unavailable=tuple((start, end) for start, end in unavailable.get(user_id, [])),
            load=load.get(user_id, 0),
            experience=tuple(served.get(user_id, [])),
        )
    return found


Grouped = dict[int, list[tuple[Any, ...]]]


def _places_and_periods(ids: QuerySet[Any]) -> tuple[Grouped, Grouped, Grouped]:
    """By user id: the prefectures and 市町村 of their profiles, and their unavailable periods. Three
    queries."""
    prefectures = _by_user(
        SupporterProfile.prefectures.through.objects.filter(supporterprofile__user_id__in=ids)
        .order_by("prefecture_id")
        .values_list("supporterprofile__user_id", "prefecture_id", "prefecture__name")
    )
    municipalities = _by_user(
        SupporterProfile.municipalities.through.objects.filter(supporterprofile__user_id__in=ids)
        .order_by("municipality_id")
        .values_list(
            "supporterprofile__user_id",
            "municipality_id",
            "municipality__prefecture__name",
            "municipality__name",
        )
    )
    unavailable = _by_user(
        Unavailability.objects.filter(profile__user_id__in=ids)
        .order_by("start", "end", "pk")
        .values_list("profile__user_id", "start", "end")
    )
    return prefectures, municipalities, unavailable


def _by_user(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows whose first value is a user id, grouped by it (the rest of each row kept in order)."""
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for user_id, *rest in rows:
        grouped[user_id].append(tuple(rest))
    return grouped
