"""What cohorts holds about a person: the 研修 they take part in and what they handed in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from bansou.cohorts.models import Participant, StartedCheck, Submission
from bansou.domain.personal_data import (
    BELONGING,
    Declaration,
    Fate,
    Keyed,
    Person,
    Row,
    Section,
    SheetRows,
)
from bansou.reports.responses import iso


def _cohorts(person: Person) -> list[dict[str, Any]]:
    hand_ins: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for submission in Submission.objects.filter(participant__user_id=person.pk).select_related(
        "check_record"
    ):
        hand_ins[submission.participant_id].append(
            {
                "phase": submission.phase,
                "check": str(submission.check_record.public_id),
                "handed_in_at": iso(submission.submitted_at),
            }
        )
    started: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for mark in StartedCheck.objects.filter(participant__user_id=person.pk):
        started[mark.participant_id].append(
            {"draft": str(mark.draft_public_id), "started_at": iso(mark.started_at)}
        )
    return [
        {
            "name": p.cohort.name,
            "organisation": p.cohort.organisation.name,
            "fiscal_year": p.cohort.fiscal_year,
            "joined_at": iso(p.joined_at),
            "hand_ins": hand_ins[p.pk],
            "checks_started_here": started[p.pk],
        }
        for p in Participant.objects.filter(user_id=person.pk).select_related("cohort__organisation")
    ]


def _cohort_rows(person: Person, cohorts: list[dict[str, Any]]) -> Iterable[Row]:
    for c in cohorts:
        yield ("研修", c["name"], f"{c['organisation']}／提出：{len(c['hand_ins'])}件")


def declare() -> Declaration:
    return Declaration(
        sections=(Section("cohorts", 800, _cohorts, sheets=(SheetRows(BELONGING, 30, _cohort_rows),)),),
        keyed=(
            Keyed("cohorts.Participant", "user", "the 研修 they take part in"),
            Keyed("cohorts.Submission", "participant__user", "which checks they handed in, when"),
            Keyed(
                "cohorts.StartedCheck",
                "participant__user",
                "which of their checks they started from a 研修's page, when",
            ),
            Keyed(
                "cohorts.Cohort",
                "created_by",
                "研修 they set up",
                Fate.UNLINKED,
                why="the 研修 is its organisation's",
            ),
        ),
    )
