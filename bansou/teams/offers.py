"""Offers of a place in a team to a known user of the app (no code to pass on): asked by a plan
(配置計画) or by carrying a team into the next 年度, answered by the person on their offer page.

An offer is open until the person answers; an offer on an archived team is closed (it cannot be
accepted). A withdrawn offer is deleted. Accepting makes the person a member (a lead if the offer says
so); nothing of theirs is shared with the team until they choose it on the team's share page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.orgs.models import Membership, Organisation
from bansou.places.models import Municipality
from bansou.teams.models import Offer, Reason, Team, TeamMember

__all__ = [
    "Closed",
    "Offer",
    "Reason",
    "answer",
    "create_offered_team",
    "offer",
    "offers_of",
    "open_offers",
    "withdraw",
]


class Closed(Exception):
    """The team is archived: its offers cannot be accepted, and no new one is made."""


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
    roles each place comes with (else the person's own). Nobody already a member, and nobody with an
    open offer to the team, is asked again: returns the offers made now, in the order of ``people``.
    Raises ``Closed`` for an archived team. Four queries whatever the number of people."""
    locked = Team.objects.select_for_update().get(pk=team.pk)  # one writer of a team's offers at a time
    if locked.archived_at is not None:
        raise Closed
    wanted: dict[int, bool] = {}
    for user_id, is_lead in people:
        wanted.setdefault(user_id, is_lead)
    members = TeamMember.objects.filter(team=locked, user_id__in=list(wanted)).values_list(
        "user_id", flat=True
    )
    asked = Offer.objects.filter(team=locked, user_id__in=list(wanted), answered_at__isnull=True)
    skip = set(members) | set(asked.values_list("user_id", flat=True))
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
    """The person's answer. Idempotent: an offer already answered keeps its first answer (the member it
    made, if accepted and still in the team). Accepting makes them a member (a lead if the offer says so,
    with its roles or else their own; affiliated with the running organisation if they belong to it).
    Raises ``Closed`` on an archived team, and ``Offer.DoesNotExist`` if it was withdrawn."""
    locked = Offer.objects.select_for_update().select_related("team", "user").get(pk=offer.pk)
    if locked.answered_at is None:
        if locked.team.archived_at is not None:
            raise Closed
        locked.answered_at, locked.accepted = timezone.now(), accept
        locked.save(update_fields=["answered_at", "accepted"])
    offer.answered_at, offer.accepted = locked.answered_at, locked.accepted
    if not locked.accepted:
        return None
    organisation = locked.team.organisation
    belongs = (
        organisation is not None
        and Membership.objects.filter(organisation=organisation, user_id=locked.user_id).exists()
    )
    member, _ = TeamMember.objects.get_or_create(
        team_id=locked.team_id,
        user_id=locked.user_id,
        defaults={
            "roles": list(locked.roles or locked.user.roles),
            "is_lead": locked.is_lead,
            "affiliation": organisation if belongs else None,
        },
    )
    return member


def open_offers(user: User) -> list[Offer]:
    """The person's open offers (not on archived teams), oldest first, with their teams and who asked.
    One query."""
    return list(
        Offer.objects.filter(user=user, answered_at__isnull=True, team__archived_at__isnull=True)
        .select_related("team__municipality__prefecture", "team__organisation", "offered_by")
        .order_by("offered_at", "pk")
    )


def offers_of(team: Team) -> list[Offer]:
    """The team's offers, open first, then answered (newest answer first), by フリガナ. One query."""
    return sorted(
        Offer.objects.filter(team=team)
        .select_related("user", "team")
        .order_by("user__furigana", "user__display_name", "pk"),
        key=lambda o: (o.answered_at is not None, -(o.answered_at.timestamp() if o.answered_at else 0)),
    )


def withdraw(*, offer: Offer) -> None:
    """Withdraws an offer while it is open (by a lead or the running organisation's staff): it goes.
    An answered offer stays as it was."""
    Offer.objects.filter(pk=offer.pk, answered_at__isnull=True).delete()
