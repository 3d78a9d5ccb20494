"""Writes of 配置計画: asking for a plan (the quick answer, kept), working out the exact one in a
second request, and accepting a plan (``acceptance``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.domain import forming, planning
from bansou.domain.planning.codec import dumps, loads_outcome
from bansou.orgs.models import Organisation
from bansou.placements.models import PlacementPerson, PlacementPlan
from bansou.placements.pool import PlanPool


class Refused(Exception):
    """The request has hard errors: no plan can be made (nothing is saved)."""

    def __init__(self, problems: Sequence[planning.PlanProblem]) -> None:
        super().__init__(problems)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Wanted:
    """One 市町村 to support and the team it should have (``team``: its existing team's id)."""

    lgcode: str
    team: int | None
    size_min: int
    size_max: int
    core_min: int
    core_max: int
    needed: int
    prefer_area: bool
    prefer_experience: bool
    # user ids (as text) of the existing team's members the plan treated as movable when it was made
    # (those in the pool then): accepting a plan that may move members removes only these
    movable: tuple[str, ...] = ()

    def request(self, b_rules: Iterable[str], c_rules: Iterable[str]) -> forming.Request:
        return forming.Request(
            b_rules=tuple(b_rules),
            c_rules=tuple(c_rules),
            needed=self.needed,
            size_min=self.size_min,
            size_max=self.size_max,
            core_min=self.core_min,
            core_max=self.core_max,
            prefer_area=self.prefer_area,
            prefer_experience=self.prefer_experience,
        )


@dataclass(frozen=True)
class Asked:
    fiscal_year: int
    targets: tuple[Wanted, ...]
    changes: planning.Changes
    areas_required: bool

    def request(self, pool: PlanPool, rules: tuple[tuple[str, ...], tuple[str, ...]]) -> planning.PlanRequest:
        return planning.PlanRequest(
            targets=tuple(
                planning.Target(key=t.lgcode, request=t.request(*rules), current=pool.current(t.team))
                for t in self.targets
            ),
            pool=pool.supporters,
            changes=self.changes,
            areas_required=self.areas_required,
        )

    @property
    def team_ids(self) -> list[int]:
        return [t.team for t in self.targets if t.team is not None]


def asked_of(plan: PlacementPlan) -> Asked:
    """What was asked, read back from the kept plan."""
    return Asked(
        fiscal_year=plan.fiscal_year,
        targets=tuple(Wanted(**t) for t in plan.targets),
        changes=planning.Changes(plan.changes),
        areas_required=plan.areas_required,
    )


def named(outcome: planning.PlanOutcome) -> set[int]:
    """Everyone an outcome names: placed, kept, and in its reasons and problems."""
    keys: set[str] = {p.person for p in outcome.problems if p.person}
    if outcome.plan is not None:
        for team in outcome.plan.teams:
            keys |= set(team.members) | set(team.kept)
            keys |= {i.person for i in team.unmet if i.person}
            keys |= {u.instance.person for u in team.uncovered if u.instance.person}
    keys |= {i.instance.person for c in outcome.conflicts for i in c.instances if i.instance.person}
    return {int(k) for k in keys if k.isdigit()}


@transaction.atomic
def make_plan(
    *, organisation: Organisation, user: User, asked: Asked, request: planning.PlanRequest
) -> PlacementPlan:
    """The quick plan, kept; ``Refused`` (nothing kept) when no plan can be made."""
    outcome = planning.plan_quickly(request)
    if not outcome.ok:
        raise Refused(outcome.problems)
    plan = PlacementPlan.objects.create(
        organisation=organisation,
        created_by=user,
        fiscal_year=asked.fiscal_year,
        targets=[asdict(t) for t in asked.targets],
        changes=asked.changes.value,
        areas_required=asked.areas_required,
        quick=dumps(outcome),
        candidates=planning.candidate_count(request),
    )
    _name_people(plan, outcome)
    return plan


def solve_exactly(*, plan: PlacementPlan, request: planning.PlanRequest) -> planning.PlanOutcome:
    """The exact plan (kept once; a second call, or a request that lost the race, reads it)."""
    if plan.exact is not None or plan.exact_too_large:
        return loads_outcome(plan.outcome_json)
    outcome = planning.plan_exactly(request)
    with transaction.atomic():
        stored = PlacementPlan.objects.filter(pk=plan.pk, exact__isnull=True, accepted_at=None).update(
            exact=dumps(outcome), exact_at=timezone.now()
        )
        if stored:
            _name_people(plan, outcome)
    plan.refresh_from_db(fields=["exact", "exact_at"])
    return loads_outcome(plan.outcome_json)


def _name_people(plan: PlacementPlan, outcome: planning.PlanOutcome) -> None:
    PlacementPerson.objects.bulk_create(
        (PlacementPerson(plan=plan, user_id=pk) for pk in sorted(named(outcome))), ignore_conflicts=True
    )
