"""Offers of a place in a team to a known user of the app (no code to pass on): asked by a plan
(配置計画) or by carrying a team into the next 年度, answered by the person on their offer page.

An offer is open until the person answers; archiving the team, or the person joining it by another
way, closes it for good (``answered_at`` set, ``accepted`` None: taking the team out of the archive does
not reopen it). A withdrawn offer is deleted. Accepting makes the person a member (a lead if the offer says
so); nothing of theirs is shared with the team until they choose it on the team's share page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bansou.accounts.models import User
from bansou.orgs.models import Membership, Organisation
from bansou.places.models import Municipality
from bansou.teams.models import Offer, Reason, Team, TeamMember
from bansou.teams.services import belongs

__all__ = [
    "Closed",
    "LastLeadOffer",
    "Offer",
    "Reason",
    "answer",
    "ask_to_lead",
    "create_offered_team",
    "has_lead",
    "lead_candidates",
    "offer",
    "offers_of",
    "open_offers",
    "withdraw",
]


class Closed(Exception):
    """The team is archived (its offers cannot be accepted, and no new one is made), or the offer was
    closed (by archiving, or by the person joining another way)."""


class LastLeadOffer(Exception):
    """The team has no lead, and this is its only open offer to lead: withdrawing it would leave
    nobody to lead the team."""


@transaction.atomic
def offer(
    *,
    team: Team,
    people: Sequence[tuple[int, bool]],
    by: User,
    reason: str,
    roles: Mapping[int, list[str]] | None = None,
) -> list[Offer]:
    """Offers a place in ``team`` to each (user id, as a lead) of ``people``; ``roles`` (by user id) the
    roles each place comes with (else the person's own). Nobody already a member (except a member who
    is not a lead, asked to lead), and nobody with an open offer to the team, is asked again: returns
    the offers made now, in the order of ``people``. Raises ``Closed`` for an archived team. Four
    queries whatever the number of people."""
    locked = Team.objects.select_for_update().get(pk=team.pk)  # one writer of a team's offers at a time
    if locked.archived_at is not None:
        raise Closed
    wanted: dict[int, bool] = {}
    for user_id, is_lead in people:
        wanted.setdefault(user_id, is_lead)
    members = TeamMember.objects.filter(team=locked, user_id__in=list(wanted)).values_list(
        "user_id", "is_lead"
    )
    asked = Offer.objects.filter(team=locked, user_id__in=list(wanted), answered_at__isnull=True)
    skip = {user_id for user_id, lead in members if lead or not wanted[user_id]}
    skip |= set(asked.values_list("user_id", flat=True))
    made = [
        Offer(
            team=locked,
            user_id=user_id,
            is_lead=is_lead,
            roles=list((roles or {}).get(user_id, [])),
            reason=reason,
            offered_by=by,
        )
        for user_id, is_lead in wanted.items()
        if user_id not in skip
    ]
    return Offer.objects.bulk_create(made)


@transaction.atomic
def create_offered_team(
    *,
    organisation: Organisation,
    municipality: Municipality,
    fiscal_year: int,
    name: str,
    needed: int,
    by: User,
    people: Sequence[tuple[int, bool]],
    reason: str,
    roles: Mapping[int, list[str]] | None = None,
) -> Team:
    """A team run by ``organisation`` with no member yet, and an offer to each of ``people``: they
    become members as they accept (its page lists who was asked and who answered, for the running
    organisation's staff and, once there are some, its leads)."""
    team = Team.objects.create(
        municipality=municipality,
        fiscal_year=fiscal_year,
        name=name,
        organisation=organisation,
        needed=needed,
    )
    offer(team=team, people=people, by=by, reason=reason, roles=roles)
    return team


@transaction.atomic
def answer(*, offer: Offer, accept: bool) -> TeamMember | None:
    """The person's answer. Idempotent: an offer already answered keeps its first answer and writes
    nothing (returns their place in the team if they are still in it, else None: someone who left is
    not brought back). Accepting makes them a member (a lead if the offer says so, with its roles or
    else their own; affiliated with the running organisation if they belong to it); a member accepting
    an offer to lead becomes a lead. Raises ``Closed`` on an archived team or a closed offer, and
    ``Offer.DoesNotExist`` if it was withdrawn."""
    locked = Offer.objects.select_for_update().select_related("team", "user").get(pk=offer.pk)
    seat = TeamMember.objects.filter(team_id=locked.team_id, user_id=locked.user_id).first()
    if locked.answered_at is not None and locked.accepted is None:
        raise Closed  # closed when the team was archived, or when they joined another way
    if locked.answered_at is not None:
        offer.answered_at, offer.accepted = locked.answered_at, locked.accepted
        return seat if locked.accepted else None
    if locked.team.archived_at is not None:
        raise Closed
    locked.answered_at, locked.accepted = timezone.now(), accept
    locked.save(update_fields=["answered_at", "accepted"])
    offer.answered_at, offer.accepted = locked.answered_at, locked.accepted
    if not accept:
        return None
    if seat is not None:  # a member asked to lead (or who joined by another way meanwhile)
        if locked.is_lead and not seat.is_lead:
            seat.is_lead = True
            seat.save(update_fields=["is_lead"])
        return seat
    organisation = locked.team.organisation
    return TeamMember.objects.create(
        team_id=locked.team_id,
        user_id=locked.user_id,
        roles=list(locked.roles or locked.user.roles),
        is_lead=locked.is_lead,
        affiliation=organisation if belongs(locked.user, organisation) else None,
    )


def _settled() -> Q:
    """An offer the person's place in the team already answers: they are a member (a lead, if it asks
    them to lead). Such an offer is closed when they join (``services.close_offers_of``); this also
    covers offers left open before that."""
    seat = TeamMember.objects.filter(team_id=OuterRef("team_id"), user_id=OuterRef("user_id"))
    return Exists(seat.filter(is_lead=True)) | (Q(is_lead=False) & Exists(seat))


def open_offers(user: User) -> list[Offer]:
    """The person's open offers (not on archived teams, not answered by their place in the team),
    oldest first, with their teams and who asked. One query."""
    return list(
        Offer.objects.filter(user=user, answered_at__isnull=True, team__archived_at__isnull=True)
        .exclude(_settled())
        .select_related("team__municipality__prefecture", "team__organisation", "offered_by")
        .order_by("offered_at", "pk")
    )


def offers_of(team: Team) -> list[Offer]:
    """The team's offers, open first, then answered (newest answer first), by フリガナ; each with
    ``settled`` (the person's place in the team answers it: shown as 参加). One query."""
    return sorted(
        Offer.objects.filter(team=team)
        .annotate(settled=_settled())
        .select_related("user", "team")
        .order_by("user__furigana", "user__display_name", "pk"),
        key=lambda o: (o.answered_at is not None, -(o.answered_at.timestamp() if o.answered_at else 0)),
    )


@transaction.atomic
def withdraw(*, offer: Offer) -> int:
    """Withdraws an offer while it is open (by a lead or the running organisation's staff): it goes.
    An answered (or closed) offer stays as it was. Returns how many offers went (0 or 1). Raises
    ``LastLeadOffer`` for the only open offer to lead of a team with no lead."""
    team = Team.objects.select_for_update().get(pk=offer.team_id)  # one writer of its offers at a time
    still = Offer.objects.filter(pk=offer.pk, answered_at__isnull=True)
    if offer.is_lead and team.archived_at is None and still.exists() and not has_lead(team):
        others = Offer.objects.filter(team=team, is_lead=True, answered_at__isnull=True).exclude(pk=offer.pk)
        if not others.exists():
            raise LastLeadOffer
    gone, _ = still.delete()
    return gone


def has_lead(team: Team) -> bool:
    return TeamMember.objects.filter(team=team, is_lead=True).exists()


def lead_candidates(team: Team, *, staff: bool) -> list[tuple[int, str]]:
    """Whom a steward may ask to lead a team with no lead, as (user id, name): its members, and for the
    running organisation's staff the organisation's members not in the team; nobody already asked
    (an open offer). Two queries."""
    members = list(
        TeamMember.objects.filter(team=team).select_related("user").order_by("user__furigana", "pk")
    )
    asked = set(Offer.objects.filter(team=team, answered_at__isnull=True).values_list("user_id", flat=True))
    found = [(m.user_id, str(m.user)) for m in members if not m.is_lead]
    if staff and team.organisation_id is not None:
        inside = {m.user_id for m in members}
        belonging = Membership.objects.filter(organisation_id=team.organisation_id).select_related("user")
        found += [
            (b.user_id, str(b.user))
            for b in belonging.order_by("user__furigana", "pk")
            if b.user_id not in inside
        ]
    return [(user_id, name) for user_id, name in found if user_id not in asked]


def ask_to_lead(*, team: Team, user_id: int, by: User) -> Offer | None:
    """A steward asks someone to lead a team with no lead: a member who accepts becomes a lead, anyone
    else joins as one. None if they were asked already (an open offer) or lead it already."""
    made = offer(team=team, people=[(user_id, True)], by=by, reason=Reason.LEAD)
    return made[0] if made else None
