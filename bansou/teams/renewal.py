"""The 年度 change: carrying a team into the next 年度.

A new team for the same 市町村, the next 年度, with the same name, running organisation and C rule;
every member of the old team is asked again (an offer, ``Reason.RENEWAL``; leads as leads, with their
roles), and so is everyone whose offer of a place in the old team was still open (as that offer
asked), to confirm and to choose what to share: nothing shared with the old team carries over, sharing
is per team. The person carrying, if a member, joins the new team at once, as what they were (a lead
only if they led the old team). The old team is
archived (its invitations revoked, its open offers closed for good). Each team is carried once
(``Team.carried_from`` is unique).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from bansou.accounts.models import User
from bansou.orgs.models import Membership
from bansou.teams import offers, queries, services
from bansou.teams.models import Offer, Team, TeamMember


class AlreadyCarried(Exception):
    """The team was carried into the next 年度 already (``following`` is the team it became)."""

    def __init__(self, following: Team) -> None:
        super().__init__(following.pk)
        self.following = following


class Archived(Exception):
    """An archived team has ended: it is not carried (take it out of the archive first)."""


@dataclass(frozen=True)
class Carrying:
    """What carrying ``team`` would do, for the confirmation page."""

    team: Team
    fiscal_year: int  # the new team's
    asked: list[TeamMember]  # the members asked again (all but the person carrying)
    pending: list[Offer]  # open offers of a place in the old team (not to members): asked again too
    joins: TeamMember | None  # the person carrying's seat, if a member: they join as they were (lead or not)


def preview(*, team: Team, by: User) -> Carrying:
    """Two queries (the members, the open offers)."""
    members = queries.members_of(team)
    mine = next((m for m in members if m.user_id == by.pk), None)
    pending = list(
        Offer.objects.filter(team=team, answered_at__isnull=True)
        .exclude(user_id__in=[m.user_id for m in members])
        .select_related("user")
        .order_by("user__furigana", "user__display_name", "pk")
    )
    return Carrying(team, team.fiscal_year + 1, [m for m in members if m is not mine], pending, mine)


@transaction.atomic
def carry(*, team: Team, by: User) -> Team:
    """Carries ``team`` into the next 年度 and returns the new team. Raises ``AlreadyCarried`` if it was
    carried before (a second submit of the same form meets it too), ``Archived`` for an archived team."""
    locked = Team.objects.select_for_update().get(pk=team.pk)
    following = Team.objects.filter(carried_from=locked).first()
    if following is not None:
        raise AlreadyCarried(following)
    if locked.archived_at is not None:
        raise Archived
    try:
        with transaction.atomic():
            new = Team.objects.create(
                municipality_id=locked.municipality_id,
                fiscal_year=locked.fiscal_year + 1,
                name=locked.name,
                organisation_id=locked.organisation_id,
                needed=locked.needed,
                carried_from=locked,
            )
    except IntegrityError:  # carried meanwhile by another request (a database without row locks)
        raise AlreadyCarried(Team.objects.get(carried_from=locked)) from None
    plan = preview(team=locked, by=by)
    if plan.joins is not None:
        TeamMember.objects.create(
            team=new,
            user=by,
            roles=plan.joins.roles,
            is_lead=plan.joins.is_lead,  # a plain member carrying does not become a lead
            affiliation=plan.joins.affiliation if services.belongs(by, plan.joins.affiliation) else None,
        )
    offers.offer(
        team=new,
        people=[(m.user_id, m.is_lead) for m in plan.asked] + [(o.user_id, o.is_lead) for o in plan.pending],
        by=by,
        reason=offers.Reason.RENEWAL,
        roles={m.user_id: list(m.roles) for m in plan.asked}
        | {o.user_id: list(o.roles) for o in plan.pending},
    )
    services.archive_team(team=locked, archived=True)
    return new


@dataclass(frozen=True)
class Neighbours:
    """The previous and next 年度's team, each only for a viewer who may see it."""

    previous: Team | None
    following: Team | None


def neighbours(team: Team, user_id: int) -> Neighbours:
    """The team it carries on and the team it became, where the viewer is a member of that team or
    staff of the organisation running it. One query."""
    staff = Membership.objects.filter(
        organisation_id=OuterRef("organisation_id"),
        user_id=user_id,
        role__in=[Membership.Role.ADMIN, Membership.Role.STAFF],
    )
    found = (
        Team.objects.filter(Q(pk=team.carried_from_id) | Q(carried_from=team))
        .filter(Exists(TeamMember.objects.filter(team=OuterRef("pk"), user_id=user_id)) | Exists(staff))
        .select_related("municipality__prefecture", "organisation")
    )
    previous = following = None
    for other in found:
        if other.pk == team.carried_from_id:
            previous = other
        else:
            following = other
    return Neighbours(previous, following)
