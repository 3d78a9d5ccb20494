"""Writes of 研修: creating, joining, handing in checks, closing a phase, leaving."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check, CheckAnswer, CheckStanding
from bansou.checks.services import standing_rows
from bansou.cohorts.models import Cohort, Participant, Phase, Submission
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.scoring import Answer, score
from bansou.frameworks.models import Item
from bansou.frameworks.queries import framework_of
from bansou.web.codes import new_code


class PhaseClosed(Exception):
    """The phase's deadline has passed or an organiser closed it: nothing more is handed in."""


class NotYourCheck(Exception):
    """Only one's own submitted checks can be handed in."""


class OtherVersion(Exception):
    """The check was made on another version of the framework than the 研修's."""


class SameCheck(Exception):
    """The post-check must be another check than the pre-check, submitted after it."""


def create_cohort(*, user: User, **fields: Any) -> Cohort:
    return Cohort.objects.create(created_by=user, **fields)


def update_cohort(*, cohort: Cohort, **fields: Any) -> None:
    """Changes names and dates; a closed phase keeps its deadline (its totals are final)."""
    for phase, name in ((Phase.PRE, "pre_deadline"), (Phase.POST, "post_deadline")):
        if cohort.is_closed(phase):
            fields.pop(name, None)
    Cohort.objects.filter(pk=cohort.pk).update(**fields)


def new_join_code(*, cohort: Cohort) -> str:
    """A new code: the old link and code stop working; those who joined stay."""
    code = new_code()
    Cohort.objects.filter(pk=cohort.pk).update(join_code=code)
    return code


def join(*, cohort: Cohort, user: User) -> tuple[Participant, bool]:
    try:
        with transaction.atomic():
            return Participant.objects.get_or_create(cohort=cohort, user=user)
    except IntegrityError:  # a double click raced the first
        return Participant.objects.get(cohort=cohort, user=user), False


@transaction.atomic
def hand_in(*, participant: Participant, phase: str, check_public_id: str) -> Submission:
    """Hands in one of the participant's checks for ``phase``; replaces an earlier one while open."""
    cohort = Cohort.objects.select_for_update().get(pk=participant.cohort_id)
    if cohort.is_closed(phase):
        raise PhaseClosed
    try:
        public_id = uuid.UUID(str(check_public_id))
    except ValueError:
        raise NotYourCheck from None
    check = Check.objects.filter(owner_id=participant.user_id, public_id=public_id).first()
    if check is None:
        raise NotYourCheck
    if check.framework_id != cohort.framework_id:
        raise OtherVersion
    other_phase = Phase.POST if phase == Phase.PRE else Phase.PRE
    other = (
        Submission.objects.filter(participant=participant, phase=other_phase)
        .select_related("check_record")
        .first()
    )
    if other is not None:
        if other.check_record_id == check.pk:
            raise SameCheck
        pre, post = (check, other.check_record) if phase == Phase.PRE else (other.check_record, check)
        if post.submitted_at <= pre.submitted_at:
            raise SameCheck
    submission, _ = Submission.objects.update_or_create(
        participant=participant, phase=phase, defaults={"check_record": check}
    )
    return submission


@transaction.atomic
def close_phase(*, cohort: Cohort, phase: str, now: datetime.datetime | None = None) -> None:
    """Closes ``phase`` now (before its deadline): what was handed in is final."""
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if locked.closed_at(phase) is None:
        field = "pre_closed_at" if phase == Phase.PRE else "post_closed_at"
        Cohort.objects.filter(pk=cohort.pk).update(**{field: now or timezone.now()})


def leave(*, participant: Participant) -> None:
    """The participant leaves: their hand-ins go with them (their checks stay theirs)."""
    participant.delete()


class PaperRefused(Exception):
    """Rows of a paper-results file that cannot be entered (nothing was entered): (row, reason)."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.rows = rows
        super().__init__(repr(rows))


@transaction.atomic
def enter_paper_results(
    *,
    cohort: Cohort,
    phase: str,
    rows: list[tuple[int, int, dict[str, tuple[int, int]]]],
    entered_by: User,
    answered_on: datetime.date,
    now: datetime.datetime | None = None,
) -> int:
    """Records answers typed in from paper sheets as each participant's check, handed in for ``phase``.

    ``rows``: (row number in the file, participant pk, complete answers); ``answered_on``: the day the
    sheets were filled in, which dates the checks (noon that day, or now if that is earlier), so that
    a participant's history and 年度 follow when they answered, not when it was typed. All or nothing:
    a closed phase, a participant who already handed in for it, who has left, or whose 事前 check is
    not earlier than this 事後 one refuses the whole file. The checks carry ``entered_by`` and the
    name at the time, so their owners see who typed them in. Returns the number of checks recorded.
    """
    now = now or timezone.now()
    noon = datetime.datetime.combine(
        answered_on, datetime.time(12, 0), tzinfo=timezone.get_current_timezone()
    )
    when = min(noon, now)
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if locked.is_closed(phase):
        raise PhaseClosed
    # Locked too: someone leaving meanwhile waits, rather than take their row away mid-entry.
    participants = {p.pk: p for p in Participant.objects.select_for_update().filter(cohort=locked)}
    submissions = list(
        Submission.objects.filter(participant__cohort=locked).values_list(
            "participant_id", "phase", "check_record__submitted_at"
        )
    )
    handed = {pk for pk, p, _at in submissions if p == phase}
    refused = [(row, "handed_in") for row, pk, _a in rows if pk in handed]
    if phase == Phase.PRE:  # a 事前 check must come before the 事後 one
        later = {pk for pk, p, _at in submissions if p == Phase.POST}
        refused += [(row, "post_first") for row, pk, _a in rows if pk in later]
    else:
        before = {pk: at for pk, p, at in submissions if p == Phase.PRE}
        refused += [(row, "pre_later") for row, pk, _a in rows if pk in before and before[pk] >= when]
    refused += [(row, "left") for row, pk, _a in rows if pk not in participants]
    if refused:
        raise PaperRefused(sorted(refused))
    framework = framework_of(locked.framework)
    item_ids = dict(Item.objects.filter(framework=locked.framework).values_list("code", "pk"))
    checks = Check.objects.bulk_create(
        Check(
            owner_id=participants[pk].user_id,
            framework=locked.framework,
            submitted_at=when,
            fiscal_year=fiscal_year_of(timezone.localdate(when)),
            draft_public_id=uuid.uuid4(),
            entered_by=entered_by,
            entered_by_name=entered_by.display_name,
        )
        for _row, pk, _a in rows
    )
    if any(check.pk is None for check in checks):  # backends without RETURNING ids: read them back
        by_draft = {
            c.draft_public_id: c
            for c in Check.objects.filter(draft_public_id__in=[c.draft_public_id for c in checks])
        }
        checks = [by_draft[c.draft_public_id] for c in checks]
    CheckAnswer.objects.bulk_create(
        CheckAnswer(check_record=check, item_id=item_ids[code], understanding=u, practice=p)
        for check, (_row, _pk, answers) in zip(checks, rows, strict=True)
        for code, (u, p) in answers.items()
    )
    CheckStanding.objects.bulk_create(
        row
        for check, (_row, _pk, answers) in zip(checks, rows, strict=True)
        for row in standing_rows(check, score(framework, {c: Answer(u, p) for c, (u, p) in answers.items()}))
    )
    Submission.objects.bulk_create(
        Submission(participant=participants[pk], phase=phase, check_record=check)
        for check, (_row, pk, _a) in zip(checks, rows, strict=True)
    )
    return len(checks)
