"""What placements holds about a person: the plans that name them (placed, kept, or in the reasons),
kept by the organisation's staff as working papers, and the changes plans propose to the teams they
lead or are named in. They go with the account: a plan naming someone who deleted their account is
erased whole (its outcome holds their user id), with the changes it proposed."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from bansou.domain.personal_data import Declaration, Fate, Keyed, Person, Section, Unkeyed
from bansou.placements.models import ChangeProposal, PlacementPlan


def _naming(person: Person) -> QuerySet[PlacementPlan]:
    return PlacementPlan.objects.filter(people__user_id=person.pk)


def _changes_naming(person: Person) -> QuerySet[ChangeProposal]:
    return ChangeProposal.objects.filter(Q(plan__people__user_id=person.pk)).distinct()


def _plans(person: Person) -> list[dict[str, Any]]:
    rows = _naming(person).select_related("organisation").order_by("created_at")
    return [
        {
            "organisation": p.organisation.name,
            "fiscal_year": p.fiscal_year,
            "at": p.created_at.isoformat(),
            "accepted": p.accepted_at is not None,
        }
        for p in rows
    ]


def declare() -> Declaration:
    return Declaration(
        sections=(Section("placement_plans", 915, _plans),),
        keyed=(
            Keyed("placements.PlacementPerson", "user", "the placement plans that name them"),
            Keyed(
                "placements.PlacementPlan",
                "created_by",
                "the placement plans they asked for",
                Fate.UNLINKED,
                why="the plan is the organisation's working paper",
            ),
            Keyed(
                "placements.PlacementPlan",
                "accepted_by",
                "the placement plans they accepted",
                Fate.UNLINKED,
                why="the plan is the organisation's working paper",
            ),
            Keyed(
                "placements.ChangeProposal",
                "decided_by",
                "the changes to a team they decided on",
                Fate.UNLINKED,
                why="the decision is the team's record",
            ),
        ),
        unkeyed=(
            Unkeyed(
                "placements.PlacementPlan",
                ("quick", "exact"),
                "their user id in the placement plans that name them",
                _naming,
            ),
            Unkeyed(
                "placements.ChangeProposal",
                ("add", "remove"),
                "their user id in the changes proposed by the plans that name them",
                _changes_naming,
            ),
        ),
    )
