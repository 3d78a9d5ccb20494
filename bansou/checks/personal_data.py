"""What checks holds about a person: their checks and answers, the checks they are filling in, and
the name of whoever typed a check in from paper for someone else."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from bansou.checks.models import Check, CheckAnswer, Draft, DraftCell
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.personal_data import (
    Code,
    Declaration,
    Fate,
    Keyed,
    Person,
    Row,
    Section,
    Sheet,
    SheetRows,
    Unkeyed,
)
from bansou.domain.reports import ANSWER_COLUMNS, CheckRecord, answers_table
from bansou.domain.scoring import Answer
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import framework_of
from bansou.reports.responses import iso

ANSWERS = Sheet("回答", ANSWER_COLUMNS, position=100)


def _checks(person: Person) -> list[dict[str, Any]]:
    checks = Check.objects.filter(owner_id=person.pk).select_related("framework").order_by("submitted_at")
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for check_id, code, understanding, practice in CheckAnswer.objects.filter(
        check_record__owner_id=person.pk
    ).values_list("check_record_id", "item__code", "understanding", "practice"):
        answers[check_id].append({"item": code, "understanding": understanding, "practice": practice})
    return [
        {
            "id": str(check.public_id),
            "submitted_at": iso(check.submitted_at),
            "fiscal_year": check.fiscal_year,
            "framework": {"slug": check.framework.slug, "version": check.framework.version},
            "entered_from_paper_by": check.entered_by_name or None,
            "answers": sorted(answers[check.pk], key=lambda a: a["item"]),
        }
        for check in checks
    ]


def _answer_rows(person: Person, checks: list[dict[str, Any]]) -> Iterable[Row]:
    """回答 in the long format, the checks of each framework version together."""
    versions = {v.version: v for v in FrameworkVersion.objects.filter(checks__owner_id=person.pk).distinct()}
    records: dict[str, list[CheckRecord]] = defaultdict(list)
    for check in checks:
        records[check["framework"]["version"]].append(
            CheckRecord(
                person=person.username,
                check_id=check["id"],
                submitted_at=datetime.datetime.fromisoformat(check["submitted_at"]),
                fiscal_year=check["fiscal_year"],
                framework_version=check["framework"]["version"],
                answers={
                    a["item"]: Answer(understanding=a["understanding"], practice=a["practice"])
                    for a in check["answers"]
                },
            )
        )
    tz = timezone.get_current_timezone()
    for version, version_checks in records.items():
        yield from answers_table(framework_of(versions[version]), version_checks, tz).rows


def _years(checks: list[dict[str, Any]]) -> Iterable[Code]:
    for year in sorted({check["fiscal_year"] for check in checks}):
        yield ("年度", str(year), format_fiscal_year(year))


def _drafts(person: Person) -> list[dict[str, Any]]:
    cells: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for draft_id, code, axis, value in DraftCell.objects.filter(draft__owner_id=person.pk).values_list(
        "draft_id", "item_code", "axis", "value"
    ):
        cells[draft_id].append({"item": code, "axis": axis, "value": value})
    return [
        {
            "id": str(draft.public_id),
            "started_at": iso(draft.created_at),
            "framework": {"slug": draft.framework.slug, "version": draft.framework.version},
            "cells": sorted(cells[draft.pk], key=lambda c: (c["item"], c["axis"])),
        }
        for draft in Draft.objects.filter(owner_id=person.pk).select_related("framework")
    ]


def _typed_in_by(person: Person) -> Any:
    return Check.objects.filter(entered_by_id=person.pk)


def declare() -> Declaration:
    typed_in = "others' checks this person typed in from paper"
    return Declaration(
        sections=(
            Section("checks", 200, _checks, sheets=(SheetRows(ANSWERS, 10, _answer_rows),), codes=_years),
            Section("drafts", 300, _drafts),
        ),
        keyed=(
            Keyed("checks.Check", "owner", "submitted checks"),
            Keyed("checks.CheckAnswer", "check_record__owner", "the answers of those checks"),
            Keyed("checks.CheckStanding", "check_record__owner", "their standings per element"),
            Keyed("checks.CheckLabelStanding", "check_record__owner", "their standings per A and C label"),
            Keyed("checks.Draft", "owner", "checks being filled in"),
            Keyed("checks.DraftCell", "draft__owner", "the answers of those drafts"),
            Keyed(
                "checks.Check",
                "entered_by",
                typed_in,
                Fate.UNLINKED,
                why="the check is the participant's, not the typist's",
            ),
        ),
        unkeyed=(
            Unkeyed(
                "checks.Check",
                ("entered_by_name",),
                f"the typist's name on {typed_in}",
                _typed_in_by,
                Fate.KEPT,
                why="the participant may see who typed in their answers, as it was then",
            ),
        ),
    )
