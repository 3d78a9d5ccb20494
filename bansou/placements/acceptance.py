"""Accepting a plan (staff, once) and the changes it proposes to existing teams (their leads decide).

Accepting makes, for each 市町村 without a team, a team run by the organisation with no member yet and
an offer of a place to each person placed (``teams.offers``; the first core person as the lead); for an
existing team whose members the plan changes, a ``ChangeProposal`` its leads accept or decline.
Accepting one offers the added people their place and removes the removed through teams' services."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.domain import planning
from bansou.domain.coverage import CORE_ROLES
from bansou.domain.planning.codec import loads_outcome
from bansou.orgs.models import Membership
from bansou.placements.models import ChangeProposal, PlacementPerson, PlacementPlan
from bansou.places.models import Municipality
from bansou.teams import offers
from bansou.teams import services as teams
from bansou.teams.models import Team, TeamMember


class NothingToAccept(Exception):
    """The plan has no plan to accept (no plan was found)."""


@dataclass(frozen=True)
class Accepted:
    created: tuple[Team, ...]  # teams made for 市町村 without one
    proposed: tuple[ChangeProposal, ...]  # changes proposed to existing teams' leads
    already: bool = False  # it had been accepted before: nothing was done now


def core_roles(plan: planning.Plan) -> dict[int, list[str]]:
    """User id → the roles a core place comes with, for everyone the plan places in the core role:
    their own core roles if they have some, else 中核推進役. One query."""
    core = {int(k) for team in plan.teams for k in team.core}
    own = dict(User.objects.filter(pk__in=core).values_list("pk", "roles"))
    return {pk: sorted(set(own.get(pk) or []) & CORE_ROLES) or ["core_promoter"] for pk in core}


def _lead(team: planning.TeamPlan) -> str | None:
    core = [k for k in team.members if k in team.core]
    return core[0] if core else (team.members[0] if team.members else None)


@transaction.atomic
def accept(*, plan: PlacementPlan, by: User) -> Accepted:
    """Accepts the plan's latest outcome once (a second call, or one that lost the race, does nothing)."""
    locked = PlacementPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    if locked.accepted_at is not None:
        return Accepted((), (), already=True)
    outcome = loads_outcome(locked.outcome_json)
    if outcome.plan is None:
        raise NothingToAccept
    wanted = {t["lgcode"]: t for t in locked.targets}
    places = Municipality.objects.in_bulk([t.target for t in outcome.plan.teams])
    existing = Team.objects.in_bulk([t["team"] for t in locked.targets if t["team"] is not None])
    seats: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in TeamMember.objects.filter(team_id__in=list(existing)).values_list(
        "team_id", "user_id"
    ):
        seats[team_id].add(user_id)
    pooled = set(
        Membership.objects.filter(
            organisation=locked.organisation, in_pool=True, user_id__in=[u for s in seats.values() for u in s]
        ).values_list("user_id", flat=True)
    )
    roles = core_roles(outcome.plan)
    created, proposed = [], []
    for team_plan in outcome.plan.teams:
        target = wanted[team_plan.target]
        lead = _lead(team_plan)
        team = existing.get(target["team"]) if target["team"] is not None else None
        if team is None or team.archived_at is not None:
            created.append(
                offers.create_offered_team(
                    organisation=locked.organisation,
                    municipality=places[team_plan.target],
                    fiscal_year=locked.fiscal_year,
                    name="",
                    needed=target["needed"],
                    by=by,
                    people=[(int(k), k == lead) for k in team_plan.members],
                    reason=offers.Reason.PLACEMENT,
                    roles=roles,
                )
            )
            continue
        change = _change(locked, team, team_plan, seats[team.pk], pooled, roles)
        if change is not None:
            proposed.append(change)
    locked.accepted_at, locked.accepted_by = timezone.now(), by
    locked.save(update_fields=["accepted_at", "accepted_by"])
    plan.accepted_at, plan.accepted_by = locked.accepted_at, by
    return Accepted(tuple(created), tuple(proposed))


def _change(
    plan: PlacementPlan,
    team: Team,
    team_plan: planning.TeamPlan,
    seats: set[int],
    pooled: set[int],
    roles: dict[int, list[str]],
) -> ChangeProposal | None:
    """The change the plan makes to an existing team (None: none): the people it places who are not
    members (with the roles of a core place, if so: ``[user id, is lead, roles]``), and, when the plan
    may move members, the members in the pool it does not keep."""
    placed = {int(k) for k in team_plan.members}
    add = [[int(k), False, roles.get(int(k), [])] for k in team_plan.members if int(k) not in seats]
    remove: list[int] = []
    if plan.changes == planning.Changes.FREE:
        remove = sorted((seats & pooled) - placed)
    if not add and not remove:
        return None
    PlacementPerson.objects.bulk_create(  # the removed are named by the plan now (account deletion)
        (PlacementPerson(plan=plan, user_id=pk) for pk in remove), ignore_conflicts=True
    )
    return ChangeProposal.objects.create(team=team, plan=plan, add=add, remove=remove)


@transaction.atomic
def decide(*, change: ChangeProposal, by: User, accept: bool) -> bool:
    """A lead's answer, once (False when it had been decided before). Accepting offers the added people
    their place and removes the removed (the team's last lead stays)."""
    locked = ChangeProposal.objects.select_for_update().select_related("team").get(pk=change.pk)
    if locked.status != ChangeProposal.Status.OPEN:
        return False
    if accept:
        offers.offer(
            team=locked.team,
            people=[(int(entry[0]), bool(entry[1])) for entry in locked.add],
            by=by,
            reason=offers.Reason.PLACEMENT,
            roles={int(entry[0]): list(entry[2]) for entry in locked.add if len(entry) > 2 and entry[2]},
        )
        for member in TeamMember.objects.filter(team=locked.team, user_id__in=list(locked.remove)):
            try:
                teams.leave(member=member)
            except teams.LastLead:
                continue
    locked.status = ChangeProposal.Status.ACCEPTED if accept else ChangeProposal.Status.DECLINED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    change.status = locked.status
    return True
