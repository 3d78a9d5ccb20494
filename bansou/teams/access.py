"""A team for a viewer, by the table in ``bansou.domain.access``: 404 or 403 otherwise; an offer of a
place in a team for the person offered it, and for nobody else (404).

The viewer's relation to the team is read in the same query as the team. An open offer gives no part in
the team: until they accept it, the person asked is not a participant (404 on the team's pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest

from bansou.domain.access import Decision, TeamAction, TeamRelation, team_decision
from bansou.orgs.models import Membership
from bansou.teams.models import Offer, Team, TeamMember
from bansou.web.http import enforce, parse_id


@dataclass(frozen=True)
class Seat:
    """A team as seen by one viewer."""

    team: Team
    relation: TeamRelation
    member_id: int | None  # the viewer's TeamMember row, if a member

    def can(self, action: TeamAction) -> bool:
        return team_decision(self.relation, action) is Decision.ALLOW


def team_for(request: HttpRequest, public_id: str, action: TeamAction, *, about: int | None = None) -> Seat:
    """The team, if the viewer may ``action``; ``about`` is the TeamMember the page is about. One query."""
    team_id = parse_id(public_id)
    if not request.user.is_authenticated:
        enforce(team_decision(TeamRelation(), action))
    user_id: int = request.user.pk  # type: ignore[assignment]
    mine = TeamMember.objects.filter(team=OuterRef("pk"), user_id=user_id)
    team = (
        Team.objects.select_related("municipality__prefecture", "organisation")
        .annotate(
            my_member_id=Subquery(mine.values("pk")[:1]),
            my_lead=Subquery(mine.values("is_lead")[:1]),
            org_staff=Exists(
                Membership.objects.filter(
                    organisation_id=OuterRef("organisation_id"),
                    user_id=user_id,
                    role__in=[Membership.Role.ADMIN, Membership.Role.STAFF],
                )
            ),
        )
        .filter(public_id=team_id)
        .first()
    )
    if team is None:
        enforce(team_decision(TeamRelation(), action))
    assert team is not None
    member_id = team.my_member_id
    relation = TeamRelation(
        member=member_id is not None,
        lead=bool(team.my_lead),
        org_staff=bool(team.org_staff),
        self_=about is not None and about == member_id,
    )
    enforce(team_decision(relation, action))
    return Seat(team=team, relation=relation, member_id=member_id)


def offer_for(request: HttpRequest, public_id: str) -> Offer:
    """The viewer's own offer, with its team and who asked; 404 for anyone else's. One query."""
    offer_id = parse_id(public_id)
    found = (
        Offer.objects.select_related("team__municipality__prefecture", "team__organisation", "offered_by")
        .filter(public_id=offer_id, user_id=request.user.pk)
        .first()
        if request.user.is_authenticated
        else None
    )
    if found is None:
        raise Http404
    return found


def team_offer(seat: Seat, public_id: str) -> Offer:
    """An offer of the seat's team (by its public id), with the person asked; 404 for another team's."""
    found = Offer.objects.select_related("user").filter(team=seat.team, public_id=parse_id(public_id)).first()
    if found is None:
        raise Http404
    return found
