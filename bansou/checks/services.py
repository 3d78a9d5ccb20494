"""Writes: starting a draft, saving answers from one or more tabs, submitting, handing over; and
recording checks, the one place where a ``Check`` with its answers and standings is created (the
online submit, answers typed in from paper, any future import)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bansou.checks.access import Holder
from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding, Draft, DraftCell
from bansou.checks.queries import draft_answers
from bansou.domain.coverage import label_standings_of, standings_of
from bansou.domain.drafts import Cell, Edit, Outcome, decide, is_valid_edit
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.framework import Axis, Framework
from bansou.domain.scoring import Answer, Result, score
from bansou.frameworks.models import FrameworkVersion, Item
from bansou.frameworks.queries import framework_of


def get_or_start_draft(*, holder: Holder, version: FrameworkVersion) -> Draft:
    """The holder's open draft for ``version``, or a new one with every cell empty."""
    existing = Draft.objects.filter(holder.owns(), framework=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            draft = Draft.objects.create(framework=version, **holder.fields())
            DraftCell.objects.bulk_create(
                DraftCell(draft=draft, item_code=code, axis=axis.value)
                for code in framework_of(version).item_codes()
                for axis in Axis
            )
    except IntegrityError:  # the same holder started one at the same moment in another tab
        return Draft.objects.get(holder.owns(), framework=version)
    return draft


class ImportConflict(Exception):
    """Answers in an imported file differ from answers already in the draft (nothing was saved)."""

    def __init__(self, items: list[str]) -> None:
        self.items = items
        super().__init__(", ".join(items))


@transaction.atomic
def import_answers(
    *, holder: Holder, version: FrameworkVersion, answers: Mapping[str, tuple[int | None, int | None]]
) -> tuple[Draft, int]:
    """Puts answers read from a filled-in sheet into the holder's draft of ``version``.

    Empty cells of the draft take the file's answers; an answer the draft already has is never
    overwritten: if the file says otherwise, nothing is saved and ``ImportConflict`` names the items.
    Returns the draft and how many answers were written (the same answer again is not counted).
    Raises ``DraftGone`` if the draft was submitted from another tab meanwhile.
    """
    draft = get_or_start_draft(holder=holder, version=version)
    if not Draft.objects.select_for_update().filter(pk=draft.pk).exists():
        raise DraftGone
    cells = {(c.item_code, c.axis): c for c in DraftCell.objects.filter(draft=draft)}
    edits: list[Edit] = []
    conflicts: list[str] = []
    for code, pair in answers.items():
        for axis, value in zip(Axis, pair, strict=True):
            cell = cells.get((code, axis.value))
            if value is None or cell is None:
                continue
            if cell.value is None:
                edits.append(Edit(item=code, axis=axis, value=value, base_revision=cell.revision))
            elif cell.value != value and code not in conflicts:
                conflicts.append(code)
    if conflicts:
        raise ImportConflict(conflicts)
    results = save_cells(draft=draft, edits=edits)
    return draft, sum(r.outcome is Outcome.SAVED for r in results)


class DraftGone(Exception):
    """The draft no longer exists: submitted, merged into an account's draft, or purged."""


@dataclass(frozen=True)
class CellResult:
    edit: Edit
    outcome: Outcome
    value: int | None
    revision: int


@transaction.atomic
def save_cells(*, draft: Draft, edits: list[Edit], now: datetime.datetime | None = None) -> list[CellResult]:
    """Applies each edit unless it was made on an older revision of a changed cell.

    The draft row is locked, so two tabs saving at once are applied one after the other.
    Queries: lock, read the cells edited, one bulk update.
    """
    now = now or timezone.now()
    if not Draft.objects.select_for_update().filter(pk=draft.pk).exists():
        raise DraftGone
    framework = framework_of(draft.framework)
    codes = {edit.item for edit in edits}
    cells = {(c.item_code, c.axis): c for c in DraftCell.objects.filter(draft=draft, item_code__in=codes)}
    results: list[CellResult] = []
    changed: dict[int, DraftCell] = {}
    for edit in edits:
        row = cells.get((edit.item, edit.axis.value))
        if row is None or not is_valid_edit(framework, edit):
            results.append(CellResult(edit, Outcome.INVALID, None, 0))
            continue
        outcome = decide(Cell(row.value, row.revision), edit)
        if outcome is Outcome.SAVED:
            row.value, row.revision, row.updated_at = edit.value, row.revision + 1, now
            changed[row.pk] = row
        results.append(CellResult(edit, outcome, row.value, row.revision))
    if changed:
        DraftCell.objects.bulk_update(changed.values(), ["value", "revision", "updated_at"])
        Draft.objects.filter(pk=draft.pk).update(updated_at=now)
    return results


@transaction.atomic
def submit_draft(*, draft: Draft, holder: Holder, now: datetime.datetime | None = None) -> Check:
    """Turns a complete draft into a check and removes the draft; submitting again finds that check.

    Raises ``IncompleteAnswers`` if an item is not answered on both axes.
    """
    now = now or timezone.now()
    locked = Draft.objects.select_for_update().filter(pk=draft.pk).first()
    if locked is None:  # a submit of the same draft got here first, or the draft went otherwise
        check = Check.objects.filter(holder.owns(), draft_public_id=draft.public_id).first()
        if check is None:
            raise DraftGone
        return check
    answers = draft_answers(draft)
    (check,) = record_checks(  # raises IncompleteAnswers before writing
        [
            NewCheck(
                version=draft.framework,
                answers={
                    code: (understanding, practice)
                    for code, answer in answers.items()
                    if (understanding := answer.understanding) is not None
                    and (practice := answer.practice) is not None
                },
                answered_at=now,
                owner_id=holder.user_id,
                anon_key=None if holder.user_id else holder.anon_key,
                draft_public_id=draft.public_id,
            )
        ]
    )
    locked.delete()
    return check


# Recording checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCheck:
    """One check to record: of which framework version, with which answers, answered when, whose.

    ``answers``: every item's (理解, 実践) by item code; ``answered_at`` dates the check (its 年度
    follows). Exactly one holder: ``owner_id``, or a visitor's ``anon_key``. ``entered_by_id`` and
    ``entered_by_name``: who typed it in on the owner's behalf (from paper), if not the owner.
    ``draft_public_id``: the draft it came from (submitting a draft again finds its check), a fresh
    id when there was none.
    """

    version: FrameworkVersion
    answers: Mapping[str, tuple[int, int]]
    answered_at: datetime.datetime
    owner_id: int | None = None
    anon_key: str | None = None
    entered_by_id: int | None = None
    entered_by_name: str = ""
    draft_public_id: uuid.UUID = field(default_factory=uuid.uuid4)


def answered_at_noon(day: datetime.date, now: datetime.datetime) -> datetime.datetime:
    """When a check answered on paper on ``day`` is dated: noon that day, or ``now`` if that is
    earlier, so that a person's history and 年度 follow when they answered, not when it was typed."""
    noon = datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=timezone.get_current_timezone())
    return min(noon, now)


