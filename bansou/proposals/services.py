"""Writes of team proposals: asking for one (the quick answer), working out the exact one, and forming
the team of one proposal (the team, its lead, an invitation for each proposed member, and a line in
each member's access log)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.domain import forming
from bansou.domain.forming.codec import dumps, loads_outcome
from bansou.invitations import services as invitations
from bansou.invitations.models import Kind
from bansou.orgs.models import Organisation
from bansou.places.models import Municipality
from bansou.proposals.models import ProposalPerson, TeamProposal
from bansou.proposals.pool import FormingPool
from bansou.teams import services as teams
from bansou.teams.models import Team

LEAD = teams.LEAD  # the role a team invitation grants its user on joining


class Refused(Exception):
    """The request has hard errors: no team can be formed (nothing is saved)."""

    def __init__(self, problems: Sequence[forming.Problem]) -> None:
        super().__init__(problems)
        self.problems = tuple(problems)


class AlreadyFormed(Exception):
    """The proposal already became a team."""


@dataclass(frozen=True)
class Asked:
    """What staff asked for (the form's cleaned values, people by user id)."""

    municipality: Municipality
    fiscal_year: int
    size_min: int
    size_max: int
    core_min: int
    core_max: int
    needed: int
    must_in: tuple[int, ...]
    must_out: tuple[int, ...]
    prefer_area: bool
    prefer_experience: bool

    def request(self, b_rules: Iterable[str], c_rules: Iterable[str]) -> forming.Request:
        return forming.Request(
            b_rules=tuple(b_rules),
            c_rules=tuple(c_rules),
            needed=self.needed,
            size_min=self.size_min,
            size_max=self.size_max,
            core_min=self.core_min,
            core_max=self.core_max,
            must_in=frozenset(str(pk) for pk in self.must_in),
            must_out=frozenset(str(pk) for pk in self.must_out),
            prefer_area=self.prefer_area,
            prefer_experience=self.prefer_experience,
        )


def asked_of(proposal: TeamProposal) -> Asked:
    """What was asked, read back from the kept proposal (its fields bear the same names)."""
    values = {f.name: getattr(proposal, f.name) for f in fields(Asked)}
    return Asked(**{**values, "must_in": tuple(proposal.must_in), "must_out": tuple(proposal.must_out)})


@transaction.atomic
def propose(
    *, organisation: Organisation, user: User, asked: Asked, pool: FormingPool, request: forming.Request
) -> TeamProposal:
    """The quick proposal, kept; ``Refused`` (nothing kept) when no team can be formed."""
    outcome = forming.propose_quickly(pool.people, request)
    if not outcome.ok:
        raise Refused(outcome.problems)
    values = {f.name: getattr(asked, f.name) for f in fields(Asked)}
    proposal = TeamProposal.objects.create(
        **{**values, "must_in": list(asked.must_in), "must_out": list(asked.must_out)},
        organisation=organisation,
        created_by=user,
        quick=dumps(outcome),
    )
    _name_people(proposal, outcome, asked)
    return proposal


def solve_exactly(*, proposal: TeamProposal, pool: FormingPool, request: forming.Request) -> forming.Outcome:
    """The exact proposal (kept once; a second call, or a request that lost the race, reads it)."""
    if proposal.exact is not None:
        return loads_outcome(proposal.exact)
    outcome = forming.propose_exactly(pool.people, request)
    with transaction.atomic():
        stored = TeamProposal.objects.filter(pk=proposal.pk, exact__isnull=True).update(
            exact=dumps(outcome), exact_at=timezone.now()
        )
        if stored:
            _name_people(proposal, outcome, asked_of(proposal))
    proposal.refresh_from_db(fields=["exact", "exact_at"])
    assert proposal.exact is not None
    return loads_outcome(proposal.exact)


def _name_people(proposal: TeamProposal, outcome: forming.Outcome, asked: Asked) -> None:
    named = (
        {int(key) for p in outcome.proposals for key in p.members} | set(asked.must_in) | set(asked.must_out)
    )
    ProposalPerson.objects.bulk_create(
        (ProposalPerson(proposal=proposal, user_id=pk) for pk in sorted(named)), ignore_conflicts=True
    )


@transaction.atomic
def form_team(
    *,
    proposal: TeamProposal,
    members: Sequence[int],
    user: User,
    name: str,
    roles: Iterable[str],
    lead: int,
    names: dict[str, str],
) -> tuple[Team, list[invitations.Issued]]:
    """Creates the proposal's team with ``user`` as its first lead, one single-use invitation for each
    of ``members`` (the proposed members still in the pool; the ``lead`` user's makes them a lead on
    joining), and a line in each one's access log. ``AlreadyFormed`` if the proposal became a team
    meanwhile."""
    locked = TeamProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.team_id is not None:
        raise AlreadyFormed
    team = teams.create_team(
        user=user,
        municipality=proposal.municipality,
        fiscal_year=proposal.fiscal_year,
        name=name,
        organisation=proposal.organisation,
        roles=roles,
    )
    teams.change_team(
        team=team,
        municipality=team.municipality,
        fiscal_year=team.fiscal_year,
        name=name,
        needed=proposal.needed,
    )
    members = [pk for pk in members if pk != user.pk]
    issued = [
        invitations.issue(
            kind=Kind.TEAM,
            target_id=team.pk,
            by_id=user.pk,
            role=LEAD if pk == lead else "",
            max_uses=1,
            note=names.get(str(pk), ""),
        )
        for pk in members
    ]
    teams.log_placement(viewer=user, team=team, subjects=members)
    locked.team = team
    locked.save(update_fields=["team"])
    return team, issued
