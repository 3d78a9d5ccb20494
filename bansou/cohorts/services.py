"""Writes of 研修: creating, joining, handing in checks, closing a phase, leaving; entering paper
results (recorded as checks by ``checks.services``)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.checks.services import NewCheck, answered_at_noon, record_checks
from bansou.cohorts.models import Cohort, Participant, Phase, StartedCheck, Submission
from bansou.invitations import services as invitations
from bansou.invitations.models import Invitation, Kind
from bansou.orgs.services import check_grant_signup


class PhaseClosed(Exception):
    """The phase's deadline has passed or an organiser closed it: nothing more is handed in."""


class NotYetOpen(Exception):
    """The 事後 phase begins when the 事前 phase closes; nothing is handed in for it before."""


class NotYourCheck(Exception):
    """Only one's own submitted checks can be handed in."""


class OtherVersion(Exception):
    """The check was made on another version of the framework than the 研修's."""


class SameCheck(Exception):
    """The post-check must be another check than the pre-check, submitted after it."""


@transaction.atomic
def create_cohort(
    *, user: User, grants_signup: bool = False, **fields: Any
) -> tuple[Cohort, invitations.Issued]:
    """The 研修 and its join code (shown once; any number of participants, until a new code is made).

    ``grants_signup``: someone without an account may create one with the code; only the organisation's
    管理者 (or a site administrator) may ask for it, else ``orgs.services.SignupNotAllowed`` and nothing
    is made."""
    cohort = Cohort.objects.create(created_by=user, **fields)
    return cohort, _issue_code(cohort, user, grants_signup)


def _issue_code(cohort: Cohort, by: User, grants_signup: bool) -> invitations.Issued:
    check_grant_signup(by, cohort.organisation_id, grants_signup)  # never from 職員
    return invitations.issue(
        kind=Kind.COHORT, target_id=cohort.pk, by_id=by.pk, lifetime=None, grants_signup=grants_signup
    )


def update_cohort(*, cohort: Cohort, **fields: Any) -> None:
    """Changes names and dates; a closed phase keeps its deadline (its totals are final)."""
    for phase, name in ((Phase.PRE, "pre_deadline"), (Phase.POST, "post_deadline")):
        if cohort.is_closed(phase):
            fields.pop(name, None)
    Cohort.objects.filter(pk=cohort.pk).update(**fields)


@transaction.atomic
def new_join_code(*, cohort: Cohort, by: User, grants_signup: bool = False) -> invitations.Issued:
    """A new code: the old link and code stop working; those who joined stay. ``grants_signup`` as
    for ``create_cohort`` (``SignupNotAllowed`` from 職員, and the old code stays)."""
    check_grant_signup(by, cohort.organisation_id, grants_signup)
    invitations.revoke(kind=Kind.COHORT, target_id=cohort.pk)
    return _issue_code(cohort, by, grants_signup)


def invitation_to(code: str, by_id: int | None = None) -> tuple[Invitation, Cohort] | None:
    """The usable join code and the 研修 it is for (``by_id``: also one that person used up)."""
    invitation = invitations.find_usable(code, Kind.COHORT, by_id=by_id)
    if invitation is None:
        return None
    cohort = Cohort.objects.select_related("organisation").filter(pk=invitation.target).first()
    return (invitation, cohort) if cohort is not None else None


def join(*, cohort: Cohort, user: User, invitation: Invitation | None = None) -> tuple[Participant, bool]:
    """Joins the 研修 (by its ``invitation``, which counts the use); someone already in stays.

    Raises ``invitations.UsedUp`` if the code stopped working meanwhile, ``AwaitingApproval`` if the
    code needs the organiser's approval of each join."""
    seats = Participant.objects.filter(cohort=cohort, user=user)
    return invitations.admit(
        invitation,
        user.pk,
        existing=seats.first,
        create=lambda: _seat(cohort, user),
    )


def _seat(cohort: Cohort, user: User) -> Participant:
    """A new participant with the 研修's next number (in the caller's transaction; the 研修 is locked
    so that two people joining at once get two numbers)."""
    locked = Cohort.objects.select_for_update().only("last_number").get(pk=cohort.pk)
    number = locked.last_number + 1
    Cohort.objects.filter(pk=cohort.pk).update(last_number=number)
    return Participant.objects.create(cohort=cohort, user=user, number=number)


@transaction.atomic
def hand_in(*, participant: Participant, phase: str, check_public_id: str) -> Submission:
    """Hands in one of the participant's checks for ``phase``; replaces an earlier one while open."""
    cohort = Cohort.objects.select_for_update().get(pk=participant.cohort_id)
    if cohort.is_closed(phase):
        raise PhaseClosed
    if not cohort.has_begun(phase):
        raise NotYetOpen
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
    if not fits(phase, check, other.check_record if other is not None else None):
        raise SameCheck
    submission, _ = Submission.objects.update_or_create(
        participant=participant, phase=phase, defaults={"check_record": check}
    )
    return submission


def fits(phase: str, check: Check, other: Check | None) -> bool:
    """Whether ``check`` may be handed in for ``phase`` when ``other`` is the check handed in for the
    other phase: never the same check, and the 事後 check submitted after the 事前 one. The one rule
    of ``hand_in`` (``SameCheck``) that the 研修's page and the result's offer follow too, so that
    nothing is offered that would be refused."""
    if other is None:
        return True
    if other.pk == check.pk:
        return False
    pre, post = (check, other) if phase == Phase.PRE else (other, check)
    return post.submitted_at > pre.submitted_at