def record_checks(rows: Sequence[NewCheck]) -> list[Check]:
    """Stores checks with their answers and their standings per element and per C label, all or
    nothing; returns them in the order of ``rows``.

    Queries, whatever the number of rows: one read of the items' ids, one insert per table (the
    database may split a large insert into batches), and one read of the new checks' ids on backends
    that do not return them. Raises ``IncompleteAnswers`` (before writing) if a row's answers miss an
    item of its version; answers to codes that are not items of the version are not stored.
    """
    frameworks = [framework_of(row.version) for row in rows]
    results = [
        score(framework, {c: Answer(u, p) for c, (u, p) in row.answers.items()})
        for framework, row in zip(frameworks, rows, strict=True)
    ]
    with transaction.atomic(savepoint=False):
        item_ids = {
            (version_id, code): pk
            for version_id, code, pk in Item.objects.filter(
                framework_id__in={row.version.pk for row in rows}
            ).values_list("framework_id", "code", "pk")
        }
        checks = _insert_checks(rows)
        CheckAnswer.objects.bulk_create(
            CheckAnswer(check_record=check, item_id=item_id, understanding=u, practice=p)
            for check, row in zip(checks, rows, strict=True)
            for code, (u, p) in row.answers.items()
            if (item_id := item_ids.get((row.version.pk, code))) is not None
        )
        CheckStanding.objects.bulk_create(
            standing
            for check, result in zip(checks, results, strict=True)
            for standing in standing_rows(check, result)
        )
        CheckLabelStanding.objects.bulk_create(
            standing
            for check, framework, result in zip(checks, frameworks, results, strict=True)
            for standing in label_standing_rows(check, framework, result)
        )
    return checks


