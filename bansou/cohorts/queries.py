"""Reads of 研修: who handed in what (never what they answered), and totals grouped in the database.

Every function runs a fixed number of queries whatever the number of participants.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, OuterRef, Q, Subquery

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts.models import Cohort, Participant, Phase, Submission
from bansou.frameworks.models import FrameworkVersion
from bansou.orgs.models import Membership, Organisation
from bansou.sharing import queries as sharing_queries


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


@dataclass(frozen=True)
class Groups:
    """The checks handed in to a 研修, as groups for the five-person rule."""

    pre: frozenset[int]
    post: frozenset[int]
    paired_pre: frozenset[int]  # the pre-checks of those who handed in both
    paired_post: frozenset[int]


class Entrant(NamedTuple):
    """A row of the paper entry workbook: the participant's code (their number in the 研修), name, and
    the participant it stands for (never written in the file)."""

    code: str
    name: str
    participant_id: int


def participant_rows(cohort: Cohort) -> list[Entrant]:
    """Every participant, in フリガナ order: the rows of the paper entry workbook. One query."""
    people = (
        Participant.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("user__furigana", "user__display_name", "pk")
    )
    return [Entrant(str(p.number), p.user.display_name, p.pk) for p in people]


def typed_by(organisation_id: int, checks: Any) -> frozenset[int]:
    """Of ``checks`` (ids, or a subquery of them), those typed in from paper for a 研修 of the
    organisation: paper entry hands a check in as it creates it, so its first hand-in tells whose 研修
    it was typed for (a paper check its owner later handed in elsewhere stays the first one's). One
    query."""
    first = Submission.objects.filter(check_record=OuterRef("pk")).order_by("pk")
    return frozenset(
        Check.objects.filter(pk__in=checks, entered_by__isnull=False)
        .annotate(typed_for=Subquery(first.values("participant__cohort__organisation_id")[:1]))
        .filter(typed_for=organisation_id)
        .values_list("pk", flat=True)
    )


def staff_of(organisation_id: int) -> list[int]:
    """The organisation's staff and administrators: who see its totals. One query."""
    roles = (Membership.Role.ADMIN, Membership.Role.STAFF)
    return list(
        Membership.objects.filter(organisation_id=organisation_id, role__in=roles).values_list(
            "user_id", flat=True
        )
    )


def groups_of(cohort: Cohort) -> Groups:
    """Who handed in which check for each phase. One query."""
    by_participant: dict[int, dict[str, int]] = {}
    for participant_id, phase, check_id in Submission.objects.filter(participant__cohort=cohort).values_list(
        "participant_id", "phase", "check_record_id"
    ):
        by_participant.setdefault(participant_id, {})[phase] = check_id
    both = [p for p in by_participant.values() if Phase.PRE in p and Phase.POST in p]
    return Groups(
        pre=frozenset(p[Phase.PRE] for p in by_participant.values() if Phase.PRE in p),
        post=frozenset(p[Phase.POST] for p in by_participant.values() if Phase.POST in p),
        paired_pre=frozenset(p[Phase.PRE] for p in both),
        paired_post=frozenset(p[Phase.POST] for p in both),
    )


# The organisation's overview -----------------------------------------------------------------------


def overview_group(
    organisation: Organisation, fiscal_year: int, version: FrameworkVersion, *, pool_only: bool = False
) -> frozenset[int]:
    """One check per person who shares with the organisation (``pool_only``: with its pool, being in
    it), of that 年度 and of ``version``: the check shared, or for 常に最新 the person's latest such
    check. One query."""
    latest_in_year = Subquery(
        Check.objects.filter(owner_id=OuterRef("owner_id"), fiscal_year=fiscal_year, framework=version)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    shares = sharing_queries.organisation_shares(organisation.pk)
    if pool_only:
        shares = shares.filter(owner_id__in=sharing_queries.pool_members(organisation.pk))
    ids = Check.objects.filter(
        Q(pk__in=shares.filter(check_record__isnull=False).values("check_record_id"))
        | Q(
            pk__in=shares.filter(check_record__isnull=True).annotate(counted=latest_in_year).values("counted")
        ),
        fiscal_year=fiscal_year,
        framework=version,
    )
    return frozenset(ids.values_list("pk", flat=True))


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


@dataclass(frozen=True)
class Headcount:
    """How many people are in a 研修 and how many handed in each phase: what a participant sees before
    handing in, to judge what totals over so few people could say. Counts only, never who."""

    participants: int
    pre: int
    post: int


def headcount(cohort: Cohort) -> Headcount:
    """One query."""
    counts = Participant.objects.filter(cohort=cohort).aggregate(
        participants=Count("pk", distinct=True),
        pre=Count("submissions", filter=Q(submissions__phase=Phase.PRE)),
        post=Count("submissions", filter=Q(submissions__phase=Phase.POST)),
    )
    return Headcount(counts["participants"], counts["pre"], counts["post"])
