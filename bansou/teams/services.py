"""Writes of teams: creating, changing, deleting and archiving, inviting, joining, leaving, roles and
leads, 担当, the access log."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.invitations import services as invitations
from bansou.invitations.models import Invitation, Kind, Redemption
from bansou.orgs.models import Membership, Organisation
from bansou.places.models import Municipality
from bansou.sharing.services import withdraw_from_team
from bansou.teams.models import AccessLog, Assignment, JoinRequest, Offer, Team, TeamMember
from bansou.teams.queries import traces_of

LEAD = "lead"  # a team invitation with this role makes its user a lead on joining


class LastLead(Exception):
    """A team must keep at least one lead."""


class HasTraces(Exception):
    """A team something was shared with, or whose members' answers someone looked at, is archived instead."""


@transaction.atomic
def change_team(*, team: Team, municipality: Municipality, fiscal_year: int, name: str, needed: int) -> None:
    """The settings a lead may change: the 市町村 and 年度 (to correct them), the name, the C rule."""
    team.municipality, team.fiscal_year, team.name, team.needed = municipality, fiscal_year, name, needed
    team.save(update_fields=["municipality", "fiscal_year", "name", "needed"])


@transaction.atomic
def delete_team(*, team: Team) -> None:
    """Deletes a team with no traces (``queries.traces_of``): its members, 担当 and invitations go too."""
    locked = Team.objects.select_for_update().get(pk=team.pk)
    if traces_of(locked).any:
        raise HasTraces
    locked.delete()  # members and 担当 by cascade; invitations by ``receivers.forget_invitations``


@transaction.atomic
def archive_team(*, team: Team, archived: bool) -> None:
    """Archives a team (its open invitations are revoked, its open offers closed for good: taking it out
    of the archive reopens neither) or takes it out of the archive."""
    now = timezone.now()
    team.archived_at = now if archived else None
    team.save(update_fields=["archived_at"])
    if archived:
        invitations.revoke(kind=Kind.TEAM, target_id=team.pk)
        # closed: an answer time with no answer (``accepted`` None)
        Offer.objects.filter(team=team, answered_at__isnull=True).update(answered_at=now, accepted=None)


@transaction.atomic
def create_team(
    *,
    user: User,
    municipality: Municipality,
    fiscal_year: int,
    name: str = "",
    organisation: Organisation | None = None,
    roles: Iterable[str] = (),
) -> Team:
    """Creates a team with ``user`` as its first lead."""
    team = Team.objects.create(
        municipality=municipality, fiscal_year=fiscal_year, name=name, organisation=organisation
    )
    TeamMember.objects.create(
        team=team,
        user=user,
        roles=list(roles),
        is_lead=True,
        affiliation=organisation if belongs(user, organisation) else None,
    )
    return team


def belongs(user: User, organisation: Organisation | None) -> bool:
    """Whether ``user`` belongs to ``organisation`` now (any role)."""
    return (
        organisation is not None and Membership.objects.filter(organisation=organisation, user=user).exists()
    )


class Invite(StrEnum):
    """The two ways a lead invites (never a code that lets anyone in unasked)."""

    SINGLE = "single"  # the first person who uses it joins at once; nobody after them
    APPROVAL = "approval"  # whoever uses it asks to join, and joins when a lead approves


class JoinRefused(Exception):
    """A lead refused this person's join by this invitation: it does not ask again."""


def invite(*, team: Team, by: User, how: Invite = Invite.SINGLE, note: str = "") -> invitations.Issued:
    """A link and code to join the team, for two weeks, single-use or needing a lead's approval of
    each join (``how``); the code is shown once."""
    return invitations.issue(
        kind=Kind.TEAM,
        target_id=team.pk,
        by_id=by.pk,
        max_uses=1 if how is Invite.SINGLE else None,
        approval_required=how is Invite.APPROVAL,
        note=note,
    )


def join(
    *, invitation: Invitation, user: User, roles: Iterable[str], affiliation: Organisation | None
) -> tuple[TeamMember, bool]:
    """Joins the team; someone already in keeps their place. Returns (member, new). An invitation
    whose role is ``LEAD`` makes the new member a lead (a team formed from a proposal).

    Raises ``invitations.UsedUp`` if the invitation stopped being usable meanwhile. One that needs a
    lead's approval keeps the request with the roles and affiliation chosen (``JoinRequest``) and raises
    ``invitations.AwaitingApproval`` (joining nothing yet), or ``JoinRefused`` if a lead refused it."""
    if affiliation is not None and not belongs(user, affiliation):
        affiliation = None
    seats = TeamMember.objects.filter(team_id=invitation.target, user=user)
    try:
        return invitations.admit(
            invitation,
            user.pk,
            existing=seats.first,
            create=lambda: close_offers_of(
                TeamMember.objects.create(
                    team_id=invitation.target,
                    user=user,
                    roles=list(roles),
                    affiliation=affiliation,
                    is_lead=invitation.role == LEAD,
                )
            ),
        )
    except invitations.AwaitingApproval:
        _ask(invitation, user, list(roles), affiliation)
        raise


