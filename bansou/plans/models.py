"""Personal development plans: from a result, a few focus items, each with 次の一歩, and a 振り返り."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bansou.checks.models import Check


class Plan(models.Model):
    """A plan made from one check (at most one per check); private to its owner."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans")
    check_record = models.OneToOneField(Check, on_delete=models.CASCADE, related_name="plan")
    reflection = models.TextField(_("振り返り"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0)  # raised by every save: no silent overwrite

    class Meta:
        indexes = [models.Index(fields=["owner", "created_at"], name="plan_owner_time")]

    def __str__(self) -> str:
        return f"{self.owner_id}/{self.check_record_id}"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    DOING = "doing", _("取り組み中")
    DONE = "done", _("できた")
    RETHINK = "rethink", _("見直し")


class Step(models.Model):
    """次の一歩 for one focus item."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    item_code = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField()
    action = models.TextField(_("次の一歩"), blank=True, max_length=500)
    due_on = models.DateField(_("いつまでに"), null=True, blank=True)
    status = models.CharField(_("状況"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "item_code"], name="step_one_per_item")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.item_code}"
