"""研修 (training cohorts): participants, and the checks they hand in before and after."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.checks.models import Check
from bansou.frameworks.models import FrameworkVersion
from bansou.orgs.models import Organisation

# Paper answers are dated from this many days before the 研修's first day (a 事前 check answered on
# paper ahead of it) up to today: a date outside that window is a slip of the pen (1900-01-01 would put
# the check in 「1899年度」 of the person's history), refused with the window in words.
PAPER_DAYS_BEFORE = 90


class Phase(models.TextChoices):
    PRE = "pre", _("事前チェック")
    POST = "post", _("事後チェック")


class Cohort(models.Model):
    """A 研修 run by an organisation, with a pre-check before it and a post-check after it.

    A phase closes at the end of its deadline day (JST) or when an organiser closes it early; after
    that nothing is handed in for it and its totals no longer change, so that totals seen before and
    after a late hand-in cannot be subtracted to read one person's answers. The 事後 phase begins when
    the 事前 phase closes (``has_begun``).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("主催する組織")
    )
    name = models.CharField(_("研修名"), max_length=100)
    # The version participants check against: totals add up the same items, scored on one scale.
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    starts_on = models.DateField(_("初日"))
    ends_on = models.DateField(_("最終日"))
    pre_deadline = models.DateField(_("事前チェックの締切日"))
    post_deadline = models.DateField(_("事後チェックの締切日"))
    pre_closed_at = models.DateTimeField(null=True, blank=True)
    post_closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last participant number given (``Participant.number``): numbers are never given twice, not
    # even the number of someone who left, so an entry workbook downloaded before they left cannot put
    # their row on a newcomer.
    last_number = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        indexes = [models.Index(fields=["organisation", "fiscal_year"], name="cohort_org_year")]
        verbose_name = _("研修")
        verbose_name_plural = _("研修")

    def __str__(self) -> str:
        return self.name

    def deadline(self, phase: str) -> datetime.date:
        return self.pre_deadline if phase == Phase.PRE else self.post_deadline

    def closed_at(self, phase: str) -> datetime.datetime | None:
        return self.pre_closed_at if phase == Phase.PRE else self.post_closed_at

    def is_closed(self, phase: str, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.closed_at(phase) is not None or timezone.localdate(now) > self.deadline(phase)

    def has_begun(self, phase: str, now: datetime.datetime | None = None) -> bool:
        """Whether the phase takes hand-ins yet: the 事前 phase from the start, the 事後 phase once the
        事前 phase has closed (after its deadline day, or earlier when an organiser closes it). So a
        事後 check is never offered while the 事前 one can still be handed in, and the 事前 totals
        are final before any 事後 figure exists."""
        return phase == Phase.PRE or self.is_closed(Phase.PRE, now)

    def is_open(self, phase: str, now: datetime.datetime | None = None) -> bool:
        """Hand-ins are taken now: the phase has begun and is not closed."""
        return self.has_begun(phase, now) and not self.is_closed(phase, now)

    def paper_dates(self, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
        """The first and last day a paper answer may be dated: ``PAPER_DAYS_BEFORE`` days before the
        first day, and today (never later, even for a 研修 not yet begun)."""
        today = today or timezone.localdate()
        return self.starts_on - datetime.timedelta(days=PAPER_DAYS_BEFORE), today

    def post_opens_on(self) -> datetime.date:
        """The first day of the 事後 phase: the day after the 事前 deadline, or the day an organiser
        closed the 事前 phase earlier."""
        if self.pre_closed_at is not None:
            return timezone.localdate(self.pre_closed_at)
        return self.pre_deadline + datetime.timedelta(days=1)


class Participant(models.Model):
    """A person taking part in a 研修, with their number in it (1, 2, 3 ... in the order they joined):
    the code of their row in the paper entry workbook."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_seats")
    number = models.PositiveIntegerField(_("参加者番号"))
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="participant_unique"),
            models.UniqueConstraint(fields=["cohort", "number"], name="participant_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}/{self.user_id}"


class Submission(models.Model):
    """A participant hands in one of their own checks as the cohort's pre- or post-check."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="submissions")
    phase = models.CharField(max_length=4, choices=Phase.choices)
    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "phase"], name="submission_one_per_phase")
        ]
        indexes = [models.Index(fields=["phase", "check_record"], name="submission_phase_check")]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.phase}"


class StartedCheck(models.Model):
    """A check a participant started from the 研修's page, remembered by its draft's public id (which
    the submitted check keeps as ``Check.draft_public_id``): its result offers this 研修 first.

    Kept here rather than on the draft, so that checks, below cohorts, knows nothing of 研修; kept in
    the database rather than the session, so that a check started on one device and finished on
    another still knows. It goes when the participant leaves.
    """

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="started_checks")
    draft_public_id = models.UUIDField()
    started_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "draft_public_id"], name="started_check_unique")
        ]
        indexes = [models.Index(fields=["draft_public_id"], name="started_check_draft")]

    def __str__(self) -> str:
        return f"{self.participant_id}/{self.draft_public_id}"
