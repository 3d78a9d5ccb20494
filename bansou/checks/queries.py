"""Reads: a check's answers and result, the previous check, the history, a holder's open draft."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bansou.checks.access import Holder
from bansou.checks.models import Check, CheckAnswer, Draft, DraftCell
from bansou.domain.framework import Axis, Framework
from bansou.domain.scoring import Answer, Result, Share, answers_from_rows, score
from bansou.frameworks.queries import framework_of


def answers_of(check: Check) -> dict[str, Answer]:
    """The check's answers by item code. One query."""
    rows = CheckAnswer.objects.filter(check_record=check).values_list(
        "item__code", "understanding", "practice"
    )
    return {code: Answer(understanding=u, practice=p) for code, u, p in rows}


def draft_cells(draft: Draft) -> list[DraftCell]:
    """Every cell of the draft, with its revision (for the sheet). One query."""
    return list(DraftCell.objects.filter(draft=draft).only("item_code", "axis", "value", "revision"))


def draft_answers(draft: Draft) -> dict[str, Answer]:
    """The draft's answers by item code, without loading its cells as objects. One query."""
    return answers_from_rows(DraftCell.objects.filter(draft=draft).values_list("item_code", "axis", "value"))


def previous_check(check: Check) -> Check | None:
    """The same holder's check submitted just before ``check``. One query."""
    holder = Holder(user_id=check.owner_id, anon_key=check.anon_key)
    return (
        Check.objects.select_related("framework")
        .filter(holder.owns(), submitted_at__lt=check.submitted_at)
        .order_by("-submitted_at")
        .first()
    )


def result_of(check: Check) -> tuple[Framework, Result]:
    framework = framework_of(check.framework)
    return framework, score(framework, answers_of(check))


def open_draft(holder: Holder) -> Draft | None:
    """The holder's most recently answered draft, of any framework version, if any. One query.

    A draft stays bound to the version it was started on, so loading a new version does not
    strand half-finished answers.
    """
    if holder.user_id is None and holder.anon_key is None:
        return None
    return Draft.objects.filter(holder.owns()).order_by("-updated_at").first()


def answered_cells(draft: Draft) -> int:
    """How many answers (item x axis) the draft holds. One query."""
    return DraftCell.objects.filter(draft=draft, value__isnull=False).count()


def visitor_records(anon_key: str) -> tuple[int, int]:
    """How many checks and drafts a visitor key holds. Two queries."""
    holder = Holder(anon_key=anon_key)
    return Check.objects.filter(holder.owns()).count(), Draft.objects.filter(holder.owns()).count()


def latest_check(holder: Holder) -> Check | None:
    """The holder's most recent check, if any. One query."""
    if holder.user_id is None and holder.anon_key is None:
        return None
    return Check.objects.filter(holder.owns()).order_by("-submitted_at").first()


@dataclass(frozen=True)
class HistoryEntry:
    check: Check
    result: Result

    @property
    def understanding(self) -> Share:
        return self.result.overall(Axis.UNDERSTANDING)

    @property
    def practice(self) -> Share:
        return self.result.overall(Axis.PRACTICE)


def history(holder: Holder) -> dict[int, list[HistoryEntry]]:
    """The holder's checks, newest first, grouped by 年度 (newest 年度 first). Two queries."""
    checks = list(Check.objects.select_related("framework").filter(holder.owns()).order_by("-submitted_at"))
    rows = CheckAnswer.objects.filter(check_record__in=[c.pk for c in checks]).values_list(
        "check_record_id", "item__code", "understanding", "practice"
    )
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for check_id, code, understanding, practice in rows:
        answers[check_id][code] = Answer(understanding=understanding, practice=practice)
    grouped: dict[int, list[HistoryEntry]] = {}
    for check in checks:
        result = score(framework_of(check.framework), answers[check.pk])
        grouped.setdefault(check.fiscal_year, []).append(HistoryEntry(check, result))
    return grouped
