"""The one history of totals shown, across the installation (``bansou.domain.aggregates.Ledger``)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ShownGroup(models.Model):
    """A group of checks whose totals someone was shown (a 研修's phase, its change, a 年度's overview),
    in any organisation. Later totals are set against every one of them. The rows outlive the
    organisations and accounts they were shown to or counted: they hold check ids only, and a
    deleted check's id stays counted."""

    digest = models.CharField(max_length=64, unique=True)  # sha256 of the sorted ids
    # The check ids (numbers), sorted; less those the viewer's organisation typed in from paper.
    checks = models.JSONField()
    shown_at = models.DateTimeField(default=timezone.now)
    # The organisation whose staff were first shown it: a number only, the row outlives it.
    first_shown_to = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("表示した集計の対象")
        verbose_name_plural = _("表示した集計の対象")

    def __str__(self) -> str:
        return self.digest[:8]


class LedgerState(models.Model):
    """One row: locked while a disclosure is decided and recorded (so that two decisions cannot each
    pass alone and expose someone together), and the history's generation and size, by which an app
    server knows whether the history it keeps in memory is still the database's."""

    generation = models.UUIDField(default=uuid.uuid4)
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.generation}/{self.size}"