def _insert_checks(rows: Sequence[NewCheck]) -> list[Check]:
    checks = Check.objects.bulk_create(
        Check(
            owner_id=row.owner_id,
            anon_key=row.anon_key,
            framework=row.version,
            submitted_at=row.answered_at,
            fiscal_year=fiscal_year_of(timezone.localdate(row.answered_at)),
            draft_public_id=row.draft_public_id,
            entered_by_id=row.entered_by_id,
            entered_by_name=row.entered_by_name,
        )
        for row in rows
    )
    if any(check.pk is None for check in checks):  # backends without RETURNING ids: read them back
        by_draft = {
            c.draft_public_id: c
            for c in Check.objects.filter(draft_public_id__in=[c.draft_public_id for c in checks])
        }
        checks = [by_draft[c.draft_public_id] for c in checks]
    return checks


def standing_rows(check: Check, result: Result) -> list[CheckStanding]:
    """The check's per-element standings (the domain's verdicts, for searching by element), unsaved:
    for storing many checks' in one insert (bench's seeds check their bulk rows against it too)."""
    return [
        CheckStanding(check_record=check, element=number, **CheckStanding.counts_of(standing))
        for number, standing in standings_of(result).items()
    ]


LABEL_TIERS = ("A", "C")  # A: the basics (team forming reads them); C: the C rule, the pool search


def label_standing_rows(check: Check, framework: Framework, result: Result) -> list[CheckLabelStanding]:
    """The check's standings on the A and C labels of the leaflet's table
    (``coverage.label_standings_of``, with the check's own framework), unsaved: for searching the pool
    by label and for forming teams."""
    return [
        CheckLabelStanding(check_record=check, label=code, **CheckLabelStanding.counts_of(standing))
        for tier in LABEL_TIERS
        for code, standing in label_standings_of(framework, result, tier).items()
    ]


@transaction.atomic
def hand_over(*, anon_key: str, user_id: int) -> None:
    """Gives a visitor's checks and draft to the account they just signed up or logged in with.

    Where the account already has a draft for the same framework version, the two are merged
    cell by cell, the more recently answered cell winning.
    """
    Check.objects.filter(owner__isnull=True, anon_key=anon_key).update(owner_id=user_id, anon_key=None)
    for draft in Draft.objects.filter(owner__isnull=True, anon_key=anon_key):
        mine = (
            Draft.objects.select_for_update().filter(owner_id=user_id, framework=draft.framework_id).first()
        )
        if mine is None:
            Draft.objects.filter(pk=draft.pk).update(owner_id=user_id, anon_key=None)
            continue
        _merge_cells(source=draft, target=mine)
        draft.delete()


def _merge_cells(*, source: Draft, target: Draft) -> None:
    # A visitor's cleared cell never wipes an answer the account has.
    theirs = {
        (c.item_code, c.axis): c
        for c in DraftCell.objects.filter(draft=source, updated_at__isnull=False, value__isnull=False)
    }
    changed = []
    for cell in DraftCell.objects.filter(draft=target):
        other = theirs.get((cell.item_code, cell.axis))
        if other is None or (cell.updated_at is not None and cell.updated_at >= other.updated_at):  # type: ignore[operator]
            continue
        cell.value, cell.updated_at = other.value, other.updated_at
        changed.append(cell)
    if changed:
        DraftCell.objects.bulk_update(changed, ["value", "updated_at"])
        DraftCell.objects.filter(pk__in=[c.pk for c in changed]).update(revision=F("revision") + 1)


@transaction.atomic
def discard_visitor_records(*, anon_key: str) -> None:
    """Deletes what a visitor answered in this browser (when whoever logs in says it is not theirs)."""
    Draft.objects.filter(owner__isnull=True, anon_key=anon_key).delete()
    Check.objects.filter(owner__isnull=True, anon_key=anon_key).delete()


@transaction.atomic
def purge_visitor_records(*, before: datetime.datetime) -> tuple[int, int]:
    """Deletes visitors' drafts and checks last touched before ``before``: their session is gone.

    Returns the numbers of drafts and checks deleted.
    """
    _, drafts = Draft.objects.filter(owner__isnull=True, updated_at__lt=before).delete()
    _, checks = Check.objects.filter(owner__isnull=True, submitted_at__lt=before).delete()
    return drafts.get("checks.Draft", 0), checks.get("checks.Check", 0)


def purge_stale_drafts(*, before: datetime.datetime) -> int:
    """Deletes signed-in people's drafts last touched before ``before`` (never submitted, long left);
    their cells go with them. Returns how many drafts were deleted."""
    _, deleted = Draft.objects.filter(owner__isnull=False, updated_at__lt=before).delete()
    return deleted.get("checks.Draft", 0)
