from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bansou.frameworks.models import FrameworkVersion, Item

if TYPE_CHECKING:
    from bansou.domain.coverage import Standing

AXIS_CHOICES = [("understanding", _("理解")), ("practice", _("実践"))]

# Exactly one holder: a signed-in supporter, or a visitor's session (a random key kept in it).
_ONE_HOLDER = Q(owner__isnull=False, anon_key__isnull=True) | Q(owner__isnull=True, anon_key__isnull=False)


class Draft(models.Model):
    """A check being filled in; one open draft per holder and framework version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    anon_key = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001 (NULL: no visitor)
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_ONE_HOLDER, name="draft_one_holder"),
            models.UniqueConstraint(
                fields=["owner", "framework"], condition=Q(owner__isnull=False), name="draft_one_per_owner"
            ),
            models.UniqueConstraint(
                fields=["anon_key", "framework"],
                condition=Q(anon_key__isnull=False),
                name="draft_one_per_visitor",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class DraftCell(models.Model):
    """One answer (item x axis) of a draft, with the revision that guards against stale tabs."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="cells")
    item_code = models.CharField(max_length=50)
    axis = models.CharField(max_length=16, choices=AXIS_CHOICES)
    value = models.SmallIntegerField(null=True)
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "item_code", "axis"], name="draft_cell_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_code}/{self.axis}"


class Check(models.Model):
    """A submitted self-check: a dated, unchangeable record bound to its framework version."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="checks"
    )
    anon_key = models.CharField(max_length=64, null=True, blank=True, db_index=True)  # noqa: DJ001
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="checks")
    submitted_at = models.DateTimeField()
    fiscal_year = models.PositiveSmallIntegerField()
    # The draft it came from: submitting the same draft twice finds this check instead of a second.
    draft_public_id = models.UUIDField(unique=True)
    # Who typed it in from a paper sheet on the person's behalf (a 研修's organiser), if not the person.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_by_name = models.CharField(max_length=150, blank=True)  # kept when that account goes

    class Meta:
        constraints = [models.CheckConstraint(condition=_ONE_HOLDER, name="check_one_holder")]
        indexes = [models.Index(fields=["owner", "submitted_at"], name="check_owner_time")]
        verbose_name = _("セルフチェック")
        verbose_name_plural = _("セルフチェック")

    def __str__(self) -> str:
        return str(self.public_id)


class CheckAnswer(models.Model):
    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    understanding = models.SmallIntegerField()
    practice = models.SmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["check_record", "item"], name="check_answer_unique")]

    def __str__(self) -> str:
        return f"{self.check_record_id}/{self.item_id}"


class StandingCounts(models.Model):
    """What a check's standing on one element or label stores: the ○ counts on both axes over the
    items that decide it, and whether it is held on each (``coverage.Standing``)."""

    understood_count = models.PositiveSmallIntegerField()
    practised_count = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    understood = models.BooleanField()
    practised = models.BooleanField()

    class Meta:
        abstract = True

    @staticmethod
    def counts_of(standing: Standing) -> dict[str, int | bool]:
        """The fields' values for a standing worked out by the domain."""
        return {
            "understood_count": standing.understanding.count,
            "practised_count": standing.practice.count,
            "total": standing.practice.total,
            "understood": standing.understood,
            "practised": standing.practised,
        }


class CheckStanding(StandingCounts):
    """A check's standing on one element, worked out by the domain when the check is submitted.

    Checks never change, so this summary never goes stale; it lets a pool of thousands be searched
    by element in SQL.
    """

    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="standings")
    element = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_record", "element"], name="check_standing_unique")
        ]
        indexes = [models.Index(fields=["element", "practised"], name="check_standing_practised")]

    def __str__(self) -> str:
        return f"{self.check_record_id}/{self.element}"


class CheckLabelStanding(StandingCounts):
    """A check's standing on one label of the leaflet's table, worked out by the domain
    (``coverage.label_standings_of``) when the check is stored: C-1…C-9 (the C rule is one rule per C
    label) and A-1…A-7 (the basics: team forming reads who has them).

    As ``CheckStanding`` for elements: checks never change, so it never goes stale, and the pool is
    searched by label in SQL. ``label`` is the label's code (``coverage.Label.code``).
    """

    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="label_standings")
    label = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_record", "label"], name="check_label_standing_unique")
        ]
        indexes = [models.Index(fields=["label", "practised"], name="check_label_practised")]

    def __str__(self) -> str:
        return f"{self.check_record_id}/{self.label}"
