"""A 研修 for a viewer, by the table in ``bansou.domain.access``: 404 or 403 otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest

from bansou.cohorts.models import Cohort, Participant
from bansou.domain.access import CohortAction, CohortRelation, Decision, cohort_decision
from bansou.orgs.models import Membership
from bansou.web.http import enforce, parse_id


@dataclass(frozen=True)
class Seat:
    """A 研修 as seen by one viewer."""

    cohort: Cohort
    relation: CohortRelation
    participant_id: int | None

    def can(self, action: CohortAction) -> bool:
        return cohort_decision(self.relation, action) is Decision.ALLOW


def cohort_for(request: HttpRequest, public_id: str, action: CohortAction) -> Seat:
    """The 研修, if the viewer may ``action``. One query."""
    cohort_id = parse_id(public_id)
    if not request.user.is_authenticated:
        enforce(cohort_decision(CohortRelation(), action))
    user_id: int = request.user.pk  # type: ignore[assignment]
    cohort = (
        Cohort.objects.select_related("organisation", "framework")
        .annotate(
            my_participant_id=Subquery(
                Participant.objects.filter(cohort=OuterRef("pk"), user_id=user_id).values("pk")[:1]
            ),
            organiser=Exists(
                Membership.objects.filter(
                    organisation_id=OuterRef("organisation_id"),
                    user_id=user_id,
                    role__in=[Membership.Role.ADMIN, Membership.Role.STAFF],
                )
            ),
        )
        .filter(public_id=cohort_id)
        .first()
    )
    if cohort is None:
        enforce(cohort_decision(CohortRelation(), action))
    assert cohort is not None
    relation = CohortRelation(
        participant=cohort.my_participant_id is not None, organiser=bool(cohort.organiser)
    )
    enforce(cohort_decision(relation, action))
    return Seat(cohort=cohort, relation=relation, participant_id=cohort.my_participant_id)
