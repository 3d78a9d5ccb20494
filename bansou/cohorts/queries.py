"""Reads of 研修: who handed in what (never what they answered), and totals grouped in the database.

Every function runs a fixed number of queries whatever the number of participants.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from bansou.accounts.models import User
from bansou.checks.models import Check, CheckAnswer, CheckStanding
from bansou.cohorts.models import Cohort, Participant, Phase, Submission
from bansou.domain.aggregates import ItemCount, Totals, element_count
from bansou.domain.framework import Scale
from bansou.orgs.models import Membership, Organisation
from bansou.teams.models import CheckShare


@dataclass(frozen=True)
class Status:
    """A participant's hand-ins: when, never what."""

    participant_id: int
    user: User
    pre_at: datetime.datetime | None
    post_at: datetime.datetime | None


def status_of(cohort: Cohort) -> list[Status]:
    """Participants by フリガナ with the time of each hand-in. One query."""

    def handed_in(phase: str) -> Subquery:
        return Subquery(
            Submission.objects.filter(participant=OuterRef("pk"), phase=phase).values("submitted_at")[:1]
        )

    rows = (
        Participant.objects.filter(cohort=cohort)
        .select_related("user")
        .only("pk", "user__display_name", "user__furigana", "user__username")
        .annotate(pre_at=handed_in(Phase.PRE), post_at=handed_in(Phase.POST))
        .order_by("user__furigana", "user__display_name", "pk")
    )
    return [Status(p.pk, p.user, p.pre_at, p.post_at) for p in rows]


def groups_of(cohort: Cohort) -> dict[str, frozenset[str]]:
    """Phase to the participants (ids as text) who handed in a check for it. One query."""
    groups: dict[str, set[str]] = {Phase.PRE: set(), Phase.POST: set()}
    for participant_id, phase in Submission.objects.filter(participant__cohort=cohort).values_list(
        "participant_id", "phase"
    ):
        groups[phase].add(str(participant_id))
    return {phase: frozenset(ids) for phase, ids in groups.items()}


def handed_in_checks(cohort: Cohort, phase: str, *, paired: bool = False) -> QuerySet[Any]:
    """The checks handed in for ``phase`` (ids, as a subquery); with ``paired``, only of participants
    who handed in both phases."""
    submissions = Submission.objects.filter(participant__cohort=cohort, phase=phase)
    if paired:
        other = Phase.POST if phase == Phase.PRE else Phase.PRE
        submissions = submissions.filter(
            Exists(Submission.objects.filter(participant=OuterRef("participant"), phase=other))
        )
    return submissions.values("check_record_id")


def totals_of(checks: QuerySet[Any], scale: Scale) -> Totals:
    """Per item and per element, how many of the given checks are ○: two GROUP BY queries."""
    positive = scale.positive_from
    items = {
        code: ItemCount(people=people, understood=understood, practised=practised)
        for code, people, understood, practised in CheckAnswer.objects.filter(check_record_id__in=checks)
        .values("item__code")
        .annotate(
            people=Count("pk"),
            understood=Count("pk", filter=Q(understanding__gte=positive)),
            practised=Count("pk", filter=Q(practice__gte=positive)),
        )
        .values_list("item__code", "people", "understood", "practised")
        .order_by()
    }
    rows: dict[int, list[tuple[bool, bool, int]]] = {}
    for element, understood, practised, people in (
        CheckStanding.objects.filter(check_record_id__in=checks)
        .values("element", "understood", "practised")
        .annotate(people=Count("pk"))
        .values_list("element", "understood", "practised", "people")
        .order_by()
    ):
        rows.setdefault(element, []).append((understood, practised, people))
    elements = {element: element_count(counts) for element, counts in rows.items()}
    people = max((count.people for count in elements.values()), default=0)
    return Totals(people=people, items=items, elements=elements)


# The organisation's overview -----------------------------------------------------------------------


def overview_checks(organisation: Organisation, fiscal_year: int) -> tuple[QuerySet[Any], frozenset[str]]:
    """One check per person who shares with the organisation, of that 年度: the check shared if it
    is of that 年度, or for 常に最新 the person's latest check of that 年度. Returns the checks (a
    subquery) and the group of their owners (one query)."""
    latest_in_year = Subquery(
        Check.objects.filter(owner_id=OuterRef("owner_id"), fiscal_year=fiscal_year)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    shares = CheckShare.objects.filter(organisation=organisation)
    ids = Check.objects.filter(
        Q(pk__in=shares.filter(check_record__fiscal_year=fiscal_year).values("check_record_id"))
        | Q(
            pk__in=shares.filter(check_record__isnull=True).annotate(counted=latest_in_year).values("counted")
        )
    )
    owners = frozenset(str(pk) for pk in ids.values_list("owner_id", flat=True).distinct())
    return ids.values("pk"), owners


def cohorts_of(user_id: int) -> tuple[list[Cohort], list[Cohort]]:
    """The 研修 the user takes part in, and those their organisations run (as staff). Two queries."""
    taking = list(
        Cohort.objects.filter(participants__user_id=user_id)
        .select_related("organisation")
        .order_by("-fiscal_year", "-starts_on", "pk")
    )
    running = list(
        Cohort.objects.filter(
            organisation__memberships__user_id=user_id,
            organisation__memberships__role__in=[Membership.Role.ADMIN, Membership.Role.STAFF],
        )
        .select_related("organisation")
        .order_by("-fiscal_year", "-starts_on", "pk")
    )
    return taking, running


def hand_ins_of(participant_id: int) -> dict[str, Submission]:
    return {
        s.phase: s
        for s in Submission.objects.filter(participant_id=participant_id).select_related("check_record")
    }
