"""Deleting an account: hand over what others depend on, then remove everything about the person.

Checks, answers, drafts, shares (with teams and organisations), plans, team and organisation
memberships, 研修 participations and the access log about the person go with the account (the
foreign keys cascade), so team maps, pools and 研修 totals no longer count them. Others' access
logs keep the name of a viewer who left, as it was then: it is a record of what was seen of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bansou.accounts.models import User
from bansou.orgs.models import Membership, Organisation
from bansou.teams.models import Team, TeamMember
from bansou.teams.presenters import team_label


@dataclass(frozen=True)
class Handover:
    what: str  # the team's label or the organisation's name
    heir: str | None  # who takes over (None: nobody is left, the team is removed)


def _team_heir(seat: TeamMember) -> TeamMember | None:
    others = TeamMember.objects.filter(team_id=seat.team_id).exclude(pk=seat.pk)
    if others.filter(is_lead=True).exists():
        return None
    return others.select_related("user").order_by("joined_at", "pk").first()


def _org_heir(membership: Membership) -> Membership | None:
    others = Membership.objects.filter(organisation_id=membership.organisation_id).exclude(pk=membership.pk)
    if others.filter(role=Membership.Role.ADMIN).exists():
        return None
    for role in (Membership.Role.STAFF, Membership.Role.SUPPORTER):
        heir = others.filter(role=role).select_related("user").order_by("joined_at", "pk").first()
        if heir is not None:
            return heir
    return None


def _lonely_teams(user: User) -> list[Team]:
    return [
        seat.team
        for seat in TeamMember.objects.filter(user=user).select_related("team__municipality__prefecture")
        if not TeamMember.objects.filter(team_id=seat.team_id).exclude(user=user).exists()
    ]


def handovers(user: User) -> tuple[list[Handover], list[Handover]]:
    """What deleting would hand over: (teams, organisations), each with who takes over."""
    teams = []
    for seat in TeamMember.objects.filter(user=user, is_lead=True).select_related(
        "team__municipality__prefecture"
    ):
        heir = _team_heir(seat)
        if heir is not None:
            teams.append(Handover(team_label(seat.team), str(heir.user)))
    teams.extend(Handover(team_label(team), None) for team in _lonely_teams(user))
    orgs = []
    for membership in Membership.objects.filter(user=user, role=Membership.Role.ADMIN).select_related(
        "organisation"
    ):
        successor = _org_heir(membership)
        if successor is not None:
            orgs.append(Handover(membership.organisation.name, str(successor.user)))
    return teams, orgs


@transaction.atomic
def delete_account(user: User) -> None:
    locked = User.objects.select_for_update().get(pk=user.pk)
    for seat in TeamMember.objects.filter(user=locked, is_lead=True):
        heir = _team_heir(seat)
        if heir is not None:
            TeamMember.objects.filter(pk=heir.pk).update(is_lead=True)
    for team in _lonely_teams(locked):
        team.delete()  # nobody else is in it: its 担当 and invitations go too
    for membership in Membership.objects.filter(user=locked, role=Membership.Role.ADMIN):
        successor = _org_heir(membership)
        if successor is not None:
            Membership.objects.filter(pk=successor.pk).update(role=Membership.Role.ADMIN)
    locked.delete()


def organisations_left_without_people(user: User) -> list[Organisation]:
    """Organisations only this person belongs to: they stay (their 研修 and teams may still be used)."""
    return [
        m.organisation
        for m in Membership.objects.filter(user=user).select_related("organisation")
        if not Membership.objects.filter(organisation_id=m.organisation_id).exclude(user=user).exists()
    ]