def note_started(*, participant_id: int, draft_public_id: uuid.UUID) -> None:
    """Remembers that the participant started (or went on with) this draft from the 研修's page."""
    StartedCheck.objects.update_or_create(participant_id=participant_id, draft_public_id=draft_public_id)


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


# Paper results typed in by the organiser -----------------------------------------------------------


@dataclass(frozen=True)
class PaperRow:
    """One participant's answers typed in from their paper sheet: the row of the entry workbook it
    came from (for messages), the participant, and every item's (理解, 実践) by item code."""

    row: int
    participant_id: int
    answers: Mapping[str, tuple[int, int]]


class DateOutside(Exception):
    """The day the paper answers are dated is outside ``Cohort.paper_dates``."""


class Refused(StrEnum):
    """Why a row of a paper-results file cannot be entered."""

    HANDED_IN = "handed_in"  # the participant already handed in a check for this phase
    LEFT = "left"  # no longer a participant
    POST_FIRST = "post_first"  # a 事前 row for someone who handed in a 事後 check already
    PRE_LATER = "pre_later"  # a 事後 row dated no later than the participant's 事前 check


@dataclass(frozen=True)
class Refusal:
    row: int
    participant_id: int
    reason: Refused


class PaperRefused(Exception):
    """Rows of a paper-results file that cannot be entered (nothing was entered), by row."""

    def __init__(self, refusals: Sequence[Refusal]) -> None:
        self.refusals = tuple(refusals)
        super().__init__(repr(self.refusals))


@transaction.atomic
def enter_paper_results(
    *,
    cohort: Cohort,
    phase: str,
    rows: Sequence[PaperRow],
    entered_by: User,
    answered_on: datetime.date,
    now: datetime.datetime | None = None,
) -> int:
    """Records answers typed in from paper sheets as each participant's check, handed in for ``phase``.

    ``answered_on``: the day the sheets were filled in, which dates the checks (``answered_at_noon``).
    All or nothing: a date outside ``Cohort.paper_dates`` raises ``DateOutside``, a closed phase
    ``PhaseClosed``, a 事後 phase not begun ``NotYetOpen``; a participant who already handed in for it,
    who has left, or whose 事前 check is not earlier than this 事後 one refuses the whole file
    (``PaperRefused``). The checks carry ``entered_by`` and the
    name at the time, so their owners see who typed them in. Returns the number of checks recorded.
    """
    now = now or timezone.now()
    when = answered_at_noon(answered_on, now)
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    _check_entry(locked, phase, answered_on, now)
    # Locked too: someone leaving meanwhile waits, rather than take their row away mid-entry.
    participants = {p.pk: p for p in Participant.objects.select_for_update().filter(cohort=locked)}
    refusals = _refusals(locked, phase, rows, participants, when)
    if refusals:
        raise PaperRefused(refusals)
    checks = record_checks(
        [
            NewCheck(
                version=locked.framework,
                answers=row.answers,
                answered_at=when,
                owner_id=participants[row.participant_id].user_id,
                entered_by_id=entered_by.pk,
                entered_by_name=entered_by.display_name,
            )
            for row in rows
        ]
    )
    Submission.objects.bulk_create(
        Submission(participant=participants[row.participant_id], phase=phase, check_record=check)
        for check, row in zip(checks, rows, strict=True)
    )
    return len(checks)


def _check_entry(cohort: Cohort, phase: str, answered_on: datetime.date, now: datetime.datetime) -> None:
    """What refuses a whole paper entry before its rows are read: the day, the phase."""
    earliest, latest = cohort.paper_dates(timezone.localdate(now))
    if not earliest <= answered_on <= latest:
        raise DateOutside
    if cohort.is_closed(phase, now):
        raise PhaseClosed
    if not cohort.has_begun(phase, now):
        raise NotYetOpen


def _refusals(
    cohort: Cohort,
    phase: str,
    rows: Sequence[PaperRow],
    participants: Mapping[int, Participant],
    when: datetime.datetime,
) -> list[Refusal]:
    """Every reason each row cannot be entered, by row. One query."""
    submissions = list(
        Submission.objects.filter(participant__cohort=cohort).values_list(
            "participant_id", "phase", "check_record__submitted_at"
        )
    )
    handed = {pk for pk, p, _at in submissions if p == phase}
    later = {pk for pk, p, _at in submissions if p == Phase.POST}
    before = {pk: at for pk, p, at in submissions if p == Phase.PRE}

    def reasons(row: PaperRow) -> list[Refused]:
        pk = row.participant_id
        found = [Refused.HANDED_IN] if pk in handed else []
        if phase == Phase.PRE and pk in later:  # a 事前 check must come before the 事後 one
            found.append(Refused.POST_FIRST)
        if phase != Phase.PRE and pk in before and before[pk] >= when:
            found.append(Refused.PRE_LATER)
        if pk not in participants:
            found.append(Refused.LEFT)
        return found

    refusals = [Refusal(row.row, row.participant_id, reason) for row in rows for reason in reasons(row)]
    return sorted(refusals, key=lambda r: (r.row, r.reason))
