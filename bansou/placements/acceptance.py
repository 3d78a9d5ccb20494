"""Accepting a plan (staff, once) and the changes it proposes to existing teams (their leads decide).

Accepting makes, for each 市町村 without a team, a team run by the organisation with no member yet and
an offer of a place to each person placed (``teams.offers``; the first core person as the lead); for an
existing team whose members the plan changes, a ``ChangeProposal`` its leads accept or decline.
Accepting one offers the added people their place and removes the removed through teams' services."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.domain import planning
from bansou.domain.coverage import CORE_ROLES
from bansou.domain.planning.codec import loads_outcome
from bansou.orgs.models import Membership, Organisation
from bansou.placements.models import ChangeProposal, PlacementPerson, PlacementPlan
from bansou.placements.pool import existing_teams
from bansou.places.models import Municipality
from bansou.teams import offers
from bansou.teams import services as teams
from bansou.teams.models import Team, TeamMember


class NothingToAccept(Exception):
    """The plan has no plan to accept (no plan was found)."""


class TeamsChanged(Exception):
    """The organisation's teams of the plan's 市町村 changed since it was made: nothing is done."""


@dataclass(frozen=True)
class Accepted:
    created: tuple[Team, ...]  # teams made for 市町村 without one
    proposed: tuple[ChangeProposal, ...]  # changes proposed to existing teams' leads
    already: bool = False  # it had been accepted before: nothing was done now
    left_out: int = 0  # people placed who have left the pool since: not asked


def core_roles(plan: planning.Plan) -> dict[int, list[str]]:
    """User id → the roles a core place comes with, for everyone the plan places in the core role:
    their own core roles if they have some, else 中核推進役. One query."""
    core = {int(k) for team in plan.teams for k in team.core}
    own = dict(User.objects.filter(pk__in=core).values_list("pk", "roles"))
    return {pk: sorted(set(own.get(pk) or []) & CORE_ROLES) or ["core_promoter"] for pk in core}


def _lead(members: list[str], core: tuple[str, ...]) -> str | None:
    first = [k for k in members if k in core]
    return first[0] if first else (members[0] if members else None)


def in_pool(organisation_id: int, user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` in the organisation's pool now. One query."""
    return set(
        Membership.objects.filter(
            organisation_id=organisation_id, in_pool=True, user_id__in=list(user_ids)
        ).values_list("user_id", flat=True)
    )


def _unchanged(plan: PlacementPlan) -> dict[int, Team]:
    """The plan's existing teams, by id, read again now; ``TeamsChanged`` if the organisation's teams
    of its 市町村 in the 年度 are not those the plan was made for (a team made, archived or replaced)."""
    now = existing_teams(plan.organisation_id, plan.fiscal_year, [t["lgcode"] for t in plan.targets])
    for target in plan.targets:
        found = now.get(target["lgcode"])
        if (found.pk if found else None) != target["team"]:
            raise TeamsChanged
    return {team.pk: team for team in now.values()}


def _seats(team_ids: Iterable[int]) -> dict[int, set[int]]:
    """Team id → its members' user ids. One query."""
    seats: dict[int, set[int]] = defaultdict(set)
    for team_id, user_id in TeamMember.objects.filter(team_id__in=list(team_ids)).values_list(
        "team_id", "user_id"
    ):
        seats[team_id].add(user_id)
    return seats


@transaction.atomic
def accept(*, plan: PlacementPlan, by: User) -> Accepted:
    """Accepts the plan's latest outcome once (a second call, or one that lost the race, does nothing).
    The organisation is locked while it runs, so two plans of a 年度 are accepted one after the other:
    ``TeamsChanged`` (nothing done) when its teams are no longer those it was made for."""
    Organisation.objects.select_for_update().filter(pk=plan.organisation_id).first()
    locked = PlacementPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    if locked.accepted_at is not None:
        return Accepted((), (), already=True)
    outcome = loads_outcome(locked.outcome_json)
    if outcome.plan is None:
        raise NothingToAccept
    existing = _unchanged(locked)
    wanted = {t["lgcode"]: t for t in locked.targets}
    places = Municipality.objects.in_bulk([t.target for t in outcome.plan.teams])
    seats = _seats(existing)
    placed = {int(k) for t in outcome.plan.teams for k in t.members}
    pooled = in_pool(locked.organisation_id, placed)
    roles = core_roles(outcome.plan)
    created, proposed = [], []
    for team_plan in outcome.plan.teams:
        target = wanted[team_plan.target]
        members = [k for k in team_plan.members if int(k) in pooled]
        if target["team"] is None:
            lead = _lead(members, team_plan.core)
            created.append(
                offers.create_offered_team(
                    organisation=locked.organisation,
                    municipality=places[team_plan.target],
                    fiscal_year=locked.fiscal_year,
                    name="",
                    needed=target["needed"],
                    by=by,
                    people=[(int(k), k == lead) for k in members],
                    reason=offers.Reason.PLACEMENT,
                    roles=roles,
                )
            )
            continue
        movable = {int(k) for k in target.get("movable", ())}
        change = _change(
            locked, existing[target["team"]], team_plan, members, seats[target["team"]], movable, roles
        )
        if change is not None:
            proposed.append(change)
    locked.accepted_at, locked.accepted_by = timezone.now(), by
    locked.save(update_fields=["accepted_at", "accepted_by"])
    plan.accepted_at, plan.accepted_by = locked.accepted_at, by
    return Accepted(tuple(created), tuple(proposed), left_out=len(placed - pooled))


def _change(
    plan: PlacementPlan,
    team: Team,
    team_plan: planning.TeamPlan,
    members: list[str],
    seats: set[int],
    movable: set[int],
    roles: dict[int, list[str]],
) -> ChangeProposal | None:
    """The change the plan makes to an existing team (None: none): the people it places who are not
    members and are still in the pool (``members``; with the roles of a core place, if so:
    ``[user id, is lead, roles]``), and, when the plan may move members, the members it treated as
    movable when it was made (``movable``: those in the pool then) that it does not keep."""
    add = [[int(k), False, roles.get(int(k), [])] for k in members if int(k) not in seats]
    remove: list[int] = []
    if plan.changes == planning.Changes.FREE:
        remove = sorted((seats & movable) - {int(k) for k in team_plan.members})
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
    locked = ChangeProposal.objects.select_for_update().select_related("team", "plan").get(pk=change.pk)
    if locked.status != ChangeProposal.Status.OPEN:
        return False
    if accept and locked.team.archived_at is not None:  # no offer can be made: the proposal closes
        locked.status = ChangeProposal.Status.CLOSED
    elif accept:
        _apply(locked, by)
        locked.status = ChangeProposal.Status.ACCEPTED
    else:
        locked.status = ChangeProposal.Status.DECLINED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    change.status = locked.status
    return True


def _apply(change: ChangeProposal, by: User) -> None:
    """Offers the added people still in the pool their place, and removes the removed (the team's
    last lead stays)."""
    pooled = in_pool(change.plan.organisation_id, [int(entry[0]) for entry in change.add])
    offers.offer(
        team=change.team,
        people=[(int(entry[0]), bool(entry[1])) for entry in change.add if int(entry[0]) in pooled],
        by=by,
        reason=offers.Reason.PLACEMENT,
        roles={int(entry[0]): list(entry[2]) for entry in change.add if len(entry) > 2 and entry[2]},
    )
    for member in TeamMember.objects.filter(team=change.team, user_id__in=list(change.remove)):
        try:
            teams.leave(member=member)
        except teams.LastLead:
            continue