@transaction.atomic
def _ask(invitation: Invitation, user: User, roles: list[str], affiliation: Organisation | None) -> None:
    """Keeps the person's request to join by ``invitation`` for a lead to approve or refuse; one
    request per person and team (a refusal stands for its invitation only)."""
    redemption = Redemption.objects.get(invitation=invitation, user=user)
    found = JoinRequest.objects.select_for_update().filter(team_id=invitation.target, user=user).first()
    if found is not None and found.refused_at is not None:
        if found.redemption_id == redemption.pk:
            raise JoinRefused
        found.delete()
        found = None
    if found is None:
        JoinRequest.objects.get_or_create(
            team_id=invitation.target,
            user=user,
            defaults={"redemption": redemption, "roles": roles, "affiliation": affiliation},
        )


def waiting(team: Team) -> list[JoinRequest]:
    """The requests to join the team that no lead has answered, oldest first. One query."""
    return list(
        JoinRequest.objects.filter(team=team, refused_at__isnull=True)
        .select_related("user", "affiliation", "redemption__invitation")
        .order_by("asked_at", "pk")
    )


@transaction.atomic
def approve(*, request: JoinRequest) -> TeamMember:
    """A lead lets the person in, with the roles and affiliation they chose (and as a lead if the
    invitation makes one); the request goes."""
    locked = (
        JoinRequest.objects.select_for_update().select_related("redemption__invitation").get(pk=request.pk)
    )
    invitations.approve(locked.redemption)
    affiliation = locked.affiliation if belongs(locked.user, locked.affiliation) else None
    member, _ = TeamMember.objects.get_or_create(
        team_id=locked.team_id,
        user_id=locked.user_id,
        defaults={
            "roles": locked.roles,
            "affiliation": affiliation,
            "is_lead": locked.redemption.invitation.role == LEAD,
        },
    )
    locked.delete()
    return close_offers_of(member)


def close_offers_of(member: TeamMember) -> TeamMember:
    """The member joined by another way than an offer: their open offers of a place in the team are
    closed for good (an offer to lead stays open for a member who is not a lead). Returns ``member``."""
    still = Offer.objects.filter(team_id=member.team_id, user_id=member.user_id, answered_at__isnull=True)
    if not member.is_lead:
        still = still.filter(is_lead=False)
    still.update(answered_at=timezone.now(), accepted=None)
    return member


def refuse(*, request: JoinRequest) -> None:
    """A lead refuses: the person is not let in, and the same invitation does not ask again."""
    JoinRequest.objects.filter(pk=request.pk, refused_at__isnull=True).update(refused_at=timezone.now())


@transaction.atomic
def leave(*, member: TeamMember) -> None:
    """The member leaves (or is removed); what they shared with the team goes with them."""
    if member.is_lead:
        _keep_a_lead(member)
    withdraw_from_team(user_id=member.user_id, team_id=member.team_id)
    member.delete()  # and their 担当


@transaction.atomic
def set_member(*, member: TeamMember, roles: Iterable[str], is_lead: bool) -> None:
    if member.is_lead and not is_lead:
        _keep_a_lead(member)
    TeamMember.objects.filter(pk=member.pk).update(roles=list(roles), is_lead=is_lead)


def _keep_a_lead(member: TeamMember) -> None:
    leads = list(
        TeamMember.objects.select_for_update()
        .filter(team_id=member.team_id, is_lead=True)
        .values_list("pk", flat=True)
    )
    if leads == [member.pk]:
        raise LastLead


@transaction.atomic
def set_assignments(*, team: Team, element: int, member_ids: Iterable[int]) -> None:
    """Who takes responsibility (担当) for ``element``: exactly the given members of the team."""
    wanted = set(TeamMember.objects.filter(team=team, pk__in=list(member_ids)).values_list("pk", flat=True))
    Assignment.objects.filter(team=team, element=element).exclude(member_id__in=wanted).delete()
    have = set(Assignment.objects.filter(team=team, element=element).values_list("member_id", flat=True))
    Assignment.objects.bulk_create(
        Assignment(team=team, element=element, member_id=pk) for pk in sorted(wanted - have)
    )


def log_access(*, viewer: User, team: Team, what: str, seen: Iterable[tuple[int, int]]) -> None:
    """Writes one row per (subject user id, check id) whose item-level answers ``viewer`` saw."""
    label = f"{team.municipality}（{team.name}）" if team.name else str(team.municipality)
    AccessLog.objects.bulk_create(
        AccessLog(
            subject_id=subject_id,
            viewer=viewer,
            viewer_name=str(viewer),
            team=team,
            team_label=label,
            check_record_id=check_id,
            what=what,
        )
        for subject_id, check_id in seen
        if subject_id != viewer.pk
    )


def log_placement(*, viewer: User, team: Team, subjects: Iterable[int]) -> None:
    """Writes one row per user id placed by ``viewer`` in a team proposal that became ``team``."""
    AccessLog.objects.bulk_create(
        AccessLog(
            subject_id=subject_id,
            viewer=viewer,
            viewer_name=str(viewer),
            team=team,
            team_label=team.label,
            what=AccessLog.What.PLACED,
        )
        for subject_id in subjects
        if subject_id != viewer.pk
    )


def purge_access_log(*, before: datetime.datetime) -> int:
    """Deletes the access log's entries (who looked at whose answers) made before ``before``."""
    _, deleted = AccessLog.objects.filter(at__lt=before).delete()
    return deleted.get("teams.AccessLog", 0)
