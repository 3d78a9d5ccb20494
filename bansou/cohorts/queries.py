"""Reads of 研修: who handed in what (never what they answered), and totals grouped in the database.

Every function runs a fixed number of queries whatever the number of participants.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from bansou.accounts.models import User
from bansou.checks.models import Check, CheckAnswer, CheckStanding
from bansou.cohorts.models import Cohort, Participant, Phase, ShownGroup, Submission
from bansou.domain.aggregates import ItemCount, Totals, element_count
from bansou.domain.framework import Scale
from bansou.frameworks.models import FrameworkVersion, Item
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
    """The checks handed in to a 研修, as groups for the five-person rule (check ids as text)."""

    pre: frozenset[str]
    post: frozenset[str]
    paired_pre: frozenset[str]  # the pre-checks of those who handed in both
    paired_post: frozenset[str]
    known: frozenset[str]  # the viewer's own checks among them, and those typed in from paper


class Entrant(NamedTuple):
    """A row of the paper entry workbook: the participant's code (their id in the 研修) and name."""

    code: str
    name: str


def participant_rows(cohort: Cohort) -> list[Entrant]:
    """Every participant, in フリガナ order: the rows of the paper entry workbook. One query."""
    people = (
        Participant.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("user__furigana", "user__display_name", "pk")
    )
    return [Entrant(str(p.pk), p.user.display_name) for p in people]


def _known(viewer_id: int, owner_id: int | None, typed_in_by: int | None) -> bool:
    """Whether the viewer knows a check's answers already: their own, or typed in from paper by the
    organisation's staff (the five-person rule counts such checks as known)."""
    return owner_id == viewer_id or typed_in_by is not None


def groups_of(cohort: Cohort, viewer_id: int) -> Groups:
    """One query: every hand-in's participant, phase, check and owner."""
    by_participant: dict[int, dict[str, str]] = {}
    known: set[str] = set()
    for participant_id, phase, check_id, owner_id, typed_in in Submission.objects.filter(
        participant__cohort=cohort
    ).values_list(
        "participant_id", "phase", "check_record_id", "participant__user_id", "check_record__entered_by_id"
    ):
        by_participant.setdefault(participant_id, {})[phase] = str(check_id)
        if _known(viewer_id, owner_id, typed_in):
            known.add(str(check_id))
    pre = frozenset(p[Phase.PRE] for p in by_participant.values() if Phase.PRE in p)
    post = frozenset(p[Phase.POST] for p in by_participant.values() if Phase.POST in p)
    both = [p for p in by_participant.values() if Phase.PRE in p and Phase.POST in p]
    return Groups(
        pre=pre,
        post=post,
        paired_pre=frozenset(p[Phase.PRE] for p in both),
        paired_post=frozenset(p[Phase.POST] for p in both),
        known=frozenset(known),
    )


def shown_groups(organisation: Organisation) -> list[frozenset[str]]:
    """Every group of checks the organisation's staff have been shown totals of. One query."""
    return [
        frozenset(ids)
        for ids in ShownGroup.objects.filter(organisation=organisation).values_list("checks", flat=True)
    ]


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


def item_codes(version: FrameworkVersion) -> dict[int, str]:
    """Item row id to item code, for grouping answers by the item's id (no join). One query."""
    return dict(Item.objects.filter(framework=version).values_list("pk", "code"))


def totals_of(checks: QuerySet[Any], scale: Scale, codes: Mapping[int, str]) -> Totals:
    """Per item and per element, how many of the given checks are ○: two GROUP BY queries."""
    positive = scale.positive_from
    items = {
        codes[item_id]: ItemCount(people=people, understood=understood, practised=practised)
        for item_id, people, understood, practised in CheckAnswer.objects.filter(check_record_id__in=checks)
        .values("item_id")
        .annotate(
            people=Count("pk"),
            understood=Count("pk", filter=Q(understanding__gte=positive)),
            practised=Count("pk", filter=Q(practice__gte=positive)),
        )
        .values_list("item_id", "people", "understood", "practised")
        .order_by()
        if item_id in codes
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


def overview_checks(
    organisation: Organisation, fiscal_year: int, version: FrameworkVersion, viewer_id: int
) -> tuple[QuerySet[Any], frozenset[str], frozenset[str]]:
    """One check per person who shares with the organisation, of that 年度 and of ``version``: the
    check shared, or for 常に最新 the person's latest such check. Returns the checks (a subquery),
    their ids and the viewer's own among them (one query)."""
    latest_in_year = Subquery(
        Check.objects.filter(owner_id=OuterRef("owner_id"), fiscal_year=fiscal_year, framework=version)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    shares = sharing_queries.organisation_shares(organisation.pk)
    ids = Check.objects.filter(
        Q(pk__in=shares.filter(check_record__isnull=False).values("check_record_id"))
        | Q(
            pk__in=shares.filter(check_record__isnull=True).annotate(counted=latest_in_year).values("counted")
        ),
        fiscal_year=fiscal_year,
        framework=version,
    )
    rows = list(ids.values_list("pk", "owner_id", "entered_by_id"))
    group = frozenset(str(pk) for pk, _owner, _typed in rows)
    known = frozenset(str(pk) for pk, owner, typed in rows if _known(viewer_id, owner, typed))
    return ids.values("pk"), group, known


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
