"""Reads of 配置計画, each a fixed number of queries: a plan of the organisation, what its page needs
beside the outcome (names, 市町村, existing teams), and the plans of a 年度 and the one before."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import F
from django.http import Http404
from django.utils import timezone

from bansou.accounts.models import User
from bansou.domain import planning
from bansou.domain.framework import Framework
from bansou.domain.planning.codec import loads_outcome
from bansou.orgs.models import Organisation
from bansou.placements.models import PlacementPlan
from bansou.placements.pool import plan_pool
from bansou.placements.presenters import Seen
from bansou.places.models import Municipality
from bansou.teams.models import Team
from bansou.web.http import parse_id


def plan_of(organisation: Organisation, plan_id: str) -> PlacementPlan:
    """The organisation's plan (404 for another's or none). One query."""
    plan = (
        PlacementPlan.objects.select_related("organisation")
        .filter(organisation=organisation, public_id=parse_id(plan_id))
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def outcome_of(plan: PlacementPlan) -> planning.PlanOutcome:
    return loads_outcome(plan.outcome_json)


def seen(
    plan: PlacementPlan, framework: Framework, people: Collection[int] | None, also: Collection[int] = ()
) -> Seen:
    """What a plan's page or file needs beside its outcome: the pool (``people``: only these, as a
    plan's page needs; None: everyone, as a plan needs to be worked out), the 市町村's names and the
    existing teams, and the names of their members outside the pool. Fifteen queries."""
    lgcodes = [t["lgcode"] for t in plan.targets]
    team_ids = [t["team"] for t in plan.targets if t["team"] is not None]
    pool = plan_pool(
        plan.organisation_id,
        framework,
        plan.fiscal_year,
        timezone.localdate(),
        lgcodes=lgcodes,
        team_ids=team_ids,
        only=None if people is None else {*people, *also},
    )
    places = {
        m.lgcode: str(m) for m in Municipality.objects.select_related("prefecture").filter(lgcode__in=lgcodes)
    }
    teams = {
        t.municipality_id: t
        for t in Team.objects.filter(pk__in=team_ids).select_related("municipality__prefecture")
    }
    outside = {
        (team_id, user_id)
        for team_id, seats in pool.members.items()
        for user_id, _lead in seats
        if str(user_id) not in pool.profiles
    }
    names = {u.pk: str(u) for u in User.objects.filter(pk__in={u for _t, u in outside})} if outside else {}
    return Seen(
        pool=pool,
        places=places,
        teams=teams,
        outside={
            team_id: tuple(sorted(names[u] for t, u in outside if t == team_id and u in names))
            for team_id in {t for t, _u in outside}
        },
        needed={t["lgcode"]: t["needed"] for t in plan.targets},
        fiscal_year=plan.fiscal_year,
    )


def previous_plan(plan: PlacementPlan) -> PlacementPlan | None:
    """The previous 年度's plan of the organisation to show beside this one: its accepted one, else its
    newest. One query."""
    return (
        PlacementPlan.objects.filter(organisation_id=plan.organisation_id, fiscal_year=plan.fiscal_year - 1)
        .order_by(F("accepted_at").desc(nulls_last=True), "-created_at")
        .first()
    )


def plans_by_year(organisation: Organisation, years: Collection[int]) -> dict[int, list[PlacementPlan]]:
    """The organisation's plans of ``years``, newest first. One query."""
    found: dict[int, list[PlacementPlan]] = {year: [] for year in years}
    for plan in PlacementPlan.objects.filter(organisation=organisation, fiscal_year__in=list(years)).order_by(
        "-created_at"
    )[:200]:
        found[plan.fiscal_year].append(plan)
    return found


def years_with_plans(organisation: Organisation) -> list[int]:
    return sorted(
        set(PlacementPlan.objects.filter(organisation=organisation).values_list("fiscal_year", flat=True)),
        reverse=True,
    )
