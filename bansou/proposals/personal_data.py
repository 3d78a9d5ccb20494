"""What proposals hold about a person: the proposals that name them (asked to be in or out, or
proposed), kept by the organisation's staff as working papers. They go with the account: a proposal
naming someone who deleted their account is erased whole (its outcome holds their user id)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bansou.domain.personal_data import Declaration, Fate, Keyed, Person, Section, Unkeyed
from bansou.proposals.models import TeamProposal


def _naming(person: Person) -> QuerySet[TeamProposal]:
    return TeamProposal.objects.filter(people__user_id=person.pk)


def _proposals(person: Person) -> list[dict[str, Any]]:
    rows = _naming(person).select_related("organisation", "municipality__prefecture").order_by("created_at")
    return [
        {
            "organisation": p.organisation.name,
            "municipality": str(p.municipality),
            "fiscal_year": p.fiscal_year,
            "at": p.created_at.isoformat(),
            "became_team": p.team_id is not None,
        }
        for p in rows
    ]


def declare() -> Declaration:
    return Declaration(
        sections=(Section("team_proposals", 910, _proposals),),
        keyed=(
            Keyed("proposals.ProposalPerson", "user", "the team proposals that name them"),
            Keyed(
                "proposals.TeamProposal",
                "created_by",
                "the team proposals they asked for",
                Fate.UNLINKED,
                why="the proposal is the organisation's working paper",
            ),
        ),
        unkeyed=(
            Unkeyed(
                "proposals.TeamProposal",
                ("must_in", "must_out", "quick", "exact"),
                "their user id in the proposals that name them",
                _naming,
            ),
        ),
    )
